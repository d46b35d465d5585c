package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/api"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/survey"
)

// mgrRBEmail manages region B; the tests of cases add them (and the token
// mgr-rb) to the organisation of fixtures_test.go.
const mgrRBEmail = "mgr.rb@heed.test"

// loopFixtures adds what closing the loop needs to the organisation: the
// survey fixtures, fl.a1 and fl.b1 responsible for their stores (so
// their customers' cases are theirs), and region B's manager. It returns
// the survey's key.
func loopFixtures(t *testing.T, e *env) string {
	t.Helper()
	ctx := context.Background()
	sv, _, _ := surveyFixtures(t, e)
	a1, b1 := fixtureUnit("a1"), fixtureUnit("b1")
	a1.Responsible, b1.Responsible = flA1Email, flB1Email
	if _, err := e.dir.UpsertUnits(ctx, heed.System(), []heed.Unit{a1, b1}); err != nil {
		t.Fatalf("responsibles: %v", err)
	}
	if _, err := e.dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{
		{Email: mgrRBEmail, Name: "Rob Manager", Role: heed.RoleManager, Unit: "rb"},
	}); err != nil {
		t.Fatalf("manager of rb: %v", err)
	}
	e.token(t, accounts.NewToken{Name: "mgr-rb", Employee: mgrRBEmail})
	return sv
}

// postAnswer records one answer of customer through POST /responses, as
// an integration would, and returns the response's id.
func postAnswer(t *testing.T, e *env, sv, customer string, score int, comment string) int64 {
	t.Helper()
	var out struct{ Results []survey.Recorded }
	e.call(t, "admin", "POST", "/api/v1/responses", []map[string]any{
		{"survey": sv, "customer": customer, "score": score, "comment": comment},
	}).must(t, http.StatusOK).decode(t, &out)
	if len(out.Results) != 1 || !out.Results[0].Created {
		t.Fatalf("recorded %+v", out.Results)
	}
	return out.Results[0].ID
}

// answerByLink invites customer and answers through the personal link,
// as the respondent's page does.
func answerByLink(t *testing.T, e *env, sv, customer string, score int, comment string) heed.Response {
	t.Helper()
	var res inviteResults
	e.call(t, "admin", "POST", "/api/v1/surveys/"+sv+"/invitations", map[string]any{"customers": []string{customer}}).
		must(t, http.StatusOK).decode(t, &res)
	m := linkRE.FindStringSubmatch(res.Results[0].URL)
	if m == nil {
		t.Fatalf("no link for %s: %+v", customer, res.Results)
	}
	rc, err := e.surveys.AnswerLink(context.Background(), m[1], survey.Answer{Score: &score, Comment: &comment})
	if err != nil {
		t.Fatalf("answer %s: %v", customer, err)
	}
	return rc.Response
}

// listCases walks every page of GET /cases with the query q.
func listCases(t *testing.T, e *env, token string, q url.Values) []heed.Case {
	t.Helper()
	var all []heed.Case
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("pagination does not end")
		}
		var out struct {
			Cases      []heed.Case
			NextCursor string `json:"next_cursor"`
		}
		e.call(t, token, "GET", "/api/v1/cases?"+q.Encode(), nil).must(t, http.StatusOK).decode(t, &out)
		if out.Cases == nil {
			t.Fatalf("GET /cases?%s: cases is null, want a list", q.Encode())
		}
		all = append(all, out.Cases...)
		if out.NextCursor == "" {
			return all
		}
		q.Set("cursor", out.NextCursor)
	}
}

func caseIDs(cs []heed.Case) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func casePath(id int64, rest string) string {
	return "/api/v1/cases/" + strconv.FormatInt(id, 10) + rest
}

// TestDetractorOpensCaseThroughAPI: a detractor posted through the API
// and one answered by link each open a case for the employee who answers
// for the customer; the owner finds it with owner=me, the region above
// sees it, the other region does not.
func TestDetractorOpensCaseThroughAPI(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		rA := postAnswer(t, e, sv, customerOf("a1"), 2, "Nobody at the till")
		rB := answerByLink(t, e, sv, customerOf("b1"), 3, "Rude staff")
		postAnswer(t, e, sv, customerOf("a2"), 10, "Lovely") // a promoter opens none

		mine := listCases(t, e, "fl-a1", url.Values{"owner": {"me"}})
		if len(mine) != 1 {
			t.Fatalf("fl-a1 owner=me: %+v, want the case of c-a1", mine)
		}
		ca := mine[0]
		if ca.Customer != customerOf("a1") || ca.ResponseID != rA || ca.Owner != flA1Email || ca.Unit != "a1" ||
			ca.Stage != heed.StageReported || ca.CategoryBefore != "detractor" || ca.ScoreBefore == nil || *ca.ScoreBefore != 2 ||
			ca.Version != 1 || !ca.FirstContactDue.After(time.Now()) {
			t.Errorf("case of c-a1: %+v", ca)
		}
		theirs := listCases(t, e, "fl-b1", url.Values{"owner": {"me"}})
		if len(theirs) != 1 || theirs[0].Customer != customerOf("b1") || theirs[0].ResponseID != rB.ID {
			t.Fatalf("fl-b1 owner=me: %+v, want the case of c-b1", theirs)
		}
		cb := theirs[0]

		// Who sees the case of a1: its region, not the other one.
		for token, want := range map[string]int{
			"fl-a1": 200, "mgr-a1": 200, "mgr-ra": 200, "mgr-ra-role": 200, "analyst": 200, "admin": 200,
			"mgr-rb": 404, "fl-b1": 404,
		} {
			a := e.call(t, token, "GET", casePath(ca.ID, ""), nil)
			if a.status != want {
				t.Errorf("%s GET case of a1: status %d, want %d", token, a.status, want)
			}
			if want == 200 {
				var got heed.Case
				a.decode(t, &got)
				if got.ID != ca.ID || got.Customer != ca.Customer {
					t.Errorf("%s GET case of a1: %+v", token, got)
				}
			}
		}
		e.call(t, "mgr-ra", "GET", casePath(cb.ID, ""), nil).must(t, http.StatusNotFound).apiError(t)
		e.call(t, "mgr-ra", "GET", casePath(cb.ID, "/history"), nil).must(t, http.StatusNotFound)
		e.call(t, "mgr-ra", "GET", casePath(cb.ID, "/events"), nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", casePath(999999, ""), nil).must(t, http.StatusNotFound)

		// Lists follow the same scope, and each filter narrows them.
		sameIDs := func(what string, got []heed.Case, want ...heed.Case) {
			t.Helper()
			g, w := caseIDs(got), caseIDs(want)
			if !slices.Equal(g, w) {
				t.Errorf("%s: cases %v, want %v", what, g, w)
			}
		}
		sameIDs("admin, all, newest first", listCases(t, e, "admin", url.Values{}), cb, ca)
		sameIDs("admin, pages of one", listCases(t, e, "admin", url.Values{"limit": {"1"}}), cb, ca)
		sameIDs("mgr-ra", listCases(t, e, "mgr-ra", url.Values{}), ca)
		sameIDs("mgr-rb", listCases(t, e, "mgr-rb", url.Values{}), cb)
		sameIDs("admin owner=EMAIL", listCases(t, e, "admin", url.Values{"owner": {flB1Email}}), cb)
		sameIDs("mgr-ra owner=fl.b1", listCases(t, e, "mgr-ra", url.Values{"owner": {flB1Email}}))
		sameIDs("analyst owner=me", listCases(t, e, "analyst", url.Values{"owner": {"me"}}))
		sameIDs("customer", listCases(t, e, "admin", url.Values{"customer": {customerOf("a1")}}), ca)
		sameIDs("unknown customer", listCases(t, e, "admin", url.Values{"customer": {"nobody"}}))
		sameIDs("unit", listCases(t, e, "admin", url.Values{"unit": {"rb"}}), cb)
		sameIDs("stage", listCases(t, e, "admin", url.Values{"stage": {"reported"}, "open": {"true"}}), cb, ca)
		sameIDs("other stage", listCases(t, e, "admin", url.Values{"stage": {"closed"}}))
		sameIDs("late, when none is", listCases(t, e, "admin", url.Values{"late": {"true"}}))

		// A case past its first-contact time is late, as the service's
		// clock says: two days on, the case of a1 is; the case of b1,
		// whose customer was reached, is not (its resolution is due later).
		e.call(t, "fl-b1", "POST", casePath(cb.ID, "/calls"), map[string]any{"outcome": "reached"}).must(t, http.StatusOK)
		e.clock.Set(time.Duration(survey.DefaultFirstContactHours+1) * time.Hour)
		sameIDs("late", listCases(t, e, "admin", url.Values{"late": {"true"}}), ca)
		// The store filters: a page of one holds the late case, not the
		// newer case on time.
		var first struct {
			Cases      []heed.Case
			NextCursor string `json:"next_cursor"`
		}
		e.call(t, "admin", "GET", "/api/v1/cases?late=true&limit=1", nil).must(t, http.StatusOK).decode(t, &first)
		sameIDs("late, first page of one", first.Cases, ca)
		sameIDs("late, pages of one", listCases(t, e, "admin", url.Values{"late": {"true"}, "limit": {"1"}}), ca)
		sameIDs("late, mgr-rb", listCases(t, e, "mgr-rb", url.Values{"late": {"true"}}))
		e.clock.Set(0)

		// Bad filters name their parameter.
		for q, want := range map[string]struct {
			status int
			field  string
		}{
			"owner=me":               {422, "owner"}, // a role token is nobody
			"owner=nobody@heed.test": {404, "owner"},
			"escalated=x@heed.test":  {404, "escalated"},
			"stage=done":             {422, "stage"},
			"limit=0":                {422, "limit"},
			"cursor=bogus":           {400, "cursor"},
			"cursor=" + base64.RawURLEncoding.EncodeToString([]byte("response:10")): {400, "cursor"}, // another list's
		} {
			got := e.call(t, "admin-role", "GET", "/api/v1/cases?"+q, nil).must(t, want.status).apiError(t).Error
			if got.Field != want.field {
				t.Errorf("%s: field %q, want %q", q, got.Field, want.field)
			}
		}

		// The history around the case: the customer, their answers, cases
		// and timeline.
		var h cases.History
		e.call(t, "fl-a1", "GET", casePath(ca.ID, "/history"), nil).must(t, http.StatusOK).decode(t, &h)
		if h.Customer.ExternalID != customerOf("a1") || len(h.Responses) != 1 || h.Responses[0].ID != rA ||
			len(h.Cases) != 1 || h.Cases[0].ID != ca.ID || len(h.Events) != 1 || h.Events[0].Kind != heed.EventOpened ||
			h.Suggested.CustomerKind == "" || h.Suggested.ResponseType == "" {
			t.Errorf("history: %+v", h)
		}
	})
}

// TestLateCasesPageWhole: late=true is filtered where the cases are
// read, so every page but the last holds limit late cases, however many
// cases on time lie between them.
func TestLateCasesPageWhole(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		var extra []heed.Customer
		for i := range 5 {
			extra = append(extra, heed.Customer{ExternalID: "c-late-" + strconv.Itoa(i), Name: "Late " + strconv.Itoa(i), Unit: "a1"})
		}
		if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), extra); err != nil {
			t.Fatal(err)
		}
		// Oldest first: late, on time, late, on time, late; the late ones
		// answered three days ago, past every first-contact time.
		var late []int64
		for i, c := range extra {
			shift := time.Duration(0)
			if i%2 == 0 {
				shift = -72 * time.Hour
			}
			e.clock.Set(shift)
			postAnswer(t, e, sv, c.ExternalID, 1, "")
			e.clock.Set(0)
			got := listCases(t, e, "admin", url.Values{"customer": {c.ExternalID}})
			if len(got) != 1 {
				t.Fatalf("cases of %s: %+v", c.ExternalID, got)
			}
			if i%2 == 0 {
				late = append([]int64{got[0].ID}, late...) // newest first
			}
		}
		var first struct {
			Cases      []heed.Case
			NextCursor string `json:"next_cursor"`
		}
		e.call(t, "admin", "GET", "/api/v1/cases?late=true&limit=2", nil).must(t, http.StatusOK).decode(t, &first)
		if got := caseIDs(first.Cases); !slices.Equal(got, late[:2]) || first.NextCursor == "" {
			t.Errorf("first page of two late cases: %v (next %q), want %v and a cursor", got, first.NextCursor, late[:2])
		}
		if got := caseIDs(listCases(t, e, "admin", url.Values{"late": {"true"}, "limit": {"2"}})); !slices.Equal(got, late) {
			t.Errorf("late cases in pages of two: %v, want %v", got, late)
		}
	})
}

// TestWorkCaseThroughAPI: the owner moves the case on (a skip is
// refused, naming "to"; a stale version is a conflict), logs calls, sets
// the root cause and a preventive action, and hands it over; analysts
// and other stores change nothing; the timeline tells it all in order.
func TestWorkCaseThroughAPI(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		postAnswer(t, e, sv, customerOf("a1"), 1, "Wrong price on the shelf")
		c := listCases(t, e, "fl-a1", url.Values{"owner": {"me"}})[0]
		move := func(token string, body map[string]any) answer {
			t.Helper()
			return e.call(t, token, "POST", casePath(c.ID, "/transitions"), body)
		}
		wantField := func(what string, a answer, status int, field, says string) {
			t.Helper()
			got := a.must(t, status).apiError(t).Error
			if got.Field != field || !strings.Contains(got.Message, says) {
				t.Errorf("%s: field %q, message %q; want field %q saying %q", what, got.Field, got.Message, field, says)
			}
		}

		wantField("skip the follow-up", move("fl-a1", map[string]any{"to": "root_cause"}), 422, "to", "follow_up cannot be skipped")
		wantField("unknown stage", move("fl-a1", map[string]any{"to": "done"}), 422, "to", "")
		wantField("no stage", move("fl-a1", map[string]any{}), 422, "to", "")
		wantField("the stage it is at", move("fl-a1", map[string]any{"to": "reported"}), 422, "to", "already")
		move("analyst", map[string]any{"to": "investigating"}).must(t, http.StatusForbidden)
		move("fl-b1", map[string]any{"to": "investigating"}).must(t, http.StatusNotFound)
		var got heed.Case
		move("fl-a1", map[string]any{"to": "investigating", "version": c.Version}).must(t, http.StatusOK).decode(t, &got)
		if got.Stage != heed.StageInvestigating || got.Version != c.Version+1 {
			t.Fatalf("moved: stage %s version %d", got.Stage, got.Version)
		}
		wantField("stale version", move("mgr-ra", map[string]any{"to": "follow_up", "version": c.Version}), 409, "version", "")
		wantField("back without a note", move("mgr-ra", map[string]any{"to": "reported"}), 422, "note", "")
		if now := getCase(t, e, c.ID); now.Stage != heed.StageInvestigating || now.Version != got.Version {
			t.Fatalf("refused moves changed the case: %+v", now)
		}

		// Calls: one that reached the customer is the first contact.
		call := func(token string, body map[string]any) answer {
			t.Helper()
			return e.call(t, token, "POST", casePath(c.ID, "/calls"), body)
		}
		call("fl-a1", map[string]any{"outcome": "no_answer", "note": "voicemail"}).must(t, http.StatusOK).decode(t, &got)
		if got.FirstContactAt != nil {
			t.Errorf("no answer counted as a contact: %v", got.FirstContactAt)
		}
		call("mgr-a1", map[string]any{"outcome": "reached", "note": "will send a voucher"}).must(t, http.StatusOK).decode(t, &got)
		if got.FirstContactAt == nil {
			t.Errorf("reaching the customer is no contact: %+v", got)
		}
		wantField("unknown outcome", call("fl-a1", map[string]any{"outcome": "maybe"}), 422, "outcome", "")
		call("analyst", map[string]any{"outcome": "reached"}).must(t, http.StatusForbidden)
		call("mgr-rb", map[string]any{"outcome": "reached"}).must(t, http.StatusNotFound)
		var calls struct{ Calls []heed.CaseEvent }
		e.call(t, "analyst", "GET", casePath(c.ID, "/calls"), nil).must(t, http.StatusOK).decode(t, &calls)
		if len(calls.Calls) != 2 || calls.Calls[0].Outcome != heed.CallNoAnswer || calls.Calls[0].Note != "voicemail" ||
			calls.Calls[1].Outcome != heed.CallReached || calls.Calls[1].Actor != "mgr-a1" {
			t.Errorf("calls: %+v", calls.Calls)
		}

		// What the employee decided: PATCH sets only what it names.
		patch := func(token string, body map[string]any) answer {
			t.Helper()
			return e.call(t, token, "PATCH", casePath(c.ID, ""), body)
		}
		patch("fl-a1", map[string]any{"root_cause": "wrong_information", "customer_kind": "geek", "note": "label printer"}).
			must(t, http.StatusOK).decode(t, &got)
		if got.RootCause != "wrong_information" || got.CustomerKind != heed.KindGeek || got.Stage != heed.StageInvestigating ||
			got.Title != c.Title {
			t.Errorf("patched: %+v", got)
		}
		wantField("unknown root cause", patch("fl-a1", map[string]any{"root_cause": "gremlins"}), 422, "root_cause", "gremlins")
		wantField("redirect by PATCH", patch("fl-a1", map[string]any{"response_type": "redirect"}), 422, "response_type", "")
		wantField("nothing", patch("fl-a1", map[string]any{}), 422, "", "nothing to change")
		wantField("stale", patch("fl-a1", map[string]any{"title": "x", "version": 1}), 409, "version", "")
		wantField("not a field", patch("fl-a1", map[string]any{"stage": "closed"}), 422, "stage", "")
		wantField("no such action", patch("fl-a1", map[string]any{"preventive_action_id": 999999}), 404, "preventive_action_id", "")
		patch("analyst", map[string]any{"note": "seen"}).must(t, http.StatusForbidden)
		patch("fl-b1", map[string]any{"note": "seen"}).must(t, http.StatusNotFound)

		// Hand it over to the staff of a2: the case follows to a2.
		redirect := func(token string, body map[string]any) answer {
			t.Helper()
			return e.call(t, token, "POST", casePath(c.ID, "/redirect"), body)
		}
		wantField("no note", redirect("fl-a1", map[string]any{"owner": staff("a2")}), 422, "note", "")
		wantField("nobody", redirect("fl-a1", map[string]any{"note": "yours"}), 422, "owner", "")
		wantField("unknown owner", redirect("fl-a1", map[string]any{"owner": "ghost@heed.test", "note": "yours"}), 404, "owner", "")
		redirect("analyst", map[string]any{"owner": staff("a2"), "note": "yours"}).must(t, http.StatusForbidden)
		redirect("fl-a1", map[string]any{"owner": staff("a2"), "note": "their shelf"}).must(t, http.StatusOK).decode(t, &got)
		if got.Owner != staff("a2") || got.Unit != "a2" || got.ResponseType != heed.ResponseRedirect {
			t.Errorf("redirected: %+v", got)
		}
		// fl-a1 saw it through a1; in a2 it is out of their sight now.
		e.call(t, "fl-a1", "GET", casePath(c.ID, ""), nil).must(t, http.StatusNotFound)
		e.call(t, "mgr-ra", "GET", casePath(c.ID, ""), nil).must(t, http.StatusOK)

		var tl struct{ Events []heed.CaseEvent }
		e.call(t, "mgr-ra", "GET", casePath(c.ID, "/events"), nil).must(t, http.StatusOK).decode(t, &tl)
		var kinds []heed.CaseEventKind
		for _, ev := range tl.Events {
			kinds = append(kinds, ev.Kind)
		}
		want := []heed.CaseEventKind{heed.EventOpened, heed.EventTransition, heed.EventCall, heed.EventCall,
			heed.EventChanged, heed.EventRedirect}
		if !slices.Equal(kinds, want) {
			t.Errorf("timeline %v, want %v", kinds, want)
		}
		if last := tl.Events[len(tl.Events)-1]; last.From != flA1Email || last.To != staff("a2") || last.Note != "their shelf" || last.Actor != "fl-a1" {
			t.Errorf("redirect event: %+v", last)
		}
	})
}

func getCase(t *testing.T, e *env, id int64) heed.Case {
	t.Helper()
	var c heed.Case
	e.call(t, "admin", "GET", casePath(id, ""), nil).must(t, http.StatusOK).decode(t, &c)
	return c
}

// TestRootCausesAndPreventiveActions: admins keep the list of root
// causes; managers plan preventive actions, which count the cases linked
// to them.
func TestRootCausesAndPreventiveActions(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		postAnswer(t, e, sv, customerOf("a1"), 4, "")
		c := listCases(t, e, "admin", url.Values{})[0]

		rootCauses := func(token string) map[string]heed.RootCause {
			t.Helper()
			var out struct {
				RootCauses []heed.RootCause `json:"root_causes"`
			}
			e.call(t, token, "GET", "/api/v1/root-causes", nil).must(t, http.StatusOK).decode(t, &out)
			m := map[string]heed.RootCause{}
			for _, rc := range out.RootCauses {
				m[rc.Key] = rc
			}
			return m
		}
		if rc, ok := rootCauses("fl-b1")["waiting_time"]; !ok || !rc.Active {
			t.Errorf("the default list lacks waiting_time: %+v", rootCauses("fl-b1"))
		}
		var rc heed.RootCause
		e.call(t, "admin", "PUT", "/api/v1/root-causes/parking", map[string]any{"name": "Parking"}).
			must(t, http.StatusCreated).decode(t, &rc)
		if rc != (heed.RootCause{Key: "parking", Name: "Parking", Active: true}) {
			t.Errorf("created %+v", rc)
		}
		e.call(t, "admin", "PUT", "/api/v1/root-causes/parking", map[string]any{"key": "parking", "name": "No parking", "active": false}).
			must(t, http.StatusOK).decode(t, &rc)
		if rc != (heed.RootCause{Key: "parking", Name: "No parking"}) || rootCauses("analyst")["parking"] != rc {
			t.Errorf("switched off %+v, listed %+v", rc, rootCauses("analyst")["parking"])
		}
		// An inactive root cause is not offered.
		e.call(t, "fl-a1", "PATCH", casePath(c.ID, ""), map[string]any{"root_cause": "parking"}).must(t, http.StatusUnprocessableEntity)
		e.call(t, "mgr-ra", "PUT", "/api/v1/root-causes/parking", map[string]any{"name": "Mine"}).must(t, http.StatusForbidden)
		e.call(t, "admin", "PUT", "/api/v1/root-causes/parking", map[string]any{"key": "other", "name": "X"}).must(t, 422)
		if got := e.call(t, "admin", "PUT", "/api/v1/root-causes/x", map[string]any{}).must(t, 422).apiError(t).Error; got.Field != "name" {
			t.Errorf("no name: field %q", got.Field)
		}
		if rc := rootCauses("admin")["parking"]; rc.Name != "No parking" {
			t.Errorf("refused writes changed parking: %+v", rc)
		}

		// Preventive actions.
		e.call(t, "fl-a1", "POST", "/api/v1/preventive-actions", map[string]any{"title": "Mine"}).must(t, http.StatusForbidden)
		e.call(t, "mgr-ra", "POST", "/api/v1/preventive-actions", map[string]any{"title": "X", "status": "maybe"}).must(t, 422)
		if got := e.call(t, "mgr-ra", "POST", "/api/v1/preventive-actions", map[string]any{"description": "?"}).
			must(t, 422).apiError(t).Error; got.Field != "title" {
			t.Errorf("no title: field %q", got.Field)
		}
		if got := e.call(t, "mgr-ra", "POST", "/api/v1/preventive-actions", map[string]any{"title": "X", "owner": "ghost@heed.test"}).
			must(t, 404).apiError(t).Error; got.Field != "owner" {
			t.Errorf("unknown owner: field %q", got.Field)
		}
		due := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
		var pa heed.PreventiveAction
		e.call(t, "mgr-ra", "POST", "/api/v1/preventive-actions", map[string]any{
			"title": "Reprint shelf labels nightly", "owner": mgrRAEmail, "due": due,
		}).must(t, http.StatusCreated).decode(t, &pa)
		if pa.ID == 0 || pa.Status != heed.ActionOpen || pa.Owner != mgrRAEmail || pa.Due == nil || !pa.Due.Equal(due) || pa.Cases != 0 {
			t.Errorf("created %+v", pa)
		}
		path := "/api/v1/preventive-actions/" + strconv.FormatInt(pa.ID, 10)
		e.call(t, "fl-a1", "PATCH", casePath(c.ID, ""), map[string]any{"preventive_action_id": pa.ID}).must(t, http.StatusOK)
		a := e.call(t, "fl-b1", "GET", path, nil).must(t, http.StatusOK)
		a.decode(t, &pa)
		if pa.Cases != 1 || pa.Customers != 1 {
			t.Errorf("linked: %+v, want one case of one customer", pa)
		}
		// A fetched action goes back as it is, with a change.
		var body map[string]any
		a.decode(t, &body)
		body["status"] = "done"
		e.call(t, "admin", "PUT", path, body).must(t, http.StatusOK).decode(t, &pa)
		if pa.Status != heed.ActionDone || pa.Title != "Reprint shelf labels nightly" || pa.Cases != 1 {
			t.Errorf("updated %+v", pa)
		}
		e.call(t, "admin", "PUT", "/api/v1/preventive-actions/999999", map[string]any{"title": "X"}).must(t, http.StatusNotFound)
		e.call(t, "admin", "PUT", "/api/v1/preventive-actions/999999", body).must(t, 422) // id in the body differs
		e.call(t, "analyst", "PUT", path, body).must(t, http.StatusForbidden)
		e.call(t, "admin", "GET", "/api/v1/preventive-actions/999999", nil).must(t, http.StatusNotFound)
		var list struct {
			PreventiveActions []heed.PreventiveAction `json:"preventive_actions"`
		}
		e.call(t, "analyst", "GET", "/api/v1/preventive-actions", nil).must(t, http.StatusOK).decode(t, &list)
		if len(list.PreventiveActions) != 1 || list.PreventiveActions[0].ID != pa.ID || list.PreventiveActions[0].Status != heed.ActionDone {
			t.Errorf("list %+v", list.PreventiveActions)
		}
	})
}

// TestLoopMetrics: GET /metrics carries the closed-loop figures of the
// same unit and days, in the caller's scope; an API without the cases
// service answers exactly as before.
func TestLoopMetrics(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		postAnswer(t, e, sv, customerOf("a1"), 2, "")
		postAnswer(t, e, sv, customerOf("b1"), 5, "")
		c := listCases(t, e, "fl-a1", url.Values{"owner": {"me"}})[0]
		e.call(t, "fl-a1", "POST", casePath(c.ID, "/calls"), map[string]any{"outcome": "reached"}).must(t, http.StatusOK)

		loop := func(token, query string) cases.LoopMetrics {
			t.Helper()
			var out struct {
				Survey string
				Loop   *cases.LoopMetrics
			}
			e.call(t, token, "GET", "/api/v1/metrics?survey="+sv+query, nil).must(t, http.StatusOK).decode(t, &out)
			if out.Survey != sv || out.Loop == nil {
				t.Fatalf("%s metrics%s: survey %q, loop %v", token, query, out.Survey, out.Loop)
			}
			return *out.Loop
		}
		m := loop("admin", "")
		if m.Total.Cases != 2 || m.Total.Detractors != 2 || m.Total.Contacted != 1 || m.Total.Open != 2 ||
			m.Total.ContactedShare == nil || *m.Total.ContactedShare != 50 {
			t.Errorf("admin total: %+v", m.Total)
		}
		today := time.Now().UTC().Truncate(24 * time.Hour)
		if !m.From.Equal(today.AddDate(0, 0, -89)) || !m.To.Equal(today.AddDate(0, 0, 1)) {
			t.Errorf("span %v – %v, want the survey's 90 days, today whole", m.From, m.To)
		}
		if m := loop("mgr-rb", ""); m.Total.Cases != 1 || m.Total.Contacted != 0 {
			t.Errorf("region B's manager: %+v", m.Total)
		}
		m = loop("admin", "&unit=ra")
		if m.Total.Cases != 1 || m.Total.Contacted != 1 || len(m.Units) == 0 || m.Units[0].Unit != "ra" {
			t.Errorf("unit ra: total %+v, units %+v", m.Total, m.Units)
		}
		// Days before the cases count none opened, but the open ones still.
		if m := loop("admin", "&from=2020-01-01&to=2020-01-31"); m.Total.Cases != 0 || m.Total.Open != 2 {
			t.Errorf("2020: %+v", m.Total)
		}
		e.call(t, "mgr-ra", "GET", "/api/v1/metrics?survey="+sv+"&unit=rb", nil).must(t, http.StatusNotFound)

		// Without the cases and webhooks services: no loop, no routes.
		h, err := api.New(api.Config{Directory: e.dir, Accounts: e.acc, Jobs: e.jobs, Surveys: e.surveys})
		if err != nil {
			t.Fatal(err)
		}
		plain := *e
		plain.url = serveAPI(t, h)
		var raw map[string]json.RawMessage
		plain.call(t, "admin", "GET", "/api/v1/metrics?survey="+sv, nil).must(t, http.StatusOK).decode(t, &raw)
		if _, ok := raw["loop"]; ok || raw["total"] == nil {
			t.Errorf("metrics without the cases service: %v", raw)
		}
		for _, path := range []string{"/api/v1/cases", "/api/v1/rules", "/api/v1/webhooks", "/api/v1/root-causes"} {
			plain.call(t, "admin", "GET", path, nil).must(t, http.StatusNotFound)
		}
		for _, p := range api.MuxPatterns(h) {
			if strings.Contains(p, "/cases") || strings.Contains(p, "/webhook") || strings.Contains(p, "/rules") {
				t.Errorf("served without its service: %s", p)
			}
		}
	})
}

// serveAPI serves h on loopback as heed serve mounts it and returns its
// URL.
func serveAPI(t *testing.T, h http.Handler) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// runPool runs the job pool over e's store until the test ends, with
// every service's jobs, as heed serve does.
func runPool(t *testing.T, e *env) {
	t.Helper()
	pool := jobs.NewPool(e.store, jobs.PoolConfig{Workers: 2, PollInterval: 10 * time.Millisecond,
		BackoffBase: 10 * time.Millisecond}, nil)
	e.surveys.RegisterJobs(pool)
	e.cases.RegisterJobs(pool)
	e.hooks.RegisterJobs(pool)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pool.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// loopParams makes one of each thing the loop's paths name, for the
// OpenAPI test: a case (with a delivery about it to a webhook), a rule, a
// root cause and a preventive action.
func loopParams(t *testing.T, e *env, sv string) map[string]string {
	t.Helper()
	ctx := context.Background()
	wh, err := e.hooks.Create(ctx, heed.System(), heed.Webhook{URL: "http://127.0.0.1:9/hook", Active: true,
		Events: []string{heed.EventCaseOpened}})
	if err != nil {
		t.Fatal(err)
	}
	postAnswer(t, e, sv, customerOf("a1"), 0, "")
	cs, err := e.cases.List(ctx, heed.System(), cases.Filter{Customer: customerOf("a1")})
	if err != nil || len(cs) != 1 {
		t.Fatalf("case of a1: %+v, %v", cs, err)
	}
	ds, err := e.hooks.Deliveries(ctx, heed.System(), heed.DeliveryFilter{WebhookID: wh.ID})
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries: %+v, %v", ds, err)
	}
	pa, err := e.cases.SavePreventiveAction(ctx, heed.System(), heed.PreventiveAction{Title: "Fix it"})
	if err != nil {
		t.Fatal(err)
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return map[string]string{
		"/cases/{id}":              id(cs[0].ID),
		"/webhooks/{id}":           id(wh.ID),
		"/webhook-deliveries/{id}": id(ds[0].ID),
		"/preventive-actions/{id}": id(pa.ID),
		"/rules/{key}":             "detractor-case",
		"/root-causes/{key}":       "waiting_time",
	}
}

// caseOf returns the open case of the unit's customer, opening it with a
// detractor answer (to the survey fixtures) the first time.
func caseOf(t *testing.T, e *env, unit string) heed.Case {
	t.Helper()
	ctx := context.Background()
	cs, err := e.cases.List(ctx, heed.System(), cases.Filter{Customer: customerOf(unit), Open: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) > 0 {
		return cs[0]
	}
	if _, err := e.surveys.RecordResponses(ctx, heed.System(), "", "", []survey.ResponseInput{
		{Survey: fixtureSurvey, Customer: customerOf(unit), Score: ptr(2), ExternalID: "case-of-" + unit},
	}); err != nil {
		t.Fatal(err)
	}
	if cs, err = e.cases.List(ctx, heed.System(), cases.Filter{Customer: customerOf(unit), Open: true}); err != nil || len(cs) != 1 {
		t.Fatalf("the detractor of %s opened %d cases, %v", unit, len(cs), err)
	}
	return cs[0]
}

// getCaseOf asks for the case of the unit's customer.
func getCaseOf(t *testing.T, e *env, token, unit string) int {
	return e.call(t, token, "GET", casePath(caseOf(t, e, unit).ID, ""), nil).status
}

// moveCaseOf asks to move the case of the unit's customer on, or back
// (with a note) when it was moved on before, so every attempt is a
// change; the state is the case's stage and version.
func moveCaseOf(t *testing.T, e *env, token, unit string) int {
	c := caseOf(t, e, unit)
	state := func() any {
		got, err := e.store.GetCase(context.Background(), heed.Scope{All: true}, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return [2]any{got.Stage, got.Version}
	}
	body := map[string]any{"to": "investigating"}
	if c.Stage == heed.StageInvestigating {
		body = map[string]any{"to": "reported", "note": "moved back by " + token}
	}
	return checkedWrite(t, token+" moves the case of "+unit, state, func() int {
		return e.call(t, token, "POST", casePath(c.ID, "/transitions"), body).status
	})
}

// TestOpenAPIDocumentsTheLoop: the document names every operation of the
// loop, and the metrics answer's loop figures; TestOpenAPIDescribesEveryRoute
// holds it to what the router serves.
func TestOpenAPIDocumentsTheLoop(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	var doc struct {
		Paths      map[string]map[string]struct{ OperationID string }
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage
			}
		}
	}
	e.call(t, "", "GET", "/api/v1/openapi.json", nil).must(t, http.StatusOK).decode(t, &doc)
	ops := map[string]string{} // operation id → "METHOD path"
	for path, item := range doc.Paths {
		for method, op := range item {
			ops[op.OperationID] = strings.ToUpper(method) + " " + path
		}
	}
	for id, want := range map[string]string{
		"list-cases":               "GET /api/v1/cases",
		"get-case":                 "GET /api/v1/cases/{id}",
		"update-case":              "PATCH /api/v1/cases/{id}",
		"get-case-history":         "GET /api/v1/cases/{id}/history",
		"list-case-events":         "GET /api/v1/cases/{id}/events",
		"transition-case":          "POST /api/v1/cases/{id}/transitions",
		"list-case-calls":          "GET /api/v1/cases/{id}/calls",
		"log-case-call":            "POST /api/v1/cases/{id}/calls",
		"redirect-case":            "POST /api/v1/cases/{id}/redirect",
		"list-root-causes":         "GET /api/v1/root-causes",
		"put-root-cause":           "PUT /api/v1/root-causes/{key}",
		"list-preventive-actions":  "GET /api/v1/preventive-actions",
		"create-preventive-action": "POST /api/v1/preventive-actions",
		"get-preventive-action":    "GET /api/v1/preventive-actions/{id}",
		"update-preventive-action": "PUT /api/v1/preventive-actions/{id}",
		"list-rules":               "GET /api/v1/rules",
		"create-rule":              "POST /api/v1/rules",
		"try-rule":                 "POST /api/v1/rules/try",
		"get-rule":                 "GET /api/v1/rules/{key}",
		"update-rule":              "PUT /api/v1/rules/{key}",
		"delete-rule":              "DELETE /api/v1/rules/{key}",
		"list-webhooks":            "GET /api/v1/webhooks",
		"create-webhook":           "POST /api/v1/webhooks",
		"get-webhook":              "GET /api/v1/webhooks/{id}",
		"update-webhook":           "PUT /api/v1/webhooks/{id}",
		"delete-webhook":           "DELETE /api/v1/webhooks/{id}",
		"list-webhook-deliveries":  "GET /api/v1/webhooks/{id}/deliveries",
		"redeliver":                "POST /api/v1/webhook-deliveries/{id}/redeliver",
	} {
		if ops[id] != want {
			t.Errorf("operation %s: %q, want %q", id, ops[id], want)
		}
	}
	var metrics []string
	for name, s := range doc.Components.Schemas {
		if s.Properties["loop"] != nil && s.Properties["total"] != nil {
			metrics = append(metrics, name)
		}
	}
	if len(metrics) != 1 || doc.Components.Schemas["LoopMetrics"].Properties["units"] == nil {
		t.Errorf("schemas with the loop figures: %v; LoopMetrics %+v", metrics, doc.Components.Schemas["LoopMetrics"])
	}
}
