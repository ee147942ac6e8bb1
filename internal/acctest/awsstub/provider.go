// Package awsstub is an offline stand-in for the hashicorp/aws provider,
// speaking plugin protocol 5, so that tests and examples can run a real
// `terraform validate`, `plan` and even `apply` without network access.
//
// It serves the real provider's schema (a subset of hashicorp/aws 6.47.0),
// plans computed attributes as unknown the way the real provider does (with
// the plan-time defaults that matter listed in plan.go), invents
// deterministic values at apply time, and answers the data sources that need
// no AWS call: aws_caller_identity, aws_region, aws_partition and
// aws_iam_policy_document, the last rendered exactly as the real provider
// renders it, and data "aws_glue_catalog_table" as a table of the
// stand-in's catalog (see StubCatalogBucket). It serves the provider functions arn_parse, arn_build and
// trim_iam_role_path (functions.go).
package awsstub

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// DefaultAccountID and DefaultRegion stand for the caller's account and
// region when the provider configuration does not name them.
const (
	DefaultAccountID = "111122223333"
	DefaultRegion    = "us-east-1"
)

// Server implements tfprotov5.ProviderServer.
type Server struct {
	schemas *schemas

	mu  sync.Mutex
	cfg providerConfig
}

var _ tfprotov5.ProviderServer = (*Server)(nil)

// providerConfig is what the stand-in takes from the provider block.
type providerConfig struct {
	region  string
	account string
	// callerRoleARN is the last assumed role, empty without assume_role.
	callerRoleARN string
	// defaultTags is nil when default_tags is absent; defaultTagsKnown is
	// false when its value is not known during planning.
	defaultTags      map[string]string
	defaultTagsKnown bool
}

// New returns a stand-in provider serving the embedded schema.
func New() (*Server, error) {
	s, err := loadSchemas()
	if err != nil {
		return nil, err
	}
	return &Server{schemas: s, cfg: providerConfig{region: DefaultRegion, account: DefaultAccountID, defaultTagsKnown: true}}, nil
}

func (s *Server) config() providerConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

func errorDiag(summary, detail string) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{Severity: tfprotov5.DiagnosticSeverityError, Summary: summary, Detail: detail}}
}

// unsupported is the diagnostic for everything that would need AWS.
func unsupported(what string) []*tfprotov5.Diagnostic {
	return errorDiag("Not supported by the offline stand-in",
		what+" is not supported by the offline stand-in for the hashicorp/aws provider, which never calls AWS.")
}

// GetMetadata lists the resource and data source types.
func (s *Server) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{ServerCapabilities: &tfprotov5.ServerCapabilities{PlanDestroy: true}}
	for _, name := range sortedNames(s.schemas.resources) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedNames(s.schemas.dataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	for _, name := range sortedNames(servedFunctions) {
		resp.Functions = append(resp.Functions, tfprotov5.FunctionMetadata{Name: name})
	}
	return resp, nil
}

// GetProviderSchema returns the embedded schema.
func (s *Server) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	return &tfprotov5.GetProviderSchemaResponse{
		ServerCapabilities: &tfprotov5.ServerCapabilities{PlanDestroy: true},
		Provider:           s.schemas.provider,
		ProviderMeta:       s.schemas.providerMeta,
		ResourceSchemas:    s.schemas.resources,
		DataSourceSchemas:  s.schemas.dataSources,
		Functions:          functionSpecs(),
	}, nil
}

// GetResourceIdentitySchemas returns none: 6.47.0 identities are not served.
func (s *Server) GetResourceIdentitySchemas(context.Context, *tfprotov5.GetResourceIdentitySchemasRequest) (*tfprotov5.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov5.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov5.ResourceIdentitySchema{}}, nil
}

// PrepareProviderConfig accepts the configuration unchanged; Terraform has
// already checked names and types against the schema.
func (s *Server) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

// ConfigureProvider records the region, the account and the default tags.
func (s *Server) ConfigureProvider(_ context.Context, req *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	v, err := req.Config.Unmarshal(s.schemas.provider.ValueType())
	if err != nil {
		return &tfprotov5.ConfigureProviderResponse{Diagnostics: errorDiag("Invalid provider configuration", fmt.Sprintf("decoding the aws provider configuration: %v", err))}, nil
	}
	cfg := parseProviderConfig(v)
	s.mu.Lock()
	s.cfg = cfg
	s.mu.Unlock()
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

// parseProviderConfig reads the account as the real provider learns it:
// from the last assume_role role ARN (roles chain), else the web-identity
// role ARN, else a single allowed account id.
func parseProviderConfig(v tftypes.Value) providerConfig {
	cfg := providerConfig{region: DefaultRegion, account: DefaultAccountID, defaultTagsKnown: true}
	a := attrs(v)
	if r, ok := knownString(a["region"]); ok && r != "" {
		cfg.region = r
	}
	if ids, ok := knownStrings(a["allowed_account_ids"]); ok && len(ids) == 1 {
		cfg.account = ids[0]
	}
	if roles := elems(a["assume_role_with_web_identity"]); len(roles) > 0 {
		if arn, ok := knownString(attrs(roles[0])["role_arn"]); ok && arnAccount(arn) != "" {
			cfg.account, cfg.callerRoleARN = arnAccount(arn), arn
		}
	}
	if roles := elems(a["assume_role"]); len(roles) > 0 {
		if arn, ok := knownString(attrs(roles[len(roles)-1])["role_arn"]); ok && arnAccount(arn) != "" {
			cfg.account, cfg.callerRoleARN = arnAccount(arn), arn
		}
	}
	if blocks := elems(a["default_tags"]); len(blocks) > 0 {
		cfg.defaultTags, cfg.defaultTagsKnown = knownStringMap(attrs(blocks[0])["tags"])
	}
	return cfg
}

// arnAccount returns the account field of an ARN, or "".
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// StopProvider has nothing to stop.
func (s *Server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

// ValidateResourceTypeConfig accepts every known type: Terraform itself
// checks names, types and required arguments against the schema, which is
// all the stand-in can check (value validation is not in the schema).
func (s *Server) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	if _, ok := s.schemas.resources[req.TypeName]; !ok {
		return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: unsupported("Resource type " + req.TypeName)}, nil
	}
	return &tfprotov5.ValidateResourceTypeConfigResponse{}, nil
}

// ValidateDataSourceConfig accepts every known type, as above.
func (s *Server) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	if _, ok := s.schemas.dataSources[req.TypeName]; !ok {
		return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: unsupported("Data source type " + req.TypeName)}, nil
	}
	return &tfprotov5.ValidateDataSourceConfigResponse{}, nil
}

// UpgradeResourceState decodes stored state with the current schema; the
// stand-in has only ever written the current version.
func (s *Server) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	sch, ok := s.schemas.resources[req.TypeName]
	if !ok {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: unsupported("Resource type " + req.TypeName)}, nil
	}
	typ := sch.ValueType()
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov5.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiag("Unreadable state", fmt.Sprintf("decoding stored %s state: %v", req.TypeName, err))}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiag("Unreadable state", fmt.Sprintf("encoding %s state: %v", req.TypeName, err))}, nil
	}
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

// ReadResource reports the stored state unchanged: there is no remote
// object to drift.
func (s *Server) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// ImportResourceState is not supported: there is nothing to import from.
func (s *Server) ImportResourceState(_ context.Context, req *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: unsupported("Importing " + req.TypeName)}, nil
}

// MoveResourceState is not supported.
func (s *Server) MoveResourceState(_ context.Context, req *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: unsupported("Moving state into " + req.TargetTypeName)}, nil
}

// UpgradeResourceIdentity is not supported: no identity schemas are served.
func (s *Server) UpgradeResourceIdentity(_ context.Context, req *tfprotov5.UpgradeResourceIdentityRequest) (*tfprotov5.UpgradeResourceIdentityResponse, error) {
	return &tfprotov5.UpgradeResourceIdentityResponse{Diagnostics: unsupported("Resource identity of " + req.TypeName)}, nil
}

// GenerateResourceConfig is not supported.
func (s *Server) GenerateResourceConfig(_ context.Context, req *tfprotov5.GenerateResourceConfigRequest) (*tfprotov5.GenerateResourceConfigResponse, error) {
	return &tfprotov5.GenerateResourceConfigResponse{Diagnostics: unsupported("Generating configuration for " + req.TypeName)}, nil
}

// ValidateEphemeralResourceConfig rejects every ephemeral resource: none
// are served.
func (s *Server) ValidateEphemeralResourceConfig(_ context.Context, req *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{Diagnostics: unsupported("Ephemeral resource " + req.TypeName)}, nil
}

// OpenEphemeralResource is not supported.
func (s *Server) OpenEphemeralResource(_ context.Context, req *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: unsupported("Ephemeral resource " + req.TypeName)}, nil
}

// RenewEphemeralResource is not supported.
func (s *Server) RenewEphemeralResource(_ context.Context, req *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{Diagnostics: unsupported("Ephemeral resource " + req.TypeName)}, nil
}

// CloseEphemeralResource is not supported.
func (s *Server) CloseEphemeralResource(_ context.Context, req *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{Diagnostics: unsupported("Ephemeral resource " + req.TypeName)}, nil
}

// GetFunctions returns the provider functions served (functions.go).
func (s *Server) GetFunctions(context.Context, *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{Functions: functionSpecs()}, nil
}

// CallFunction calls one of the served provider functions.
func (s *Server) CallFunction(_ context.Context, req *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return callFunction(req), nil
}
