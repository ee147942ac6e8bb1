# A crawler is checked like a job: give a crawler block instead of the job
# block. Its role must list and read every include path; exclusions skip
# objects, not the listing, so they do not narrow what must be allowed.
data "aws_iam_policy_document" "crawler" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::raw-zone/events/*"]
  }
}

data "glueaccess_check" "events_crawler" {
  crawler {
    name     = "raw-events"
    role_arn = "arn:aws:iam::111122223333:role/raw-events-crawler"

    s3_target {
      path       = "s3://raw-zone/events/"
      exclusions = ["**/_SUCCESS"]
    }
  }

  role {
    policies            = [data.aws_iam_policy_document.crawler.json]
    managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
  }

  bucket {
    name = "raw-zone"
  }
}
