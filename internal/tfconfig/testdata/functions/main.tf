locals {
  bucket = "tpl-bucket"
}
