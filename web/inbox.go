package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/metrics"
)

// The inbox's sizes: how many open cases the call list reads (more than
// anyone calls in a day) and how many answers the feedback list shows.
const (
	callListMax  = 200
	inboxAnswers = 20
)

// callRow is one case of today's call list.
type callRow struct {
	Case     heed.Case
	Comment  string // an excerpt of the answer that opened the case
	Tone     string
	Age      string
	Due      string // "in 5 h", "3 h late"
	DueWhat  string // first contact or resolution
	Late     bool
	Priority priorityView
}

// priorityView is a case's, an answer's or an item's priority, as pages
// show it.
type priorityView struct {
	feedback.Priority
	Why   string // its parts, in a line: "detractor, value 48,000, churn risk high"
	Class string // the state chip's colour for its level
}

// answerRow is one answer of the inbox's feedback list.
type answerRow struct {
	responseRow
	Priority priorityView
}

// inboxBody is the content of inbox.html.
type inboxBody struct {
	Calls    []callRow
	Answers  []answerRow
	Names    map[string]string // customers' names by external id, those the viewer may see
	Outcomes []heed.CallOutcome
	CanWork  bool
	State    string // the live stream's "nothing new since" token
	Notice   string
}

// inbox is the front-line employee's day: the open cases they own,
// highest priority first (then most urgent), each with one-click call
// logging, and below the newest answers of the customers they may see,
// highest priority first.
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
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	bySurvey := surveysByKey(surveys)
	caseP, answerP, err := s.inboxPriorities(r, mine, answers, bySurvey, now)
	if err != nil {
		return err
	}
	for i, c := range mine {
		due, what := nextDue(c)
		body.Calls = append(body.Calls, callRow{Case: c, Comment: comments[c.ID], Tone: categoryTone(c.CategoryBefore),
			Age: ago(now, c.CreatedAt), Due: dueText(now, due), DueWhat: what, Late: c.Late(now), Priority: caseP[i]})
	}
	byPriority(body.Calls, func(row callRow) int { return row.Priority.Score })
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
	for i, a := range answers {
		body.Answers = append(body.Answers, answerRow{newResponseRow(a, bySurvey[a.Survey], names), answerP[i]})
		if _, ok := body.Names[a.Customer]; a.Customer == "" || ok {
			continue
		}
		cust, err := s.dir.GetCustomer(ctx, v.P, a.Customer)
		if err != nil && !heed.IsNotFound(err) {
			return err
		}
		body.Names[a.Customer] = cust.Name
	}
	byPriority(body.Answers, func(row answerRow) int { return row.Priority.Score })
	return s.render(w, r, http.StatusOK, "inbox", view{Title: "Inbox", Section: "inbox", Body: body})
}

// inboxPriorities are the priorities of the cases and of the answers, in
// their order (feedback.PriorityOf): a case's severity is the category
// of what opened it, an answer's that of its score; both add their
// customer's value and churn risk and how recent they are. Each distinct
// customer is read once. Without the feedback service there are none.
func (s *server) inboxPriorities(r *http.Request, cs []heed.Case, answers []heed.Response, surveys map[string]heed.Survey,
	now time.Time) ([]priorityView, []priorityView, error) {
	caseP, answerP := make([]priorityView, len(cs)), make([]priorityView, len(answers))
	if s.fb == nil {
		return caseP, answerP, nil
	}
	ctx, p := r.Context(), viewerFrom(r.Context()).P
	var exts []string
	for _, c := range cs {
		exts = append(exts, c.Customer)
	}
	for _, a := range answers {
		exts = append(exts, a.Customer)
	}
	standings, err := s.fb.Standings(ctx, p, exts, s.churn(p))
	if err != nil {
		return nil, nil, err
	}
	for i, c := range cs {
		st := standings[c.Customer]
		caseP[i] = newPriority(feedback.PriorityInput{Category: c.CategoryBefore, Value: st.Value, Churn: st.Churn,
			HasCustomer: c.Customer != "", Age: now.Sub(c.CreatedAt), Late: c.Late(now)})
	}
	for i, a := range answers {
		st := standings[a.Customer]
		answerP[i] = newPriority(feedback.PriorityInput{Category: metrics.Category(surveys[a.Survey].Kind, a.Score),
			Value: st.Value, Churn: st.Churn, HasCustomer: a.Customer != "", Age: now.Sub(a.CreatedAt)})
	}
	return caseP, answerP, nil
}

func newPriority(in feedback.PriorityInput) priorityView {
	return viewPriority(feedback.PriorityOf(in))
}

func viewPriority(pr feedback.Priority) priorityView {
	class := map[string]string{"high": "state-dead", "medium": "state-queued"}[pr.Level]
	return priorityView{Priority: pr, Why: strings.Join(pr.Parts, ", "), Class: class}
}

// byPriority sorts rows by their priority score, highest first, keeping
// the order they had among equals.
func byPriority[T any](rows []T, score func(T) int) {
	slices.SortStableFunc(rows, func(a, b T) int { return cmp.Compare(score(b), score(a)) })
}

// churn tells the churn risk of a customer p may see, from their
// profile; nil (no churn points) without the events service.
func (s *server) churn(p heed.Principal) feedback.ChurnFunc {
	if s.ev == nil {
		return nil
	}
	return func(ctx context.Context, ext string) (string, error) {
		prof, err := s.ev.Profile(ctx, p, ext)
		return string(prof.Churn.Level), err
	}
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
