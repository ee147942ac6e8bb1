// No service prefix: not a service.
