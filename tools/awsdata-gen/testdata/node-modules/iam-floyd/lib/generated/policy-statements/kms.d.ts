export declare class Kms {
    /**
     * Grants permission to decrypt
     *
     * https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
     */
    toDecrypt(): this;
}
export declare class KmsMore {
    /**
     * Linked to the index of operations, not to an operation: left out.
     *
     * https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html
     */
    toDecrypt(): this;
}
