package validator

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive/awsfake"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

const livePlan = "testdata/plans/live-outside/plan.json"

// failingTransport fails the test on any request.
type failingTransport struct{ t *testing.T }

func (f failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("request sent without --aws: %s %s", r.Method, r.URL)
	return nil, http.ErrNotSupported
}

// findingOf returns the first finding id of the plan's only job.
func findingOf(t *testing.T, rep *report.Report, id string) *report.Finding {
	t.Helper()
	if len(rep.Jobs) != 1 {
		t.Fatalf("want 1 job, got %d (errors %v)", len(rep.Jobs), rep.Errors)
	}
	for i := range rep.Jobs[0].Findings {
		if f := &rep.Jobs[0].Findings[i]; f.ID == id {
			return f
		}
	}
	return nil
}

func missingText(f *report.Finding) string {
	var b strings.Builder
	for _, m := range f.Missing {
		b.WriteString(m.Fact + "; ")
	}
	return b.String()
}

func TestWithoutAWSNothingIsSent(t *testing.T) {
	awsfake.Isolate(t)
	opts := Options{MaxBytes: planjson.DefaultMaxPlanBytes, AWS: awslive.Options{
		HTTPClient: &http.Client{Transport: failingTransport{t}},
		Region:     "eu-west-1",
	}}
	rep, err := validate(livePlan, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"GA002", "GA005"} {
		f := findingOf(t, rep, id)
		if f == nil || f.Verdict != report.VerdictUnknown {
			t.Fatalf("%s without --aws: want unknown, got %+v", id, f)
		}
	}
	if f := findingOf(t, rep, "GA002"); f.Reason != "bucket-not-in-plan" {
		t.Errorf("GA002 reason = %q, want bucket-not-in-plan", f.Reason)
	}
	if rep.Jobs[0].Verdict != report.Unknown {
		t.Errorf("job verdict = %q, want unknown", rep.Jobs[0].Verdict)
	}
}

func TestLiveLookupsDecide(t *testing.T) {
	tests := []struct {
		name string
		// edit changes the allowing world.
		edit func(map[string]awsfake.Handler)
		// id is the finding expected; "" expects the job allowed.
		id, verdict string
		// policy is the decided_by policy (deny) or a part of the missing
		// fact (unknown).
		policy string
		sid    string
		// timeout bounds each call; 1 s when zero.
		timeout time.Duration
		// calls are the expected call counts of some operations.
		calls map[string]int
	}{
		{
			name: "everything found allows the job",
		},
		{
			name:    "bucket policy denying the role is cited",
			edit:    func(w map[string]awsfake.Handler) { w["s3:GetBucketPolicy"] = awsfake.Answer(denyRoleBucketPolicy) },
			id:      "GA002",
			verdict: report.VerdictDeny,
			policy:  "s3:GetBucketPolicy arn:aws:s3:::partner-data (live)",
			sid:     "DenyGlueLive",
		},
		{
			name: "key policy without the role denies kms:Decrypt",
			edit: func(w map[string]awsfake.Handler) {
				w["kms:GetKeyPolicy"] = awsfake.Answer(`{"Policy":` + awsfake.JSONString(adminOnlyKeyPolicy) + `}`)
			},
			id:      "GA005",
			verdict: report.VerdictDeny,
			policy:  "kms:GetKeyPolicy " + awsfake.KeyARN + " (live)",
		},
		{
			name: "SCP on the account's OU denies",
			edit: func(w map[string]awsfake.Handler) {
				w["organizations:DescribePolicy"] = awsfake.World("", "", denyS3SCP)["organizations:DescribePolicy"]
			},
			id:      "GA007",
			verdict: report.VerdictDeny,
			policy:  "data-guard (organizations:DescribePolicy p-ou000001 (live))",
			sid:     "NoS3Reads",
		},
		{
			name:    "access denied on the bucket policy names the permission",
			edit:    func(w map[string]awsfake.Handler) { w["s3:GetBucketPolicy"] = awsfake.Error("s3", 403, "AccessDenied") },
			id:      "GA002",
			verdict: report.VerdictUnknown,
			policy:  "the lookup lacked s3:GetBucketPolicy on arn:aws:s3:::partner-data (AccessDenied)",
		},
		{
			name: "access denied on the key policy names the permission",
			edit: func(w map[string]awsfake.Handler) {
				w["kms:GetKeyPolicy"] = awsfake.Error("kms", 400, "AccessDeniedException")
			},
			id:      "GA005",
			verdict: report.VerdictUnknown,
			policy:  "the lookup lacked kms:GetKeyPolicy on " + awsfake.KeyARN + " (AccessDeniedException)",
		},
		{
			name: "throttling is retried and then decides",
			edit: func(w map[string]awsfake.Handler) {
				w["s3:GetBucketPolicy"] = func(n int, c awsfake.Call) awsfake.Reply {
					if n == 1 {
						return awsfake.Error("s3", 503, "SlowDown")(n, c)
					}
					return awsfake.Reply{Status: 200, Body: denyRoleBucketPolicy}
				}
			},
			id:      "GA002",
			verdict: report.VerdictDeny,
			policy:  "s3:GetBucketPolicy arn:aws:s3:::partner-data (live)",
			sid:     "DenyGlueLive",
			// The SDK backs off up to 2 s before its first retry.
			timeout: 10 * time.Second,
			calls:   map[string]int{"s3:GetBucketPolicy": 2},
		},
		{
			name: "a timed out encryption lookup leaves the key unknown",
			edit: func(w map[string]awsfake.Handler) {
				w["s3:GetBucketEncryption"] = func(int, awsfake.Call) awsfake.Reply { return awsfake.Reply{Status: 200, Delay: 3 * time.Second} }
			},
			id:      "GA005",
			verdict: report.VerdictUnknown,
			policy:  "s3:GetEncryptionConfiguration on arn:aws:s3:::partner-data timed out",
		},
		{
			name: "a malformed key policy leaves the key unknown",
			edit: func(w map[string]awsfake.Handler) {
				w["kms:GetKeyPolicy"] = awsfake.Answer(`{"Policy":"not json at all"}`)
			},
			id:      "GA005",
			verdict: report.VerdictUnknown,
			policy:  "kms:GetKeyPolicy on " + awsfake.KeyARN + " returned a malformed",
		},
		{
			name: "an unreadable organization path leaves GA007 unknown",
			edit: func(w map[string]awsfake.Handler) {
				w["organizations:ListParents"] = awsfake.Error("organizations", 400, "AccessDeniedException")
			},
			id:      "GA007",
			verdict: report.VerdictUnknown,
			policy:  "the lookup lacked organizations:ListParents",
		},
		{
			name:    "garbage instead of ownership controls leaves GA003 unknown",
			edit:    func(w map[string]awsfake.Handler) { w["s3:GetBucketOwnershipControls"] = awsfake.Answer(`<<<garbage`) },
			id:      "GA003",
			verdict: report.VerdictUnknown,
			policy:  "s3:GetBucketOwnershipControls on arn:aws:s3:::partner-data",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			awsfake.Isolate(t)
			world := awsfake.World(allowAllBucketPolicy, delegatingKeyPolicy, regionSCP)
			if tc.edit != nil {
				tc.edit(world)
			}
			fake := awsfake.New(t, world)
			opts := liveOptions(fake)
			opts.AWS.Timeout = time.Second
			if tc.timeout > 0 {
				opts.AWS.Timeout = tc.timeout
			}
			rep, err := validate(livePlan, opts)
			if err != nil {
				t.Fatal(err)
			}
			for op, want := range tc.calls {
				if n := fake.Count(op); n != want {
					t.Errorf("%s called %d times, want %d", op, n, want)
				}
			}
			job := rep.Jobs[0]
			if tc.id == "" {
				if job.Verdict != report.Allowed {
					t.Fatalf("job verdict = %q, want allowed; findings %+v", job.Verdict, job.Findings)
				}
				if slicesContainsPrefix(rep.Plan.Notes, "no SCPs or RCPs were visible") {
					t.Errorf("the organization was looked up, yet the plan notes say none was visible: %q", rep.Plan.Notes)
				}
				return
			}
			f := findingOf(t, rep, tc.id)
			if f == nil {
				t.Fatalf("no %s finding; findings %+v", tc.id, job.Findings)
			}
			if f.Verdict != tc.verdict {
				t.Fatalf("%s verdict = %q, want %q (%s; missing %s)", tc.id, f.Verdict, tc.verdict, f.Because, missingText(f))
			}
			if job.Verdict == report.Allowed {
				t.Errorf("job allowed despite %s %s", tc.id, f.Verdict)
			}
			switch tc.verdict {
			case report.VerdictDeny:
				if f.DecidedBy == nil || f.DecidedBy.Policy != tc.policy || f.DecidedBy.Sid != tc.sid {
					t.Errorf("decided_by = %+v, want policy %q sid %q", f.DecidedBy, tc.policy, tc.sid)
				}
			default:
				if !strings.Contains(missingText(f), tc.policy) && !slicesContainsPrefix(job.Notes, "live lookup: "+tc.policy) {
					t.Errorf("neither missing facts %q nor notes %q carry %q", missingText(f), job.Notes, tc.policy)
				}
			}
		})
	}
}

func slicesContainsPrefix(l []string, prefix string) bool {
	for _, s := range l {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestLiveLookupsRunOncePerFact(t *testing.T) {
	awsfake.Isolate(t)
	fake := awsfake.New(t, awsfake.World(allowAllBucketPolicy, delegatingKeyPolicy, regionSCP))
	if _, err := validate(livePlan, liveOptions(fake)); err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"s3:GetBucketPolicy", "s3:GetBucketEncryption", "kms:DescribeKey", "kms:GetKeyPolicy", "organizations:DescribeOrganization"} {
		if n := fake.Count(op); n != 1 {
			t.Errorf("%s called %d times, want 1", op, n)
		}
	}
}

func TestLiveRoleOfAnotherStack(t *testing.T) {
	const plan = "testdata/plans/live-role/plan.json"
	tests := []struct {
		name    string
		world   map[string]awsfake.Handler
		verdict string // of GA001; "" expects no GA001 finding
		// want is in the Because (deny) or the notes (unknown).
		want string
	}{
		{name: "inline policy read from IAM allows", world: roleWorld(readScripts)},
		{name: "inline policy read from IAM allows another bucket only", world: roleWorld(readOther), verdict: report.VerdictDeny,
			want: "no identity-based policy allows"},
		{
			name: "listing the inline policies is denied",
			world: func() map[string]awsfake.Handler {
				w := roleWorld(readScripts)
				w["iam:ListRolePolicies"] = awsfake.Error("iam", 403, "AccessDenied")
				return w
			}(),
			verdict: report.VerdictUnknown,
			want:    "live lookup: the lookup lacked iam:ListRolePolicies on " + sharedRoleARN + " (AccessDenied)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			awsfake.Isolate(t)
			fake := awsfake.New(t, tc.world)
			rep, err := validate(plan, liveOptions(fake))
			if err != nil {
				t.Fatal(err)
			}
			f := findingOf(t, rep, "GA001")
			job := rep.Jobs[0]
			switch {
			case tc.verdict == "":
				if f != nil || job.Verdict != report.Allowed {
					t.Fatalf("job %s, GA001 %+v; want allowed", job.Verdict, f)
				}
			case f == nil || f.Verdict != tc.verdict:
				t.Fatalf("GA001 = %+v, want %s", f, tc.verdict)
			case tc.verdict == report.VerdictDeny && !strings.Contains(f.Because, tc.want):
				t.Errorf("because %q lacks %q", f.Because, tc.want)
			case tc.verdict == report.VerdictUnknown && !slices.Contains(job.Notes, tc.want):
				t.Errorf("notes %q lack %q", job.Notes, tc.want)
			}
			if n := fake.Count("iam:GetRole"); n != 1 {
				t.Errorf("iam:GetRole called %d times, want 1", n)
			}
		})
	}
}
