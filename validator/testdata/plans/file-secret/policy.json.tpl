{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ListHushK7Q2vX",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": ["${code_bucket}", "${data_bucket}"]
    },
    {
      "Sid": "ReadHushK7Q2vX",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      "Resource": ["${code_bucket}/*", "${data_bucket}/tmp/*"]
    },
    {
      "Sid": "NoDeleteHushK7Q2vX",
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "${data_bucket}/hushK7Q2vX-vault/*"
    },
    {
      "Sid": "NoTempDeleteHushK7Q2vX",
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "${data_bucket}/tmp/*"
    }
  ]
}
