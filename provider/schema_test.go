package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"

	glueaccess "github.com/glueaccess/terraform-provider-glueaccess/provider"
)

// TestEveryAttributeDescribed: the docs and the language server show each
// attribute's MarkdownDescription, so none may be empty.
func TestEveryAttributeDescribed(t *testing.T) {
	ctx := context.Background()
	p := glueaccess.New("test")()
	var presp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &presp)
	checkProviderSchema(t, "provider", presp.Schema.Attributes, presp.Schema.Blocks)

	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	for _, newDS := range p.DataSources(ctx) {
		ds := newDS()
		var m datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &m)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no MarkdownDescription", m.TypeName)
		}
		checkDataSourceSchema(t, m.TypeName, resp.Schema.Attributes, resp.Schema.Blocks)
	}
}

func checkDataSourceSchema(t *testing.T, at string, attrs map[string]dsschema.Attribute, blocks map[string]dsschema.Block) {
	t.Helper()
	for name, a := range attrs {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("%s.%s has no MarkdownDescription", at, name)
		}
		// The docs list it under Optional; a description saying
		// "Required" contradicts that. (An attribute of an optional block
		// cannot be marked Required: the framework then demands it even
		// when the block is absent.)
		if !a.IsRequired() && strings.Contains(a.GetMarkdownDescription(), "Required") {
			t.Errorf("%s.%s is listed as optional but its description says Required", at, name)
		}
		if n, ok := a.(dsschema.ListNestedAttribute); ok {
			checkDataSourceSchema(t, at+"."+name, n.NestedObject.Attributes, nil)
		}
	}
	for name, b := range blocks {
		if b.GetMarkdownDescription() == "" {
			t.Errorf("%s.%s has no MarkdownDescription", at, name)
		}
		// tfplugindocs lists every single block as optional; "Required."
		// after "(Block, Optional)" contradicts it.
		if strings.Contains(b.GetMarkdownDescription(), "Required") {
			t.Errorf("%s.%s: the docs list blocks as optional, so its description must not say Required", at, name)
		}
		switch b := b.(type) {
		case dsschema.ListNestedBlock:
			checkDataSourceSchema(t, at+"."+name, b.NestedObject.Attributes, b.NestedObject.Blocks)
		case dsschema.SingleNestedBlock:
			checkDataSourceSchema(t, at+"."+name, b.Attributes, b.Blocks)
		default:
			t.Errorf("%s.%s: block type %T not walked by this test", at, name, b)
		}
	}
}

func checkProviderSchema(t *testing.T, at string, attrs map[string]pschema.Attribute, blocks map[string]pschema.Block) {
	t.Helper()
	for name, a := range attrs {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("%s.%s has no MarkdownDescription", at, name)
		}
	}
	for name, b := range blocks {
		if b.GetMarkdownDescription() == "" {
			t.Errorf("%s.%s has no MarkdownDescription", at, name)
		}
		switch b := b.(type) {
		case pschema.ListNestedBlock:
			checkProviderSchema(t, at+"."+name, b.NestedObject.Attributes, b.NestedObject.Blocks)
		case pschema.SingleNestedBlock:
			checkProviderSchema(t, at+"."+name, b.Attributes, b.Blocks)
		default:
			t.Errorf("%s.%s: block type %T not walked by this test", at, name, b)
		}
	}
}
