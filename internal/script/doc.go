// Package script reads an AWS Glue job's script (PySpark / Glue Python, or
// Scala) and returns the data locations it reads, writes and deletes: S3 URLs
// and Data Catalog tables, each with its line. It knows no Terraform: the
// caller passes the job's arguments, which resolve getResolvedOptions.
//
// The script is never run or imported. A tokenizer that follows each
// language's lexical rules exactly (string prefixes, triple quotes, escapes,
// f-strings and interpolations, comments, line continuations, brackets) feeds
// a small expression parser; the reader then follows simple string variables
// and recognises the reader and writer calls of Spark and of Glue's
// GlueContext / DynamicFrame API (docs/validate.md, "Scripts"). Anything the
// script does not reveal (a function parameter, a value read at run time, a
// call the reader does not know) is never guessed: the reference keeps the
// known start of its URL and names, with its line, what is unknown.
//
// What each call needs in S3 follows the Glue documentation: "Data sources
// require s3:ListBucket and s3:GetObject", "Data targets require
// s3:ListBucket, s3:PutObject, and s3:DeleteObject" (AWS Glue Studio User
// Guide, "Review IAM permissions needed for ETL jobs"); purge_s3_path "Deletes
// files from the specified Amazon S3 path recursively" (AWS Glue Developer
// Guide, "GlueContext class").
package script
