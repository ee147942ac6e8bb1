package report

import "testing"

// TestFingerprintIgnoresPositionsAndNotesChanges: moving code (line numbers,
// statement index, finding order) keeps a finding's fingerprint; what makes
// it another finding changes it.
func TestFingerprintIgnoresPositionsAndNotesChanges(t *testing.T) {
	base := func() Finding {
		return Finding{ID: "GA001", Verdict: VerdictDeny, Reason: "no-allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::raw/*",
			Because: "because", DecidedBy: &Statement{Layer: "identity", Policy: "aws_iam_role_policy.glue", Index: 0, Sid: "Read", Location: &Location{File: "main.tf", Line: 10}}}
	}
	fp := Fingerprint("aws_glue_job.nightly", base())
	same := map[string]func(*Finding){
		"line moved":           func(f *Finding) { f.DecidedBy.Location = &Location{File: "main.tf", Line: 99, Path: "infra/main.tf"} },
		"statement reordered":  func(f *Finding) { f.DecidedBy.Index = 3 },
		"wording changed":      func(f *Finding) { f.Because = "other words" },
		"suppressed elsewhere": func(f *Finding) { f.Suppressed = &Suppression{Reason: "r", Source: "s"} },
	}
	for name, change := range same {
		f := base()
		change(&f)
		if got := Fingerprint("aws_glue_job.nightly", f); got != fp {
			t.Errorf("%s: fingerprint changed", name)
		}
	}
	differs := map[string]func(*Finding){
		"check":     func(f *Finding) { f.ID = "GA002" },
		"verdict":   func(f *Finding) { f.Verdict = VerdictUnknown },
		"reason":    func(f *Finding) { f.Reason = "explicit-deny" },
		"action":    func(f *Finding) { f.Action = "s3:PutObject" },
		"resource":  func(f *Finding) { f.Resource = "arn:aws:s3:::other/*" },
		"policy":    func(f *Finding) { f.DecidedBy.Policy = "aws_iam_policy.other" },
		"sid":       func(f *Finding) { f.DecidedBy.Sid = "Write" },
		"no policy": func(f *Finding) { f.DecidedBy = nil },
	}
	for name, change := range differs {
		f := base()
		change(&f)
		if got := Fingerprint("aws_glue_job.nightly", f); got == fp {
			t.Errorf("%s: fingerprint unchanged", name)
		}
	}
	if Fingerprint("aws_glue_job.other", base()) == fp {
		t.Error("another job's finding has the same fingerprint")
	}
}
