package sqlstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/heedhq/heed"
)

// CanonicalAttributes validates a customer's attributes as one JSON object
// and returns it in the canonical form both engines store and return: keys
// sorted, no insignificant space, numbers as PostgreSQL's numeric prints
// them. Equal objects therefore compare equal as text, which is how an
// unchanged row is recognised. nil, empty and null mean {}.
func CanonicalAttributes(raw json.RawMessage) (string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "{}", nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return "", heed.FieldErrorf(heed.EInvalid, "attributes", "must be a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", heed.FieldErrorf(heed.EInvalid, "attributes", "must be a single JSON object")
	}
	if m == nil {
		return "{}", nil
	}
	if err := canonicalNumbers(m); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return "", heed.FieldErrorf(heed.EInvalid, "attributes", "cannot be encoded: %v", err)
	}
	s := strings.TrimSuffix(buf.String(), "\n")
	if strings.Contains(s, `\u0000`) {
		// PostgreSQL's jsonb refuses NUL; refuse it on both engines alike.
		return "", heed.FieldErrorf(heed.EInvalid, "attributes", "must not contain NUL characters")
	}
	return s, nil
}

// canonicalNumbers rewrites every json.Number inside v in place.
func canonicalNumbers(v any) error {
	var err error
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if x[k], err = canonicalValue(e); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if x[i], err = canonicalValue(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// canonicalValue is e with its numbers, or e itself if one, canonical.
func canonicalValue(e any) (any, error) {
	if n, ok := e.(json.Number); ok {
		return canonicalNumber(n)
	}
	return e, canonicalNumbers(e)
}

// canonicalNumber writes a JSON number the way PostgreSQL's numeric type
// (inside jsonb) prints it: plain notation, the exponent folded in, the
// scale kept ("1.50" stays, "1e2" becomes "100", "1.5e-2" "0.015").
func canonicalNumber(n json.Number) (json.Number, error) {
	s := string(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, expText, _ := strings.Cut(strings.ToLower(s), "e")
	exp := 0
	if expText != "" {
		if _, err := fmt.Sscan(expText, &exp); err != nil || exp > 1000 || exp < -1000 {
			return "", heed.FieldErrorf(heed.EInvalid, "attributes", "number %s is out of range", n)
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	point := len(intPart) + exp // position of the decimal point in digits
	scale := max(0, len(frac)-exp)
	for point > len(digits) {
		digits += "0"
	}
	for point < 0 {
		digits = "0" + digits
		point++
	}
	whole := strings.TrimLeft(digits[:point], "0")
	if whole == "" {
		whole = "0"
	}
	fracOut := (digits[point:] + strings.Repeat("0", scale))[:scale]
	out := whole
	if scale > 0 {
		out += "." + fracOut
	}
	if neg && strings.Trim(whole+fracOut, "0") != "" {
		out = "-" + out
	}
	return json.Number(out), nil
}
