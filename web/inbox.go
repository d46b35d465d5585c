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
	body := inboxBody{Outcomes: heed.CallOutcomes(), CanWork: cases.CanWork(v.P), Notice: inboxNotice(r),
		State: inboxState(mine, answers)}
	comments, err := s.openingComments(r, mine)
	if err != nil {
		return err
	}
	for _, c := range mine {
		due, what := nextDue(c)
		body.Calls = append(body.Calls, callRow{Case: c, Comment: comments[c.ID], Tone: categoryTone(c.CategoryBefore),
			Age: ago(now, c.CreatedAt), Due: dueText(now, due), DueWhat: what, Late: c.Late(now)})
	}
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	bySurvey := surveysByKey(surveys)
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	names := unitNames(units)
	// The customers of the viewer's cases are named by the cases; the
	// others of a short list are looked up one by one (cheaper than
	// reading them all).
	body.Names = map[string]string{}
	for _, c := range mine {
		if c.Customer != "" && c.CustomerName != "" {
			body.Names[c.Customer] = c.CustomerName
		}
	}
	for _, a := range answers {
		body.Answers = append(body.Answers, newResponseRow(a, bySurvey[a.Survey], names))
		if _, ok := body.Names[a.Customer]; a.Customer == "" || ok {
			continue
		}
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

// openingComments are excerpts of the comments that opened the cases, by
// case. The answers are read in one list, newest first from the newest
// of them down; one the list passed over is outside the viewer's scope
// (a case handed over to them), and the case's title, which quotes it,
// stands in. Answers older than the list reached are read one by one.
func (s *server) openingComments(r *http.Request, cs []heed.Case) (map[int64]string, error) {
	ctx, p := r.Context(), viewerFrom(r.Context()).P
	var newest int64
	for _, c := range cs {
		newest = max(newest, c.ResponseID)
	}
	byID := map[int64]heed.Response{}
	var reached int64 // the list holds every answer the viewer sees from here up to newest
	if newest > 0 {
		list, err := s.sv.ListResponses(ctx, p, "", heed.ResponseFilter{BeforeID: newest + 1, Limit: callListMax})
		if err != nil {
			return nil, err
		}
		for _, resp := range list {
			byID[resp.ID] = resp
		}
		if len(list) == callListMax {
			reached = list[len(list)-1].ID
		}
	}
	comments := make(map[int64]string, len(cs))
	for _, c := range cs {
		resp, ok := byID[c.ResponseID]
		if !ok && c.ResponseID != 0 && c.ResponseID < reached {
			var err error
			if resp, err = s.sv.GetResponse(ctx, p, c.ResponseID); err != nil && !heed.IsNotFound(err) {
				return nil, err
			}
			ok = err == nil
		}
		if ok {
			comments[c.ID] = excerpt(resp.Comment)
		} else {
			comments[c.ID] = c.Title // no answer, or one outside the viewer's scope
		}
	}
	return comments, nil
}

// excerpt is a comment on one line, cut at 160 characters.
func excerpt(comment string) string {
	text := strings.Join(strings.Fields(comment), " ")
	if rs := []rune(text); len(rs) > 160 {
		text = string(rs[:159]) + "…"
	}
	return text
}

// inboxState sums up what the inbox shows, cheaply enough for the live
// stream to read it every few seconds: how many open cases the viewer
// owns, the newest of them and the latest change to any (a new case, one
// handed over or closed elsewhere, a call logged), and the newest answer.
func inboxState(open []heed.Case, answers []heed.Response) string {
	var newest int64
	var changed time.Time
	for _, c := range open {
		newest = max(newest, c.ID)
		if c.UpdatedAt.After(changed) {
			changed = c.UpdatedAt
		}
	}
	var answer int64
	if len(answers) > 0 {
		answer = answers[0].ID
	}
	return fmt.Sprintf("%d-%d-%d-%d", len(open), newest, changed.UnixMicro(), answer)
}
