class S3 {
    constructor(sid) {
        this.servicePrefix = 's3';
    }
}
