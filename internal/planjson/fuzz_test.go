package planjson

import (
	"slices"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes through Decode and Index and reads every
// resource the way the fact builder does: bad input is refused with an error
// that completes "<file> ...", never a panic; a plan accepted is indexed once
// per address, and nothing read as known is marked unknown. The seeds are
// small plans: seeds of the size of a real plan slow Go's fuzz engine to a
// few executions a second.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"address":"aws_glue_job.j","mode":"managed","type":"aws_glue_job","name":"j","change":{"actions":["create"],"after":{"role_arn":"r","command":[{"script_location":"s3://b/k"}]},"after_unknown":{"command":[{"script_location":true}]}}}],"configuration":{"root_module":{"resources":[{"address":"aws_glue_job.j","mode":"managed","type":"aws_glue_job","name":"j","expressions":{"role_arn":{"references":["aws_iam_role.r.arn","aws_iam_role.r"]}}}]}}}`))
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.m","resources":[{"address":"module.m.aws_glue_job.j","mode":"managed","type":"aws_glue_job","name":"j","values":{"role_arn":null}}]}]}},"resource_changes":[{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","change":{"actions":["create"],"after":{"name":"r"},"after_unknown":{"arn":true}}}],"configuration":{"root_module":{"resources":[{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","expressions":{}}],"module_calls":{"m":{"expressions":{"role":{"references":["aws_iam_role.r.arn","aws_iam_role.r"]}},"module":{"outputs":{"o":{"expression":{"references":["var.role"]}}},"resources":[{"address":"aws_glue_job.j","mode":"managed","type":"aws_glue_job","name":"j","expressions":{"role_arn":{"references":["var.role"]}}}]}}}}},"prior_state":{"values":{"root_module":{"resources":[{"address":"aws_s3_bucket.old","mode":"managed","type":"aws_s3_bucket","name":"old","values":{"bucket":"old"}}]}}}}`))
	f.Add([]byte(`{"format_version":"1.2","complete":false,"deferred_changes":[{"reason":"provider_config_unknown","resource_change":{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","change":{"actions":["create"],"after":{"bucket":"x"}}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Decode(data)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "is ") && !strings.HasPrefix(msg, "has ") && !strings.HasPrefix(msg, "cannot ") {
				t.Fatalf("error does not complete \"<file> ...\": %q", msg)
			}
			return
		}
		ix := Index(doc)
		if !slices.IsSortedFunc(ix.Resources, func(a, b *Resource) int { return strings.Compare(a.Address, b.Address) }) {
			t.Fatal("resources are not in address order")
		}
		for i, r := range ix.Resources {
			if i > 0 && ix.Resources[i-1].Address == r.Address {
				t.Fatalf("two resources at %s", r.Address)
			}
			if ix.Lookup(r.Address) != r {
				t.Fatalf("Lookup(%s) is not the indexed resource", r.Address)
			}
			for _, attr := range []string{"name", "arn", "role_arn", "command.0.script_location", "rule.0.payer", "policy"} {
				if _, known := r.Known(attr); known && r.IsUnknown(attr) {
					t.Fatalf("%s.%s is read as known but marked unknown", r.Address, attr)
				}
				_ = r.Attribute(attr)
				_ = r.Written(attr)
				for _, tg := range ix.References(r, strings.Split(attr, ".")...) {
					if tg.Resource == nil || ix.Lookup(tg.Resource.Address) != tg.Resource {
						t.Fatalf("reference of %s.%s to a resource not in the plan", r.Address, attr)
					}
				}
			}
		}
		for i := range ix.DeferredChanges {
			_ = ix.DeferredChanges[i].Attribute("name")
		}
	})
}
