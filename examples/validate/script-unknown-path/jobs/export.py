import boto3
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()

# The export prefix lives in Parameter Store, so it can change without a deploy.
ssm = boto3.client("ssm")
export_prefix = ssm.get_parameter(Name="/etl/export-prefix")["Parameter"]["Value"]

orders = spark.read.parquet("s3://example-curated/orders_daily/")
orders.write.mode("append").json(export_prefix + "orders/")
