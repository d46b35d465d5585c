package feedback_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
)

// TestParseFile: the kind and the system come from the command line
// unless a row says otherwise; unknown columns are skipped and named.
func TestParseFile(t *testing.T) {
	csv := "Kind,Source,ID,Body,Score,Likes\n" +
		",,1,Slow checkout,2,4\n" +
		"complaint,,2,Rude staff,,0\n" +
		",trustpilot,3,Great,5,1\n"
	var ignored []string
	in, err := feedback.File{Name: "f.csv", Kind: heed.FeedbackReview, Source: "google",
		Columns: map[string]string{"id": "external_id", "BODY": "text", "score": "rating"},
		Ignored: func(c []string) { ignored = append(ignored, c...) }}.Parse(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range in {
		got = append(got, fmt.Sprintf("%d %s %s %s %q", x.Line, x.Kind, x.Source, x.ExternalID, x.Text))
	}
	want := `[2 review google 1 "Slow checkout" 3 complaint google 2 "Rude staff" 4 review trustpilot 3 "Great"]`
	if fmt.Sprint(got) != want {
		t.Errorf("read %s\nwant %s", got, want)
	}
	if fmt.Sprint(ignored) != "[Likes]" {
		t.Errorf("ignored %v", ignored)
	}

	// Without --system the source is the kind.
	in, err = feedback.ParseFile("f.jsonl", strings.NewReader(`{"external_id":"n1","text":"Asked for oat milk"}`), true, heed.FeedbackNote, "", nil)
	if err != nil || len(in) != 1 || in[0].Source != "note" || in[0].Kind != heed.FeedbackNote || in[0].Line != 1 {
		t.Errorf("ParseFile = %+v, %v", in, err)
	}

	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "f.csv: the file is empty"},
		{"only a header", "external_id,text\n", "f.csv holds no feedback items"},
		{"bad rows", "external_id,rating,at\na,9,\nb,,now\n", "f.csv: 2 problems; nothing was written"},
	} {
		_, err := feedback.ParseFile("f.csv", strings.NewReader(tc.in), false, heed.FeedbackReview, "", nil)
		if heed.ErrorCode(err) != heed.EInvalid || heed.ErrorMessage(err) != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
	_, err = feedback.ParseFile("f.csv", strings.NewReader("external_id,rating,at\na,9,\nb,,now\n"), false, heed.FeedbackReview, "", nil)
	var rows heed.RowErrors
	if !errors.As(err, &rows) || len(rows) != 2 || rows[0].String() != "f.csv:2: rating: a rating is 1 to 5 stars, not 9" ||
		!strings.HasPrefix(rows[1].String(), "f.csv:3: at: ") {
		t.Errorf("the problems: %v", err)
	}
}

// TestRecordAll writes a file longer than a batch whole or not at all: a
// problem in its last batch (a unit nobody has) or an item given twice
// keeps every batch out; fixed, all land, and again, none is new.
func TestRecordAll(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			n := 2*feedback.MaxBatch + 500
			in := make([]feedback.Input, n)
			for i := range in {
				in[i] = feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: fmt.Sprint("g-", i),
					Text: "The staff were friendly", Email: "ann@mail.example", Line: i + 2}
			}
			in[n-100].Unit = "attic"
			in[n-50].ExternalID = "g-7"
			_, err := f.fb.RecordAll(ctx, heed.System(), "big.csv", in, nil)
			var rows heed.RowErrors
			if !errors.As(err, &rows) || len(rows) != 2 || rows[0].String() != fmt.Sprintf(`big.csv:%d: unit: no unit "attic"`, n-98) ||
				rows[1].String() != fmt.Sprintf(`big.csv:%d: external_id: "g-7" appears twice (first on line 9)`, n-48) {
				t.Fatalf("RecordAll of a file with two bad rows: %v", err)
			}
			if heed.ErrorMessage(err) != "big.csv: 2 problems; nothing was written" {
				t.Errorf("message %q", heed.ErrorMessage(err))
			}
			if got, _ := f.fb.List(ctx, heed.System(), heed.FeedbackFilter{}); len(got) != 0 {
				t.Fatalf("%d items written from a refused file", len(got))
			}

			in[n-100].Unit, in[n-50].ExternalID = "", fmt.Sprint("g-", n-50)
			var calls []string
			recs, err := f.fb.RecordAll(ctx, heed.System(), "big.csv", in, func(stage string, done, total int) {
				calls = append(calls, fmt.Sprintf("%s %d/%d", stage, done, total))
			})
			if err != nil {
				t.Fatal(err)
			}
			want := "[check 1000/2500 check 2000/2500 check 2500/2500 write 1000/2500 write 2000/2500 write 2500/2500]"
			if fmt.Sprint(calls) != want {
				t.Errorf("progress %v\nwant %s", calls, want)
			}
			if len(recs) != n || !recs[n-1].Created || recs[n-1].Customer != "C-1" || recs[n-1].Unit != "n1" {
				t.Fatalf("%d recorded, the last %+v", len(recs), recs[n-1])
			}
			last, err := f.store.GetFeedbackBySource(ctx, "google", fmt.Sprint("g-", n-1))
			if err != nil || last.ID != recs[n-1].ID || last.Customer != "C-1" || last.Label != "positive" {
				t.Errorf("the last item as stored: %+v, %v", last, err)
			}
			again, err := f.fb.RecordAll(ctx, heed.System(), "big.csv", in, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range again {
				if r.Created || r.Changed || r.ID != recs[i].ID {
					t.Fatalf("item %d sent again: %+v", i, r)
				}
			}
		})
	}
}

func TestRecordAllIsForAdmins(t *testing.T) {
	f := newFixture(t, testdb.Engines[0])
	in := []feedback.Input{{Kind: heed.FeedbackNote, Source: "note", ExternalID: "1", Text: "x"}}
	if _, err := f.fb.RecordAll(t.Context(), f.who(t, "nora@co.example"), "f", in, nil); heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("a manager recording a file: %v", err)
	}
}
