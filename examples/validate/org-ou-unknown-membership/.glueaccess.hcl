# The organization lives in another repository: tell glueaccess which account
# manages it, so the job's account is known to be a member governed by SCPs.
organization {
  id                 = "o-a1b2c3d4e5"
  management_account = "999988887777"
}
