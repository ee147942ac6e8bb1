{"Resource": "arn:aws:s3:::${bucket}/%{ for p in prefixes }${p}%{ endfor }"}
