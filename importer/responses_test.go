package importer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// The same three responses as a spreadsheet and as JSONL would give them.
const (
	responsesCSV = "\xEF\xBB\xBFSurvey,customer,unit,score,comment,answers,language,external_id,answered_at,Hidden.Store,hidden.order\n" +
		`store-visit,C-1,,9, Great ,"{""q1"": ""yes"", ""q2"": [""a"", ""b""], ""q3"": 4}",nl,a1,2026-03-01, n1 ,o-17` + "\n" +
		",,,,,,,,,,\n" + // spreadsheets leave such rows; they are no response
		"\n" +
		"store-visit,,n2,0,,,,a2,2026-03-01T09:30:00+01:00,,\n" +
		"store-visit,C-3,,,,{},,,,,\n"
	responsesJSONL = `{"survey":"store-visit","customer":"C-1","score":9,"comment":" Great ","answers":{"q1":"yes","q2":["a","b"],"q3":4},"language":"nl","external_id":"a1","answered_at":"2026-03-01","hidden":{"store":" n1 ","order":"o-17"}}` + "\n" +
		"\n" +
		"   \n" +
		`{"Survey":"store-visit","unit":"n2","score":"0","external_id":"a2","answered_at":"2026-03-01T09:30:00+01:00","hidden":{"order":""}}` + "\n" +
		`{"survey":"store-visit","customer":"C-3","score":null,"answers":{},"hidden":null}`
)

// wantResponses are the items both files above hold.
func wantResponses() []Response {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("", 3600))
	return []Response{
		{Survey: "store-visit", Customer: "C-1", Score: ptr(9), Comment: "Great",
			Answers:  map[string]any{"q1": "yes", "q2": []any{"a", "b"}, "q3": 4.0},
			Language: "nl", ExternalID: "a1", AnsweredAt: &day, Hidden: map[string]string{"store": "n1", "order": "o-17"}},
		{Survey: "store-visit", Unit: "n2", Score: ptr(0), ExternalID: "a2", AnsweredAt: &at},
		{Survey: "store-visit", Customer: "C-3", Answers: map[string]any{}},
	}
}

func ptr[T any](v T) *T { return &v }

func TestResponses(t *testing.T) {
	for _, tt := range []struct {
		format Format
		in     string
		lines  string
	}{
		{CSV, responsesCSV, "[2 5 6]"},
		{JSONL, responsesJSONL, "[1 4 5]"},
	} {
		t.Run(string(tt.format), func(t *testing.T) {
			rows, errs, err := Responses(strings.NewReader(tt.in), Options{File: "r", Format: tt.format})
			if err != nil || len(errs) > 0 {
				t.Fatalf("err %v, problems %v", err, problems(errs))
			}
			if got := fmt.Sprint(lines(rows)); got != tt.lines {
				t.Errorf("lines %s, want %s", got, tt.lines)
			}
			want := wantResponses()
			if len(rows) != len(want) {
				t.Fatalf("%d rows, want %d", len(rows), len(want))
			}
			for i, r := range rows {
				if !sameResponse(r.Item, want[i]) {
					t.Errorf("line %d:\ngot  %s\nwant %s", r.Line, show(r.Item), show(want[i]))
				}
			}
		})
	}
}

// sameResponse compares times as instants: a parsed zone is not the
// *time.Location a test builds.
func sameResponse(a, b Response) bool {
	ta, tb := a.AnsweredAt, b.AnsweredAt
	if (ta == nil) != (tb == nil) || ta != nil && !ta.Equal(*tb) {
		return false
	}
	a.AnsweredAt, b.AnsweredAt = nil, nil
	return reflect.DeepEqual(a, b)
}

func show(x Response) string {
	s := fmt.Sprintf("%+v", x)
	if x.Score != nil {
		s += fmt.Sprintf(" score=%d", *x.Score)
	}
	if x.AnsweredAt != nil {
		s += " at=" + x.AnsweredAt.Format(time.RFC3339)
	}
	return s
}

// TestResponseProblems shows, for each kind of problem, exactly what the
// user reads; the file goes on being read after each.
func TestResponseProblems(t *testing.T) {
	const head = "survey,score,answers,answered_at,hidden,hidden.store\n"
	tests := []struct {
		name   string
		format Format
		in     string
		want   []string
		rows   int // good rows still returned
	}{
		{"bare quote in the first column", CSV, head + "store\"visit,9,,,,\ns,9,,,,\n",
			[]string{`f:2: a " in a field without quotes around it; quote the field and double the " (column 6)`}, 1},
		{"unknown column", CSV, "survey,scroe,Hidden.Store\ns,9,n1\n",
			[]string{"f:1: scroe: unknown column; want survey, customer, unit, score, comment, answers, language, external_id, answered_at, hidden or hidden.NAME"}, 1},
		{"hidden column without name", CSV, "survey,hidden.\ns,x\n",
			[]string{"f:1: hidden.: want a key after the dot, as in hidden.source"}, 1},
		{"score not whole", CSV, head + "s,9.5,,,,\ns,nine,,,,\ns,99999999999999999999,,,,\n",
			[]string{`f:2: score: "9.5" is not a whole number`, `f:3: score: "nine" is not a whole number`, `f:4: score: "99999999999999999999" is not a whole number`}, 0},
		{"bad time", CSV, head + "s,9,,01/03/2026,,\ns,9,,2026-03-01 09:30,,\n",
			[]string{
				`f:2: answered_at: "01/03/2026" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD`,
				`f:3: answered_at: "2026-03-01 09:30" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD`}, 0},
		{"answers not an object", CSV, head + "s,9,[1],,,\ns,9,{q1: 1},,,\n",
			[]string{"f:2: answers: want a JSON object", "f:3: answers: not valid JSON: invalid character 'q' looking for beginning of object key string"}, 0},
		{"hidden given both ways", CSV, head + `s,9,,,"{""store"":""n1""}",n2` + "\n",
			[]string{"f:2: hidden.store: also set in the hidden column"}, 0},
		{"hidden column not strings", CSV, head + `s,9,,,"{""order"":17}",` + "\n" + `s,9,,,"{""a"":""x""} {}",` + "\n" + `s,9,,,"{""a"":""x""",` + "\n",
			[]string{
				`f:2: hidden: "order": want a string, not a number (put it in quotes)`,
				"f:3: hidden: not valid JSON: unexpected text after the object",
				"f:4: hidden: not valid JSON: unexpected end of JSON input"}, 0},
		{"every problem of a row", CSV, head + "s,x,[],yesterday,[],\n",
			[]string{`f:2: score: "x" is not a whole number`, "f:2: answers: want a JSON object",
				`f:2: answered_at: "yesterday" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD`, "f:2: hidden: want a JSON object of strings"}, 0},

		{"json second object on a line", JSONL, `{"survey":"s","score":9} {"survey":"t","score":8}` + "\n" + `{"survey":"u","score":7}`,
			[]string{"f:1: unexpected text after the object"}, 1},
		{"json wrong types", JSONL, `{"survey":1,"score":true,"answers":"yes","answered_at":20260301,"hidden":{"order":17,"store":["n1"]}}`,
			[]string{"f:1: survey: want a string, not a number (put it in quotes)", "f:1: score: want a number", "f:1: answers: want a JSON object",
				"f:1: answered_at: want a string, not a number (put it in quotes)", `f:1: hidden: "order": want a string, not a number (put it in quotes)`}, 0},
		{"json score not whole", JSONL, `{"survey":"s","score":9.0}` + "\n" + `{"survey":"s","score":"9x"}`,
			[]string{`f:1: score: "9.0" is not a whole number`, `f:2: score: "9x" is not a whole number`}, 0},
		{"json unknown key", JSONL, `{"survey":"s","score":9,"line":3}`,
			[]string{"f:1: line: unknown field; want survey, customer, unit, score, comment, answers, language, external_id, answered_at, hidden"}, 0},
		{"json hidden key twice", JSONL, `{"survey":"s","hidden":{"order":"1","order":"2"}}`,
			[]string{`f:1: hidden: "order" given twice`}, 0},
		{"json NUL in a hidden value", JSONL, `{"survey":"s","hidden":{"order":"1\u0000"}}`,
			[]string{`f:1: hidden: "order": contains a NUL character`}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs, err := Responses(strings.NewReader(tt.in), Options{File: "f", Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, problems(errs), tt.want)
			if good := len(lines(rows)); good != tt.rows {
				t.Errorf("got %d good rows, want %d", good, tt.rows)
			}
		})
	}
}

func TestResponsesUnusableFiles(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		in     string
		code   heed.Code
		want   string
	}{
		{"empty", CSV, "", heed.EInvalid, "f: the file is empty"},
		{"duplicate column", CSV, "survey,score,Score\ns,1,2\n", heed.EInvalid, `f:1: column "Score" appears twice`},
		{"duplicate hidden column", CSV, "survey,hidden.store,HIDDEN.STORE\ns,a,b\n", heed.EInvalid, `f:1: column "HIDDEN.STORE" appears twice`},
		{"row over 1 MiB", CSV, "survey,comment\ns,ok\n\ns,\"" + strings.Repeat("x", 2<<20) + "\"\n", heed.ETooLarge, "f:4: row is longer than 1 MiB (is a quote left open?)"},
		{"too many rows", CSV, "survey,score\n" + strings.Repeat("s,1\n", 4), heed.ETooLarge, "f: more than 3 rows; split the file"},
		{"too many JSONL rows", JSONL, strings.Repeat(`{"survey":"s"}`+"\n\n", 4), heed.ETooLarge, "f: more than 3 rows; split the file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, _, err := Responses(strings.NewReader(tt.in), Options{File: "f", Format: tt.format, MaxRows: 3})
			if rows != nil || heed.ErrorCode(err) != tt.code || heed.ErrorMessage(err) != tt.want {
				t.Errorf("%d rows, error %v (%s); want %s: %s", len(rows), err, heed.ErrorCode(err), tt.code, tt.want)
			}
		})
	}
}

// TestResponsesJSONLLongLine: a JSONL line over 1 MiB is one problem,
// named by its line, and the lines after it are still read.
func TestResponsesJSONLLongLine(t *testing.T) {
	in := `{"survey":"s","score":1}` + "\n" + `{"survey":"s","comment":"` + strings.Repeat("x", 2<<20) + `"}` + "\n" + `{"survey":"s","score":3}` + "\n"
	rows, errs, err := Responses(strings.NewReader(in), Options{File: "f", Format: JSONL})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, problems(errs), []string{"f:2: line is longer than 1 MiB"})
	if got := fmt.Sprint(lines(rows)); got != "[1 3]" {
		t.Errorf("lines %s, want [1 3]", got)
	}
}

func FuzzResponsesCSV(f *testing.F) {
	f.Add(responsesCSV)
	f.Add("survey,hidden.a,hidden\ns,x,\"{\"\"a\"\":\"\"y\"\"}\"\n")
	f.Add("\"survey\nscore,x\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, errs, err := Responses(strings.NewReader(in), Options{File: "f"})
		if err != nil && (rows != nil || heed.ErrorCode(err) == heed.EInternal) {
			t.Fatalf("error %v with %d rows", err, len(rows))
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Errorf("row on line %d", r.Line)
			}
			for k, v := range r.Item.Hidden {
				if v == "" || v != strings.TrimSpace(v) || k != strings.ToLower(k) && !r.Bad {
					t.Errorf("hidden %q: %q", k, v)
				}
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.File != "f" {
				t.Errorf("problem %s", e.String())
			}
		}
	})
}
