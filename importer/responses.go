package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// Response is one answer collected elsewhere (an app, a kiosk, another
// tool) as a file gives it. Package survey checks it against the survey;
// it is defined here because survey imports this package.
type Response struct {
	Survey     string
	Customer   string // external id
	Unit       string // key, when there is no customer
	Score      *int   // nil when not given
	Comment    string
	Answers    map[string]any
	Language   string
	ExternalID string
	AnsweredAt *time.Time
	Hidden     map[string]string
}

// Responses reads survey responses (survey, customer, unit, score,
// comment, answers, language, external_id, answered_at, hidden), as Units
// does. In CSV, columns named hidden.NAME add NAME (lower-cased, as hidden
// field names are) to the hidden fields; in JSONL, hidden is an object of
// strings.
func Responses(r io.Reader, o Options) ([]Row[Response], heed.RowErrors, error) {
	return read(r, o, responseSchema)
}

// This table is never written after start-up.
var responseSchema = newSchema(&keyed[Response]{
	prefixes: []string{"hidden."}, form: "hidden.NAME", example: "hidden.source", fold: true, merge: mergeHidden,
},
	field[Response]{"survey", jsonString, func(x *Response, s string) error { x.Survey = s; return nil }},
	field[Response]{"customer", jsonString, func(x *Response, s string) error { x.Customer = s; return nil }},
	field[Response]{"unit", jsonString, func(x *Response, s string) error { x.Unit = s; return nil }},
	field[Response]{"score", jsonNumber, func(x *Response, s string) (err error) { x.Score, err = parseScore(s); return err }},
	field[Response]{"comment", jsonString, func(x *Response, s string) error { x.Comment = s; return nil }},
	field[Response]{"answers", jsonObject, func(x *Response, s string) (err error) { x.Answers, err = parseAnswers(s); return err }},
	field[Response]{"language", jsonString, func(x *Response, s string) error { x.Language = s; return nil }},
	field[Response]{"external_id", jsonString, func(x *Response, s string) error { x.ExternalID = s; return nil }},
	field[Response]{"answered_at", jsonString, func(x *Response, s string) (err error) { x.AnsweredAt, err = parseTime(s); return err }},
	field[Response]{"hidden", jsonObject, func(x *Response, s string) (err error) { x.Hidden, err = parseHidden(s); return err }},
)

// parseScore reads a whole number; empty is no score, which the survey
// service reports (it knows whether the survey needs one).
func parseScore(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a whole number", s)
	}
	return &n, nil
}

// parseAnswers reads a JSON object of answers by question id; numbers
// become float64, as the API decodes them.
func parseAnswers(s string) (map[string]any, error) {
	if s == "" || s == "null" {
		return nil, nil
	}
	if s[0] != '{' {
		return nil, errors.New("want a JSON object")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	return m, nil
}

// parseTime takes RFC 3339 or, as spreadsheets write dates, YYYY-MM-DD
// (midnight UTC).
func parseTime(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.Parse(time.DateOnly, s)
	}
	if err != nil {
		return nil, fmt.Errorf("%q is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD", s)
	}
	return &t, nil
}

// parseHidden reads a JSON object of strings. It walks the keys in order,
// so that the first bad value is the one named and a key given twice is
// caught; values are trimmed and blank ones dropped, as CSV cells are.
func parseHidden(s string) (map[string]string, error) {
	if s == "" || s == "null" {
		return nil, nil
	}
	if s[0] != '{' {
		return nil, errors.New("want a JSON object of strings")
	}
	dec := json.NewDecoder(strings.NewReader(s))
	if _, err := dec.Token(); err != nil {
		return nil, invalidJSON(err)
	}
	m := map[string]string{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, invalidJSON(err)
		}
		key, _ := tok.(string) // inside an object, Token gives keys as strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, invalidJSON(err)
		}
		if seen[key] {
			return nil, fmt.Errorf("%q given twice", key)
		}
		seen[key] = true
		v, problem := jsonText(raw, jsonString)
		if problem == "" {
			v = strings.TrimSpace(v)
			problem = textProblem(v)
		}
		if problem != "" {
			return nil, fmt.Errorf("%q: %s", key, problem)
		}
		if v != "" {
			m[key] = v
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, invalidJSON(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not valid JSON: unexpected text after the object")
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// invalidJSON says what json.Unmarshal would have said: a decoder reports
// a value cut short as a bare EOF.
func invalidJSON(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("not valid JSON: unexpected end of JSON input")
	}
	return fmt.Errorf("not valid JSON: %v", err)
}

// mergeHidden adds the hidden.NAME columns of a CSV row to the response's
// hidden fields; a name given both ways is a problem because neither
// value is obviously the right one.
func mergeHidden(x *Response, pairs []pair) []problem {
	if x.Hidden == nil {
		x.Hidden = make(map[string]string, len(pairs))
	}
	var probs []problem
	for _, p := range pairs {
		if _, dup := x.Hidden[p.key]; dup { // columns are unique, so it came from the object
			probs = append(probs, problem{p.column, "also set in the hidden column"})
			continue
		}
		x.Hidden[p.key] = p.value
	}
	return probs
}
