package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// node is a JSON value read token by token, so that object members keep their
// order and duplicates, and numbers keep their text.
type node struct {
	kind    nodeKind
	text    string   // string, number ("12"), bool ("true") text
	members []member // object
	items   []*node  // array
}

type nodeKind uint8

const (
	nodeNull nodeKind = iota
	nodeString
	nodeNumber
	nodeBool
	nodeObject
	nodeArray
)

func (k nodeKind) String() string {
	return [...]string{"null", "string", "number", "boolean", "object", "array"}[k]
}

type member struct {
	key string
	val *node
}

// maxDepth bounds nesting; policies are at most five levels deep, so anything
// far deeper is rejected rather than recursed into.
const maxDepth = 32

// decodeNode reads exactly one JSON value from data.
func decodeNode(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readNode(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("unexpected data after the top-level value at byte %d", dec.InputOffset())
	}
	return n, nil
}

func readNode(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &node{kind: nodeNull}, nil
	case string:
		return &node{kind: nodeString, text: t}, nil
	case json.Number:
		return &node{kind: nodeNumber, text: t.String()}, nil
	case bool:
		if t {
			return &node{kind: nodeBool, text: "true"}, nil
		}
		return &node{kind: nodeBool, text: "false"}, nil
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: nodeObject}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				val, err := readNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, member{key: key, val: val})
			}
			_, err := dec.Token() // '}'
			return n, err
		case '[':
			n := &node{kind: nodeArray}
			for dec.More() {
				item, err := readNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, item)
			}
			_, err := dec.Token() // ']'
			return n, err
		}
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}
