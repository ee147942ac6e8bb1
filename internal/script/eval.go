package script

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// eval returns what is known of n's value and recognises every call in it.
func (r *reader) eval(n *node) value {
	if n == nil {
		return unknown("nothing")
	}
	switch n.kind {
	case nStr:
		return r.strValue(n.tok)
	case nName:
		if v, ok := r.lookup(n.name); ok {
			return v
		}
		return unknown(safeName(n.name) + ", which the script does not assign before")
	case nAttr:
		r.eval(n.x)
		// The reference carries the line: no formatting here, where every
		// attribute chain passes.
		return unknown("attribute " + safeName(n.name))
	case nIndex:
		x, idx := r.eval(n.x), r.eval(n.y)
		if x.kind == vArgs && idx.known() {
			return r.jobArg(idx.s, n.line)
		}
		if v, ok, _ := x.get(idx.s); ok && idx.known() {
			return v
		}
		return unknown(fmt.Sprintf("an element read at line %d", n.line))
	case nCall:
		return r.call(n)
	case nList:
		v := value{kind: vList}
		for _, e := range n.args {
			v.items = append(v.items, r.eval(e))
		}
		if len(v.items) > maxItems {
			return unknown(fmt.Sprintf("a list of more than %d elements at line %d", maxItems, n.line))
		}
		return v
	case nDict:
		if len(n.vals) != len(n.args) {
			// {k: v, x}: not a dict the reader follows (the parser stops
			// early at the end of an unclosed one).
			for _, e := range append(n.args, n.vals...) {
				r.eval(e)
			}
			return unknown(fmt.Sprintf("a dict the reader does not follow at line %d", n.line))
		}
		v := value{kind: vDict}
		for i, k := range n.args {
			kv, vv := r.eval(k), r.eval(n.vals[i])
			if !kv.known() {
				return unknown(fmt.Sprintf("a dict with a key the script does not reveal at line %d", n.line))
			}
			v.keys = append(v.keys, kv.s)
			v.vals = append(v.vals, vv)
			v.lits = join(v.lits, kv.lits)
		}
		return v
	case nBin:
		x, y := r.eval(n.x), r.eval(n.y)
		switch n.name {
		case "+":
			return concat(x, y)
		case "%":
			if x.kind == vAlt {
				return unknown(fmt.Sprintf("a string formatted with %% at line %d", n.line))
			}
			args := []value{y}
			if y.kind == vList {
				args = y.items
			}
			return percentFormat(x, args, n.line)
		case "->":
			return value{kind: vList, items: []value{x, y}}
		}
		return unknown(fmt.Sprintf("the result of an operator at line %d", n.line))
	case nCond:
		r.eval(n.y)
		return either(r.eval(n.x), r.eval(n.z))
	}
	for _, in := range n.inner {
		r.eval(in)
	}
	return unknown("an expression the reader does not follow")
}

// strValue is a string literal's value; an f-string or interpolation is the
// concatenation of its parts.
func (r *reader) strValue(t *token) value {
	if t.bytes {
		return value{unk: fmt.Sprintf("a bytes literal at line %d", t.line), lits: []int32{t.id}}
	}
	if len(t.parts) <= 1 {
		return value{s: t.text, lits: []int32{t.id}}
	}
	v := value{}
	for _, pt := range t.parts {
		if !pt.isExpr {
			v = concat(v, value{s: pt.lit})
			continue
		}
		p := &parser{toks: pt.expr, scala: r.scala}
		x := r.eval(p.expr())
		if x.kind != vStr && x.kind != vAlt {
			x = unknown(fmt.Sprintf("a value interpolated at line %d", pt.line))
		}
		v = concat(v, x)
	}
	v.lits = join(v.lits, []int32{t.id})
	return v
}

// jobArg is the value of job argument name (without "--") as the script
// reads it through getResolvedOptions.
func (r *reader) jobArg(name string, line int) value {
	key := "--" + name
	if r.opt.ArgsUnknown != "" {
		return unknown(fmt.Sprintf("job argument %s read at line %d (%s)", safeName(key), line, r.opt.ArgsUnknown))
	}
	if why, ok := r.opt.Unknown[key]; ok {
		return unknown(fmt.Sprintf("job argument %s read at line %d, %s", safeName(key), line, why))
	}
	if v, ok := r.opt.Args[key]; ok {
		return value{s: v}
	}
	return unknown(fmt.Sprintf("job argument %s read at line %d, which is not among the job's arguments (it would be passed when the job is started)", safeName(key), line))
}

type link struct {
	name string
	call *node
}

// chain flattens a.b(x).c(y) into its links, first to last.
func chain(n *node) []link {
	var rev []link
	for cur := n; cur != nil; {
		switch cur.kind {
		case nCall:
			fn := cur.x
			switch fn.kind {
			case nAttr:
				rev = append(rev, link{fn.name, cur})
				cur = fn.x
			case nName:
				rev = append(rev, link{fn.name, cur})
				cur = nil
			default:
				cur = nil
			}
		case nAttr:
			rev = append(rev, link{cur.name, nil})
			cur = cur.x
		case nName:
			rev = append(rev, link{cur.name, nil})
			cur = nil
		default:
			cur = nil
		}
	}
	out := make([]link, len(rev))
	for i, l := range rev {
		out[len(rev)-1-i] = l
	}
	return out
}

func has(links []link, names ...string) bool {
	for _, l := range links[:len(links)-1] {
		for _, n := range names {
			if l.name == n {
				return true
			}
		}
	}
	return false
}

// argument returns the keyword argument with one of names, else the
// positional argument pos (-1: none).
func argument(c *node, pos int, names ...string) *node {
	for _, kw := range c.kws {
		for _, n := range names {
			if kw.name == n {
				return kw.val
			}
		}
	}
	if pos >= 0 && pos < len(c.args) {
		return c.args[pos]
	}
	return nil
}

// inertCalls take strings that are never locations: messages and string
// tests. Their literal arguments are not reported.
var inertCalls = map[string]bool{"print": true, "println": true, "printf": true, "info": true, "debug": true, "warning": true,
	"warn": true, "error": true, "exception": true, "critical": true, "log": true, "logInfo": true, "logWarning": true,
	"logError": true, "startswith": true, "endswith": true, "replace": true, "split": true, "rsplit": true,
	"removeprefix": true, "removesuffix": true, "find": true, "index": true, "count": true, "startsWith": true,
	"endsWith": true, "stripPrefix": true, "stripSuffix": true, "lstrip": true, "rstrip": true, "strip": true, "partition": true}

// stringTests answer a question about the string they are called on.
var stringTests = map[string]bool{"startswith": true, "endswith": true, "startsWith": true, "endsWith": true,
	"find": true, "index": true, "count": true, "contains": true}

// pureMethods never change the list or dict they are called on.
var pureMethods = map[string]bool{"get": true, "copy": true, "keys": true, "values": true, "items": true, "index": true,
	"count": true, "format": true, "join": true, "toArray": true, "toSeq": true, "toList": true, "toSet": true,
	"mkString": true, "apply": true, "contains": true, "startswith": true, "endswith": true}

// call evaluates a call: its arguments, what it reads or writes, and its
// value when it is one the reader knows.
func (r *reader) call(c *node) value {
	fnVal := value{}
	if c.x.kind == nAttr {
		fnVal = r.eval(c.x.x)
	} else if c.x.kind != nName {
		r.eval(c.x)
	}
	args := make([]value, len(c.args))
	for i, a := range c.args {
		args[i] = r.eval(a)
	}
	kws := map[string]value{}
	for _, kw := range c.kws {
		kws[kw.name] = r.eval(kw.val)
	}
	if c.x.kind == nName {
		if fv, ok := r.lookup(c.x.name); ok && fv.kind == vArgs && len(args) == 1 && args[0].known() {
			// Scala: args("input_path") on GlueArgParser's map.
			return r.jobArg(args[0].s, c.line)
		}
	}
	links := chain(c)
	name := ""
	if len(links) > 0 {
		name = links[len(links)-1].name
	}
	if c.x.kind == nAttr && c.x.x.kind == nName && !pureMethods[name] {
		// A method may change the list or dict a name holds in place
		// (paths.append(p), opts.update(...)): from here on it is unknown.
		if v, ok := r.lookup(c.x.x.name); ok && (v.kind == vList || v.kind == vDict || v.kind == vAlt) {
			r.setEverywhere(c.x.x.name, unknown(fmt.Sprintf("%s, changed by .%s at line %d", safeName(c.x.x.name), safeName(name), c.line)))
		}
	}
	if inertCalls[name] || strings.HasSuffix(name, "Error") || strings.HasSuffix(name, "Exception") {
		for _, a := range args {
			r.use(a)
		}
		for _, v := range kws {
			r.use(v)
		}
	}
	known := len(links) > 0 && r.recognise(c, links, args, kws)
	v := r.callValue(c, name, fnVal, args, kws)
	if !known && v.unk == resultOfCall {
		// The call's value does not carry its arguments on: a location
		// among them (or in the string it is called on: p.replace("s3://",
		// "") for boto3) goes where the reader cannot follow.
		// .option("path", p) is read by the reader or writer call its
		// chain ends in; an inert call's arguments are messages.
		if !inertCalls[name] && name != "option" && name != "options" {
			for _, a := range args {
				r.named(a, c.line, name)
			}
			for _, kw := range c.kws {
				if kw.name != "redshift_tmp_dir" && kw.name != "redshiftTmpDir" { // recognise read it
					r.named(kws[kw.name], c.line, name)
				}
			}
		}
		if c.x.kind == nAttr && !pureMethods[name] && !stringTests[name] {
			r.named(fnVal, c.line, name)
		}
	}
	return v
}

// use marks a value's literals as used.
func (r *reader) use(v value) {
	for _, id := range allLits(v) {
		r.used[id] = true
	}
}

// callValue is the value of the calls paths are built with.
func (r *reader) callValue(c *node, name string, recv value, args []value, kws map[string]value) value {
	onString := c.x.kind == nAttr
	arg0 := func() (value, bool) {
		if len(args) == 1 {
			return args[0], true
		}
		return value{}, false
	}
	switch name {
	case "getResolvedOptions":
		return value{kind: vArgs}
	case "format":
		if onString {
			return strFormat(recv, args, kws, c.line)
		}
	case "get":
		if recv.kind == vArgs {
			if a, ok := arg0(); ok && a.known() {
				return r.jobArg(a.s, c.line)
			}
		}
		if a, ok := arg0(); ok && a.known() {
			if v, found, _ := recv.get(a.s); found {
				return v
			}
		}
	case "apply":
		if recv.kind == vArgs && len(args) == 1 && args[0].known() {
			return r.jobArg(args[0].s, c.line)
		}
	case "str", "toString", "toArray", "toSeq", "toList", "toSet", "mkString":
		if name == "str" && !onString {
			if a, ok := arg0(); ok {
				return a
			}
		}
		if onString && len(args) == 0 && name != "mkString" {
			return recv
		}
	case "rstrip", "lstrip", "strip", "stripSuffix", "stripPrefix", "removesuffix", "removeprefix":
		if onString && recv.known() {
			cut := ""
			if a, ok := arg0(); ok && a.known() {
				cut = a.s
			} else if len(args) != 0 {
				break
			}
			s := recv.s
			switch name {
			case "rstrip":
				s = strings.TrimRight(s, orSpace(cut))
			case "lstrip":
				s = strings.TrimLeft(s, orSpace(cut))
			case "strip":
				s = strings.Trim(s, orSpace(cut))
			case "stripSuffix", "removesuffix":
				s = strings.TrimSuffix(s, cut)
			case "stripPrefix", "removeprefix":
				s = strings.TrimPrefix(s, cut)
			}
			return value{s: s, lits: recv.lits}
		}
	case "join":
		if onString && c.x.x.kind == nAttr && c.x.x.name == "path" {
			// os.path.join / posixpath.join on S3 text: "/" between parts.
			out := value{}
			for i, a := range args {
				if i > 0 && out.unk == "" && !strings.HasSuffix(out.s, "/") {
					out = concat(out, value{s: "/"})
				}
				out = concat(out, a)
			}
			if len(args) > 0 {
				return out
			}
		}
		if onString && recv.known() && len(args) == 1 && args[0].kind == vList {
			out := value{lits: recv.lits}
			for i, a := range args[0].items {
				if i > 0 {
					out = concat(out, value{s: recv.s})
				}
				out = concat(out, a)
			}
			return out
		}
	case "dict":
		if !onString && len(args) == 0 {
			v := value{kind: vDict}
			for _, kw := range c.kws {
				v.keys = append(v.keys, kw.name)
				v.vals = append(v.vals, kws[kw.name])
			}
			return v
		}
	case "Map":
		v := value{kind: vDict}
		for _, a := range args {
			if a.kind != vList || len(a.items) != 2 || !a.items[0].known() {
				return unknown(fmt.Sprintf("a Map the reader does not follow at line %d", c.line))
			}
			v.keys = append(v.keys, a.items[0].s)
			v.vals = append(v.vals, a.items[1])
			v.lits = join(v.lits, a.items[0].lits)
		}
		return v
	case "Seq", "Set", "List", "Array", "list", "tuple", "Vector":
		if name == "list" || name == "tuple" {
			if a, ok := arg0(); ok && a.kind == vList {
				return a
			}
			break
		}
		return value{kind: vList, items: args}
	case "JsonOptions":
		if a, ok := arg0(); ok {
			if a.kind == vDict {
				return a
			}
			if a.known() {
				return jsonValue(a)
			}
		}
	}
	return unknown(resultOfCall)
}

// resultOfCall is the value of a call the reader does not follow; the
// reference that uses it carries the line.
const resultOfCall = "the result of a call the reader does not follow"

func orSpace(s string) string {
	if s == "" {
		return " \t\n\r\f\v"
	}
	return s
}

// jsonValue reads a JsonOptions string ("{\"paths\": [\"s3://...\"]}").
func jsonValue(a value) value {
	var m map[string]any
	if err := json.Unmarshal([]byte(a.s), &m); err != nil {
		return unknown("a JsonOptions string that is not a JSON object")
	}
	var conv func(x any) value
	conv = func(x any) value {
		switch t := x.(type) {
		case string:
			return value{s: t}
		case []any:
			v := value{kind: vList}
			for _, e := range t {
				v.items = append(v.items, conv(e))
			}
			return v
		case map[string]any:
			v := value{kind: vDict}
			for _, k := range slices.Sorted(maps.Keys(t)) {
				v.keys = append(v.keys, k)
				v.vals = append(v.vals, conv(t[k]))
			}
			return v
		}
		return unknown("a JSON value that is not a string")
	}
	v := conv(m)
	v.lits = a.lits
	return v
}
