package datasources_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// proposedFix is what the fix_json output carries of the access model's fix.
type proposedFix struct {
	Text       string            `json:"text"`
	Statements []json.RawMessage `json:"statements"`
	Setting    *struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"setting"`
}

// captureFixes records the fixes of every finding of the check in the state.
type captureFixes struct{ fixes *[]proposedFix }

func (c captureFixes) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address != checkAddr {
			continue
		}
		findings, _ := r.AttributeValues["findings"].([]any)
		for _, f := range findings {
			raw, _ := f.(map[string]any)["fix_json"].(string)
			if raw == "" {
				continue
			}
			var fix proposedFix
			if err := json.Unmarshal([]byte(raw), &fix); err != nil {
				resp.Error = fmt.Errorf("fix_json %q: %w", raw, err)
				return
			}
			*c.fixes = append(*c.fixes, fix)
		}
		return
	}
	resp.Error = fmt.Errorf("%s not in the state", checkAddr)
}

// TestAccCheckDiagnosticCarriesFix: for each of the seven denials, the error
// that fails the plan carries every statement the access model proposes,
// byte for byte as fix_json has it (the same JSON the validator's text
// report prints), or the setting to change, and not only the sentence "add
// this statement". The fixes are read from the same configuration run with
// fail_on = "never", so the test holds whatever statement the model proposes.
func TestAccCheckDiagnosticCarriesFix(t *testing.T) {
	t.Parallel()
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var fixes []proposedFix
			never := sc.denied
			never.failOn = "never"
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps:                    []resource.TestStep{{Config: never.config(), ConfigStateChecks: []statecheck.StateCheck{captureFixes{&fixes}}}},
			})
			if len(fixes) == 0 {
				t.Fatal("the denial proposes no fix")
			}
			// Each proposed line is indented by two spaces, which Terraform
			// prints without wrapping.
			var want []string
			for _, fix := range fixes {
				want = append(want, wrapped("Fix: "+fix.Text))
				for _, st := range fix.Statements {
					want = append(want, `^  `+regexp.QuoteMeta(string(st))+`$`)
				}
				if s := fix.Setting; s != nil {
					want = append(want, `^  `+regexp.QuoteMeta(s.Name+" = "+strconv.Quote(s.Value))+`$`)
				}
				if len(fix.Statements) == 0 && fix.Setting == nil {
					t.Fatalf("fix %q has neither statements nor a setting", fix.Text)
				}
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps: []resource.TestStep{{
					Config:      sc.denied.config(),
					ExpectError: regexp.MustCompile(`(?sm)` + sc.id + ` [a-z0-9-]+: job nightly would be denied.*` + strings.Join(want, ".*")),
				}},
			})
		})
	}
}

// TestAccCheckDiagnosticStatementJSON pins the form of one proposed
// statement: the model's compact JSON on one line, not pretty-printed over
// lines that Terraform would print apart.
func TestAccCheckDiagnosticStatementJSON(t *testing.T) {
	t.Parallel()
	sc := scenarios["GA001 identity policy lacks s3:DeleteObject on the target"]
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: sc.denied.config(),
			ExpectError: regexp.MustCompile(`(?s)Fix: add this statement to a policy attached to role glue-etl\n  ` +
				regexp.QuoteMeta(`{"Action":["s3:DeleteObject"],"Effect":"Allow","Resource":["arn:aws:s3:::curated-zone/orders/*"],"Sid":"GlueAccess1"}`)),
		}},
	})
}
