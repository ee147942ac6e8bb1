package planjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	tfjson "github.com/hashicorp/terraform-json"
)

// ErrNotAPlan classes every error about the input file itself: unreadable, too
// large, not JSON, or JSON that is not a terraform plan. The CLI maps it to exit 2.
var ErrNotAPlan = errors.New("not a terraform plan")

// DefaultMaxPlanBytes is the largest plan file read by default. Real plans of
// thousands of resources stay well below it; the limit exists so that a wrong
// file (a disk image, a log) is refused before it is read into memory.
const DefaultMaxPlanBytes int64 = 1 << 30

// maxNesting bounds the JSON nesting depth accepted. Plans nest a few dozen
// levels (modules, blocks, policy documents inside attributes are strings); the
// bound keeps hostile input from costing stack or time in the decoder.
const maxNesting = 512

// LoadOptions tune Load.
type LoadOptions struct {
	// MaxBytes refuses files larger than this; zero means DefaultMaxPlanBytes.
	MaxBytes int64
}

// Load reads and decodes the plan JSON at path. Every error wraps
// ErrNotAPlan and names the file and what it is instead of a plan.
func Load(path string, opts LoadOptions) (*Document, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxPlanBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: cannot open: %w", ErrNotAPlan, path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: cannot stat: %w", ErrNotAPlan, path, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%w: %s is a directory, not a plan JSON file", ErrNotAPlan, path)
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%w: %s is %d bytes, over the %d-byte limit (raise it with --max-plan-bytes)", ErrNotAPlan, path, info.Size(), limit)
	}
	// Read at most limit+1 bytes: the file may grow between Stat and Read.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: cannot read: %w", ErrNotAPlan, path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s is over the %d-byte limit (raise it with --max-plan-bytes)", ErrNotAPlan, path, limit)
	}
	plan, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %w", ErrNotAPlan, path, err)
	}
	return plan, nil
}

// lazyJSON keeps the bytes of a JSON value without decoding it. encoding/json
// hands UnmarshalJSON a slice of the input given to json.Unmarshal, so keeping
// it costs no copy; Decode's caller keeps the input alive with the Document.
// Values are decoded only when needed (planned values of resources that have
// no resource change), which keeps memory near the file size.
type lazyJSON []byte

// UnmarshalJSON implements json.Unmarshaler.
func (l *lazyJSON) UnmarshalJSON(b []byte) error {
	*l = b
	return nil
}

// present reports whether the value was in the document and not null.
func (l lazyJSON) present() bool { return len(l) > 0 && string(l) != "null" }

// Document is the part of a terraform plan the validator reads: the format
// versions, the resource changes with their after values, the planned values
// and prior state as light trees whose attribute values are decoded on
// demand, and the configuration (as terraform-json models it).
type Document struct {
	FormatVersion    string         `json:"format_version"`
	TerraformVersion string         `json:"terraform_version"`
	PlannedValues    *lightValues   `json:"planned_values"`
	ResourceChanges  []*lightChange `json:"resource_changes"`
	PriorState       *lightState    `json:"prior_state"`
	Config           *lightConfig   `json:"configuration"`
	// Variables are the root module's input variable values; provider
	// configurations built from them are evaluated with them.
	Variables map[string]struct {
		Value lazyJSON `json:"value"`
	} `json:"variables"`
	// Values and ProviderSchemas tell a state or a schema dump from a plan.
	Values          lazyJSON `json:"values"`
	ProviderSchemas lazyJSON `json:"provider_schemas"`
	// Errored is true when terraform plan failed: the plan is not one to
	// decide. Complete is false when terraform deferred some changes to a
	// later plan (DeferredChanges); nil in formats before 1.2 means true.
	Errored         bool              `json:"errored"`
	Complete        *bool             `json:"complete"`
	DeferredChanges []*deferredChange `json:"deferred_changes"`
}

// deferredChange is a change terraform could not plan yet, and why
// ("JSON Output Format", Terraform docs: deferred_changes).
type deferredChange struct {
	Reason         string       `json:"reason"`
	ResourceChange *lightChange `json:"resource_change"`
}

type lightState struct {
	Values *lightValues `json:"values"`
}

type lightValues struct {
	RootModule *lightModule `json:"root_module"`
}

type lightModule struct {
	Address      string          `json:"address"`
	Resources    []lightResource `json:"resources"`
	ChildModules []*lightModule  `json:"child_modules"`
}

type lightResource struct {
	Address string              `json:"address"`
	Mode    tfjson.ResourceMode `json:"mode"`
	Type    string              `json:"type"`
	Name    string              `json:"name"`
	Index   any                 `json:"index"`
	Values  lazyJSON            `json:"values"`
	// DeposedKey marks an object of the instance that a create-before-destroy
	// replacement deposed: it shares the instance's address.
	DeposedKey string `json:"deposed_key"`
}

// lightChange is a resource change without its before values, which the
// checks never read. The after values stay raw here: Index decodes them
// on several cores, which is most of the decoding work of a large plan.
type lightChange struct {
	Address       string              `json:"address"`
	ModuleAddress string              `json:"module_address"`
	Mode          tfjson.ResourceMode `json:"mode"`
	Type          string              `json:"type"`
	Name          string              `json:"name"`
	Index         any                 `json:"index"`
	Change        *changeValues       `json:"change"`
	// Deposed marks the change of a deposed object (see lightResource),
	// which shares the instance's address.
	Deposed string `json:"deposed"`
	// values and unknown are the decoded after and after_unknown, set by
	// Decode (decodeChanges).
	values  attrs
	unknown any
}

// changeValues is the change of a lightChange.
type changeValues struct {
	Actions      tfjson.Actions `json:"actions"`
	Before       lazyJSON       `json:"before"`
	After        lazyJSON       `json:"after"`
	AfterUnknown lazyJSON       `json:"after_unknown"`
}

// lightConfig is the configuration section. Provider configurations are
// decoded as terraform-json models them; resource and module-call
// expressions stay raw until a reference has to be followed (most never are),
// then decode into tfjson.Expression.
type lightConfig struct {
	ProviderConfigs map[string]*tfjson.ProviderConfig `json:"provider_config"`
	RootModule      *configModule                     `json:"root_module"`
}

type configModule struct {
	Outputs     map[string]*configOutput `json:"outputs"`
	Resources   []*configResource        `json:"resources"`
	ModuleCalls map[string]*configCall   `json:"module_calls"`
}

type configOutput struct {
	Expression lazyJSON `json:"expression"`
}

type configResource struct {
	Address           string              `json:"address"`
	Mode              tfjson.ResourceMode `json:"mode"`
	Type              string              `json:"type"`
	Name              string              `json:"name"`
	ProviderConfigKey string              `json:"provider_config_key"`
	Expressions       map[string]lazyJSON `json:"expressions"`
}

type configCall struct {
	Expressions map[string]lazyJSON `json:"expressions"`
	Module      *configModule       `json:"module"`
}

// decodeExpression decodes one raw configuration expression; nil when absent
// or not an expression. The shapes terraform writes are read by
// valueDecoder.expression; anything else is left to encoding/json and tfjson.
func decodeExpression(raw lazyJSON) *tfjson.Expression {
	if !raw.present() {
		return nil
	}
	d := valueDecoder{data: raw}
	if e, err := d.expression(); err == nil {
		if d.skipSpace(); d.pos == len(d.data) {
			return e
		}
	}
	var e tfjson.Expression
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil
	}
	return &e
}

// expression reads a configuration expression into what
// tfjson.Expression.UnmarshalJSON makes of it, in one pass and without
// encoding/json, which reads the text up to four times: an object with
// references (strings), constant_value or both, each once; or a list of
// nested blocks, objects of expressions. Anything else, including JSON
// that is not valid, is errUnusual.
func (d *valueDecoder) expression() (*tfjson.Expression, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, errUnusual
	}
	data := &tfjson.ExpressionData{}
	switch d.data[d.pos] {
	case '[':
		err := d.list(new(bool), func() error {
			block := map[string]*tfjson.Expression{}
			data.NestedBlocks = append(data.NestedBlocks, block)
			if d.null() {
				return nil
			}
			return d.dict(new(bool), func(key string) error {
				if d.null() {
					block[key] = nil
					return nil
				}
				e, err := d.expression()
				block[key] = e
				return err
			})
		})
		if err != nil {
			return nil, err
		}
	case '{':
		err := d.fields(expressionFields, func(i int) error {
			if i == 1 {
				v, err := d.value()
				if d.outOfRange {
					// encoding/json fails the whole expression.
					return errUnusual
				}
				data.ConstantValue = v
				return err
			}
			if d.null() {
				return nil
			}
			data.References = []string{}
			return d.list(new(bool), func() error {
				d.skipSpace()
				if d.pos >= len(d.data) || d.data[d.pos] != '"' {
					return errUnusual
				}
				var s string
				err := d.stringField(&s)
				data.References = append(data.References, s)
				return err
			})
		})
		if err != nil {
			return nil, err
		}
		if len(data.References) > 0 {
			data.ConstantValue = tfjson.UnknownConstantValue
		}
	default:
		return nil, errUnusual
	}
	return &tfjson.Expression{ExpressionData: data}, nil
}

// expressionFields are the json names of tfjson.ExpressionData's fields, in
// the order expression's switch uses.
var expressionFields = []string{"references", "constant_value"}

// Decode decodes plan JSON already in memory. The Document, and the Plan
// Index makes of it, refer to data without copying (strings included), so
// data must not change afterwards. The returned error completes the sentence
// "<file> ..." (it starts with "is" or "has").
//
// The plans terraform writes are read in one pass (readPlan); anything
// unusual is decoded again by encoding/json, whose errors say what and where.
func Decode(data []byte) (*Document, error) {
	if err := prescan(data); err != nil {
		return nil, err
	}
	doc, err := readPlan(data)
	if err != nil {
		if err := checkNesting(data); err != nil {
			return nil, err
		}
		if doc, err = unmarshalPlan(data); err != nil {
			return nil, err
		}
	}
	switch {
	case doc.ProviderSchemas.present():
		return nil, errors.New("is a provider schema dump (terraform providers schema -json), not a plan")
	case doc.Values.present() && doc.PlannedValues == nil && doc.ResourceChanges == nil:
		return nil, errors.New("is a state (terraform show -json without a plan file), not a plan")
	case doc.FormatVersion == "":
		return nil, errors.New("is JSON without format_version: not the output of terraform show -json <planfile>")
	}
	if err := checkFormatVersion(doc.FormatVersion); err != nil {
		return nil, err
	}
	if doc.PlannedValues == nil && doc.ResourceChanges == nil && doc.Config == nil {
		return nil, errors.New("is JSON with a format_version but none of planned_values, resource_changes or configuration: not a plan")
	}
	if err := checkPlan(doc); err != nil {
		return nil, err
	}
	if err := decodeChanges(doc.ResourceChanges); err != nil {
		return nil, err
	}
	return doc, nil
}

// unmarshalPlan decodes the plan with encoding/json and describes its errors.
func unmarshalPlan(data []byte) (*Document, error) {
	var doc Document
	if err := json.Unmarshal(data, &doc); err != nil {
		if doc.ProviderSchemas.present() {
			return nil, errors.New("is a provider schema dump (terraform providers schema -json), not a plan")
		}
		return nil, describeDecodeError(err)
	}
	return &doc, nil
}

// checkFormatVersion accepts the plan formats this reader understands: 0.1 and
// later, and every 1.x (terraform promises only additive changes within a major
// version), the same range as tfjson.PlanFormatVersionConstraints.
func checkFormatVersion(fv string) error {
	major, minor, ok := parseMajorMinor(fv)
	if !ok {
		return fmt.Errorf("has format_version %s, which is not a version number", clip([]byte(strconv.Quote(fv))))
	}
	if major > 1 || (major == 0 && minor < 1) {
		return fmt.Errorf("has plan format_version %s; this glueaccess reads %s (upgrade glueaccess for newer terraform output)", clip([]byte(strconv.Quote(fv))), tfjson.PlanFormatVersionConstraints)
	}
	return nil
}

// parseMajorMinor reads "M", "M.N" or "M.N.P" with decimal components.
func parseMajorMinor(v string) (major, minor int, ok bool) {
	parts := strings.Split(v, ".")
	if len(parts) > 3 {
		return 0, 0, false
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || p[0] == '+' {
			return 0, 0, false
		}
		nums[i] = n
	}
	if len(nums) > 1 {
		minor = nums[1]
	}
	return nums[0], minor, true
}

// prescan rejects what is not a JSON object before any decoding: empty input,
// binary data, arrays and scalars. readPlan bounds the nesting as it reads;
// checkNesting does for encoding/json.
func prescan(data []byte) error {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return errors.New("is empty")
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return errors.New("is binary data, not JSON")
	}
	switch trimmed[0] {
	case '{':
	case '[':
		return errors.New("is a JSON array, not a plan object")
	case '"', 't', 'f', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return errors.New("is a single JSON value, not a plan object")
	default:
		return errors.New("is not JSON")
	}
	return nil
}

// checkNesting rejects nesting deeper than maxNesting. It is a single pass
// over the bytes with no allocation, so hostile files cost no more than
// reading them.
func checkNesting(data []byte) error {
	depth := 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > maxNesting {
				return fmt.Errorf("is nested more than %d levels deep: not a terraform plan", maxNesting)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// describeDecodeError turns encoding/json errors into what is wrong with the file.
func describeDecodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &syntax) && strings.Contains(syntax.Error(), "unexpected end")):
		return errors.New("is truncated: the JSON ends before the document is complete")
	case errors.As(err, &syntax):
		return fmt.Errorf("is not valid JSON (at byte %d): %w", syntax.Offset, err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Errorf("has a %s where a plan has %s (field %s, byte %d)", typ.Value, jsonKind(typ.Type), field, typ.Offset)
	default:
		return fmt.Errorf("cannot be decoded as a plan: %w", err)
	}
}

// jsonKind names the JSON shape a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Interface:
		return "a value"
	default:
		return "a number"
	}
}

// clip shortens raw JSON for messages.
func clip(raw []byte) string {
	const n = 40
	if len(raw) > n {
		return string(raw[:n]) + "..."
	}
	return string(raw)
}
