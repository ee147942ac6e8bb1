package awsstub

import (
	"encoding/json"
	"fmt"
	"slices"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	awsschema "github.com/glueaccess/terraform-provider-glueaccess/internal/acctest/awsstub/schema"
)

// schemas is the embedded provider schema in protocol form, with each
// resource's and data source's value type precomputed.
type schemas struct {
	provider     *tfprotov5.Schema
	providerMeta *tfprotov5.Schema
	resources    map[string]*tfprotov5.Schema
	dataSources  map[string]*tfprotov5.Schema
}

// loadSchemas converts the embedded `terraform providers schema -json`
// document into protocol 5 schemas.
func loadSchemas() (*schemas, error) {
	var doc tfjson.ProviderSchemas
	if err := json.Unmarshal(awsschema.JSON, &doc); err != nil {
		return nil, fmt.Errorf("decoding embedded aws provider schema: %w", err)
	}
	if err := doc.Validate(); err != nil {
		return nil, fmt.Errorf("embedded aws provider schema: %w", err)
	}
	ps, ok := doc.Schemas[awsschema.ProviderAddress]
	if !ok {
		return nil, fmt.Errorf("embedded aws provider schema has no entry for %q", awsschema.ProviderAddress)
	}
	out := &schemas{
		resources:   map[string]*tfprotov5.Schema{},
		dataSources: map[string]*tfprotov5.Schema{},
		// The real provider's provider_meta block; `terraform providers
		// schema -json` does not print it.
		providerMeta: &tfprotov5.Schema{Block: &tfprotov5.SchemaBlock{
			DescriptionKind: tfprotov5.StringKindPlain,
			Attributes: []*tfprotov5.SchemaAttribute{{
				Name: "user_agent", Type: tftypes.List{ElementType: tftypes.String},
				Optional: true, DescriptionKind: tfprotov5.StringKindPlain,
			}},
		}},
	}
	var err error
	if out.provider, err = convertSchema(ps.ConfigSchema); err != nil {
		return nil, fmt.Errorf("provider block: %w", err)
	}
	for name, s := range ps.ResourceSchemas {
		if out.resources[name], err = convertSchema(s); err != nil {
			return nil, fmt.Errorf("resource %s: %w", name, err)
		}
	}
	for name, s := range ps.DataSourceSchemas {
		if out.dataSources[name], err = convertSchema(s); err != nil {
			return nil, fmt.Errorf("data source %s: %w", name, err)
		}
	}
	if err := checkFunctionSignatures(ps.Functions); err != nil {
		return nil, err
	}
	return out, nil
}

func convertSchema(s *tfjson.Schema) (*tfprotov5.Schema, error) {
	if s == nil || s.Block == nil {
		return nil, fmt.Errorf("schema without block")
	}
	b, err := convertBlock(s.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.Schema{Version: int64(s.Version), Block: b}, nil
}

// convertBlock keeps names, types, flags, nesting modes and item limits;
// attributes and blocks are sorted by name so the protocol form is
// deterministic.
func convertBlock(b *tfjson.SchemaBlock) (*tfprotov5.SchemaBlock, error) {
	out := &tfprotov5.SchemaBlock{
		Description:     b.Description,
		DescriptionKind: stringKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	for _, name := range sortedNames(b.Attributes) {
		a := b.Attributes[name]
		if a.AttributeNestedType != nil {
			return nil, fmt.Errorf("attribute %s: nested attribute types need protocol 6", name)
		}
		typ, err := convertType(a.AttributeType)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out.Attributes = append(out.Attributes, &tfprotov5.SchemaAttribute{
			Name:            name,
			Type:            typ,
			Description:     a.Description,
			DescriptionKind: stringKind(a.DescriptionKind),
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			Deprecated:      a.Deprecated,
			WriteOnly:       a.WriteOnly,
		})
	}
	for _, name := range sortedNames(b.NestedBlocks) {
		nb := b.NestedBlocks[name]
		nesting, err := nestingMode(nb.NestingMode)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		inner, err := convertBlock(nb.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: name,
			Block:    inner,
			Nesting:  nesting,
			MinItems: int64(nb.MinItems),
			MaxItems: int64(nb.MaxItems),
		})
	}
	return out, nil
}

func stringKind(k tfjson.SchemaDescriptionKind) tfprotov5.StringKind {
	if k == tfjson.SchemaDescriptionKindMarkdown {
		return tfprotov5.StringKindMarkdown
	}
	return tfprotov5.StringKindPlain
}

func nestingMode(m tfjson.SchemaNestingMode) (tfprotov5.SchemaNestedBlockNestingMode, error) {
	switch m {
	case tfjson.SchemaNestingModeSingle:
		return tfprotov5.SchemaNestedBlockNestingModeSingle, nil
	case tfjson.SchemaNestingModeGroup:
		return tfprotov5.SchemaNestedBlockNestingModeGroup, nil
	case tfjson.SchemaNestingModeList:
		return tfprotov5.SchemaNestedBlockNestingModeList, nil
	case tfjson.SchemaNestingModeSet:
		return tfprotov5.SchemaNestedBlockNestingModeSet, nil
	case tfjson.SchemaNestingModeMap:
		return tfprotov5.SchemaNestedBlockNestingModeMap, nil
	default:
		return tfprotov5.SchemaNestedBlockNestingModeInvalid, fmt.Errorf("unknown nesting mode %q", m)
	}
}

// convertType maps a cty type, as the schema JSON spells it, to tftypes.
func convertType(t cty.Type) (tftypes.Type, error) {
	switch {
	case t == cty.String:
		return tftypes.String, nil
	case t == cty.Number:
		return tftypes.Number, nil
	case t == cty.Bool:
		return tftypes.Bool, nil
	case t == cty.DynamicPseudoType:
		return tftypes.DynamicPseudoType, nil
	case t.IsListType(), t.IsSetType(), t.IsMapType():
		elem, err := convertType(t.ElementType())
		if err != nil {
			return nil, err
		}
		switch {
		case t.IsListType():
			return tftypes.List{ElementType: elem}, nil
		case t.IsSetType():
			return tftypes.Set{ElementType: elem}, nil
		default:
			return tftypes.Map{ElementType: elem}, nil
		}
	case t.IsObjectType():
		attrs := map[string]tftypes.Type{}
		for name, at := range t.AttributeTypes() {
			conv, err := convertType(at)
			if err != nil {
				return nil, fmt.Errorf("object attribute %s: %w", name, err)
			}
			attrs[name] = conv
		}
		return tftypes.Object{AttributeTypes: attrs}, nil
	case t.IsTupleType():
		var elems []tftypes.Type
		for i, et := range t.TupleElementTypes() {
			conv, err := convertType(et)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			elems = append(elems, conv)
		}
		return tftypes.Tuple{ElementTypes: elems}, nil
	default:
		return nil, fmt.Errorf("unsupported type %s", t.FriendlyName())
	}
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
