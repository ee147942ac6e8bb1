import com.amazonaws.services.glue.GlueContext
import com.amazonaws.services.glue.MappingSpec
import com.amazonaws.services.glue.errors.CallSite
import com.amazonaws.services.glue.util.GlueArgParser
import com.amazonaws.services.glue.util.Job
import com.amazonaws.services.glue.util.JsonOptions
import org.apache.spark.SparkContext
import scala.collection.JavaConverters._

object GlueApp {
  def main(sysArgs: Array[String]) {
    val spark: SparkContext = new SparkContext()
    val glueContext: GlueContext = new GlueContext(spark)
    // @params: [JOB_NAME]
    val args = GlueArgParser.getResolvedOptions(sysArgs, Seq("JOB_NAME").toArray)
    Job.init(args("JOB_NAME"), glueContext, args.asJava)
    // Script generated for node Source
    val Source_node1 = glueContext.getSourceWithFormat(formatOptions=JsonOptions("""{"quoteChar": "\"", "withHeader": true, "separator": ","}"""), connectionType="s3", format="csv", options=JsonOptions("""{"paths": ["s3://studio-in/landing/"], "recurse": true}"""), transformationContext="Source_node1").getDynamicFrame()

    // Script generated for node Target
    val Target_node2 = glueContext.getSinkWithFormat(connectionType="s3", options=JsonOptions("""{"path": "s3://studio-out/curated/", "partitionKeys": []}"""), formatOptions=JsonOptions("""{"compression": "snappy"}"""), transformationContext="Target_node2", format="glueparquet").writeDynamicFrame(Source_node1)

    val catalog = glueContext.getCatalogSource(database="studio", tableName="raw_events", transformationContext="Catalog_node3").getDynamicFrame()
    Job.commit()
  }
}
