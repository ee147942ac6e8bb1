# Which OU an account sits in is decided by account vending, outside this
# configuration, and no Organizations data source in the provider reveals
# it: say it here. ou-f4aa-894aa73f is the id data
# "aws_organizations_organizational_unit" "workloads" reads in the plan.
organization {
  node "111122223333" {
    parent = "ou-f4aa-894aa73f"
  }
}
