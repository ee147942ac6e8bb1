import com.amazonaws.services.glue.GlueContext
import com.amazonaws.services.glue.util.{GlueArgParser, Job, JsonOptions}
import org.apache.spark.SparkContext

/* Reads s3://comment-only/ /* nested */ never */
object OrdersJob {
  def main(sysArgs: Array[String]): Unit = {
    val glueContext = new GlueContext(new SparkContext())
    val spark = glueContext.getSparkSession
    val args = GlueArgParser.getResolvedOptions(sysArgs, Seq("JOB_NAME", "input_path").toArray)
    val bucket = "curated-zone"
    val src = glueContext.getSourceWithFormat(
      connectionType = "s3",
      options = JsonOptions(Map("paths" -> Set(args("input_path")))),
      format = "json"
    ).getDynamicFrame()
    val events = spark.read
      .format("parquet")
      .load(s"s3://raw-zone/events/${args("input_path")}")
    events.write.mode("append").parquet(s"s3://$bucket/events/")
    glueContext.getSinkWithFormat(connectionType = "s3",
      options = JsonOptions("""{"path": "s3://curated-zone/dyn/"}"""), format = "parquet").writeDynamicFrame(src)
    val t = glueContext.getCatalogSource(database = "sales", tableName = "orders").getDynamicFrame()
    val c = 'x'
  }
}
