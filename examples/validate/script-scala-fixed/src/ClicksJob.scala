import com.amazonaws.services.glue.GlueContext
import com.amazonaws.services.glue.util.{GlueArgParser, Job, JsonOptions}
import org.apache.spark.SparkContext

import scala.collection.JavaConverters._

object ClicksJob {
  def main(sysArgs: Array[String]): Unit = {
    val glueContext = new GlueContext(new SparkContext())
    val args = GlueArgParser.getResolvedOptions(sysArgs, Seq("JOB_NAME", "clicks_bucket").toArray)
    Job.init(args("JOB_NAME"), glueContext, args.asJava)

    val bucket = args("clicks_bucket")
    val clicks = glueContext.getSourceWithFormat(
      connectionType = "s3",
      options = JsonOptions(Map("paths" -> Seq(s"s3://$bucket/clicks/"))),
      format = "json"
    ).getDynamicFrame()

    glueContext.getSinkWithFormat(
      connectionType = "s3",
      options = JsonOptions(Map("path" -> "s3://example-curated/clicks/")),
      format = "parquet"
    ).writeDynamicFrame(clicks)

    Job.commit()
  }
}
