package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/heedhq/heed"
)

// jsonKind says which JSON values a field accepts in JSONL; CSV cells are
// always text.
type jsonKind int

const (
	jsonString jsonKind = iota
	jsonNumber          // a number, or a string holding one
	jsonBool            // true or false, or a string or number parseBool takes
	jsonObject
	jsonArray // an array, or a string written as the CSV cell is (see schema.cell)
)

// field is one named column (CSV) or key (JSONL) of an item.
type field[T any] struct {
	name string
	json jsonKind
	set  func(item *T, s string) error // s is trimmed
}

// schema is everything the readers need to know about one kind of item.
type schema[T any] struct {
	fields []field[T]
	names  string    // "key, name, ..." for messages
	keyed  *keyed[T] // CSV columns named PREFIX.KEY; nil if none
	// cell reads, by field name, the CSV cells (and JSONL strings) of a
	// field whose JSON value is not text, such as turns: set then only
	// ever sees that JSON value, and neither can mistake the other.
	cell map[string]func(item *T, s string) error
}

// keyed describes the CSV columns that each add one key to a map of the
// item (attributes.tier, hidden.source): a spreadsheet has no cell that
// holds an object comfortably, but a column per key is easy to fill.
type keyed[T any] struct {
	prefixes []string // lower case with the dot; the first is the one named in messages
	form     string   // "attributes.KEY", for the list of columns
	example  string   // "attributes.tier", for a column with nothing after the dot
	fold     bool     // lower-case the keys: they name lower-case things
	// merge adds the non-blank cells of a row to item; it returns the
	// problems it found, by column.
	merge func(item *T, pairs []pair) []problem
}

type pair struct{ column, key, value string }

type problem struct{ field, text string }

func newSchema[T any](k *keyed[T], fields ...field[T]) *schema[T] {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return &schema[T]{fields: fields, names: strings.Join(names, ", "), keyed: k}
}

// index returns the position of the field named name (lower case), or -1.
func (s *schema[T]) index(name string) int {
	for i := range s.fields {
		if s.fields[i].name == name {
			return i
		}
	}
	return -1
}

// These tables are never written after start-up.
var (
	unitSchema = newSchema(nil,
		field[heed.Unit]{"key", jsonString, func(u *heed.Unit, s string) error { u.Key = s; return nil }},
		field[heed.Unit]{"name", jsonString, func(u *heed.Unit, s string) error { u.Name = s; return nil }},
		field[heed.Unit]{"parent", jsonString, func(u *heed.Unit, s string) error { u.Parent = s; return nil }},
		field[heed.Unit]{"responsible", jsonString, func(u *heed.Unit, s string) error { u.Responsible = heed.NormEmail(s); return nil }},
	)
	employeeSchema = newSchema(nil,
		field[heed.Employee]{"email", jsonString, func(e *heed.Employee, s string) error { e.Email = heed.NormEmail(s); return nil }},
		field[heed.Employee]{"name", jsonString, func(e *heed.Employee, s string) error { e.Name = s; return nil }},
		field[heed.Employee]{"role", jsonString, func(e *heed.Employee, s string) error { e.Role = heed.Role(strings.ToLower(s)); return nil }},
		field[heed.Employee]{"unit", jsonString, func(e *heed.Employee, s string) error { e.Unit = s; return nil }},
	)
	customerSchema = newSchema(&keyed[heed.Customer]{
		prefixes: []string{"attributes.", "attr."}, form: "attributes.KEY", example: "attributes.tier", merge: mergeAttributes,
	},
		field[heed.Customer]{"external_id", jsonString, func(c *heed.Customer, s string) error { c.ExternalID = s; return nil }},
		field[heed.Customer]{"name", jsonString, func(c *heed.Customer, s string) error { c.Name = s; return nil }},
		field[heed.Customer]{"email", jsonString, func(c *heed.Customer, s string) error { c.Email = s; return nil }},
		field[heed.Customer]{"phone", jsonString, func(c *heed.Customer, s string) error { c.Phone = s; return nil }},
		field[heed.Customer]{"language", jsonString, func(c *heed.Customer, s string) error { c.Language = s; return nil }},
		field[heed.Customer]{"segment", jsonString, func(c *heed.Customer, s string) error { c.Segment = s; return nil }},
		field[heed.Customer]{"value", jsonNumber, func(c *heed.Customer, s string) (err error) { c.Value, err = heed.ParseDecimal(s); return err }},
		field[heed.Customer]{"owner", jsonString, func(c *heed.Customer, s string) error { c.Owner = heed.NormEmail(s); return nil }},
		field[heed.Customer]{"unit", jsonString, func(c *heed.Customer, s string) error { c.Unit = s; return nil }},
		field[heed.Customer]{"attributes", jsonObject, func(c *heed.Customer, s string) (err error) { c.Attributes, err = parseObject(s); return err }},
		field[heed.Customer]{"consent", jsonBool, func(c *heed.Customer, s string) (err error) { c.Consent, err = parseBool(s); return err }},
	)
)

// textProblem rejects text that a database would refuse or garble:
// PostgreSQL takes neither invalid UTF-8 nor NUL characters.
func textProblem(s string) string {
	p := heed.TextProblem(s)
	if p == "is not valid UTF-8" {
		return "not valid UTF-8 (save the file as UTF-8)"
	}
	return p
}

var errWantBool = errors.New("want true or false")

// parseBool takes the spellings spreadsheets and people use; empty is false
// so that a consent column left blank never means yes.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1":
		return true, nil
	case "false", "no", "n", "0", "":
		return false, nil
	}
	return false, errWantBool
}

// parseObject checks that s is a JSON object and returns it compacted;
// empty and null mean no attributes.
func parseObject(s string) (json.RawMessage, error) {
	if s == "" || s == "null" {
		return nil, nil
	}
	if s[0] != '{' {
		return nil, errors.New("want a JSON object")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	return b.Bytes(), nil
}

// mergeAttributes adds the attributes.KEY columns of a CSV row to the
// customer's attributes object. Blank cells add nothing, so a sparse
// column does not fill every customer with empty keys; a key given both
// ways is a problem because neither value is obviously the right one.
func mergeAttributes(c *heed.Customer, pairs []pair) []problem {
	m := map[string]json.RawMessage{}
	if len(c.Attributes) > 0 {
		if err := json.Unmarshal(c.Attributes, &m); err != nil {
			return []problem{{"attributes", "not valid JSON: " + err.Error()}}
		}
	}
	var probs []problem
	for _, p := range pairs {
		if _, dup := m[p.key]; dup { // columns are unique, so it came from the object
			probs = append(probs, problem{p.column, "also set in the attributes column"})
			continue
		}
		v, _ := json.Marshal(p.value) // a string always marshals
		m[p.key] = v
	}
	if probs != nil {
		return probs
	}
	b, err := json.Marshal(m)
	if err != nil {
		return []problem{{"attributes", err.Error()}}
	}
	c.Attributes = b
	return nil
}

// jsonText turns a JSONL value into the text a CSV cell would hold, or
// names the type the field wants.
func jsonText(raw json.RawMessage, kind jsonKind) (string, string) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", ""
	}
	switch c := raw[0]; {
	case c == '"' && kind != jsonObject:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", "not valid JSON: " + err.Error()
		}
		return s, ""
	case c == '{' && kind == jsonObject, c == '[' && kind == jsonArray:
		return string(raw), ""
	case (c == 't' || c == 'f') && kind == jsonBool:
		return string(raw), ""
	case (c == '-' || c >= '0' && c <= '9') && (kind == jsonNumber || kind == jsonBool):
		return string(raw), ""
	}
	return "", wantType(kind, raw[0])
}

func wantType(kind jsonKind, got byte) string {
	switch kind {
	case jsonNumber:
		return "want a number"
	case jsonBool:
		return errWantBool.Error()
	case jsonObject:
		return "want a JSON object"
	case jsonArray:
		return "want a JSON array"
	}
	if got == '-' || got >= '0' && got <= '9' {
		return "want a string, not a number (put it in quotes)"
	}
	return "want a string"
}
