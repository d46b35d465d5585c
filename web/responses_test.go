package web_test

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

func TestResponsesEscapeCommentsExactly(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	comment := "<script>alert(\"gotcha\")</script>\n  Two spaces & a 'quote'"
	e.seedAnswers("visits", []answer{{unit: "north-1", score: 3, comment: comment, at: weekDay(1)}})
	p := e.get(e.signedIn("admin@acme.test"), "/responses")
	wantStatus(t, p, http.StatusOK, "responses")
	wantContains(t, p, "responses", `<p class="comment">`+template.HTMLEscapeString(comment)+`</p>`, "score-bad", "Leeds")
	wantNotContains(t, p, "responses", "<script>alert")
}

func TestResponsesFilters(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	e.seedSurvey("calls", heed.SurveyCES)
	old, recent := weekDay(6), weekDay(1)
	e.seedAnswers("visits", []answer{
		{unit: "north-1", score: 10, comment: "Leeds loved it", at: recent},
		{unit: "north-2", score: 2, comment: "York was slow", at: recent},
		{unit: "south-1", score: 8, at: recent},
		{unit: "south-1", score: 6, comment: "Bristol long ago", at: old},
	})
	e.seedAnswers("calls", []answer{{unit: "north-1", score: 7, comment: "An easy call", at: recent}})
	c := e.signedIn("admin@acme.test")
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	for _, tc := range []struct {
		query      string
		want, skip []string
	}{
		{"", []string{"Leeds loved it", "York was slow", "Bristol long ago", "An easy call"}, nil},
		{"?survey=calls", []string{"An easy call"}, []string{"Leeds loved it"}},
		{"?unit=north", []string{"Leeds loved it", "York was slow", "An easy call"}, []string{"Bristol long ago"}},
		{"?survey=visits&min=9&max=10", []string{"Leeds loved it"}, []string{"York was slow", "An easy call"}},
		{"?survey=visits&max=6", []string{"York was slow", "Bristol long ago"}, []string{"Leeds loved it"}},
		{"?comment=1&unit=south", []string{"Bristol long ago"}, []string{"No comment."}},
		{"?to=" + day(old), []string{"Bristol long ago"}, []string{"Leeds loved it"}},
		{"?from=" + day(recent), []string{"Leeds loved it", "An easy call"}, []string{"Bristol long ago"}},
	} {
		p := e.get(c, "/responses"+tc.query)
		wantStatus(t, p, http.StatusOK, tc.query)
		wantContains(t, p, "responses"+tc.query, tc.want...)
		wantNotContains(t, p, "responses"+tc.query, tc.skip...)
	}
	wantContains(t, e.get(c, "/responses?survey=visits&comment=1"), "filters kept", `<option value="visits" selected>`, `name="comment" value="1" checked`)
	wantStatus(t, e.get(c, "/responses?from=yesterday"), http.StatusBadRequest, "a bad date")
	wantStatus(t, e.get(c, "/responses?before=x"), http.StatusBadRequest, "a broken page link")
	wantStatus(t, e.get(c, "/responses?survey=nope"), http.StatusNotFound, "unknown survey")

	// A manager sees the answers of their region only, and no other's.
	m := e.signedIn("nora@acme.test")
	p := e.get(m, "/responses")
	wantContains(t, p, "nora's responses", "Leeds loved it", "York was slow")
	wantNotContains(t, p, "nora's responses", "Bristol long ago")
	wantStatus(t, e.get(m, "/responses?unit=south"), http.StatusNotFound, "nora filtering on the south")
}

func TestResponsesPaging(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	var as []answer
	for i := range 73 {
		as = append(as, answer{unit: "north-1", score: i % 11, comment: fmt.Sprintf("remark %03d", i), at: weekDay(1)})
	}
	e.seedAnswers("visits", as)
	c := e.signedIn("admin@acme.test")
	seen := map[string]bool{}
	next := "/responses?survey=visits"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		p := e.get(c, next)
		wantStatus(t, p, http.StatusOK, next)
		for _, m := range regexp.MustCompile(`remark \d{3}`).FindAllString(p.body, -1) {
			if seen[m] {
				t.Errorf("%s on two pages", m)
			}
			seen[m] = true
		}
		next = ""
		if m := regexp.MustCompile(`href="([^"]+)" rel="next">Older →`).FindStringSubmatch(p.body); m != nil {
			next = html.UnescapeString(m[1])
			if !strings.Contains(next, "survey=visits") || !strings.Contains(next, "before=") {
				t.Errorf("next page %q loses the filter or has no cursor", next)
			}
		}
	}
	if len(seen) != len(as) {
		t.Errorf("paged through %d responses, want %d", len(seen), len(as))
	}
}

func TestInvitationsList(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	ctx, sys := context.Background(), heed.System()
	res, err := e.sv.Invite(ctx, sys, "visits", survey.InviteRequest{Customers: []string{"C-100"}, Channel: heed.ChannelEmail})
	if err != nil || res[0].InvitationID == 0 {
		t.Fatalf("invite by email: %+v %v", res, err)
	}
	emailed := res[0].InvitationID
	var linked []int64
	for range 55 {
		res, err := e.sv.Invite(ctx, sys, "visits", survey.InviteRequest{Customers: []string{"C-200"}})
		if err != nil {
			t.Fatal(err)
		}
		linked = append(linked, res[0].InvitationID)
	}
	now := time.Now()
	if err := e.store.SetDelivery(ctx, emailed, heed.DeliveryBounced, "550 no such mailbox", now); err != nil {
		t.Fatal(err)
	}
	if err := e.store.MarkOpened(ctx, linked[0], now); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("admin@acme.test")
	p := e.get(c, "/invitations")
	wantStatus(t, p, http.StatusOK, "invitations")
	if got := countMatches(p, `<td data-label="Customer">`); got != 50 {
		t.Errorf("first page has %d rows, want 50", got)
	}
	wantContains(t, p, "invitations", `rel="next">Older →`, `<span class="state delivery-link">link</span>`)

	p = e.get(c, "/invitations?delivery=bounced")
	wantContains(t, p, "bounced", `href="/customers/C-100"`, `<span class="state delivery-bounced">bounced</span>`, "550 no such mailbox")
	wantNotContains(t, p, "bounced", `href="/customers/C-200"`, "Older →")
	wantContains(t, e.get(c, "/invitations?delivery=sent"), "sent", "No invitations match these filters.")
	wantStatus(t, e.get(c, "/invitations?delivery=lost"), http.StatusBadRequest, "unknown delivery state")

	// The second page ends with the oldest, which was opened.
	m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(e.get(c, "/invitations").body)
	if m == nil {
		t.Fatal("the first page of invitations links no older page")
	}
	p = e.get(c, html.UnescapeString(m[1]))
	wantContains(t, p, "second page", ">Newest<")
	if got := countMatches(p, `<td data-label="Customer">`); got != 56-50 {
		t.Errorf("second page has %d rows, want %d", got, 56-50)
	}
	if countMatches(p, `<td data-label="Opened" class="nowrap">\d`) != 1 {
		t.Errorf("the opened invitation does not show when:\n%s", p.body)
	}

	// A manager of the north sees the invitations of the north only.
	p = e.get(e.signedIn("nora@acme.test"), "/invitations")
	wantContains(t, p, "nora's invitations", `href="/customers/C-100"`)
	wantNotContains(t, p, "nora's invitations", `href="/customers/C-200"`)
}
