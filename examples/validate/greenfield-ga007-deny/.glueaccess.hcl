# The organization tree lives in another repository: tell glueaccess where the
# workload account sits and which account manages the organization.
organization {
  id                 = "o-a1b2c3d4e5"
  management_account = "999988887777"

  node "r-a1b2" {}

  node "111122223333" {
    parent = "r-a1b2"
  }
}
