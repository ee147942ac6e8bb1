"""Nightly orders job: s3://docs-only/never-read/ is in the docstring."""
import sys
from awsglue.utils import getResolvedOptions
from awsglue.context import GlueContext
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "input_path", "run_date"])
glue = GlueContext(SparkContext.getOrCreate())
spark = glue.spark_session

RAW = "s3://raw-zone/orders/"  # landing prefix
curated = f"s3://curated-zone/orders/dt={args['run_date']}/"

orders = spark.read.option("header", "true").csv(RAW)
customers = glue.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [args["input_path"], 's3://ref-data/customers/'], "recurse": True},
    format="json",
)
products = glue.create_dynamic_frame.from_catalog(database="sales", table_name="products")
for region in ["eu", "us"]:
    spark.read.parquet("s3://lake/" + region + "/events/")
orders.write.mode("overwrite").parquet(curated)
glue.write_dynamic_frame.from_options(frame=customers, connection_type="s3",
                                      connection_options={"path": "s3://curated-zone/customers/"}, format="parquet")
glue.purge_s3_path("s3://scratch-zone/tmp/", {"retentionPeriod": 0})
spark.sql("""CREATE TABLE IF NOT EXISTS x USING parquet LOCATION 's3://lake/x/'""")
print("done writing s3://curated-zone/orders/")
legacy = "s3://legacy-bucket/dump/"
def load(path):
    return spark.read.json(path)
