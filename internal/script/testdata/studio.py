import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ["JOB_NAME"])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args["JOB_NAME"], args)

# Script generated for node Source
Source_node1 = glueContext.create_dynamic_frame.from_options(
    format_options={"quoteChar": '"', "withHeader": True, "separator": ","},
    connection_type="s3",
    format="csv",
    connection_options={"paths": ["s3://studio-in/landing/"], "recurse": True},
    transformation_ctx="Source_node1",
)

# Script generated for node Mapping
Mapping_node2 = ApplyMapping.apply(
    frame=Source_node1,
    mappings=[("id", "string", "id", "long"), ("ts", "string", "ts", "timestamp")],
    transformation_ctx="Mapping_node2",
)

# Script generated for node Target
Target_node3 = glueContext.getSink(
    path="s3://studio-out/curated/",
    connection_type="s3",
    updateBehavior="UPDATE_IN_DATABASE",
    partitionKeys=["ts"],
    enableUpdateCatalog=True,
    transformation_ctx="Target_node3",
)
Target_node3.setCatalogInfo(catalogDatabase="studio", catalogTableName="curated")
Target_node3.setFormat("glueparquet", compression="snappy")
Target_node3.writeFrame(Mapping_node2)

# Redshift target with its staging directory
glueContext.write_dynamic_frame.from_jdbc_conf(
    frame=Mapping_node2,
    catalog_connection="redshift-conn",
    connection_options={"dbtable": "public.events", "database": "dev"},
    redshift_tmp_dir=args["TempDir"] if "TempDir" in args else "s3://studio-tmp/redshift/",
    transformation_ctx="Redshift_node4",
)
job.commit()
