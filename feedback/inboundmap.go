package feedback

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// This file reads what another system posted to an inbound source: the
// source's mapping says where in the document each of our fields is.
//
// A path is keys and array indexes joined by dots — "ticket.id",
// "ticket.requester.email", "data.0.text" — read from the document (or,
// with an items path, from each element). A key that holds a dot cannot
// be named. A path ending in "?" is optional: where it leads nowhere, the
// field is not given. Otherwise a path that leads nowhere is a mistake (a
// misspelt mapping must not pass for an empty value) and the document is
// refused naming the field and the path. null is a value: not given.

// InboundFields are the fields a source may map or fix, as `heed import
// feedback` names them.
func InboundFields() []string {
	return []string{"external_id", "text", "title", "rating", "at", "customer", "email", "author", "unit",
		"language", "platform", "turns", "kind"}
}

// textFields are the fields whose values are text: a number found there
// ("id": 35436) is taken as the text it is written as.
var textFields = map[string]bool{"external_id": true, "text": true, "title": true, "customer": true, "email": true,
	"author": true, "unit": true, "language": true, "platform": true, "kind": true}

// path is a parsed mapping path.
type path struct {
	text     string   // as written, without the "?"
	steps    []string // keys or indexes
	optional bool
}

// parsePath reads a path as written in a mapping.
func parsePath(s string) (path, error) {
	p := path{text: strings.TrimSpace(s)}
	p.text, p.optional = strings.CutSuffix(p.text, "?")
	if p.text == "" {
		return p, errors.New("a path needs at least one key, e.g. ticket.id")
	}
	p.steps = strings.Split(p.text, ".")
	if slices.Contains(p.steps, "") {
		return p, fmt.Errorf("path %q has an empty step: keys and indexes are joined by single dots, e.g. data.0.text", s)
	}
	return p, nil
}

// follow walks v along p and returns the value found, or why there is
// none. within names v in the reason ("the document", "the item").
func (p path) follow(v any, within string) (any, string) {
	where := within
	for i, step := range p.steps {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[step]
			if !ok {
				return nil, fmt.Sprintf("no %q in %s", step, where)
			}
			v = next
		case []any:
			n, err := strconv.Atoi(step)
			switch {
			case err != nil || n < 0:
				return nil, fmt.Sprintf("%s is an array, and %q is no index", where, step)
			case n >= len(x):
				return nil, fmt.Sprintf("%s has %d elements", where, len(x))
			}
			v = x[n]
		case nil:
			return nil, where + " is null"
		default:
			return nil, fmt.Sprintf("%s is %s, not an object or an array", where, jsonType(x))
		}
		where = strings.Join(p.steps[:i+1], ".")
	}
	return v, ""
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "true or false"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return "null"
}

// inboundMap is a source's mapping, parsed.
type inboundMap struct {
	src   heed.InboundSource
	paths map[string]path // field → path
	items *path           // nil: the document is the item (or, an array, its elements are)
	many  bool            // the document held several items (or an items path): problems name theirs
}

// newInboundMap parses the paths of src; EInvalid naming the field of a
// path that does not parse.
func newInboundMap(src heed.InboundSource) (*inboundMap, error) {
	m := &inboundMap{src: src, paths: map[string]path{}}
	for field, text := range src.Mapping {
		p, err := parsePath(text)
		if err != nil {
			return nil, heed.FieldErrorf(heed.EInvalid, "mapping."+field, "%s: %v", field, err)
		}
		m.paths[field] = p
	}
	if src.Items != "" {
		p, err := parsePath(src.Items)
		if err != nil || p.optional {
			return nil, heed.FieldErrorf(heed.EInvalid, "items", "items: want the path of an array, e.g. reviews, not %q", src.Items)
		}
		m.items = &p
	}
	return m, nil
}

// decodeDocument reads a posted body: one JSON value, numbers kept as
// written.
func decodeDocument(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, heed.Errorf(heed.EBadRequest, "the document is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, heed.Errorf(heed.EBadRequest, "the document is not valid JSON: more after its end")
	}
	return doc, nil
}

// elements are the items of a document: the elements of the array at the
// items path, or of a document that is an array, or the document itself.
func (m *inboundMap) elements(doc any) ([]any, error) {
	if m.items == nil {
		if list, ok := doc.([]any); ok {
			return list, nil
		}
		return []any{doc}, nil
	}
	v, why := m.items.follow(doc, "the document")
	if why != "" {
		return nil, heed.FieldErrorf(heed.EInvalid, "items", "items: path %s is missing (%s)", m.items.text, why)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, heed.FieldErrorf(heed.EInvalid, "items", "items: path %s is %s, not an array", m.items.text, jsonType(v))
	}
	return list, nil
}

// inputs maps a posted body to inputs, one per item, or refuses it with
// every problem of every item, each naming its field and path.
func (m *inboundMap) inputs(body []byte) ([]Input, error) {
	doc, err := decodeDocument(body)
	if err != nil {
		return nil, err
	}
	list, err := m.elements(doc)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	if len(list) > MaxBatch {
		return nil, heed.Errorf(heed.EInvalid, "%d items in one document: at most %d", len(list), MaxBatch)
	}
	m.many = m.items != nil || len(list) > 1
	within := "the document"
	if m.many {
		within = "the item"
	}
	var lines bytes.Buffer
	var errs heed.RowErrors
	for i, el := range list {
		line, probs := m.line(el, within)
		for _, pr := range probs {
			pr.Line = i + 1
			errs = append(errs, pr)
		}
		lines.Write(line)
		lines.WriteByte('\n')
	}
	return m.parse(&lines, errs)
}

// line is one item as a line of the JSONL that `heed import feedback`
// reads, with the problems of the paths that lead nowhere.
func (m *inboundMap) line(el any, within string) ([]byte, []heed.RowError) {
	obj := map[string]any{}
	var probs []heed.RowError
	for _, field := range InboundFields() { // so problems come in this order
		p, ok := m.paths[field]
		if !ok {
			continue
		}
		v, why := p.follow(el, within)
		switch {
		case why == "":
			obj[field] = fieldValue(field, v)
		case !p.optional:
			probs = append(probs, heed.RowError{Field: field, Problem: fmt.Sprintf("path %s is missing (%s)", p.text, why)})
		}
	}
	for field, v := range m.src.Fixed {
		obj[field] = v
	}
	b, _ := json.Marshal(obj) // decoded JSON and strings always marshal
	return b, probs
}

// fieldValue prepares a value found in a document for the field: a
// number is the text it is written as in a text field, and Unix time in
// at.
func fieldValue(field string, v any) any {
	n, ok := v.(json.Number)
	switch {
	case ok && textFields[field]:
		return n.String()
	case ok && field == "at":
		if t, ok := unixTime(n); ok {
			return t.Format(time.RFC3339Nano)
		}
	}
	return v
}

// unixTime reads Unix time in seconds or, beyond 10^11 (the year 5138 in
// seconds, 1973 in milliseconds), in milliseconds, as JavaScript and
// many tools write it. Whole numbers are read exactly.
func unixTime(n json.Number) (time.Time, bool) {
	if i, err := n.Int64(); err == nil {
		if i > 1e11 || i < -1e11 {
			return time.UnixMilli(i).UTC(), true
		}
		return time.Unix(i, 0).UTC(), true
	}
	f, err := n.Float64()
	if err != nil {
		return time.Time{}, false
	}
	if f > 1e11 || f < -1e11 {
		f /= 1000
	}
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC(), true
}

// parse reads the lines as `heed import feedback` reads a JSONL file —
// ratings, times, turns and text are checked alike — and refuses them
// with the problems found there and before.
func (m *inboundMap) parse(lines io.Reader, errs heed.RowErrors) ([]Input, error) {
	in, err := File{Name: m.src.Key, JSONL: true, Kind: m.src.Kind, Source: m.src.System}.Parse(lines)
	var parsed heed.RowErrors
	switch {
	case errors.As(err, &parsed):
		errs = append(errs, parsed...)
	case err != nil:
		return nil, err
	}
	if len(errs) > 0 {
		return nil, m.refuse(errs)
	}
	return in, nil
}

// refuse is the error for a document the mapping cannot read: EInvalid,
// its message the first problem ("text: path ticket.description is
// missing (…)"), every problem in it, each with where its field came
// from.
func (m *inboundMap) refuse(errs heed.RowErrors) error {
	errs = slices.Clone(errs)
	for i := range errs {
		errs[i].File = ""
		// A path that leads nowhere said so already ("path … is missing").
		if p, ok := m.paths[errs[i].Field]; ok && !strings.HasPrefix(errs[i].Problem, "path ") {
			errs[i].Problem += " (path " + p.text + ")"
		} else if _, ok := m.src.Fixed[errs[i].Field]; ok {
			errs[i].Problem += " (a fixed value)"
		}
	}
	slices.SortStableFunc(errs, func(a, b heed.RowError) int { return cmp.Compare(a.Line, b.Line) })
	first := errs[0]
	msg := first.Problem
	if first.Field != "" {
		msg = first.Field + ": " + msg
	}
	if m.many {
		msg = fmt.Sprintf("item %d: %s", first.Line, msg)
	}
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return &heed.Error{Code: heed.EInvalid, Field: first.Field, Message: msg, Err: errs}
}

// explain is refuse for what Record found wrong with the mapped inputs.
func (m *inboundMap) explain(err error) error {
	var errs heed.RowErrors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return err
	}
	return m.refuse(errs)
}
