"""Daily orders rollup: raw order events in, one curated table out."""
import sys

from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("orders-rollup").getOrCreate()

RAW = "s3://example-raw-orders/orders/"
CURATED = "s3://example-curated/orders_daily/"

orders = (
    spark.read
    .option("header", "true")
    .option("inferSchema", "true")
    .csv(RAW)
)

daily = orders.groupBy(F.to_date("ordered_at").alias("day")).agg(F.sum("amount").alias("total"))

# Overwrite the whole table: Spark deletes what was there first.
daily.write.mode("overwrite").partitionBy("day").parquet(CURATED)
print(f"wrote {daily.count()} days to {CURATED}")
