package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// loopSpan is how far back the closed-loop figures look.
const loopSpan = 90 * 24 * time.Hour

// casesBody is the content of cases.html.
type casesBody struct {
	Cases     []caseRow
	Units     []unitOption
	Stages    []heed.Stage
	Unit      string
	Stage     heed.Stage
	Open      bool
	Late      bool
	Escalated bool
	Filtered  bool
	Paged     bool
	FirstURL  string
	NextURL   string
	// The closed-loop figures, on the first page only: they do not
	// change from page to page.
	ShowFigures bool
	Figures     []figuresRow
	Total       *figuresRow // nil when the unit's own row is the total
	Since       string      // the start of the figures' span
}

// caseRow is one case of the list.
type caseRow struct {
	Case     heed.Case
	UnitName string
	Tone     string
	Late     bool
	Due      string
	DueWhat  string
}

// figuresRow is one unit's closed-loop figures, ready to show.
type figuresRow struct {
	cases.Figures
	Indent      int // depth below the top unit shown
	Label       string
	Link        string
	MedianHours string
	OpenStages  []stageCount
}

// stageCount is how many open cases wait at one stage.
type stageCount struct {
	Stage heed.Stage
	N     int
}

// caseList is the managers' view: every case in their part of the tree,
// filtered, late and escalated ones marked, and the closed-loop figures
// per unit, rolled up the tree.
func (s *server) caseList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	q := r.URL.Query()
	body := casesBody{Unit: strings.TrimSpace(q.Get("unit")), Stage: heed.Stage(q.Get("stage")), Stages: heed.Stages(),
		Open: q.Get("open") != "", Late: q.Get("late") != "", Escalated: q.Get("escalated") != ""}
	if q.Get("f") == "" {
		body.Open = true // until the filter form says otherwise: what needs work
	}
	before, err := parseBefore(q.Get("before"))
	if err != nil {
		return err
	}
	f := cases.Filter{Unit: body.Unit, Stage: body.Stage, Open: body.Open, Late: body.Late, Limit: listPage + 1, BeforeID: before}
	if body.Escalated {
		f.Escalated = "me"
	}
	list, err := s.cs.List(ctx, v.P, f)
	if err != nil {
		return err
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body.Units = unitOptions(units)
	names := unitNames(units)
	params := body.params()
	body.Filtered, body.Paged = body.Unit != "" || body.Stage != "" || body.Late || body.Escalated, before > 0
	body.FirstURL = pageURL("/cases", params, 0)
	if len(list) > listPage {
		list = list[:listPage]
		body.NextURL = pageURL("/cases", params, list[listPage-1].ID)
	}
	now := time.Now()
	for _, c := range list {
		due, what := nextDue(c)
		body.Cases = append(body.Cases, caseRow{Case: c, UnitName: cmp.Or(names[c.Unit], c.Unit), Tone: categoryTone(c.CategoryBefore),
			Late: c.Late(now), Due: dueText(now, due), DueWhat: what})
	}
	if before == 0 {
		if err := s.loopFigures(r, &body, now); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "cases", view{Title: "Cases", Section: "cases", Body: body})
}

// loopFigures fills in the closed-loop figures of the unit filtered on
// (or all the viewer sees), rolled up the tree.
func (s *server) loopFigures(r *http.Request, body *casesBody, now time.Time) error {
	m, err := s.cs.Metrics(r.Context(), viewerFrom(r.Context()).P, body.Unit, now.Add(-loopSpan), now)
	if err != nil {
		return err
	}
	body.ShowFigures = true
	body.Since = m.From.UTC().Format("2 Jan 2006")
	if body.Unit == "" { // filtered, the unit's own row is the total
		total := newFiguresRow(m.Total, 0, "All you can see")
		body.Total = &total
	}
	top := -1
	for _, u := range m.Units {
		if top < 0 || u.Depth < top {
			top = u.Depth
		}
	}
	for _, u := range m.Units {
		row := newFiguresRow(u, u.Depth-top, cmp.Or(u.Name, u.Unit))
		row.Link = "/cases?" + url.Values{"unit": {u.Unit}, "f": {"1"}, "open": {"1"}}.Encode()
		body.Figures = append(body.Figures, row)
	}
	return nil
}

func newFiguresRow(f cases.Figures, indent int, label string) figuresRow {
	row := figuresRow{Figures: f, Indent: indent, Label: label, MedianHours: "—"}
	if h := f.MedianFirstContactHours; h != nil {
		row.MedianHours = strconv.FormatFloat(*h, 'f', 1, 64) + " h"
	}
	for _, st := range heed.Stages() {
		if n := f.OpenByStage[st]; n > 0 {
			row.OpenStages = append(row.OpenStages, stageCount{Stage: st, N: n})
		}
	}
	return row
}

// params are the filters in force, for the paging links.
func (b casesBody) params() url.Values {
	v := url.Values{"f": {"1"}}
	if b.Unit != "" {
		v.Set("unit", b.Unit)
	}
	if b.Stage != "" {
		v.Set("stage", string(b.Stage))
	}
	for k, on := range map[string]bool{"open": b.Open, "late": b.Late, "escalated": b.Escalated} {
		if on {
			v.Set(k, "1")
		}
	}
	return v
}
