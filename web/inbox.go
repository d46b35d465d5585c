package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// The inbox's sizes: how many open cases the call list reads (more than
// anyone calls in a day) and how many answers the feedback list shows.
const (
	callListMax  = 200
	inboxAnswers = 20
)

// callRow is one case of today's call list.
type callRow struct {
	Case    heed.Case
	Comment string // an excerpt of the answer that opened the case
	Tone    string
	Age     string
	Due     string // "in 5 h", "3 h late"
	DueWhat string // first contact or resolution
	Late    bool
}

// inboxBody is the content of inbox.html.
type inboxBody struct {
	Calls    []callRow
	Answers  []responseRow
	Names    map[string]string // customers' names by external id, those the viewer may see
	Outcomes []heed.CallOutcome
	CanWork  bool
	State    string // the live stream's "nothing new since" token
	Notice   string
}

// inbox is the front-line employee's day: the open cases they own,
// most urgent first, each with one-click call logging, and below the
// newest answers of the customers they may see.
func (s *server) inbox(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	now := time.Now()
	mine, err := s.myOpenCases(r)
	if err != nil {
		return err
	}
	answers, err := s.sv.ListResponses(ctx, v.P, "", heed.ResponseFilter{Limit: inboxAnswers})
	if err != nil {
		return err
	}
	body := inboxBody{Outcomes: heed.CallOutcomes(), CanWork: v.P.Role != heed.RoleAnalyst, Notice: inboxNotice(r),
		State: inboxState(mine, answers)}
	for _, c := range mine {
		due, what := nextDue(c)
		row := callRow{Case: c, Tone: categoryTone(c.CategoryBefore), Age: ago(now, c.CreatedAt),
			Due: dueText(now, due), DueWhat: what, Late: c.Late(now)}
		if row.Comment, err = s.caseComment(r, c); err != nil {
			return err
		}
		body.Calls = append(body.Calls, row)
	}
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	bySurvey := map[string]heed.Survey{}
	for _, sv := range surveys {
		bySurvey[sv.Key] = sv
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	names := unitNames(units)
	body.Names = map[string]string{}
	for _, a := range answers {
		body.Answers = append(body.Answers, newResponseRow(a, bySurvey[a.Survey], names))
		if _, ok := body.Names[a.Customer]; a.Customer == "" || ok {
			continue
		}
		// A short list: one look-up per customer beats reading them all.
		cust, err := s.dir.GetCustomer(ctx, v.P, a.Customer)
		if err != nil && !heed.IsNotFound(err) {
			return err
		}
		body.Names[a.Customer] = cust.Name
	}
	return s.render(w, r, http.StatusOK, "inbox", view{Title: "Inbox", Section: "inbox", Body: body})
}

// inboxNotice confirms what a button did, from known words only.
func inboxNotice(r *http.Request) string {
	switch r.URL.Query().Get("done") {
	case "call":
		return "Call logged."
	case "moved":
		return "Stage changed."
	case "redirected":
		return "Case handed over."
	}
	return ""
}

// myOpenCases are the viewer's open cases, most urgent first: late ones,
// then by the next service level due (first contact, then resolution),
// then the lowest score.
func (s *server) myOpenCases(r *http.Request) ([]heed.Case, error) {
	v := viewerFrom(r.Context())
	if v.P.EmployeeID == 0 {
		return nil, nil // a session is always an employee's; nothing is owned otherwise
	}
	mine, err := s.cs.List(r.Context(), v.P, cases.Filter{Owner: "me", Open: true, Limit: callListMax})
	if err != nil {
		return nil, err
	}
	now := time.Now()
	slices.SortStableFunc(mine, func(a, b heed.Case) int {
		if la, lb := a.Late(now), b.Late(now); la != lb {
			if la {
				return -1
			}
			return 1
		}
		da, _ := nextDue(a)
		db, _ := nextDue(b)
		return cmp.Or(da.Compare(db), cmp.Compare(score(a.ScoreBefore), score(b.ScoreBefore)), cmp.Compare(a.ID, b.ID))
	})
	return mine, nil
}

func score(p *int) int {
	if p == nil {
		return 1 << 30 // no score: after every score
	}
	return *p
}

// caseComment is an excerpt of the comment that opened a case. The
// answer may sit outside the viewer's scope (a case handed over to
// them): then the case's title, which quotes it, stands in.
func (s *server) caseComment(r *http.Request, c heed.Case) (string, error) {
	if c.ResponseID == 0 {
		return c.Title, nil
	}
	resp, err := s.sv.GetResponse(r.Context(), viewerFrom(r.Context()).P, c.ResponseID)
	if heed.IsNotFound(err) {
		return c.Title, nil
	}
	if err != nil {
		return "", err
	}
	text := strings.Join(strings.Fields(resp.Comment), " ")
	if rs := []rune(text); len(rs) > 160 {
		text = string(rs[:159]) + "…"
	}
	return text, nil
}

// inboxState sums up what the inbox shows, so the live stream can tell
// when it changed: the open cases (how many, the newest, the last
// change: a case handed over, called or closed anywhere shows) and the
// newest answer.
func inboxState(mine []heed.Case, answers []heed.Response) string {
	var newest int64
	var changed time.Time
	for _, c := range mine {
		newest = max(newest, c.ID)
		if c.UpdatedAt.After(changed) {
			changed = c.UpdatedAt
		}
	}
	var answer int64
	if len(answers) > 0 {
		answer = answers[0].ID
	}
	return fmt.Sprintf("%d-%d-%d-%d", len(mine), newest, changed.UnixMicro(), answer)
}
