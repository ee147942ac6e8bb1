package awsstub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fixedCreateDate is every invented creation time: deterministic output
// matters more than realism.
const fixedCreateDate = "2024-01-01T00:00:00Z"

// ApplyResourceChange "creates" or "updates" a resource by replacing every
// value still unknown with a deterministic invented one, shaped as AWS
// would return it (ARNs, vpce-/subnet-/rtb- ids, key UUIDs). Deletes return
// a null state.
func (s *Server) ApplyResourceChange(_ context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	sch, ok := s.schemas.resources[req.TypeName]
	if !ok {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: unsupported("Resource type " + req.TypeName)}, nil
	}
	typ := sch.ValueType()
	planned, err := req.PlannedState.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiag("Invalid planned state", fmt.Sprintf("decoding planned %s state: %v", req.TypeName, err))}, nil
	}
	newState := planned
	if !planned.IsNull() {
		// Terraform's msgpack encoding is canonical (sorted attributes, map
		// keys and set elements). Instances whose planned states are equal,
		// such as count copies of one block, get the same invented values:
		// the protocol does not tell the stand-in their addresses.
		seed := append(append([]byte(req.TypeName), req.PlannedState.MsgPack...), req.PlannedState.JSON...)
		newState, err = fillUnknowns(s.config(), req.TypeName, seed, planned)
		if err != nil {
			return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiag("Apply failed", fmt.Sprintf("inventing %s values: %v", req.TypeName, err))}, nil
		}
	}
	dv, err := tfprotov5.NewDynamicValue(typ, newState)
	if err != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiag("Apply failed", fmt.Sprintf("encoding new %s state: %v", req.TypeName, err))}, nil
	}
	return &tfprotov5.ApplyResourceChangeResponse{NewState: &dv, Private: req.PlannedPrivate, UnsafeToUseLegacyTypeSystem: true}, nil //nolint:staticcheck // the real provider's SDKv2 resources set it; the stand-in must behave the same
}

// faker invents values for one resource instance. seed makes every value
// depend only on the resource type and its planned state.
type faker struct {
	cfg      providerConfig
	typeName string
	seed     []byte
	top      map[string]tftypes.Value
	invented map[string]string
}

// hex returns n hex digits derived from the seed and label.
func (f *faker) hex(label string, n int) string {
	sum := sha256.Sum256(append(append([]byte{}, f.seed...), label...))
	h := hex.EncodeToString(sum[:])
	for len(h) < n {
		h += h
	}
	return h[:n]
}

func (f *faker) uuid(label string) string {
	h := f.hex(label, 32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// get returns a top-level string, planned or already invented.
func (f *faker) get(name string) string {
	if s, ok := knownString(f.top[name]); ok {
		return s
	}
	return f.invented[name]
}

// set invents name's value when the plan left it unknown and nothing was
// invented for it yet.
func (f *faker) set(name, value string) {
	if v, ok := f.top[name]; ok && !v.IsKnown() {
		if _, done := f.invented[name]; !done {
			f.invented[name] = value
		}
	}
}

// generatedName is what Terraform's name generation yields: the configured
// prefix, or "terraform-", followed by 26 digits.
func (f *faker) generatedName(prefixAttr string) string {
	prefix := f.get(prefixAttr)
	if prefix == "" {
		prefix = "terraform-"
	}
	return prefix + f.hex("name", 26)
}

func (f *faker) region() string {
	if r := f.get("region"); r != "" {
		return r
	}
	return f.cfg.region
}

// arn builds an ARN in the caller's account.
func (f *faker) arn(service, region, resource string) string {
	return "arn:aws:" + service + ":" + region + ":" + f.cfg.account + ":" + resource
}

// inventTopLevel fills the identity attributes of the resource types
// glueaccess reads, in dependency order: names, then ids, then ARNs.
func (f *faker) inventTopLevel() {
	acct, region := f.cfg.account, f.region()
	f.set("region", region)
	for _, name := range []string{"owner_id", "catalog_id", "account_id"} {
		f.set(name, acct)
	}
	f.set("create_date", fixedCreateDate)
	switch f.typeName {
	case "aws_s3_bucket":
		f.set("bucket", f.generatedName("bucket_prefix"))
		f.set("id", f.get("bucket"))
		f.set("arn", "arn:aws:s3:::"+f.get("bucket"))
		f.set("bucket_region", region)
		f.set("policy", "") // no bucket policy
		f.set("bucket_domain_name", f.get("bucket")+".s3.amazonaws.com")
		f.set("bucket_regional_domain_name", f.get("bucket")+".s3."+region+".amazonaws.com")
	case "aws_s3_object":
		f.set("id", f.get("key"))
		f.set("arn", "arn:aws:s3:::"+f.get("bucket")+"/"+f.get("key"))
	case "aws_iam_role":
		f.set("name", f.generatedName("name_prefix"))
		f.set("id", f.get("name"))
		f.set("arn", "arn:aws:iam::"+acct+":role"+f.get("path")+f.get("name"))
		f.set("unique_id", "AROA"+strings.ToUpper(f.hex("unique_id", 17)))
	case "aws_iam_policy":
		f.set("name", f.generatedName("name_prefix"))
		f.set("arn", "arn:aws:iam::"+acct+":policy"+f.get("path")+f.get("name"))
		f.set("id", f.get("arn"))
		f.set("policy_id", "ANPA"+strings.ToUpper(f.hex("policy_id", 17)))
	case "aws_iam_role_policy":
		f.set("name", f.generatedName("name_prefix"))
		f.set("id", f.get("role")+":"+f.get("name"))
	case "aws_iam_role_policy_attachment":
		f.set("id", f.get("role")+"-"+f.hex("id", 26))
	case "aws_kms_key":
		f.set("key_id", f.uuid("key"))
		f.set("id", f.get("key_id"))
		f.set("arn", f.arn("kms", region, "key/"+f.get("key_id")))
		// The key policy AWS applies when none is given: IAM policies of
		// the owning account decide.
		f.set("policy", `{"Id":"key-default-1","Statement":[{"Action":"kms:*","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acct+`:root"},"Resource":"*","Sid":"Enable IAM User Permissions"}],"Version":"2012-10-17"}`)
	case "aws_kms_alias":
		f.set("name", "alias/"+f.generatedName("name_prefix"))
		f.set("id", f.get("name"))
		f.set("arn", f.arn("kms", region, f.get("name")))
		if target := f.get("target_key_id"); strings.HasPrefix(target, "arn:") {
			f.set("target_key_arn", target)
		} else {
			f.set("target_key_arn", f.arn("kms", region, "key/"+target))
		}
	case "aws_glue_job", "aws_glue_crawler", "aws_glue_security_configuration":
		f.set("id", f.get("name"))
		f.set("arn", f.arn("glue", region, strings.TrimPrefix(f.typeName, "aws_glue_")+"/"+f.get("name")))
	case "aws_glue_connection":
		f.set("id", acct+":"+f.get("name"))
		f.set("arn", f.arn("glue", region, "connection/"+f.get("name")))
	case "aws_glue_catalog_database":
		f.set("id", acct+":"+f.get("name"))
		f.set("arn", f.arn("glue", region, "database/"+f.get("name")))
	case "aws_vpc":
		f.set("id", "vpc-"+f.hex("id", 17))
		f.set("arn", f.arn("ec2", region, "vpc/"+f.get("id")))
		f.set("main_route_table_id", "rtb-"+f.hex("main_route_table_id", 17))
		f.set("default_route_table_id", f.get("main_route_table_id"))
		f.set("default_security_group_id", "sg-"+f.hex("default_security_group_id", 17))
		f.set("default_network_acl_id", "acl-"+f.hex("default_network_acl_id", 17))
		f.set("dhcp_options_id", "dopt-"+f.hex("dhcp_options_id", 17))
	case "aws_subnet":
		f.set("id", "subnet-"+f.hex("id", 17))
		f.set("arn", f.arn("ec2", region, "subnet/"+f.get("id")))
		f.set("availability_zone", region+"a")
	case "aws_route_table":
		f.set("id", "rtb-"+f.hex("id", 17))
		f.set("arn", f.arn("ec2", region, "route-table/"+f.get("id")))
	case "aws_route_table_association":
		f.set("id", "rtbassoc-"+f.hex("id", 17))
	case "aws_security_group":
		f.set("name", f.generatedName("name_prefix"))
		f.set("id", "sg-"+f.hex("id", 17))
		f.set("arn", f.arn("ec2", region, "security-group/"+f.get("id")))
	case "aws_vpc_endpoint":
		f.set("id", "vpce-"+f.hex("id", 17))
		f.set("arn", f.arn("ec2", region, "vpc-endpoint/"+f.get("id")))
		f.set("prefix_list_id", "pl-"+f.hex("prefix_list_id", 8))
		f.set("state", "available")
		f.set("policy", defaultEndpointPolicy)
	case "aws_vpc_endpoint_route_table_association":
		f.set("id", "a-"+f.get("vpc_endpoint_id")+f.hex("id", 10))
	case "aws_vpc_endpoint_policy":
		f.set("id", f.get("vpc_endpoint_id"))
		f.set("policy", defaultEndpointPolicy)
	case "aws_kms_key_policy":
		f.set("id", f.get("key_id"))
	case "aws_organizations_policy":
		f.set("id", "p-"+f.hex("id", 8))
		f.set("arn", "arn:aws:organizations::"+acct+":policy/o-"+f.hex("org", 10)+"/"+strings.ToLower(f.get("type"))+"/"+f.get("id"))
	case "aws_organizations_policy_attachment":
		f.set("id", f.get("target_id")+":"+f.get("policy_id"))
	case "aws_organizations_organizational_unit":
		f.set("id", "ou-"+f.hex("root", 4)+"-"+f.hex("id", 8))
		f.set("arn", "arn:aws:organizations::"+acct+":ou/o-"+f.hex("org", 10)+"/"+f.get("id"))
	case "aws_cloudwatch_log_group":
		f.set("name", f.generatedName("name_prefix"))
		f.set("id", f.get("name"))
		f.set("arn", f.arn("logs", region, "log-group:"+f.get("name")))
	default:
		// S3 bucket sub-resources are identified by their bucket.
		if strings.HasPrefix(f.typeName, "aws_s3_bucket_") {
			f.set("id", f.get("bucket"))
		}
	}
	f.set("id", strings.TrimPrefix(f.typeName, "aws_")+"-"+f.hex("id", 17))
}

// defaultEndpointPolicy is the full-access policy AWS attaches to a VPC
// endpoint created without one.
const defaultEndpointPolicy = `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}`

// fillUnknowns replaces every unknown in planned: top-level identity
// attributes as inventTopLevel says, strings elsewhere by a derived token,
// numbers by 0, bools by false, collections by empty ones, objects by null.
func fillUnknowns(cfg providerConfig, typeName string, seed []byte, planned tftypes.Value) (tftypes.Value, error) {
	f := &faker{cfg: cfg, typeName: typeName, seed: seed, top: attrs(planned), invented: map[string]string{}}
	f.inventTopLevel()
	return tftypes.Transform(planned, func(path *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		steps := path.Steps()
		typ := v.Type()
		if len(steps) == 1 {
			if name, ok := steps[0].(tftypes.AttributeName); ok {
				if s, ok := f.invented[string(name)]; ok {
					return stringValue(s), nil
				}
				// A name prefix that was not configured reads back as null.
				if strings.HasSuffix(string(name), "_prefix") {
					return tftypes.NewValue(typ, nil), nil
				}
			}
		}
		switch {
		case typ.Is(tftypes.String):
			return stringValue(lastName(steps) + "-" + f.hex(path.String(), 8)), nil
		case typ.Is(tftypes.Number):
			return numberValue(0), nil
		case typ.Is(tftypes.Bool):
			return boolValue(false), nil
		case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
			return tftypes.NewValue(typ, []tftypes.Value{}), nil
		case typ.Is(tftypes.Map{}):
			return tftypes.NewValue(typ, map[string]tftypes.Value{}), nil
		default:
			return tftypes.NewValue(typ, nil), nil
		}
	})
}

func lastName(steps []tftypes.AttributePathStep) string {
	for i := len(steps) - 1; i >= 0; i-- {
		if name, ok := steps[i].(tftypes.AttributeName); ok {
			return string(name)
		}
	}
	return "value"
}
