package validator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// estate is the shape of a generated multi-account plan: Glue jobs spread
// over workload accounts and, when ous > 0, an organization of OUs nested a
// few levels deep with SCPs and RCPs attached at the root, OUs and accounts.
type estate struct {
	ous, accounts, jobs int
}

// orgEstate is the organization benchmark at scale 1: 300 OUs, 500
// accounts, 1,024 SCPs and RCPs (see policies) and 3,000 jobs.
func orgEstate(scale int) estate {
	return estate{ous: 300 * scale, accounts: 500 * scale, jobs: 3000 * scale}
}

// flatEstate is the multi-account benchmark without organizations at scale
// 1: 3,000 jobs over 100 accounts.
func flatEstate(scale int) estate {
	return estate{accounts: 100 * scale, jobs: 3000 * scale}
}

// Tokens of testdata/bench/org/main.tf and the literal ids its plan holds
// for them, replaced in each copy.
const (
	tokAccount    = "acctq0"
	tokAccountNum = "555500000000"
	tokJob        = "jobq0"
	tokOUTop      = "ouaq0"
	tokOUNested   = "oubq0"
	ouTopID       = "ou-f4aa-429e3c5c"
	ouNestedID    = "ou-f4aa-8066ac63"
)

func accountToken(a int) string { return "acctq" + strconv.Itoa(a) }
func accountNum(a int) string   { return fmt.Sprintf("5555%08d", a) }
func ouName(i int) string       { return "ouq" + strconv.Itoa(i) }
func ouIDOf(i int) string       { return fmt.Sprintf("ou-f4aa-%08d", i) }

// ouParent is the index of OU i's parent OU, -1 for the root. A twentieth
// of the OUs sit under the root, each of the others under the third of the
// OUs before it that it falls to: a tree three to four levels deep.
func (e estate) ouParent(i int) int {
	top := e.ous / 15
	if i < top {
		return -1
	}
	return (i - top) / 3
}

// accountOU is the OU account a sits in: accounts fill the OUs from the
// deepest, a few per OU, as landing zones put workloads in leaf OUs.
func (e estate) accountOU(a int) int { return e.ous - 1 - (a*7)%e.ous }

// jobAccount is the account of job j: jobs spread round the accounts.
func (e estate) jobAccount(j int) int { return j % e.accounts }

// jobLacksDelete marks the jobs whose role policy leaves out s3:DeleteObject
// (denied by GA001: the job deletes its temporary files).
func jobLacksDelete(j int) bool { return j%9 == 4 }

// attachment is one policy attached to one target. variant is the
// template policy it copies: scpaq0 (a region guardrail), scpbq0 (no
// deletes: denies every job below it) or rcpaq0 (a data perimeter).
type attachment struct {
	variant string
	target  string // "root", "ou" or "account"
	index   int    // the OU or account
}

// policies lists the estate's SCPs and RCPs, each attached once: at the
// root a region guardrail and a data perimeter; on every OU a guardrail, on
// every other OU a perimeter, on one OU in 25 the no-deletes SCP; on every
// account a guardrail, on one in ten a perimeter, on one in fifty no
// deletes. At scale 1: 2 + 462 + 560 = 1,024.
func (e estate) policies() []attachment {
	if e.ous == 0 {
		return nil
	}
	out := []attachment{{"scpaq0", "root", 0}, {"rcpaq0", "root", 0}}
	for i := range e.ous {
		out = append(out, attachment{"scpaq0", "ou", i})
		if i%2 == 0 {
			out = append(out, attachment{"rcpaq0", "ou", i})
		}
		if i%25 == 7 {
			out = append(out, attachment{"scpbq0", "ou", i})
		}
	}
	for a := range e.accounts {
		out = append(out, attachment{"scpaq0", "account", a})
		if a%10 == 0 {
			out = append(out, attachment{"rcpaq0", "account", a})
		}
		if a%50 == 11 {
			out = append(out, attachment{"scpbq0", "account", a})
		}
	}
	return out
}

// templatePlan is the plan of testdata/bench/org split into its pieces.
type templatePlan struct {
	head map[string]json.RawMessage // top-level fields other than the lists
	// lists holds, per resource list, its entries by address (compact).
	lists     map[string]map[string][]byte
	providers map[string][]byte // provider_config by key
	order     []string          // addresses in the template's order
}

// resourceLists are the lists of a plan that hold one entry per resource,
// by their path.
var resourceLists = [][]string{
	{"planned_values", "root_module", "resources"},
	{"prior_state", "values", "root_module", "resources"},
	{"configuration", "root_module", "resources"},
	{"resource_changes"},
}

func readTemplate(tb testing.TB) *templatePlan {
	tb.Helper()
	src, err := os.ReadFile("testdata/bench/org/plan.json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(src, &doc); err != nil {
		tb.Fatal(err)
	}
	t := &templatePlan{head: doc, lists: map[string]map[string][]byte{}, providers: map[string][]byte{}}
	seen := map[string]bool{}
	for _, path := range resourceLists {
		var items []json.RawMessage
		if err := json.Unmarshal(at(tb, doc, path), &items); err != nil {
			tb.Fatal(err)
		}
		byAddr := map[string][]byte{}
		for _, it := range items {
			var head struct{ Address string }
			if err := json.Unmarshal(it, &head); err != nil {
				tb.Fatal(err)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, it); err != nil {
				tb.Fatal(err)
			}
			byAddr[head.Address] = compact.Bytes()
			if !seen[head.Address] {
				seen[head.Address] = true
				t.order = append(t.order, head.Address)
			}
		}
		t.lists[strings.Join(path, ".")] = byAddr
	}
	var cfg map[string]json.RawMessage
	if err := json.Unmarshal(doc["configuration"], &cfg); err != nil {
		tb.Fatal(err)
	}
	var pcs map[string]json.RawMessage
	if err := json.Unmarshal(cfg["provider_config"], &pcs); err != nil {
		tb.Fatal(err)
	}
	for k, v := range pcs {
		var compact bytes.Buffer
		if err := json.Compact(&compact, v); err != nil {
			tb.Fatal(err)
		}
		t.providers[k] = compact.Bytes()
	}
	return t
}

// at returns the raw value at path in doc.
func at(tb testing.TB, doc map[string]json.RawMessage, path []string) json.RawMessage {
	tb.Helper()
	v := doc[path[0]]
	for _, k := range path[1:] {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			tb.Fatalf("%s: %v", strings.Join(path, "."), err)
		}
		v = m[k]
	}
	return v
}

// orgPlan generates, deterministically, the plan of an estate from the
// pieces of testdata/bench/org, and the .glueaccess.hcl text placing its
// accounts in the organization ("" without one). Every copied piece is the
// template's with its tokens renamed, so the values, unknowns and references
// are those terraform planned; the result is compact, like terraform show
// -json.
func orgPlan(tb testing.TB, e estate) ([]byte, string) {
	tb.Helper()
	t := readTemplate(tb)
	// pieces lists, per resource list, the entries of the generated plan.
	pieces := map[string][][]byte{}
	emit := func(addr string, r *strings.Replacer, edit func([]byte) []byte) {
		found := false
		for list, byAddr := range t.lists {
			entry, ok := byAddr[addr]
			if !ok {
				continue
			}
			found = true
			out := []byte(r.Replace(string(entry)))
			if edit != nil {
				out = edit(out)
			}
			pieces[list] = append(pieces[list], out)
		}
		if !found {
			tb.Fatalf("the template plan has no %s", addr)
		}
	}
	none := strings.NewReplacer()
	org := e.ous > 0
	if org {
		emit("data.aws_organizations_organization.org", none, nil)
		for i := range e.ous {
			if p := e.ouParent(i); p < 0 {
				emit("data.aws_organizations_organizational_unit."+tokOUTop, strings.NewReplacer(
					tokOUTop, ouName(i), ouTopID, ouIDOf(i)), nil)
			} else {
				emit("data.aws_organizations_organizational_unit."+tokOUNested, strings.NewReplacer(
					tokOUNested, ouName(i), ouNestedID, ouIDOf(i), tokOUTop, ouName(p), ouTopID, ouIDOf(p)), nil)
			}
		}
		for k, at := range e.policies() {
			name := strings.Replace(at.variant, "q0", "q"+strconv.Itoa(k), 1)
			emit("aws_organizations_policy."+at.variant, strings.NewReplacer(at.variant, name), nil)
			switch at.target {
			case "root":
				emit("aws_organizations_policy_attachment.scpaq0_root", strings.NewReplacer(
					"scpaq0_root", name+"_att", "scpaq0", name), nil)
			case "ou":
				emit("aws_organizations_policy_attachment.scpaq0_ou", strings.NewReplacer(
					"scpaq0_ou", name+"_att", "scpaq0", name, tokOUTop, ouName(at.index), ouTopID, ouIDOf(at.index)), nil)
			case "account":
				emit("aws_organizations_policy_attachment.scpbq0_acct", strings.NewReplacer(
					"scpbq0_acct", name+"_att", "scpbq0", name, tokAccountNum, accountNum(at.index)), nil)
			}
		}
	}
	providers := map[string][]byte{"aws": t.providers["aws"]}
	for a := range e.accounts {
		r := strings.NewReplacer(tokAccount, accountToken(a), tokAccountNum, accountNum(a))
		providers["aws."+accountToken(a)] = []byte(r.Replace(string(t.providers["aws."+tokAccount])))
		emit("aws_kms_key.key"+tokAccount, r, nil)
	}
	noDelete := func(b []byte) []byte {
		return bytes.Replace(b, []byte(`\"s3:PutObject\",\"s3:DeleteObject\",`), []byte(`\"s3:PutObject\",`), 1)
	}
	for j := range e.jobs {
		a := e.jobAccount(j)
		r := strings.NewReplacer(tokJob, "jobq"+strconv.Itoa(j), tokAccount, accountToken(a), tokAccountNum, accountNum(a))
		for _, addr := range t.order {
			if !strings.Contains(addr, tokJob) {
				continue
			}
			var edit func([]byte) []byte
			if addr == "aws_iam_role_policy."+tokJob && jobLacksDelete(j) {
				edit = noDelete
			}
			emit(addr, r, edit)
		}
	}

	var out bytes.Buffer
	out.WriteString(`{"format_version":` + string(t.head["format_version"]) + `,"terraform_version":` + string(t.head["terraform_version"]))
	list := func(path []string) {
		out.WriteByte('[')
		for i, p := range pieces[strings.Join(path, ".")] {
			if i > 0 {
				out.WriteByte(',')
			}
			out.Write(p)
		}
		out.WriteByte(']')
	}
	out.WriteString(`,"planned_values":{"root_module":{"resources":`)
	list(resourceLists[0])
	out.WriteString(`}},"resource_changes":`)
	list(resourceLists[3])
	if org {
		out.WriteString(`,"prior_state":{"format_version":"1.0","terraform_version":` + string(t.head["terraform_version"]) + `,"values":{"root_module":{"resources":`)
		list(resourceLists[1])
		out.WriteString(`}}}`)
	}
	out.WriteString(`,"configuration":{"provider_config":`)
	pcs, err := json.Marshal(rawMap(providers))
	if err != nil {
		tb.Fatal(err)
	}
	out.Write(pcs)
	out.WriteString(`,"root_module":{"resources":`)
	list(resourceLists[2])
	out.WriteString(`}},"applyable":true,"complete":true,"errored":false}`)

	if !org {
		return out.Bytes(), ""
	}
	var hcl strings.Builder
	hcl.WriteString("organization {\n")
	for a := range e.accounts {
		fmt.Fprintf(&hcl, "  node %q {\n    parent = %q\n  }\n", accountNum(a), ouIDOf(e.accountOU(a)))
	}
	hcl.WriteString("}\n")
	return out.Bytes(), hcl.String()
}

// rawMap lets json.Marshal write compact raw values in key order.
func rawMap(m map[string][]byte) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// expectedVerdict is what job j of e must get, worked out from the estate's
// shape alone: denied by GA007 when a no-deletes SCP sits on its account or
// an OU above it, else by GA001 when its role lacks s3:DeleteObject, allowed
// otherwise.
func (e estate) expectedVerdict(j int) (verdict string, ids []string) {
	if e.ous > 0 {
		a := e.jobAccount(j)
		denied := a%50 == 11
		for ou := e.accountOU(a); ou >= 0; ou = e.ouParent(ou) {
			denied = denied || ou%25 == 7
		}
		if denied {
			// An explicit deny decides the request, whatever the role's
			// policies allow.
			return "denied", []string{"GA007"}
		}
	}
	if jobLacksDelete(j) {
		return "denied", []string{"GA001"}
	}
	return "allowed", nil
}

// decideEstate validates a generated plan as glueaccess validate does with
// the generated .glueaccess.hcl beside it.
func decideEstate(tb testing.TB, data []byte, hcl string) int {
	tb.Helper()
	var decl *declarations
	if hcl != "" {
		d, err := parseConfig([]byte(hcl), ConfigFileName, ConfigFileName)
		if err != nil {
			tb.Fatal(err)
		}
		decl = d
	}
	plan, err := planjson.Decode(data)
	if err != nil {
		tb.Fatal(err)
	}
	return len(decide(newPlanIndex(plan), nil, decl, time.Time{}, nil).Jobs)
}

// TestEstateGeneratorDecidesAsShaped keeps the estate benchmarks honest: on
// small estates of both kinds every job is decided, allowed or denied
// exactly as the shape of the estate says, for the reasons it says.
func TestEstateGeneratorDecidesAsShaped(t *testing.T) {
	for name, e := range map[string]estate{
		"organization": {ous: 60, accounts: 80, jobs: 200},
		"flat":         {accounts: 7, jobs: 40},
	} {
		t.Run(name, func(t *testing.T) {
			data, hcl := orgPlan(t, e)
			var decl *declarations
			if hcl != "" {
				d, err := parseConfig([]byte(hcl), ConfigFileName, ConfigFileName)
				if err != nil {
					t.Fatal(err)
				}
				decl = d
			}
			plan, err := planjson.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			rep := decide(newPlanIndex(plan), nil, decl, time.Time{}, nil)
			if len(rep.Jobs) != e.jobs || len(rep.Errors) != 0 {
				t.Fatalf("decided %d jobs with errors %v, want %d", len(rep.Jobs), rep.Errors, e.jobs)
			}
			verdicts := map[string]int{}
			for _, job := range rep.Jobs {
				j, err := strconv.Atoi(strings.TrimPrefix(job.Address, "aws_glue_job.jobq"))
				if err != nil {
					t.Fatalf("unexpected job %s", job.Address)
				}
				want, wantIDs := e.expectedVerdict(j)
				var ids []string
				for _, f := range job.Findings {
					if f.Verdict == "deny" && !slices.Contains(ids, f.ID) {
						ids = append(ids, f.ID)
					}
				}
				slices.Sort(ids)
				if job.Verdict != want || !slices.Equal(ids, wantIDs) {
					t.Errorf("%s (account %s): %s by %v, want %s by %v; findings %+v", job.Address, accountNum(e.jobAccount(j)), job.Verdict, ids, want, wantIDs, job.Findings)
				}
				if wantRole := "arn:aws:iam::" + accountNum(e.jobAccount(j)) + ":role/glue-jobq" + strconv.Itoa(j); job.Role != wantRole {
					t.Errorf("%s: role %s, want %s", job.Address, job.Role, wantRole)
				}
				verdicts[job.Verdict]++
			}
			if verdicts["allowed"] == 0 || verdicts["denied"] == 0 {
				t.Errorf("verdicts %v: the estate should mix allowed and denied jobs", verdicts)
			}
		})
	}
}

// TestWriteEstatePlans writes the estate plans of the benchmarks, at scale
// 1 and 4, with their .glueaccess.hcl, under the directory named by
// GLUEACCESS_ESTATE_DIR (<dir>/<kind>-<scale>/plan.json), so that the CLI can
// be timed on the plans the benchmarks validate (docs/performance.md,
// "Session 5: method"). Without the variable it does nothing.
func TestWriteEstatePlans(t *testing.T) {
	dir := os.Getenv("GLUEACCESS_ESTATE_DIR")
	if dir == "" {
		t.Skip("GLUEACCESS_ESTATE_DIR is not set")
	}
	for _, kind := range []string{"org", "flat"} {
		for _, scale := range []int{1, 4} {
			e := flatEstate(scale)
			if kind == "org" {
				e = orgEstate(scale)
			}
			data, hcl := orgPlan(t, e)
			out := filepath.Join(dir, kind+"-"+strconv.Itoa(scale))
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "plan.json"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			// An empty configuration for the flat plan, so that the CLI
			// looks no further for one.
			if err := os.WriteFile(filepath.Join(out, ConfigFileName), []byte(hcl), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
