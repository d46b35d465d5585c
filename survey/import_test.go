package survey_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// TestParseResponses reads the same responses from CSV and JSONL.
func TestParseResponses(t *testing.T) {
	csv := "survey,customer,unit,score,comment,answers,language,external_id,answered_at,hidden.Store,hidden.order\n" +
		`kiosk,C-00001,,9, Quick ,"{""why"": ""a""}",nl,k1,2026-03-01, n1 ,` + "\n" +
		",,,,,,,,,,\n" +
		"kiosk,,s1,3,,,,k2,2026-03-01T08:00:00Z,,o-2\n"
	jsonl := `{"survey":"kiosk","customer":"C-00001","score":9,"comment":" Quick ","answers":{"why":"a"},"language":"nl","external_id":"k1","answered_at":"2026-03-01","hidden":{"store":" n1 "}}` + "\n" +
		"\n" +
		`{"survey":"kiosk","unit":"s1","score":3,"external_id":"k2","answered_at":"2026-03-01T08:00:00Z","hidden":{"order":"o-2"}}` + "\n"
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	eight := day.Add(8 * time.Hour)
	want := []survey.ResponseInput{
		{Survey: "kiosk", Customer: "C-00001", Score: ptr(9), Comment: "Quick", Answers: map[string]any{"why": "a"},
			Language: "nl", ExternalID: "k1", AnsweredAt: &day, Hidden: map[string]string{"store": "n1"}},
		{Survey: "kiosk", Unit: "s1", Score: ptr(3), ExternalID: "k2", AnsweredAt: &eight, Hidden: map[string]string{"order": "o-2"}},
	}
	for _, tt := range []struct {
		name  string
		in    string
		jsonl bool
		lines []int
	}{
		{"csv", csv, false, []int{2, 4}},
		{"jsonl", jsonl, true, []int{1, 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := survey.ParseResponses("f", strings.NewReader(tt.in), tt.jsonl)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d responses, want %d", len(got), len(want))
			}
			for i := range got {
				w := want[i]
				w.Line = tt.lines[i]
				if g := got[i]; !g.AnsweredAt.Equal(*w.AnsweredAt) || *g.Score != *w.Score {
					t.Errorf("line %d: answered %s, score %d; want %s, %d", g.Line, g.AnsweredAt, *g.Score, w.AnsweredAt, *w.Score)
				}
				g := got[i]
				g.AnsweredAt, g.Score, w.AnsweredAt, w.Score = nil, nil, nil, nil
				if !reflect.DeepEqual(g, w) {
					t.Errorf("got  %+v\nwant %+v", g, w)
				}
			}
		})
	}
}

// TestParseResponsesProblems: a file with any problem is refused whole,
// with every problem listed by line and field.
func TestParseResponsesProblems(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		jsonl bool
		code  heed.Code
		msg   string
		rows  []string
	}{
		{"csv", "survey,score,answered_at,hidden.store\n" +
			"kiosk\"x,9,,\n" + // a bare quote in the first column once panicked
			"kiosk,nine,2026-13-01,\n" +
			"\n" +
			"kiosk,9,, n1 \n",
			false, heed.EInvalid, "f: 3 problems; nothing was written", []string{
				`f:2: a " in a field without quotes around it; quote the field and double the " (column 6)`,
				`f:3: score: "nine" is not a whole number`,
				`f:3: answered_at: "2026-13-01" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD`,
			}},
		{"jsonl", `{"survey":"kiosk","score":9} {"survey":"kiosk","score":8}` + "\n" +
			`{"survey":"kiosk","score":"9","hidden":{"store":1}}` + "\n" +
			`{"survey":"kiosk","score":9,"comment":"` + strings.Repeat("x", 2<<20) + `"}` + "\n",
			true, heed.EInvalid, "f: 3 problems; nothing was written", []string{
				"f:1: unexpected text after the object",
				`f:2: hidden: "store": want a string, not a number (put it in quotes)`,
				"f:3: line is longer than 1 MiB",
			}},
		{"column twice", "survey,score,hidden.store,Hidden.Store\nkiosk,9,a,b\n", false, heed.EInvalid, `f:1: column "Hidden.Store" appears twice`, nil},
		{"empty csv", "", false, heed.EInvalid, "f: the file is empty", nil},
		{"empty jsonl", "\n \n", true, heed.EInvalid, "f: the file is empty", nil},
		{"header only", "survey,score\n,\n", false, heed.EInvalid, "f holds no responses", nil},
		{"too many rows", "survey,score\n" + strings.Repeat("kiosk,9\n", survey.MaxImportRows+1), false, heed.ETooLarge, "f: more than 200,000 rows; split the file", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := survey.ParseResponses("f", strings.NewReader(tt.in), tt.jsonl)
			if got != nil || heed.ErrorCode(err) != tt.code || heed.ErrorMessage(err) != tt.msg {
				t.Fatalf("%d responses, error %v (%s); want %s: %s", len(got), err, heed.ErrorCode(err), tt.code, tt.msg)
			}
			var rows heed.RowErrors
			errors.As(err, &rows)
			var lines []string
			for _, r := range rows {
				lines = append(lines, r.String())
			}
			if !reflect.DeepEqual(lines, tt.rows) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(lines, "\n  "), strings.Join(tt.rows, "\n  "))
			}
		})
	}
}

// TestImportResponses takes parsed files through the service: the
// service still names a missing score, and what a file holds is stored.
func TestImportResponses(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 3)
	ctx := t.Context()
	sv, err := f.svc.CreateSurvey(ctx, heed.System(), heed.Survey{Kind: heed.SurveyNPS, Name: "Kiosk", Hidden: []string{"order", "store"},
		Questions: []heed.Question{{ID: "why", Type: heed.QuestionSingle, Options: []string{"a", "b"}}}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := survey.ParseResponses("k.csv", strings.NewReader("survey,customer,score,external_id\n"+sv.Key+",C-00001,,k1\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.RecordResponses(ctx, heed.System(), "k.csv", heed.ChannelImport, in)
	var rows heed.RowErrors
	if !errors.As(err, &rows) || len(rows) != 1 || rows[0].String() != "k.csv:2: score: score is required" {
		t.Fatalf("a row without a score: %v (%+v); want k.csv:2: score: score is required", err, rows)
	}

	jsonl := `{"survey":"` + sv.Key + `","customer":"C-00001","score":9,"answers":{"why":"b"},"answered_at":"2026-03-01","hidden":{"store":" n1 "}}`
	in, err = survey.ParseResponses("k.jsonl", strings.NewReader(jsonl), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RecordResponses(ctx, heed.System(), "k.jsonl", heed.ChannelImport, in); err != nil {
		t.Fatal(err)
	}
	list, err := f.svc.ListResponses(ctx, heed.System(), sv.Key, heed.ResponseFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("%d responses, %v; want 1", len(list), err)
	}
	r := list[0]
	if r.Score != 9 || r.Hidden["store"] != "n1" || r.Answers["why"] != "b" || heed.Day(r.CreatedAt) != heed.Day(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("stored %+v; want score 9, store n1, why b, answered 2026-03-01", r)
	}
}
