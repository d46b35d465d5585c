package cases_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail/sink"
)

// digests are the digest emails the sink received, by recipient.
func digests(f *fixture) map[string][]sink.Received {
	out := map[string][]sink.Received{}
	for _, m := range f.mail.Messages() {
		if strings.HasPrefix(m.Subject, "Heed digest") {
			out[m.To[0]] = append(out[m.To[0]], m)
		}
	}
	return out
}

// TestDailyDigest: each morning at seven every manager with something to
// read gets one email about the day before below them — the answers,
// the unhappy customers' words, the cases opened, what is late now and
// which store is behind — and nothing from another region. A restart, a
// second run of the same day and two job pools racing send nothing
// twice; the chain goes on to the next day.
func TestDailyDigest(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			// Monday: C-2 (Kim's) is unhappy; nobody calls, so by
			// Wednesday 09:00 the case is late.
			f.answer(t, "C-2", 1, "Never again")
			f.runPool(t)
			f.advance(t, 49*time.Hour) // Wednesday 10:00
			f.answer(t, "C-1", 2, "Broken on arrival,\nand nobody answered the phone")
			f.answer(t, "C-3", 9, "Lovely")
			f.answer(t, "C-5", 3, "Slow checkout")
			if err := f.cs.StartDigests(ctx); err != nil { // Tuesday's runs at once: 07:00 has passed
				t.Fatal(err)
			}
			waitFor(t, "Tuesday's digests", func() bool { return len(digests(f)) == 2 })
			got := digests(f)
			if len(got["nora@co.example"]) != 1 || len(got["ceo@co.example"]) != 1 {
				t.Fatalf("Tuesday's digests went to %v; want nora and the ceo (the late case), not sam (nothing)", keys(got))
			}
			if subj := got["nora@co.example"][0].Subject; subj != "Heed digest for North, Tue 3 Mar: 0 answers, 1 case late" {
				t.Errorf("Tuesday's subject = %q", subj)
			}

			f.advance(t, 21*time.Hour) // Thursday 07:00
			waitFor(t, "Wednesday's digests", func() bool { return len(digests(f)["sam@co.example"]) == 1 })
			f.advance(t, time.Minute)
			got = digests(f)
			if len(got["nora@co.example"]) != 2 || len(got["ceo@co.example"]) != 2 {
				t.Fatalf("digests so far: %v", counts(got))
			}
			nora := got["nora@co.example"][1]
			if want := "Heed digest for North, Wed 4 Mar: 2 answers, 1 case late"; nora.Subject != want {
				t.Errorf("nora's subject = %q; want %q", nora.Subject, want)
			}
			kimCase := caseOf(t, f, "C-2")
			for _, want := range []string{
				"Good morning Nora,",
				"Here is Wednesday 4 March below North.",
				"Store visit: 2 answers — NPS +0 (1 promoter, 0 passives, 1 detractor)",
				"Customer 1 (North One) gave 2: “Broken on arrival, and nobody answered the phone”",
				"1 opened and 0 closed that day; 2 open now, 1 of them late.",
				"North One: 2 open, 1 late",
				fmt.Sprintf("#%d Customer 2 (North One), owner Kim Account, reported — first contact 22 hours late", kimCase.ID),
				fmt.Sprintf("http://heed.test/cases/%d", kimCase.ID),
			} {
				if !strings.Contains(nora.Text, want) {
					t.Errorf("nora's digest lacks %q:\n%s", want, nora.Text)
				}
			}
			if strings.Contains(nora.Text, "Slow checkout") || strings.Contains(nora.Text, "South") {
				t.Errorf("nora's digest shows the south:\n%s", nora.Text)
			}
			sam := got["sam@co.example"][0]
			if !strings.Contains(sam.Text, "“Slow checkout”") || strings.Contains(sam.Text, "Broken") {
				t.Errorf("sam's digest:\n%s", sam.Text)
			}
			ceo := got["ceo@co.example"][1]
			if !strings.Contains(ceo.Text, "Store visit: 3 answers") || !strings.Contains(ceo.Text, "North: 2 open, 1 late") ||
				!strings.Contains(ceo.Text, "South: 1 open, 0 late") {
				t.Errorf("the ceo's digest:\n%s", ceo.Text)
			}
			for _, who := range []string{"nick@co.example", "kim@co.example", "admin@co.example"} {
				if len(got[who]) > 0 {
					t.Errorf("%s is no manager but got a digest", who)
				}
			}

			// A restart and a stray second run of Wednesday send nothing
			// more.
			if err := f.cs.StartDigests(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := jobs.Enqueue(ctx, f.store, cases.DigestJob, map[string]string{"day": "2026-03-04"}, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
			f.advance(t, time.Minute)
			f.advance(t, time.Minute)
			if now := counts(digests(f)); now != counts(got) {
				t.Fatalf("digests after the repeats: %v; want still %v", now, counts(got))
			}
			// Thursday's run and four copies, due together, raced by two
			// pools: each manager with news gets one Thursday digest.
			f.runPool(t)
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					if _, err := jobs.Enqueue(ctx, f.store, cases.DigestJob, map[string]string{"day": "2026-03-05"}, f.clock.Now(),
						jobs.RunAt(time.Date(2026, 3, 6, 7, 0, 0, 0, time.UTC))); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			f.advance(t, 3*time.Hour)                // Thursday 10:02: the late case has climbed to nora (09:00)
			f.advance(t, 21*time.Hour-2*time.Minute) // Friday 07:00
			f.advance(t, time.Minute)
			f.advance(t, time.Minute)
			if now := counts(digests(f)); now != "ceo@co.example:3 nora@co.example:3 sam@co.example:1 " {
				t.Fatalf("digests after Thursday's racing runs: %v; want one more for the ceo and nora (the late case), none for sam", now)
			}
			thu := digests(f)["nora@co.example"][2]
			if !strings.Contains(thu.Text, "ESCALATED TO YOU\n  #"+fmt.Sprint(kimCase.ID)) {
				t.Errorf("Thursday's digest for nora lacks the case escalated to her on Thursday:\n%s", thu.Text)
			}
			next, err := f.store.ListJobs(ctx, heed.JobFilter{Kind: cases.DigestJob, State: heed.JobQueued})
			if err != nil || len(next) != 1 || !next[0].RunAt.Equal(time.Date(2026, 3, 7, 7, 0, 0, 0, time.UTC)) ||
				!strings.Contains(string(next[0].Payload), "2026-03-06") {
				t.Fatalf("queued digest runs = %+v, %v; want Friday's, at Saturday 07:00", next, err)
			}
		})
	}
}

// TestDigestChainMends: a run days late (the server was down) sends no
// stale digest and hands over to yesterday's; a run before its hour
// waits for it; a process with digests off leaves the run to another
// rather than ending the chain for all.
func TestDigestChainMends(t *testing.T) {
	f := newFixture(t, testdb.Engines[0])
	ctx := t.Context()
	f.answer(t, "C-1", 2, "Broken on arrival") // Monday 2 March
	run := func(cs *cases.Service, day string) error {
		t.Helper()
		return cs.RunDigest(ctx, heed.Job{Kind: cases.DigestJob, Payload: []byte(`{"day":"` + day + `"}`)})
	}
	queued := func() []string {
		t.Helper()
		js, err := f.store.ListJobs(ctx, heed.JobFilter{Kind: cases.DigestJob, State: heed.JobQueued})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, j := range js {
			out = append(out, string(j.Payload)+" at "+j.RunAt.UTC().Format("Mon 15:04"))
		}
		return out
	}
	f.clock.Add(3*24*time.Hour - 3*time.Hour)       // Thursday 06:00
	if err := run(f.cs, "2026-03-04"); err != nil { // Wednesday's, an hour early
		t.Fatal(err)
	}
	if q := queued(); len(q) != 1 || q[0] != `{"day":"2026-03-04"} at Thu 07:00` {
		t.Fatalf("an early run queued %q; want itself again at its hour", q)
	}
	if err := run(f.cs, "2026-03-02"); err != nil { // Monday's, two days late
		t.Fatal(err)
	}
	if q := queued(); len(q) != 1 || q[0] != `{"day":"2026-03-04"} at Thu 07:00` {
		t.Fatalf("a stale run queued %q; want only yesterday's", q)
	}
	off := cases.New(f.store, f.sv, f.hooks, cases.Config{DigestHour: -1, Now: f.clock.Now})
	f.clock.Add(2 * time.Hour)
	if err := run(off, "2026-03-04"); err == nil || !strings.Contains(err.Error(), "off in this process") {
		t.Fatalf("a process with digests off ran the day: %v", err)
	}
	if err := run(f.cs, "2026-03-04"); err != nil {
		t.Fatal(err)
	}
	emails, err := f.store.ListJobs(ctx, heed.JobFilter{Kind: cases.EmailJob, State: heed.JobQueued, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range emails {
		if strings.Contains(string(j.Payload), `"day":"2026-03-02"`) {
			t.Errorf("Monday's stale digest was queued: %s", j.Payload)
		}
		if strings.Contains(string(j.Payload), `"day":"2026-03-04"`) {
			n++
		}
	}
	if n != 3 { // the ceo, nora and sam
		t.Errorf("%d digest emails for Wednesday; want one per manager, 3", n)
	}
}

// TestDigestPreview: the digest a manager gets by email can be read on
// demand — their own, any day; an admin may read anyone's, a manager
// not another's.
func TestDigestPreview(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			f.answer(t, "C-1", 2, "Broken on arrival")
			f.answer(t, "C-5", 10, "Great")
			f.clock.Add(24 * time.Hour)
			nora := f.who(t, "nora@co.example")
			d, err := f.cs.DigestFor(ctx, nora, "", "")
			if err != nil {
				t.Fatal(err)
			}
			if d.Day != "2026-03-02" || d.Answers() != 1 || d.Opened != 1 || len(d.Unhappy) != 1 || d.Unhappy[0].Comment != "Broken on arrival" {
				t.Fatalf("nora's digest of yesterday = %+v", d)
			}
			byAdmin, err := f.cs.DigestFor(ctx, f.who(t, "admin@co.example"), "Nora@co.example", "2026-03-02")
			if err != nil || byAdmin.Answers() != 1 || byAdmin.Email != "nora@co.example" {
				t.Fatalf("nora's digest read by the admin = %+v, %v", byAdmin, err)
			}
			if d, err := f.cs.DigestFor(ctx, nora, "", "2026-03-03"); err != nil || d.Answers() != 0 || d.Open != 1 {
				t.Fatalf("nora's digest of today = %+v, %v; want no answers, the case open", d, err)
			}
			_, err = f.cs.DigestFor(ctx, nora, "sam@co.example", "")
			wantCode(t, "nora reading sam's digest", err, heed.EForbidden, "")
			_, err = f.cs.DigestFor(ctx, nora, "nobody@co.example", "")
			wantCode(t, "nora asking for a stranger's digest (no telling whether they exist)", err, heed.EForbidden, "")
			if d, err := f.cs.DigestFor(ctx, nora, "NORA@co.example", "2026-03-02"); err != nil || d.Answers() != 1 {
				t.Fatalf("nora naming herself = %+v, %v", d, err)
			}
			_, err = f.cs.DigestFor(ctx, nora, "", "2 March")
			wantCode(t, "a day that is no date", err, heed.EInvalid, "day")
			_, err = f.cs.DigestFor(ctx, heed.System(), "ghost@co.example", "")
			wantCode(t, "an unknown employee", err, heed.ENotFound, "for")
			_, err = f.cs.DigestFor(ctx, heed.System(), "", "")
			wantCode(t, "the operator without --for", err, heed.EInvalid, "for")
		})
	}
}

func caseOf(t *testing.T, f *fixture, customer string) heed.Case {
	t.Helper()
	cs, err := f.cs.List(t.Context(), heed.System(), cases.Filter{Customer: customer})
	if err != nil || len(cs) != 1 {
		t.Fatalf("cases of %s = %+v, %v", customer, cs, err)
	}
	return cs[0]
}

func keys(m map[string][]sink.Received) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// counts is how many digests each recipient got, as text.
func counts(m map[string][]sink.Received) string {
	var b strings.Builder
	for _, who := range []string{"ceo@co.example", "nora@co.example", "sam@co.example"} {
		fmt.Fprintf(&b, "%s:%d ", who, len(m[who]))
	}
	return b.String()
}

// wantCode fails t unless err carries code and, when field is set, names it.
func wantCode(t *testing.T, what string, err error, code heed.Code, field string) {
	t.Helper()
	if heed.ErrorCode(err) != code || (field != "" && heed.ErrorField(err) != field) {
		t.Fatalf("%s: error %v (code %q, field %q); want code %q field %q", what, err, heed.ErrorCode(err),
			heed.ErrorField(err), code, field)
	}
}
