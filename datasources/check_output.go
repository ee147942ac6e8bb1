package datasources

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

// setOutputs records the report in allowed, verdict, findings and summary.
func (m *checkModel) setOutputs(r *access.JobReport) diag.Diagnostics {
	var diags diag.Diagnostics
	m.Verdict = types.StringValue(string(r.Verdict))
	m.Allowed = types.BoolValue(r.Verdict == access.JobAllowed)
	findings := make([]attr.Value, 0, len(r.Findings))
	summary := make([]attr.Value, 0, len(r.Findings))
	for _, f := range r.Findings {
		fixJSON := ""
		if f.Fix != nil {
			raw, err := json.Marshal(f.Fix)
			if err != nil {
				diags.AddError("Cannot encode fix", fmt.Sprintf("encoding the fix of %s: %v. Please report this issue to the provider developers.", f.ID, err))
				continue
			}
			fixJSON = string(raw)
		}
		obj, d := types.ObjectValue(findingAttrTypes, map[string]attr.Value{
			"id":         types.StringValue(string(f.ID)),
			"title":      types.StringValue(f.Title),
			"verdict":    types.StringValue(string(f.Verdict)),
			"reason":     types.StringValue(f.Reason),
			"action":     types.StringValue(distinct(f.Needs, func(n access.Need) string { return n.Action })),
			"resource":   types.StringValue(distinct(f.Needs, func(n access.Need) string { return n.Resource })),
			"because":    types.StringValue(f.Because),
			"decided_by": types.StringValue(decidedBy(f.DecidedBy)),
			"fix":        types.StringValue(fixText(f)),
			"fix_json":   types.StringValue(fixJSON),
		})
		diags.Append(d...)
		findings = append(findings, obj)
		summary = append(summary, types.StringValue(summaryLine(f)))
	}
	var d diag.Diagnostics
	m.Findings, d = types.ListValue(types.ObjectType{AttrTypes: findingAttrTypes}, findings)
	diags.Append(d...)
	m.Summary, d = types.ListValue(types.StringType, summary)
	diags.Append(d...)
	return diags
}

// fixText is the fix in one sentence or, for an unknown finding, how to
// supply what is missing in this data source's inputs.
func fixText(f access.Finding) string {
	if f.Fix != nil && f.Fix.Text != "" {
		return f.Fix.Text
	}
	if hint := inputHint(f); hint != "" {
		return hint
	}
	var hows []string
	for _, m := range f.Missing {
		hows = append(hows, m.Fact+": "+m.How)
	}
	return strings.Join(hows, "; ")
}

// inputHint says which input of glueaccess_check supplies the fact an
// unknown finding lacks. The access model words its hints for plans and
// configuration files; here the answer is always an argument or block.
func inputHint(f access.Finding) string {
	if f.Verdict != access.UnknownVerd {
		return ""
	}
	bucket := distinct(f.Needs, func(n access.Need) string { return n.Bucket })
	key := distinct(f.Needs, func(n access.Need) string { return n.Key })
	switch f.Reason {
	case access.ReasonRoleNotInPlan:
		return "describe the job's role in a role block: its policies, managed_policy_arns and permissions_boundary"
	case access.ReasonUnresolvedPolicies:
		return "give the documents of customer managed policies in role.policies; managed_policy_arns resolves only AWS managed policies"
	case access.ReasonBucketNotInPlan, access.ReasonOwnershipUnmanaged, access.ReasonBucketPolicyUnmanaged:
		if bucket != "" {
			return fmt.Sprintf("describe bucket %s in a bucket block (name, owner_account, policy, object_ownership)", bucket)
		}
	case access.ReasonAccountUnknown:
		return "set owner_account on the bucket block, or account_id on the provider"
	case access.ReasonKeyUnknown:
		if key != "" {
			return fmt.Sprintf("describe KMS key %s in a kms_key block (arn, policy, grant)", key)
		}
	case access.ReasonRoutingUnknown:
		return "give the job's connection its subnet_id and describe the S3 endpoint it routes through in a vpc_endpoint block"
	case access.ReasonOrgStructureUnknown:
		return "list the account and the OUs above it in the organization block"
	case access.ReasonLocationUnknown:
		return "declare the location in an access block (path and mode)"
	}
	return ""
}

// fixLabel introduces fixText: a fix for a denial, what to supply for an
// unknown finding.
func fixLabel(f access.Finding) string {
	if f.Verdict == access.UnknownVerd {
		return "To decide it"
	}
	return "Fix"
}

// summaryLine is one readable line: "GA002 deny: <because>. Fix: <fix>".
func summaryLine(f access.Finding) string {
	line := fmt.Sprintf("%s %s: %s", f.ID, f.Verdict, strings.TrimSuffix(f.Because, "."))
	if fix := fixText(f); fix != "" {
		line += ". " + fixLabel(f) + ": " + fix
	}
	return line
}

// failDiagnostics turns findings into diagnostics according to fail_on:
// errors fail the plan, warnings are shown and let it go on.
func failDiagnostics(failOn string, r *access.JobReport) diag.Diagnostics {
	var diags diag.Diagnostics
	if failOn == failOnNever {
		return diags
	}
	for _, f := range r.Findings {
		summary := fmt.Sprintf("%s %s: job %s would be denied", f.ID, f.Title, jobName(r))
		if f.Verdict != access.Deny {
			summary = fmt.Sprintf("%s %s: cannot decide whether job %s is allowed", f.ID, f.Title, jobName(r))
		}
		detail := findingDetail(f)
		if f.Verdict == access.Deny || failOn == failOnUnknown {
			diags.AddError(summary, detail)
		} else {
			diags.AddWarning(summary, detail)
		}
	}
	return diags
}

// jobName strips the "job " prefix the facts builder gives the job's address.
func jobName(r *access.JobReport) string {
	return strings.TrimPrefix(r.Job, "job ")
}

// findingDetail explains one finding: why, what decided, and the fix. A
// fix's statements are the access model's JSON exactly as proposed (the same
// text the validator's text report prints under "fix:"), never re-encoded,
// so that they can be pasted into a policy as they are. Terraform wraps
// diagnostic lines at the terminal width except lines that begin with a
// space, so every statement, HCL and setting line is indented by two spaces.
func findingDetail(f access.Finding) string {
	var b strings.Builder
	b.WriteString(f.Because)
	if !strings.HasSuffix(f.Because, ".") {
		b.WriteString(".")
	}
	if by := decidedBy(f.DecidedBy); by != "" {
		b.WriteString("\n\nDecided by: " + by + ".")
	}
	if fix := fixText(f); fix != "" {
		b.WriteString("\n\n" + fixLabel(f) + ": " + fix)
	}
	if f.Fix == nil {
		return b.String()
	}
	for _, st := range f.Fix.Statements {
		b.WriteString("\n" + preformatted(string(st)))
	}
	if f.Fix.Setting != nil {
		b.WriteString("\n" + preformatted(f.Fix.Setting.Name+" = "+strconv.Quote(f.Fix.Setting.Value)))
	}
	if len(f.Fix.Statements) > 0 && f.Fix.HCL != "" {
		b.WriteString("\n\nThe same as aws_iam_policy_document statements:\n" + preformatted(f.Fix.HCL))
	}
	return b.String()
}

// preformatted indents every line of text by two spaces: Terraform prints a
// diagnostic line that begins with a space as it is, without word wrapping.
func preformatted(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}
