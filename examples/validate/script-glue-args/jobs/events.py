import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "input_path", "output_path", "stage"])

sc = SparkContext()
glue_context = GlueContext(sc)
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

events = glue_context.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [args["input_path"]], "recurse": True},
    format="json",
    transformation_ctx="events",
)

out = f"{args['output_path']}stage={args['stage']}/"
glue_context.write_dynamic_frame.from_options(
    frame=events,
    connection_type="s3",
    connection_options={"path": out, "partitionKeys": ["event_date"]},
    format="parquet",
    transformation_ctx="sink",
)

# Clear the landing prefix once the events are safely curated.
glue_context.purge_s3_path(args["input_path"], options={"retentionPeriod": 0})
job.commit()
