class Kms {
    constructor(sid) {
        this.servicePrefix = 'kms';
    }
}
