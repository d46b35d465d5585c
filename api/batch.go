package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed"
)

// customerBatch is the body of POST /customers: a JSON array of customers.
//
// Huma would validate such a body by first parsing all of it into maps,
// which for a 32 MiB batch costs hundreds of megabytes, and would report
// a type error without saying which item it was in. So the operation takes
// the raw body, and the batch decodes itself item by item, noting each
// item's problems by line (index+1) as the services do.
type customerBatch struct {
	items    []customerInput
	problems heed.RowErrors // items that did not decode
	syntax   error          // the body is not a JSON array at all
}

// customerBatchSchema documents the batch: an array of customers.
func customerBatchSchema(r huma.Registry) *huma.Schema {
	return &huma.Schema{
		Type:        huma.TypeArray,
		Items:       r.Schema(reflect.TypeFor[customerInput](), true, "CustomerInput"),
		Description: "Customers to create or update, matched by external_id. Nothing is written unless every item is valid.",
	}
}

// decodeCustomers reads a batch; what is wrong with it is kept for
// customers to report.
func decodeCustomers(data []byte) *customerBatch {
	b := &customerBatch{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		b.syntax = errors.New("want a JSON array of customers")
		return b
	}
	for dec.More() {
		var c customerInput
		err := dec.Decode(&c)
		if isSyntaxError(err) {
			b.syntax = err
			return b
		}
		if err != nil {
			b.problems = append(b.problems, itemProblem("a customer", len(b.items)+1, err))
		}
		b.items = append(b.items, c)
	}
	if _, err := dec.Token(); err != nil {
		b.syntax = err
		return b
	}
	if _, err := dec.Token(); err != io.EOF {
		b.syntax = errors.New("unexpected data after the array")
	}
	return b
}

// customers returns the decoded batch, or what was wrong with it.
func (b *customerBatch) customers() ([]heed.Customer, error) {
	if b.syntax != nil {
		return nil, heed.Errorf(heed.EBadRequest, "request body is not valid JSON: %v", b.syntax)
	}
	if len(b.problems) > 0 {
		return nil, b.problems
	}
	out := make([]heed.Customer, len(b.items))
	for i, c := range b.items {
		out[i] = c.customer(c.ExternalID)
	}
	return out, nil
}

func isSyntaxError(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// itemProblem describes why one item did not decode; item names what it
// is, with its article ("a customer"), for a field it has not.
func itemProblem(item string, line int, err error) heed.RowError {
	p := heed.RowError{File: "request", Line: line, Problem: err.Error()}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p.Field = te.Field
		p.Problem = "must be " + describeType(te.Type) + ", not " + te.Value
		return p
	}
	// encoding/json reports unknown fields only as text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		p.Field = strings.Trim(name, `"`)
		p.Problem = "is not " + item + " field"
	}
	return p
}

// describeType says what a JSON value must be to fill t, in the client's
// words: never a Go type's name.
func describeType(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[decimal]():
		return "a decimal number with at most 4 decimal places"
	case t == reflect.TypeFor[time.Time]():
		return "a date-time"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}

// decimal is heed.Decimal as the API reads and documents it: a JSON number
// (or a string holding one) with at most four decimal places.
type decimal heed.Decimal

// UnmarshalJSON reads d like heed.Decimal does, but reports a bad value as
// a type error, so encoding/json names the field.
func (d *decimal) UnmarshalJSON(b []byte) error {
	var v heed.Decimal
	if err := v.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[decimal]()}
	}
	*d = decimal(v)
	return nil
}

// MarshalJSON writes d as a JSON number.
func (d decimal) MarshalJSON() ([]byte, error) { return heed.Decimal(d).MarshalJSON() }

// Schema documents a decimal: a number, or a string holding one.
func (decimal) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Description: "A decimal with at most 4 decimal places, e.g. 48000.5; a string holding one is accepted too.",
		AnyOf: []*huma.Schema{
			{Type: huma.TypeNumber},
			{Type: huma.TypeString, Pattern: `^[+-]?([0-9]+(\.[0-9]{1,4})?|\.[0-9]{1,4})$`},
		},
	}
}

// registerDecimal makes every heed.Decimal in the document (customer
// values in answers) a decimal rather than the integer it is stored as.
func registerDecimal(r huma.Registry) {
	r.RegisterTypeAlias(reflect.TypeFor[heed.Decimal](), reflect.TypeFor[decimal]())
}
