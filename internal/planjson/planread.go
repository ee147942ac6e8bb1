package planjson

import (
	"encoding/json"
	"errors"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// errUnusual is what the fast plan reader returns for anything it leaves to
// encoding/json: invalid JSON, a value of the wrong type, a repeated field or
// a field name that matches only ignoring case. encoding/json then decodes
// the plan again and says exactly what is wrong, or decodes what is unusual
// but valid the way it always has.
var errUnusual = errors.New("plan needs encoding/json")

// readPlan decodes a plan in one pass over the bytes into the Document that
// json.Unmarshal would give, for the plans terraform writes. It checks the
// JSON it skips (before values, values of planned resources, unread fields)
// as it goes, so it accepts only what json.Unmarshal accepts; anything else
// returns errUnusual. prior_state (absent from plans that create everything,
// small otherwise) and the provider configurations are handed to
// json.Unmarshal whole.
func readPlan(data []byte) (*Document, error) {
	d := newValueDecoder()
	d.reset(data)
	var doc Document
	err := d.fields(documentFields, func(i int) error {
		switch i {
		case 0:
			return d.stringField(&doc.FormatVersion)
		case 1:
			return d.stringField(&doc.TerraformVersion)
		case 2:
			return d.values(&doc.PlannedValues)
		case 3:
			return d.changes(&doc.ResourceChanges)
		case 4:
			return d.unmarshal(&doc.PriorState)
		case 5:
			return d.config(&doc.Config)
		case 6:
			return d.raw(&doc.Values)
		case 7:
			return d.raw(&doc.ProviderSchemas)
		case 8:
			return d.unmarshal(&doc.Errored)
		case 9:
			return d.unmarshal(&doc.Complete)
		case 10:
			return d.unmarshal(&doc.DeferredChanges)
		default:
			return d.unmarshal(&doc.Variables)
		}
	})
	if err != nil {
		return nil, errUnusual
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return nil, errUnusual
	}
	return &doc, nil
}

// Field names of each object the reader decodes, in the order of the
// indexes its switch uses; they are the json tags of the Document types.
var (
	documentFields = []string{"format_version", "terraform_version", "planned_values", "resource_changes", "prior_state", "configuration", "values", "provider_schemas", "errored", "complete", "deferred_changes", "variables"}
	valuesFields   = []string{"root_module"}
	moduleFields   = []string{"address", "resources", "child_modules"}
	resourceFields = []string{"address", "mode", "type", "name", "index", "values", "deposed_key"}
	changeFields   = []string{"address", "module_address", "mode", "type", "name", "index", "change", "deposed"}
	afterFields    = []string{"actions", "before", "after", "after_unknown"}
	configFields   = []string{"provider_config", "root_module"}
	cmoduleFields  = []string{"outputs", "resources", "module_calls"}
	outputFields   = []string{"expression"}
	cresFields     = []string{"address", "mode", "type", "name", "provider_config_key", "expressions"}
	callFields     = []string{"expressions", "module"}
)

// fields reads an object, calling field with the index in names of every
// member named there and skipping (and checking) the others. A name given
// twice, or one that equals a name only ignoring case (which encoding/json
// would match), is errUnusual.
func (d *valueDecoder) fields(names []string, field func(i int) error) error {
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		return errUnusual
	}
	if err := d.enter(); err != nil {
		return err
	}
	var seen uint64
	err := d.members(func(key []byte) error {
		for i, n := range names {
			if string(key) == n {
				if seen&(1<<i) != 0 {
					return errUnusual
				}
				seen |= 1 << i
				return field(i)
			}
		}
		for _, n := range names {
			if strings.EqualFold(string(key), n) {
				return errUnusual
			}
		}
		return d.skip()
	})
	d.depth--
	return err
}

// null consumes a JSON null if one is next.
func (d *valueDecoder) null() bool {
	d.skipSpace()
	if len(d.data)-d.pos >= 4 && string(d.data[d.pos:d.pos+4]) == "null" {
		d.pos += 4
		return true
	}
	return false
}

// list reads an array, or null, calling elem for each element. A non-null
// array always sets *made, even when empty, as encoding/json makes an empty
// slice for [].
func (d *valueDecoder) list(made *bool, elem func() error) error {
	if d.null() {
		return nil
	}
	if d.pos >= len(d.data) || d.data[d.pos] != '[' {
		return errUnusual
	}
	if err := d.enter(); err != nil {
		return err
	}
	*made = true
	err := d.elements(elem)
	d.depth--
	return err
}

// stringField reads a string; null leaves dst as it is, as in encoding/json.
func (d *valueDecoder) stringField(dst *string) error {
	if d.null() {
		return nil
	}
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return errUnusual
	}
	b, escaped, err := d.str()
	if err != nil {
		return err
	}
	if escaped {
		*dst = string(b)
	} else {
		*dst = alias(b)
	}
	return nil
}

func (d *valueDecoder) modeField(dst *tfjson.ResourceMode) error {
	s := string(*dst)
	err := d.stringField(&s)
	*dst = tfjson.ResourceMode(s)
	return err
}

// raw keeps the bytes of the next value, null included, as lazyJSON's
// UnmarshalJSON does.
func (d *valueDecoder) raw(dst *lazyJSON) error {
	d.skipSpace()
	start := d.pos
	if err := d.skip(); err != nil {
		return err
	}
	*dst = lazyJSON(d.data[start:d.pos])
	return nil
}

// unmarshal decodes the next value with encoding/json.
func (d *valueDecoder) unmarshal(dst any) error {
	var r lazyJSON
	if err := d.raw(&r); err != nil {
		return err
	}
	if err := json.Unmarshal(r, dst); err != nil {
		return errUnusual
	}
	return nil
}

// index reads an instance key as encoding/json decodes it into any.
func (d *valueDecoder) index(dst *any) error {
	v, err := d.value()
	*dst = v
	return err
}

func (d *valueDecoder) values(dst **lightValues) error {
	if d.null() {
		*dst = nil
		return nil
	}
	v := &lightValues{}
	*dst = v
	return d.fields(valuesFields, func(int) error { return d.module(&v.RootModule) })
}

func (d *valueDecoder) module(dst **lightModule) error {
	if d.null() {
		*dst = nil
		return nil
	}
	m := &lightModule{}
	*dst = m
	return d.fields(moduleFields, func(i int) error {
		switch i {
		case 0:
			return d.stringField(&m.Address)
		case 1:
			return decodeList(d, &m.Resources, func(r *lightResource) error {
				if d.null() {
					return nil
				}
				return d.resource(r)
			})
		default:
			return decodeList(d, &m.ChildModules, d.module)
		}
	})
}

func (d *valueDecoder) resource(r *lightResource) error {
	return d.fields(resourceFields, func(i int) error {
		switch i {
		case 0:
			return d.stringField(&r.Address)
		case 1:
			return d.modeField(&r.Mode)
		case 2:
			return d.stringField(&r.Type)
		case 3:
			return d.stringField(&r.Name)
		case 4:
			return d.index(&r.Index)
		case 5:
			return d.raw(&r.Values)
		default:
			return d.stringField(&r.DeposedKey)
		}
	})
}

func (d *valueDecoder) changes(dst *[]*lightChange) error {
	return decodeList(d, dst, func(rc **lightChange) error {
		if d.null() {
			return nil
		}
		*rc = &lightChange{}
		return d.change(*rc)
	})
}

func (d *valueDecoder) change(rc *lightChange) error {
	return d.fields(changeFields, func(i int) error {
		switch i {
		case 0:
			return d.stringField(&rc.Address)
		case 1:
			return d.stringField(&rc.ModuleAddress)
		case 2:
			return d.modeField(&rc.Mode)
		case 3:
			return d.stringField(&rc.Type)
		case 4:
			return d.stringField(&rc.Name)
		case 5:
			return d.index(&rc.Index)
		case 7:
			return d.stringField(&rc.Deposed)
		default:
			if d.null() {
				rc.Change = nil
				return nil
			}
			rc.Change = &changeValues{}
			c := rc.Change
			return d.fields(afterFields, func(i int) error {
				switch i {
				case 0:
					return decodeList(d, (*[]tfjson.Action)(&c.Actions), func(a *tfjson.Action) error {
						return d.stringField((*string)(a))
					})
				case 1:
					return d.raw(&c.Before)
				case 2:
					return d.raw(&c.After)
				default:
					return d.raw(&c.AfterUnknown)
				}
			})
		}
	})
}

func (d *valueDecoder) config(dst **lightConfig) error {
	if d.null() {
		*dst = nil
		return nil
	}
	c := &lightConfig{}
	*dst = c
	return d.fields(configFields, func(i int) error {
		if i == 0 {
			return d.unmarshal(&c.ProviderConfigs)
		}
		return d.configModule(&c.RootModule)
	})
}

// dict reads an object into a map, or null, calling elem for each member;
// like encoding/json, {} makes an empty map and a repeated key keeps the last
// value.
func (d *valueDecoder) dict(made *bool, elem func(key string) error) error {
	if d.null() {
		return nil
	}
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		return errUnusual
	}
	if err := d.enter(); err != nil {
		return err
	}
	*made = true
	err := d.members(func(key []byte) error { return elem(d.intern(key)) })
	d.depth--
	return err
}

// decodeList reads a JSON array into *dst, decoding each element in place with
// elem. As with encoding/json, null leaves a nil slice and [] an empty one.
func decodeList[T any](d *valueDecoder, dst *[]T, elem func(*T) error) error {
	made := false
	*dst = nil
	err := d.list(&made, func() error {
		var zero T
		*dst = append(*dst, zero)
		return elem(&(*dst)[len(*dst)-1])
	})
	if made && *dst == nil {
		*dst = []T{}
	}
	return err
}

// decodeMap reads a JSON object into *dst, decoding each member with elem. As
// with encoding/json, null leaves a nil map and {} an empty one.
func decodeMap[V any](d *valueDecoder, dst *map[string]V, elem func(*V) error) error {
	made := false
	*dst = nil
	err := d.dict(&made, func(key string) error {
		if *dst == nil {
			*dst = map[string]V{}
		}
		var v V
		err := elem(&v)
		(*dst)[key] = v
		return err
	})
	if made && *dst == nil {
		*dst = map[string]V{}
	}
	return err
}

// expressions reads a map of raw configuration expressions.
func (d *valueDecoder) expressions(dst *map[string]lazyJSON) error {
	return decodeMap(d, dst, d.raw)
}

func (d *valueDecoder) configModule(dst **configModule) error {
	if d.null() {
		*dst = nil
		return nil
	}
	m := &configModule{}
	*dst = m
	return d.fields(cmoduleFields, func(i int) error {
		switch i {
		case 0:
			return decodeMap(d, &m.Outputs, func(out **configOutput) error {
				if d.null() {
					return nil
				}
				*out = &configOutput{}
				return d.fields(outputFields, func(int) error { return d.raw(&(*out).Expression) })
			})
		case 1:
			return decodeList(d, &m.Resources, func(r **configResource) error {
				if d.null() {
					return nil
				}
				*r = &configResource{}
				return d.configResource(*r)
			})
		default:
			return decodeMap(d, &m.ModuleCalls, func(call **configCall) error {
				if d.null() {
					return nil
				}
				*call = &configCall{}
				return d.fields(callFields, func(i int) error {
					if i == 0 {
						return d.expressions(&(*call).Expressions)
					}
					return d.configModule(&(*call).Module)
				})
			})
		}
	})
}

func (d *valueDecoder) configResource(r *configResource) error {
	return d.fields(cresFields, func(i int) error {
		switch i {
		case 0:
			return d.stringField(&r.Address)
		case 1:
			return d.modeField(&r.Mode)
		case 2:
			return d.stringField(&r.Type)
		case 3:
			return d.stringField(&r.Name)
		case 4:
			return d.stringField(&r.ProviderConfigKey)
		default:
			return d.expressions(&r.Expressions)
		}
	})
}
