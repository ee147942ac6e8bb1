export declare class S3 {
    /**
     * Grants permission to list objects
     *
     * Access Level: List
     *
     * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
     */
    toListBucket(): this;
    /**
     * Grants permission to add an object
     *
     * Access Level: Write
     *
     * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
     */
    toPutObject(): this;
    /**
     * An action the catalog does not have: left out.
     *
     * https://docs.aws.amazon.com/AmazonS3/latest/API/API_RenameObject.html
     */
    toRenameObjectNow(): this;
}
