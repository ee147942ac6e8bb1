package planjson

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// A plan comes from a pull request, and a plan terraform never writes must
// not pass silently: a second instance at one address would hide a job, a
// misspelt type or mode would drop it, a value of the wrong JSON type would
// read as absent. checkPlan and checkAttributeTypes refuse them (exit 2),
// naming the resource and what is wrong; the shapes are those of "JSON
// Output Format" in the Terraform docs and the aws provider's schema.

// checkPlan checks the parts of a decoded plan that terraform always writes
// the same way: the plan did not fail, every resource instance has one
// address that agrees with its module, mode, type and name, and every change
// has an after value that is an object or null. It reads the decoded
// document, not the bytes again.
func checkPlan(doc *Document) error {
	if doc.Errored {
		return errors.New("is the plan of a failed terraform plan (errored: true): fix the errors terraform reported and plan again")
	}
	// seen holds, per address, in which part of the plan it was found.
	const inChanges, inPlanned, inDeferred = 1, 2, 4
	seen := make(map[string]uint8, len(doc.ResourceChanges))
	mark := func(addr string, part uint8, where string) error {
		if seen[addr]&part != 0 {
			return fmt.Errorf("has two resource instances at %s in %s: terraform writes each address once", strconv.Quote(addr), where)
		}
		seen[addr] |= part
		return nil
	}
	for i, rc := range doc.ResourceChanges {
		if err := checkChange(rc, "resource_changes", i); err != nil {
			return err
		}
		if rc.Deposed != "" {
			// A deposed object shares its instance's address.
			continue
		}
		if err := mark(rc.Address, inChanges, "resource_changes"); err != nil {
			return err
		}
	}
	if doc.PlannedValues != nil {
		err := checkModule(doc.PlannedValues.RootModule, "planned_values", func(addr string) error {
			if seen[addr] == inChanges {
				// Planned values repeat the changes: a lookup, not an
				// insertion, for nearly every instance.
				seen[addr] = inChanges | inPlanned
				return nil
			}
			return mark(addr, inPlanned, "planned_values")
		})
		if err != nil {
			return err
		}
	}
	if doc.PriorState != nil && doc.PriorState.Values != nil {
		prior := map[string]bool{}
		err := checkModule(doc.PriorState.Values.RootModule, "prior_state", func(addr string) error {
			if prior[addr] {
				return fmt.Errorf("has two resource instances at %s in prior_state: terraform writes each address once", strconv.Quote(addr))
			}
			prior[addr] = true
			return nil
		})
		if err != nil {
			return err
		}
	}
	for i, dc := range doc.DeferredChanges {
		if dc == nil {
			return fmt.Errorf("has null at deferred_changes[%d], where terraform writes a deferred change", i)
		}
		if err := checkChange(dc.ResourceChange, "deferred_changes", i); err != nil {
			return err
		}
		if seen[dc.ResourceChange.Address]&inChanges != 0 {
			return fmt.Errorf("has %s both in resource_changes and in deferred_changes: terraform either plans a change or defers it", strconv.Quote(dc.ResourceChange.Address))
		}
		if err := mark(dc.ResourceChange.Address, inDeferred, "deferred_changes"); err != nil {
			return err
		}
	}
	if len(doc.DeferredChanges) > 0 && doc.Complete != nil && *doc.Complete {
		return errors.New("has deferred_changes but complete: true: terraform marks a plan with deferred changes incomplete")
	}
	return nil
}

// checkChange checks the resource change at index i of the list named
// list (resource_changes, or the resource_change of deferred_changes).
func checkChange(rc *lightChange, list string, i int) error {
	if rc == nil {
		return fmt.Errorf("has null at %s[%d], where terraform writes a resource change", list, i)
	}
	if err := checkInstance(rc.Address, rc.ModuleAddress, rc.Mode, rc.Type, rc.Name, list); err != nil {
		return fmt.Errorf("%w (%s[%d])", err, list, i)
	}
	if rc.Change == nil {
		return fmt.Errorf("has no change for %s (%s[%d]), which terraform always writes", strconv.Quote(rc.Address), list, i)
	}
	if a := rc.Change.After; a.present() && firstByte(a) != '{' {
		return fmt.Errorf("has change.after of %s as %s, where terraform writes an object or null", strconv.Quote(rc.Address), kindName(firstByte(a)))
	}
	return nil
}

// checkModule checks the resources of a module of planned values or prior
// state and its children, calling seen with each address.
func checkModule(m *lightModule, where string, seen func(addr string) error) error {
	if m == nil {
		return nil
	}
	for i := range m.Resources {
		r := &m.Resources[i]
		if err := checkInstance(r.Address, m.Address, r.Mode, r.Type, r.Name, where); err != nil {
			return err
		}
		if r.Values.present() && firstByte(r.Values) != '{' {
			return fmt.Errorf("has values of %s in %s as %s, where terraform writes an object", strconv.Quote(r.Address), where, kindName(firstByte(r.Values)))
		}
		if r.DeposedKey != "" {
			// A deposed object shares its instance's address.
			continue
		}
		if err := seen(r.Address); err != nil {
			return err
		}
	}
	for _, c := range m.ChildModules {
		if err := checkModule(c, where, seen); err != nil {
			return err
		}
	}
	return nil
}

// checkInstance checks that a resource instance's mode and type are ones
// terraform writes and that its address is made of its module, mode, type
// and name (module.m.aws_glue_job.j["k"]), so that an instance cannot hide
// behind another's address.
func checkInstance(addr, module string, mode tfjson.ResourceMode, typ, name, where string) error {
	if mode != tfjson.ManagedResourceMode && mode != tfjson.DataResourceMode {
		return fmt.Errorf("has %s in %s with mode %s: terraform writes \"managed\" or \"data\"", strconv.Quote(addr), where, strconv.Quote(string(mode)))
	}
	if !isTypeName(typ) {
		return fmt.Errorf("has %s in %s with type %s, which is not a resource type name", strconv.Quote(addr), where, strconv.Quote(typ))
	}
	if lower := strings.ToLower(typ); lower != typ && strings.HasPrefix(lower, "aws_") {
		// The aws provider's types are lower case ("Resource Types",
		// Terraform docs); terraform matches them exactly.
		return fmt.Errorf("has %s in %s with type %s: the aws provider's type is %s, and terraform writes types as the provider names them", strconv.Quote(addr), where, strconv.Quote(typ), lower)
	}
	rest, ok := strings.CutPrefix(addr, module)
	if ok && module != "" {
		rest, ok = strings.CutPrefix(rest, ".")
	}
	if ok && mode == tfjson.DataResourceMode {
		rest, ok = strings.CutPrefix(rest, "data.")
	}
	if ok {
		rest, ok = strings.CutPrefix(rest, typ)
	}
	if ok {
		rest, ok = strings.CutPrefix(rest, ".")
	}
	if ok {
		rest, ok = strings.CutPrefix(rest, name)
	}
	if !ok || name == "" || rest != "" && (rest[0] != '[' || rest[len(rest)-1] != ']') {
		return fmt.Errorf("has %s in %s, an address that is not its module %s, mode %s, type %s and name %s: terraform writes the address of the instance", strconv.Quote(addr), where, strconv.Quote(module), mode, strconv.Quote(typ), strconv.Quote(name))
	}
	return nil
}

// isTypeName reports whether typ is a terraform identifier: letters, digits,
// underscores and dashes, not starting with a digit or dash.
func isTypeName(typ string) bool {
	if typ == "" || typ[0] == '-' || typ[0] >= '0' && typ[0] <= '9' {
		return false
	}
	for i := 0; i < len(typ); i++ {
		if c := typ[i]; !isAlnumByte(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// firstByte is the first byte of a JSON value after spaces; 0 if none.
func firstByte(raw []byte) byte {
	for _, c := range raw {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return c
		}
	}
	return 0
}

// kindName names the JSON kind of a value by its first byte.
func kindName(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// attrKind is the JSON kind terraform writes for an attribute: '"' for a
// string, '[' for a list, set or block list/set, '{' for a map or object.
type attrKind = byte

// governing are the attributes the checks read, by resource type ("data."
// before a data source's), with the JSON kind terraform writes for each; the
// kinds are those of the hashicorp/aws provider schema (string → string,
// list, set and nested blocks → array, map → object). A value of another
// kind is not a plan terraform writes: the checks would read it as absent.
var governing = map[string][]struct {
	name string
	kind attrKind
}{
	"aws_glue_job": {{"name", '"'}, {"role_arn", '"'}, {"command", '['}, {"glue_version", '"'}, {"security_configuration", '"'},
		{"default_arguments", '{'}, {"non_overridable_arguments", '{'}, {"connections", '['}, {"region", '"'}, {"tags_all", '{'}},
	"aws_glue_connection":             {{"name", '"'}, {"physical_connection_requirements", '['}},
	"aws_glue_security_configuration": {{"name", '"'}, {"encryption_configuration", '['}},
	"aws_iam_role": {{"arn", '"'}, {"name", '"'}, {"unique_id", '"'}, {"permissions_boundary", '"'},
		{"assume_role_policy", '"'}, {"inline_policy", '['}, {"managed_policy_arns", '['}},
	"aws_iam_role_policy":             {{"name", '"'}, {"role", '"'}, {"policy", '"'}},
	"aws_iam_policy":                  {{"arn", '"'}, {"name", '"'}, {"policy", '"'}},
	"aws_iam_role_policy_attachment":  {{"role", '"'}, {"policy_arn", '"'}},
	"aws_iam_role_policies_exclusive": {{"role_name", '"'}, {"policy_names", '['}},
	"aws_s3_bucket": {{"bucket", '"'}, {"arn", '"'}, {"region", '"'}, {"bucket_region", '"'}, {"policy", '"'},
		{"request_payer", '"'}, {"server_side_encryption_configuration", '['}},
	"aws_s3_bucket_policy":                               {{"bucket", '"'}, {"policy", '"'}},
	"aws_s3_bucket_ownership_controls":                   {{"bucket", '"'}, {"rule", '['}},
	"aws_s3_bucket_server_side_encryption_configuration": {{"bucket", '"'}, {"rule", '['}, {"expected_bucket_owner", '"'}},
	"aws_s3_bucket_request_payment_configuration":        {{"bucket", '"'}, {"payer", '"'}, {"expected_bucket_owner", '"'}},
	"aws_s3_object":                                      {{"bucket", '"'}, {"key", '"'}, {"server_side_encryption", '"'}, {"kms_key_id", '"'}, {"acl", '"'}},
	"aws_kms_key":                                        {{"arn", '"'}, {"key_id", '"'}, {"policy", '"'}, {"region", '"'}},
	"aws_kms_key_policy":                                 {{"key_id", '"'}, {"policy", '"'}},
	"aws_kms_alias":                                      {{"name", '"'}, {"arn", '"'}, {"target_key_id", '"'}, {"target_key_arn", '"'}},
	"aws_vpc_endpoint":                                   {{"service_name", '"'}, {"vpc_endpoint_type", '"'}, {"policy", '"'}, {"vpc_id", '"'}, {"route_table_ids", '['}},
	"aws_vpc_endpoint_policy":                            {{"vpc_endpoint_id", '"'}, {"policy", '"'}},
	"aws_organizations_policy":                           {{"content", '"'}, {"type", '"'}},
	"aws_organizations_policy_attachment":                {{"policy_id", '"'}, {"target_id", '"'}},
	"data.aws_iam_policy_document":                       {{"json", '"'}},
}

// governingKinds is governing as maps, by mode: managed resources, then data
// sources (without the "data." prefix).
var governingKinds = func() [2]map[string]map[string]attrKind {
	out := [2]map[string]map[string]attrKind{{}, {}}
	for key, attrs := range governing {
		m := map[string]attrKind{}
		for _, a := range attrs {
			m[a.name] = a.kind
		}
		if typ, ok := strings.CutPrefix(key, "data."); ok {
			out[1][typ] = m
		} else {
			out[0][key] = m
		}
	}
	return out
}()

// checkAttributeTypes refuses a change whose governing attributes (see
// governing) have a JSON kind terraform does not write for them. Null is
// absent, as everywhere in the plan. It looks at each member of the values
// once (they were indexed by attributes), not at each governing name, with
// the decoder d of the worker that indexed them.
func checkAttributeTypes(d *valueDecoder, rc *lightChange) error {
	mode := 0
	if rc.Mode == tfjson.DataResourceMode {
		mode = 1
	}
	kinds := governingKinds[mode][rc.Type]
	if kinds == nil || rc.values.text == nil {
		return nil
	}
	// check takes the name as bytes: made a string only for the error, it
	// costs no allocation per attribute.
	check := func(name []byte, want attrKind, v jsonAt) error {
		if v.pos >= len(v.text) {
			return nil
		}
		if got := v.text[v.pos]; got != want {
			return fmt.Errorf("has %s at %s attribute %s, where terraform writes %s (the aws provider's schema)", kindName(got), strconv.Quote(rc.Address), name, kindName(want))
		}
		return nil
	}
	if rc.values.members == nil {
		// Too large to be indexed: look the names up.
		for name, want := range kinds {
			if v, ok := rc.values.member(name); ok {
				if err := check([]byte(name), want, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	d.reset(rc.values.text)
	for _, off := range rc.values.members {
		d.pos = int(off)
		key, _, err := d.str()
		if err != nil {
			return nil // checked when the plan was decoded
		}
		want, ok := kinds[string(key)]
		if !ok {
			continue
		}
		d.skipSpace()
		d.pos++ // the colon
		d.skipSpace()
		if err := check(key, want, jsonAt{text: d.data, pos: d.pos}); err != nil {
			return err
		}
	}
	return nil
}

// Governed reports whether the checks read resources of this mode and type
// (see governing): a deferred change of such a type may govern any job.
func Governed(mode tfjson.ResourceMode, typ string) bool {
	m := 0
	if mode == tfjson.DataResourceMode {
		m = 1
	}
	return governingKinds[m][typ] != nil
}
