package cases_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
)

// TestAnswerInTwoPosts answers as the respondent's page does: the score
// first (which stores the response), the reason later (a change). The
// case the score opened takes the comment into its title, a rule on the
// comment's words fires on the second post, a corrected score moves an
// untouched case (3 → 9: kept open, now a promoter's, for its owner to
// close) and opens one (9 → 2); a case someone already works keeps its
// score and notes the change; and rules that matched the first post do
// not fire again.
func TestAnswerInTwoPosts(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			if _, err := f.cs.CreateRule(ctx, heed.System(), heed.Rule{Name: "Queues", Active: true, Position: 5,
				When: heed.RuleConditions{Words: []string{"queue"}},
				Then: []heed.RuleAction{{Kind: heed.ActionTag, Tag: "queue"}}}); err != nil {
				t.Fatal(err)
			}
			score := func(n int) survey.Answer { return survey.Answer{Score: &n} }
			comment := func(s string) survey.Answer { return survey.Answer{Comment: &s} }
			caseOf := func(customer string) (heed.Case, bool) {
				t.Helper()
				cs, err := f.cs.List(ctx, heed.System(), cases.Filter{Customer: customer})
				if err != nil || len(cs) > 1 {
					t.Fatalf("cases of %s = %+v, %v; want at most one", customer, cs, err)
				}
				if len(cs) == 0 {
					return heed.Case{}, false
				}
				return cs[0], true
			}
			timeline := func(c heed.Case) []string {
				t.Helper()
				evs, err := f.cs.Timeline(ctx, heed.System(), c.ID)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, e := range evs {
					out = append(out, string(e.Kind)+": "+e.Note)
				}
				return out
			}

			// The score, twice (the page's background confirm and Send),
			// then the reason.
			link := f.link(t, "C-1")
			f.post(t, link, score(3))
			f.post(t, link, score(3))
			c, ok := caseOf("C-1")
			if !ok || c.Title != "Detractor: 3 on "+f.surv.Key {
				t.Fatalf("after the score: case %+v (%v)", c, ok)
			}
			r := f.post(t, link, comment("The queue was endless"))
			if tags, err := f.store.ListResponseTags(ctx, r.ID); err != nil || !slices.Contains(tags, "queue") {
				t.Fatalf("tags = %v, %v; the words rule did not fire on the comment", tags, err)
			}
			c, _ = caseOf("C-1")
			if !strings.Contains(c.Title, "The queue was endless") || *c.ScoreBefore != 3 || c.CategoryBefore != "detractor" {
				t.Fatalf("after the comment: case %+v", c)
			}
			tl := timeline(c)
			if len(tl) != 2 || !strings.Contains(tl[1], "commented on their 3") {
				t.Fatalf("timeline %q; want opened, then the comment noted once", tl)
			}

			// 3 → 9 on a case nobody has worked.
			link = f.link(t, "C-3")
			f.post(t, link, score(3))
			f.post(t, link, score(9))
			c, ok = caseOf("C-3")
			if !ok || !c.Open() || c.Stage != heed.StageReported || *c.ScoreBefore != 9 || c.CategoryBefore != "promoter" ||
				!strings.HasPrefix(c.Title, "Promoter: 9") {
				t.Fatalf("after 3 → 9: case %d (%v) at %s, open %v, score before %d (%s), title %q; want it kept, now a promoter's 9",
					c.ID, ok, c.Stage, c.Open(), *c.ScoreBefore, c.CategoryBefore, c.Title)
			}
			if tl := timeline(c); !strings.Contains(tl[len(tl)-1], "changed their answer from 3 to 9") {
				t.Fatalf("timeline %q", tl)
			}

			// 9 → 2: the detractor rule fires on the correction.
			link = f.link(t, "C-5")
			f.post(t, link, score(9))
			if _, ok := caseOf("C-5"); ok {
				t.Fatal("a 9 opened a case")
			}
			r = f.post(t, link, score(2))
			c, ok = caseOf("C-5")
			if !ok || c.ResponseID != r.ID || *c.ScoreBefore != 2 || c.Owner != "sue@co.example" {
				t.Fatalf("after 9 → 2: case %+v (%v); want one opened", c, ok)
			}

			// 2 → 9 on a case its owner has called about: it stays as it
			// was, with the change on its timeline.
			link = f.link(t, "C-4")
			f.post(t, link, score(2))
			c, _ = caseOf("C-4")
			if _, err := f.cs.LogCall(ctx, f.who(t, "nell@co.example"), c.ID, heed.CallNoAnswer, ""); err != nil {
				t.Fatal(err)
			}
			f.post(t, link, score(9))
			c, _ = caseOf("C-4")
			if *c.ScoreBefore != 2 || c.CategoryBefore != "detractor" {
				t.Fatalf("a worked case was rewritten: %+v", c)
			}
			if tl := timeline(c); !strings.Contains(tl[len(tl)-1], "changed their answer from 2 to 9") {
				t.Fatalf("timeline %q", tl)
			}
		})
	}
}

// link invites a customer by link and returns the link's token.
func (f *fixture) link(t *testing.T, customer string) string {
	t.Helper()
	res, err := f.sv.Invite(t.Context(), heed.System(), f.surv.Key, survey.InviteRequest{Customers: []string{customer}})
	if err != nil || len(res) != 1 || res[0].URL == "" {
		t.Fatalf("invite %s = %+v, %v", customer, res, err)
	}
	u, _ := url.Parse(res[0].URL)
	return strings.TrimPrefix(u.Path, "/s/")
}

// post answers through a link as one post of the respondent's page.
func (f *fixture) post(t *testing.T, token string, a survey.Answer) heed.Response {
	t.Helper()
	rc, err := f.sv.AnswerLink(t.Context(), token, a)
	if err != nil {
		t.Fatalf("answer: %v", err)
	}
	return rc.Response
}
