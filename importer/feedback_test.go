package importer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// The same three items as a spreadsheet and as JSONL would give them: a
// review, a transcript and a ticket.
const (
	feedbackCSV = "Kind,source,external_id,title,text,turns,rating,platform,at,language,customer,email,author,unit\n" +
		"Review,google,r1,Slow, Waited 25 minutes ,,2,Google Maps,2026-03-01,en,,ann@mail.example,Ann A.,store-1\n" +
		"\n" +
		"transcript,aircall,t1,,,\"Agent: Hello, how can I help?\n" +
		"CUSTOMER: My order never came.\n" +
		"It was due on Monday.\n" +
		"Agent: I'm sorry: let me check.\",,,2026-03-02T09:30:00+01:00,,C-1,,,\n" +
		"ticket,zendesk,z1,,Refund please,,4.0,,,,,,,\n"
	feedbackJSONL = `{"kind":"Review","source":"google","external_id":"r1","title":"Slow","text":" Waited 25 minutes ","rating":2,"platform":"Google Maps","at":"2026-03-01","language":"en","email":"ann@mail.example","author":"Ann A.","unit":"store-1"}` + "\n" +
		"\n" +
		`{"kind":"transcript","source":"aircall","external_id":"t1","turns":[{"speaker":"Agent","text":"Hello, how can I help?","start":0.5},{"speaker":"CUSTOMER","text":"My order never came.\nIt was due on Monday."},{"speaker":"agent","text":"I'm sorry: let me check."},{"speaker":"agent","text":"  "}],"at":"2026-03-02T09:30:00+01:00","customer":"C-1"}` + "\n" +
		`{"kind":"ticket","source":"zendesk","external_id":"z1","text":"Refund please","rating":"4.0","unit":null}`
)

func wantFeedback() []FeedbackItem {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("", 3600))
	return []FeedbackItem{
		{Kind: heed.FeedbackReview, Source: "google", ExternalID: "r1", Title: "Slow", Text: "Waited 25 minutes", Rating: ptr(2),
			Platform: "Google Maps", At: &day, Language: "en", Email: "ann@mail.example", Author: "Ann A.", Unit: "store-1"},
		{Kind: heed.FeedbackTranscript, Source: "aircall", ExternalID: "t1", Turns: []heed.Turn{
			{Speaker: "agent", Text: "Hello, how can I help?"},
			{Speaker: "customer", Text: "My order never came.\nIt was due on Monday."},
			{Speaker: "agent", Text: "I'm sorry: let me check."},
		}, At: &at, Customer: "C-1"},
		{Kind: heed.FeedbackTicket, Source: "zendesk", ExternalID: "z1", Text: "Refund please", Rating: ptr(4)},
	}
}

func TestFeedbackCSVAndJSONL(t *testing.T) {
	for _, tc := range []struct {
		format Format
		in     string
		lines  string
	}{{CSV, feedbackCSV, "[2 4 8]"}, {JSONL, feedbackJSONL, "[1 3 4]"}} {
		t.Run(string(tc.format), func(t *testing.T) {
			rows, errs, err := Feedback(strings.NewReader(tc.in), Options{File: "f", Format: tc.format})
			if err != nil || len(errs) > 0 {
				t.Fatalf("err %v, problems %v", err, problems(errs))
			}
			if got := fmt.Sprint(lines(rows)); got != tc.lines {
				t.Errorf("lines %s, want %s", got, tc.lines)
			}
			for i, want := range wantFeedback() {
				if i < len(rows) && !reflect.DeepEqual(rows[i].Item, want) {
					t.Errorf("item %d:\n got %s\nwant %s", i+1, showFeedback(rows[i].Item), showFeedback(want))
				}
			}
		})
	}
}

func showFeedback(x FeedbackItem) string {
	s := fmt.Sprintf("%+v", x)
	if x.Rating != nil {
		s += fmt.Sprintf(" rating=%d", *x.Rating)
	}
	if x.At != nil {
		s += " at=" + x.At.Format(time.RFC3339)
	}
	return s
}

// TestTurnLines: one turn per "Speaker: text" line; lines without a
// speaker (times, links, a first line) are text.
func TestTurnLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Agent: Hi\nClient: Hello\n\n  there ", "agent: Hi | client: Hello\nthere"},
		{"hello\nCaller: hi", ": hello | caller: hi"},
		{"Ann Marie Smith: at 10:30 see https://x.example/a:b", "Ann Marie Smith: at 10:30 see https://x.example/a:b"},
		{"Customer:\nI waited\nAgent: sorry", "customer: I waited | agent: sorry"},
		{"What I think of it all: bad", ": What I think of it all: bad"},
		{"10:30 the doors opened", ": 10:30 the doors opened"},
		{"Agent:\nCustomer: ok", "customer: ok"},
	} {
		turns, err := parseTurnLines(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, x := range turns {
			parts = append(parts, x.Speaker+": "+x.Text)
		}
		if got := strings.Join(parts, " | "); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestFeedbackMapping reads a file exported from another tool: its
// columns named its own way (any case), a column that bears our name
// but is not the one mapped, and columns we do not read, which are
// skipped and listed once.
func TestFeedbackMapping(t *testing.T) {
	csv := "Review ID,Stars,REVIEW,Text,Reply,Date,,Reviewer Email\n" +
		"g-1,5,Lovely staff,(translated),Thanks!,2026-01-05,x,ann@mail.example\n"
	jsonl := `{"Review ID":"g-1","stars":5,"review":"Lovely staff","text":"(translated)","Reply":"Thanks!","Date":"2026-01-05","reviewer email":"ann@mail.example"}` + "\n" +
		`{"Review ID":"g-2","review":"Fine","REPLY":"","likes":3}`
	cols := map[string]string{"review id": "external_id", "STARS": "Rating", "Review": "text", "date": "at", "Reviewer Email": "email"}
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	want := FeedbackItem{ExternalID: "g-1", Rating: ptr(5), Text: "Lovely staff", At: &day, Email: "ann@mail.example"}
	for _, tc := range []struct {
		format  Format
		in      string
		ignored string
	}{{CSV, csv, "[Text Reply column 7 (no name)]"}, {JSONL, jsonl, "[text Reply likes]"}} {
		t.Run(string(tc.format), func(t *testing.T) {
			var ignored [][]string
			rows, errs, err := Feedback(strings.NewReader(tc.in), Options{File: "f", Format: tc.format, Columns: cols,
				IgnoreUnknown: true, Ignored: func(c []string) { ignored = append(ignored, c) }})
			if err != nil || len(errs) > 0 {
				t.Fatalf("err %v, problems %v", err, problems(errs))
			}
			if len(rows) == 0 || !reflect.DeepEqual(rows[0].Item, want) {
				t.Fatalf("rows %+v, want first %s", rows, showFeedback(want))
			}
			if len(ignored) != 1 || fmt.Sprint(ignored[0]) != tc.ignored {
				t.Errorf("told of ignored columns %v, want once %s", ignored, tc.ignored)
			}
		})
	}

	// Without IgnoreUnknown, a column that is not ours is a problem, as
	// for every other import.
	_, errs, err := Feedback(strings.NewReader(csv), Options{File: "f", Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, problems(errs), []string{
		"f:1: Text: unknown column; want kind, source, external_id, title, text, turns, rating, platform, at, language, customer, email, author, unit",
		"f:1: Reply: unknown column; want kind, source, external_id, title, text, turns, rating, platform, at, language, customer, email, author, unit",
		"f:1: column 7 has no name",
	})
}

// TestIgnoreUnknownIsAsked: the other imports still refuse columns they
// do not know, and read mapped ones.
func TestIgnoreUnknownIsAsked(t *testing.T) {
	rows, errs, err := Units(strings.NewReader("Code,name,colour\nn1,North,red\n"), Options{File: "f", Columns: map[string]string{"code": "key"}})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, problems(errs), []string{"f:1: colour: unknown column; want key, name, parent, responsible"})
	if len(rows) != 1 || rows[0].Item.Key != "n1" {
		t.Errorf("rows %+v", rows)
	}
}

func TestFeedbackMappingErrors(t *testing.T) {
	const fields = "kind, source, external_id, title, text, turns, rating, platform, at, language, customer, email, author, unit"
	for _, tc := range []struct {
		name   string
		format Format
		in     string
		cols   map[string]string
		want   string
	}{
		{"no such field", CSV, "Stars\n5\n", map[string]string{"Stars": "stars"},
			`f: column "Stars" is mapped to "stars", which is not a field; want one of ` + fields},
		{"no such column", CSV, "id,Review,Stars\n1,ok,5\n", map[string]string{"Review ID": "external_id", "review": "text"},
			`f:1: the file has no column "Review ID" (for external_id); its columns are id, Review, Stars`},
		{"no such key", JSONL, `{"id":"1","review":"ok"}`, map[string]string{"Review ID": "external_id", "review": "text"},
			`f: no line has the key "Review ID" (for external_id)`},
		{"two columns for one field", CSV, "a,b\n1,2\n", map[string]string{"a": "text", "b": "TEXT"},
			`f: columns "a" and "b" are both mapped to text`},
		{"a column mapped twice", CSV, "a\n1\n", map[string]string{"a": "text", "A": "title"},
			`f: column "a" is mapped twice`},
		{"only columns we do not read", CSV, "x,y\n1,2\n", nil,
			"f:1: no column is one Heed reads; want columns named " + fields + ", or map yours to them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Feedback(strings.NewReader(tc.in), Options{File: "f", Format: tc.format, Columns: tc.cols, IgnoreUnknown: true})
			if heed.ErrorCode(err) != heed.EInvalid || heed.ErrorMessage(err) != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestFeedbackProblems(t *testing.T) {
	const head = "external_id,text,rating,at\n"
	for _, tc := range []struct {
		name   string
		format Format
		in     string
		want   []string
	}{
		{"bad ratings", CSV, head + "a,x,five,\nb,x,7,\nc,x,4.5,\nd,x,0,\ne,x,5,\n", []string{
			`f:2: rating: "five" is not a whole number of stars`, "f:3: rating: a rating is 1 to 5 stars, not 7",
			`f:4: rating: "4.5" is not a whole number of stars`, "f:5: rating: a rating is 1 to 5 stars, not 0"}},
		{"bad times", CSV, head + "a,x,,yesterday\nb,x,,01/03/2026\nc,x,,2026-03-01\n", []string{
			`f:2: at: "yesterday" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD`,
			`f:3: at: "01/03/2026" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD`}},
		{"bad turn", CSV, "external_id,turns\na,\"Agent: hi\nCustomer: x\x00y\"\n", []string{"f:2: turns: contains a NUL character"}},
		{"json bad rating and time", JSONL, `{"external_id":"a","rating":6,"at":"soon"}` + "\n" + `{"rating":true}`, []string{
			"f:1: rating: a rating is 1 to 5 stars, not 6",
			`f:1: at: "soon" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD`,
			"f:2: rating: want a number"}},
		{"json turns", JSONL, `{"turns":{"speaker":"a"}}` + "\n" + `{"turns":["hi"]}` + "\n" + `{"turns":[{"speaker":1,"text":"x"}]}` +
			"\n" + `{"turns":[{"speaker":"a","text":"x\u0000"}]}`, []string{
			"f:1: turns: want a JSON array", `f:2: turns: want an array of {"speaker": "…", "text": "…"} objects`,
			`f:3: turns: want an array of {"speaker": "…", "text": "…"} objects`, "f:4: turns: turn 1: contains a NUL character"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, err := Feedback(strings.NewReader(tc.in), Options{File: "f", Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, problems(errs), tc.want)
		})
	}
}

// TestFeedbackTurnsAsText: a JSONL string holds turns as a CSV cell does.
func TestFeedbackTurnsAsText(t *testing.T) {
	rows, errs, err := Feedback(strings.NewReader(`{"turns":"Agent: hi\nCustomer: [laughs] no"}`), Options{File: "f", Format: JSONL})
	if err != nil || len(errs) > 0 {
		t.Fatalf("err %v, problems %v", err, problems(errs))
	}
	want := []heed.Turn{{Speaker: "agent", Text: "hi"}, {Speaker: "customer", Text: "[laughs] no"}}
	if len(rows) != 1 || !reflect.DeepEqual(rows[0].Item.Turns, want) {
		t.Errorf("rows %+v", rows)
	}
}
