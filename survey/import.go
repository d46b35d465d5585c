package survey

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// MaxImportRows bounds a responses file: one transaction holds it all.
const MaxImportRows = 200_000

// ParseResponses reads a responses file: CSV with a header row (columns
// survey, customer, unit, score, comment, answers (a JSON object),
// language, external_id, answered_at (RFC 3339 or YYYY-MM-DD), and
// hidden.NAME for each hidden field) or JSONL (one ResponseInput object
// per line). Every problem is listed by line and field.
func ParseResponses(file string, r io.Reader, jsonl bool) ([]ResponseInput, error) {
	var (
		out  []ResponseInput
		errs heed.RowErrors
		err  error
	)
	if jsonl {
		out, errs, err = parseResponsesJSONL(file, r)
	} else {
		out, errs, err = parseResponsesCSV(file, r)
	}
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, &heed.Error{Code: heed.EInvalid, Message: fmt.Sprintf("%s: %d problems; nothing was written", file, len(errs)), Err: errs}
	}
	if len(out) == 0 {
		return nil, heed.Errorf(heed.EInvalid, "%s holds no responses", file)
	}
	return out, nil
}

func parseResponsesJSONL(file string, r io.Reader) ([]ResponseInput, heed.RowErrors, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []ResponseInput
	var errs heed.RowErrors
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if len(out) >= MaxImportRows {
			return nil, nil, heed.Errorf(heed.ETooLarge, "%s: more than %d responses; split the file", file, MaxImportRows)
		}
		var in ResponseInput
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			errs = append(errs, heed.RowError{File: file, Line: line, Problem: "not a response object: " + err.Error()})
			continue
		}
		in.Line = line
		out = append(out, in)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, heed.Errorf(heed.EInvalid, "%s: %v", file, err)
	}
	return out, errs, nil
}

func parseResponsesCSV(file string, r io.Reader) ([]ResponseInput, heed.RowErrors, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, heed.Errorf(heed.EInvalid, "%s is empty", file)
	}
	if err != nil {
		return nil, nil, heed.Errorf(heed.EInvalid, "%s:1: %v", file, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case strings.HasPrefix(h, "hidden."):
		case h == "survey", h == "customer", h == "unit", h == "score", h == "comment", h == "answers",
			h == "language", h == "external_id", h == "answered_at":
		default:
			return nil, nil, heed.Errorf(heed.EInvalid, "%s:1: unknown column %q (survey, customer, unit, score, comment, answers, language, external_id, answered_at, hidden.NAME)", file, h)
		}
		cols[h] = i
	}
	for _, need := range []string{"survey", "score"} {
		if _, ok := cols[need]; !ok {
			return nil, nil, heed.Errorf(heed.EInvalid, "%s:1: the header has no %q column", file, need)
		}
	}
	var out []ResponseInput
	var errs heed.RowErrors
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			errs = append(errs, heed.RowError{File: file, Line: line, Problem: err.Error()})
			continue
		}
		if len(out) >= MaxImportRows {
			return nil, nil, heed.Errorf(heed.ETooLarge, "%s: more than %d responses; split the file", file, MaxImportRows)
		}
		in, probs := csvResponse(rec, cols)
		for _, p := range probs {
			errs = append(errs, heed.RowError{File: file, Line: line, Field: p[0], Problem: p[1]})
		}
		in.Line = line
		out = append(out, in)
	}
	return out, errs, nil
}

// csvResponse reads one record; problems are (field, text) pairs.
func csvResponse(rec []string, cols map[string]int) (ResponseInput, [][2]string) {
	get := func(name string) string {
		if i, ok := cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var probs [][2]string
	in := ResponseInput{
		Survey: get("survey"), Customer: get("customer"), Unit: get("unit"), Comment: get("comment"),
		Language: get("language"), ExternalID: get("external_id"),
	}
	if s := get("score"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			probs = append(probs, [2]string{"score", fmt.Sprintf("score %q is not a whole number", s)})
		} else {
			in.Score = &n
		}
	}
	if a, err := decodeAnswers(get("answers")); err != nil {
		probs = append(probs, [2]string{"answers", heed.ErrorMessage(err)})
	} else {
		in.Answers = a
	}
	if s := get("answered_at"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t, err = time.Parse(time.DateOnly, s)
		}
		if err != nil {
			probs = append(probs, [2]string{"answered_at", fmt.Sprintf("answered_at %q must be RFC 3339 or YYYY-MM-DD", s)})
		} else {
			in.AnsweredAt = &t
		}
	}
	for name, i := range cols {
		if h, ok := strings.CutPrefix(name, "hidden."); ok && i < len(rec) && rec[i] != "" {
			if in.Hidden == nil {
				in.Hidden = map[string]string{}
			}
			in.Hidden[h] = rec[i]
		}
	}
	return in, probs
}
