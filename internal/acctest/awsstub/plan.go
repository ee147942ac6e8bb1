package awsstub

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// planDefaults are the values the real provider plans, in every plan, for
// attributes the configuration leaves null. They are schema `Default`s of
// the provider's SDKv2 resources, which `terraform providers schema -json`
// cannot show. Keys are attribute paths inside the resource; a dotted key
// names an attribute of every element of a nested block.
//
// Any other attribute the configuration leaves null is planned null when it
// is not computed, and, for a create, unknown when it is (arn, id, unique_id, key_id,
// policy_id, owner_id, Optional+Computed ones such as aws_s3_bucket.bucket
// or aws_kms_key.policy), as the real provider plans them; the two
// exceptions, region and tags_all, are in planDynamic.
var planDefaults = map[string]map[string]tftypes.Value{
	"aws_iam_role": {
		"path":                  stringValue("/"),  // role ARN is arn:aws:iam::A:role/NAME
		"max_session_duration":  numberValue(3600), // one hour
		"force_detach_policies": boolValue(false),  // deleting a role with attachments fails
	},
	"aws_iam_policy": {
		"path": stringValue("/"), // policy ARN is arn:aws:iam::A:policy/NAME
	},
	"aws_kms_key": {
		"is_enabled":                         boolValue(true),                  // new keys are enabled
		"key_usage":                          stringValue("ENCRYPT_DECRYPT"),   // symmetric encryption key
		"customer_master_key_spec":           stringValue("SYMMETRIC_DEFAULT"), // AES-256-GCM
		"bypass_policy_lockout_safety_check": boolValue(false),                 // KMS checks the key policy
		"enable_key_rotation":                boolValue(false),                 // rotation is opt-in
	},
	"aws_vpc_endpoint": {
		"vpc_endpoint_type": stringValue("Gateway"), // an S3 endpoint without type is a gateway endpoint
	},
	"aws_organizations_policy": {
		"type": stringValue("SERVICE_CONTROL_POLICY"), // a policy without type is an SCP
	},
	"aws_glue_job": {
		"command.name":                           stringValue("glueetl"), // a Spark ETL job
		"execution_property.max_concurrent_runs": numberValue(1),         // when the block is present
		// glue_version, command.python_version and command.runtime are
		// Optional+Computed without a default: unknown until apply.
	},
	"aws_glue_connection": {
		"connection_type": stringValue("JDBC"),
	},
	"aws_glue_security_configuration": {
		// Each mode defaults to DISABLED when its block is present.
		"encryption_configuration.cloudwatch_encryption.cloudwatch_encryption_mode":       stringValue("DISABLED"),
		"encryption_configuration.job_bookmarks_encryption.job_bookmarks_encryption_mode": stringValue("DISABLED"),
		"encryption_configuration.s3_encryption.s3_encryption_mode":                       stringValue("DISABLED"),
	},
	"aws_s3_bucket": {
		"force_destroy": boolValue(false), // deleting a non-empty bucket fails
	},
	"aws_s3_bucket_public_access_block": {
		// The resource, unlike a bucket created without it, defaults to off.
		"block_public_acls":       boolValue(false),
		"block_public_policy":     boolValue(false),
		"ignore_public_acls":      boolValue(false),
		"restrict_public_buckets": boolValue(false),
	},
	"aws_security_group": {
		"description":            stringValue("Managed by Terraform"),
		"revoke_rules_on_delete": boolValue(false),
	},
	"aws_vpc": {
		"instance_tenancy":   stringValue("default"),
		"enable_dns_support": boolValue(true),
	},
	"aws_subnet": {
		"map_public_ip_on_launch": boolValue(false),
	},
}

// planDynamic fills the two computed top-level attributes the real provider
// plans as known from the provider configuration:
//   - region (v6): the resource's region argument defaults to the provider's;
//   - tags_all: tags merged over the provider's default_tags, known when both
//     are known and the result is not empty (an empty result stays unknown).
func planDynamic(cfg providerConfig, name string, current map[string]tftypes.Value) (tftypes.Value, bool) {
	switch name {
	case "region":
		return stringValue(cfg.region), true
	case "tags_all":
		tags, known := knownStringMap(current["tags"])
		if !known || !cfg.defaultTagsKnown {
			return tftypes.Value{}, false
		}
		merged := maps.Clone(cfg.defaultTags)
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, tags)
		if len(merged) == 0 {
			return tftypes.Value{}, false
		}
		return stringMapValue(merged), true
	}
	return tftypes.Value{}, false
}

// PlanResourceChange plans a create by filling defaults and marking the
// remaining null computed attributes unknown. Updates and no-ops get
// Terraform's proposed state, which keeps prior computed values, with the
// defaults filled again (the SDK applies them on every plan); deletes get
// the null proposed state.
func (s *Server) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	sch, ok := s.schemas.resources[req.TypeName]
	if !ok {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: unsupported("Resource type " + req.TypeName)}, nil
	}
	typ := sch.ValueType()
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiag("Invalid prior state", fmt.Sprintf("decoding prior %s state: %v", req.TypeName, err))}, nil
	}
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiag("Invalid proposed state", fmt.Sprintf("decoding proposed %s state: %v", req.TypeName, err))}, nil
	}
	p := planner{cfg: s.config(), defaults: planDefaults[req.TypeName], create: prior.IsNull()}
	planned, err := p.block("", sch.Block, proposed)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiag("Planning failed", fmt.Sprintf("planning %s: %v", req.TypeName, err))}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, planned)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiag("Planning failed", fmt.Sprintf("encoding planned %s state: %v", req.TypeName, err))}, nil
	}
	return &tfprotov5.PlanResourceChangeResponse{
		PlannedState: &dv,
		// Like every SDKv2 resource of the real provider: Terraform then
		// tolerates defaults planned for non-computed attributes.
		UnsafeToUseLegacyTypeSystem: true, //nolint:staticcheck // deprecated, and still what the real provider sends
	}, nil
}

// planner walks a proposed new state. Defaults are filled in every plan;
// computed attributes become unknown only when create is set.
type planner struct {
	cfg      providerConfig
	defaults map[string]tftypes.Value
	create   bool
}

// block plans one object of a block; prefix is the dotted block path of the
// object inside the resource ("" at the top level).
func (p planner) block(prefix string, block *tfprotov5.SchemaBlock, v tftypes.Value) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	current := attrs(v)
	if current == nil {
		return v, fmt.Errorf("%s: not an object", orTop(prefix))
	}
	out := make(map[string]tftypes.Value, len(current))
	maps.Copy(out, current)
	for _, a := range block.Attributes {
		if !current[a.Name].IsNull() {
			continue
		}
		if d, ok := p.defaults[prefix+a.Name]; ok {
			out[a.Name] = d
			continue
		}
		if !a.Computed || !p.create {
			continue
		}
		if prefix == "" {
			if d, ok := planDynamic(p.cfg, a.Name, current); ok {
				out[a.Name] = d
				continue
			}
		}
		out[a.Name] = tftypes.NewValue(a.Type, tftypes.UnknownValue)
	}
	for _, nb := range block.BlockTypes {
		planned, err := p.nested(prefix+nb.TypeName+".", nb, current[nb.TypeName])
		if err != nil {
			return v, err
		}
		out[nb.TypeName] = planned
	}
	return tftypes.NewValue(v.Type(), out), nil
}

func (p planner) nested(prefix string, nb *tfprotov5.SchemaNestedBlock, v tftypes.Value) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	switch nb.Nesting {
	case tfprotov5.SchemaNestedBlockNestingModeSingle, tfprotov5.SchemaNestedBlockNestingModeGroup:
		return p.block(prefix, nb.Block, v)
	case tfprotov5.SchemaNestedBlockNestingModeMap:
		out := map[string]tftypes.Value{}
		for k, e := range mapElems(v) {
			planned, err := p.block(prefix, nb.Block, e)
			if err != nil {
				return v, err
			}
			out[k] = planned
		}
		return tftypes.NewValue(v.Type(), out), nil
	default:
		out := []tftypes.Value{}
		for _, e := range elems(v) {
			planned, err := p.block(prefix, nb.Block, e)
			if err != nil {
				return v, err
			}
			out = append(out, planned)
		}
		return tftypes.NewValue(v.Type(), out), nil
	}
}

func orTop(prefix string) string {
	if prefix == "" {
		return "resource"
	}
	return strings.TrimSuffix(prefix, ".")
}
