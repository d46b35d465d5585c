package main

import (
	"cmp"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// reviewsExport is what another tool exports: its own column names, and
// columns Heed has no use for.
const reviewsExport = `Review ID,Reviewer,Reviewer Email,Stars,Review,Date,Location,Owner reply,Helpful votes
g-1,Ada L.,ADA@mail.example,2,The checkout took ages and the staff were rude.,2026-03-01,,Sorry to hear that!,3
g-2,Anon,,5,Lovely shop and such friendly staff,2026-03-02T10:00:00Z,north,,0
g-3,Bob,bob@mail.example,4.0,Good,2026-03-03,,,1
`

var reviewsMap = []string{"--map", "external_id=Review ID", "--map", "author=reviewer", "--map", "email=Reviewer Email",
	"--map", "rating=Stars", "--map", "text=Review", "--map", "at=Date", "--map", "unit=Location"}

// ticketsJSONL holds a ticket and a call: a kind per row, and a source
// per row (the system each came from).
const ticketsJSONL = `{"kind":"ticket","source":"zendesk","external_id":"z-1","title":"Refund","text":"I was charged twice and nobody answers.","customer":"C-002","priority":"high"}
{"kind":"transcript","source":"aircall","external_id":"call-1","customer":"C-003","at":"2026-03-04T09:30:00Z","turns":[{"speaker":"Agent","text":"Thank you for calling, how can I help?"},{"speaker":"Customer","text":"My parcel never arrived and nobody called me back."}]}
`

// TestImportFeedback imports reviews exported from another tool with a
// column mapping, and tickets and calls as JSONL, then reads them back as
// stored: matched to their customer, in their unit, read.
func TestImportFeedback(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := dbURL(t, engine)
			e := env{"HEED_DB": db}
			mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", loopUnitsCSV))
			mustRun(t, e, "", "import", "employees", writeFile(t, "employees.csv", loopEmployeesCSV))
			mustRun(t, e, "", "import", "customers", writeFile(t, "customers.csv", loopCustomersCSV))

			reviews := writeFile(t, "reviews.csv", reviewsExport)
			args := append([]string{"import", "feedback", reviews, "--source", "review", "--system", "google"}, reviewsMap...)
			r := mustRun(t, e, "", args...)
			if want := reviews + ": 3 feedback items created, 0 updated, 0 unchanged\n"; r.stdout != want {
				t.Errorf("import feedback printed %q, want %q", r.stdout, want)
			}
			if want := reviews + ": ignored columns: Owner reply, Helpful votes\n"; r.stderr != want {
				t.Errorf("stderr %q, want %q", r.stderr, want)
			}
			calls := writeFile(t, "support.jsonl", ticketsJSONL)
			r = mustRun(t, e, "", "import", "feedback", calls, "--source", "ticket")
			if want := calls + ": 2 feedback items created, 0 updated, 0 unchanged\n"; r.stdout != want {
				t.Errorf("import feedback (JSONL) printed %q, want %q", r.stdout, want)
			}

			store := openTestStore(t, db)
			item := func(source, id string) heed.FeedbackItem {
				t.Helper()
				it, err := store.GetFeedbackBySource(t.Context(), source, id)
				if err != nil {
					t.Fatalf("%s/%s: %v", source, id, err)
				}
				return it
			}
			ada := item("google", "g-1")
			if ada.Kind != heed.FeedbackReview || ada.Rating == nil || *ada.Rating != 2 || ada.Customer != "C-001" || ada.Unit != "store-1" ||
				ada.Label != "negative" || ada.Author != "Ada L." || !ada.At.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("Ada's review as stored: %+v", ada)
			}
			if anon := item("google", "g-2"); anon.Customer != "" || anon.Author != "Anon" || anon.Unit != "north" || anon.Label != "positive" {
				t.Errorf("the anonymous review as stored: %+v", anon)
			}
			if bob := item("google", "g-3"); bob.Rating == nil || *bob.Rating != 4 || bob.Customer != "C-002" {
				t.Errorf("Bob's review as stored: %+v", bob)
			}
			if z := item("zendesk", "z-1"); z.Kind != heed.FeedbackTicket || z.Title != "Refund" || z.Customer != "C-002" {
				t.Errorf("the ticket as stored: %+v", z)
			}
			call := item("aircall", "call-1")
			if call.Kind != heed.FeedbackTranscript || len(call.Turns) != 2 || call.Turns[1].Speaker != "customer" ||
				call.Text != "My parcel never arrived and nobody called me back." || call.Label != "negative" || call.Unit != "store-1" {
				t.Errorf("the call as stored: %+v", call)
			}

			// Imported again: nothing new, nothing twice.
			r = mustRun(t, e, "", args...)
			if want := reviews + ": 0 feedback items created, 0 updated, 3 unchanged\n"; r.stdout != want {
				t.Errorf("re-import printed %q, want %q", r.stdout, want)
			}
			if n := countFeedback(t, store, ""); n != 5 {
				t.Errorf("%d items after the re-import, want 5", n)
			}
		})
	}
}

// TestImportFeedbackAllOrNothing: a file longer than a batch with a bad
// row near its end writes nothing, whether the row cannot be read (a
// rating) or names what does not exist (a unit); fixed, it lands whole.
func TestImportFeedbackAllOrNothing(t *testing.T) {
	db := dbURL(t, "sqlite")
	e := env{"HEED_DB": db}
	mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", loopUnitsCSV))
	file := func(bad map[int]string) string {
		var b strings.Builder
		b.WriteString("id,comment,stars,shop,channel\n")
		for line := 2; line <= 2501; line++ {
			row := fmt.Sprintf("n-%d,Friendly staff,5,store-1,web", line)
			b.WriteString(cmp.Or(bad[line], row) + "\n")
		}
		return writeFile(t, "notes.csv", b.String())
	}
	args := []string{"--source", "complaint", "--system", "crm", "--map", "external_id=ID", "--map", "text=Comment",
		"--map", "rating=Stars", "--map", "unit=Shop"}
	store := openTestStore(t, db)
	for _, tc := range []struct {
		bad  map[int]string
		want string
	}{
		{map[int]string{2400: "n-2400,Rude,six,store-1,web"}, ":2400: rating: \"six\" is not a whole number of stars\n"},
		{map[int]string{2450: "n-2450,Rude,1,attic,web"}, ":2450: unit: no unit \"attic\"\n"},
		{map[int]string{2490: "n-2,Rude,1,store-1,web"}, ":2490: external_id: \"n-2\" appears twice (first on line 2)\n"},
	} {
		path := file(tc.bad)
		r := heedRun(t, e, "", append([]string{"import", "feedback", path}, args...)...)
		if r.err == nil || !strings.Contains(r.output(), path+tc.want) || !strings.Contains(r.output(), "heed: 1 problem; nothing was written") {
			t.Errorf("importing a file with a bad row: %v\n%s\nwant %s%s", r.err, r.output(), path, tc.want)
		}
		if n := countFeedback(t, store, "crm"); n != 0 {
			t.Errorf("%d items written from a refused file", n)
		}
	}
	path := file(nil)
	r := mustRun(t, e, "", append([]string{"import", "feedback", path}, args...)...)
	if want := path + ": 2500 feedback items created, 0 updated, 0 unchanged\n"; r.stdout != want {
		t.Errorf("import printed %q, want %q", r.stdout, want)
	}
	if want := path + ": ignored columns: channel\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	if n := countFeedback(t, store, "crm"); n != 2500 {
		t.Errorf("%d items stored, want 2500", n)
	}
}

func TestImportFeedbackUsageErrors(t *testing.T) {
	db := dbURL(t, "sqlite")
	reviews := writeFile(t, "reviews.csv", reviewsExport)
	units := writeFile(t, "units.csv", unitsCSV)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "feedback", reviews}, "heed: importing feedback needs --source KIND: review, ticket, transcript, social, complaint, interview or note\n"},
		{[]string{"import", "feedback", reviews, "--source", "tweet"}, `heed: --source "tweet" must be one of review, ticket`},
		{[]string{"import", "feedback", reviews, "--source", "review", "--skip-invalid"}, "heed: --skip-invalid is not available for feedback"},
		{[]string{"import", "units", units, "--source", "review", "--map", "key=Code"}, "heed: --source, --map: only for feedback files"},
		{[]string{"import", "feedback", reviews, "--source", "review", "--map", "text"}, `heed: --map "text": want FIELD=COLUMN`},
		{[]string{"import", "feedback", reviews, "--source", "review", "--map", "text=Review", "--map", "text=Reply"}, "heed: --map text= is given twice"},
		{[]string{"import", "feedback", reviews, "--source", "review", "--map", "stars=Stars"},
			`heed: ` + reviews + `: column "Stars" is mapped to "stars", which is not a field; want one of kind, source, external_id, title, text, turns, rating`},
		{[]string{"import", "feedback", reviews, "--source", "review", "--map", "text=Body"},
			`heed: ` + reviews + `:1: the file has no column "Body" (for text); its columns are Review ID, Reviewer,`},
		{[]string{"import", "feedback", writeFile(t, "empty.csv", ""), "--source", "review"}, "empty.csv: the file is empty\n"},
	} {
		r := heedRun(t, env{"HEED_DB": db}, "", tc.args...)
		if r.err == nil || !strings.Contains(r.output(), tc.want) {
			t.Errorf("heed %s: %v\n%s\nwant an error saying %q", strings.Join(tc.args, " "), r.err, r.output(), tc.want)
		}
	}
	if n := countFeedback(t, openTestStore(t, db), ""); n != 0 {
		t.Errorf("%d items written by refused imports", n)
	}
}

// countFeedback counts the items stored from source ("": all), a page
// at a time.
func countFeedback(t *testing.T, store heed.Store, source string) int {
	t.Helper()
	n := 0
	for before := int64(0); ; {
		page, err := store.ListFeedback(t.Context(), heed.Scope{All: true}, heed.FeedbackFilter{Source: source, Limit: 1000, BeforeID: before})
		if err != nil {
			t.Fatal(err)
		}
		n += len(page)
		if len(page) < 1000 {
			return n
		}
		before = page[len(page)-1].ID
	}
}
