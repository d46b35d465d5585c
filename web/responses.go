package web

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
)

// listPage is how many invitations or responses one page shows.
const listPage = 50

// responsesBody is the content of responses.html.
type responsesBody struct {
	Responses  []responseRow
	Surveys    []heed.Survey
	Units      []unitOption
	Survey     string
	Unit       string
	From, To   string // yyyy-mm-dd as typed
	Min, Max   string
	HasComment bool
	Filtered   bool
	Paged      bool
	FirstURL   string
	NextURL    string // "" on the last page
}

// responseRow is one response of the list.
type responseRow struct {
	heed.Response
	SurveyName string
	UnitName   string
	Scale      string // "0–10"
	Tone       string // good, mid or bad: how the score reads on its scale
	Answers    []attribute
	Hidden     []attribute
}

// responseList shows the responses the viewer may see, newest first,
// filtered by survey, unit, dates, score and comment, a page at a time
// (?before=ID).
func (s *server) responseList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	q := r.URL.Query()
	body := responsesBody{
		Survey: strings.TrimSpace(q.Get("survey")), Unit: strings.TrimSpace(q.Get("unit")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Min: strings.TrimSpace(q.Get("min")), Max: strings.TrimSpace(q.Get("max")), HasComment: q.Get("comment") != "",
	}
	f, err := body.filter(q.Get("before"))
	if err != nil {
		return err
	}
	list, err := s.sv.ListResponses(ctx, v.P, body.Survey, f)
	if err != nil {
		return err
	}
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body.Surveys, body.Units = sortedSurveys(surveys), unitOptions(units)
	bySurvey := surveysByKey(surveys)
	names := unitNames(units)
	params := body.params()
	body.Filtered, body.Paged, body.FirstURL = len(params) > 0, f.BeforeID > 0, pageURL("/responses", params, 0)
	if len(list) > listPage {
		list = list[:listPage]
		body.NextURL = pageURL("/responses", params, list[listPage-1].ID)
	}
	for _, resp := range list {
		body.Responses = append(body.Responses, newResponseRow(resp, bySurvey[resp.Survey], names))
	}
	return s.render(w, r, http.StatusOK, "responses", view{Title: "Responses", Section: "responses", Body: body})
}

// filter turns the form into the service's filter, one row more than a
// page so the last page knows it is the last.
func (b responsesBody) filter(before string) (heed.ResponseFilter, error) {
	f := heed.ResponseFilter{Unit: b.Unit, HasComment: b.HasComment, Limit: listPage + 1}
	var err error
	if f.BeforeID, err = parseBefore(before); err != nil {
		return f, err
	}
	if b.From != "" {
		if f.From, err = time.Parse(time.DateOnly, b.From); err != nil {
			return f, heed.FieldErrorf(heed.EInvalid, "from", "the date %q is not a date like 2026-03-31", b.From)
		}
	}
	if b.To != "" {
		to, err := time.Parse(time.DateOnly, b.To)
		if err != nil {
			return f, heed.FieldErrorf(heed.EInvalid, "to", "the date %q is not a date like 2026-03-31", b.To)
		}
		f.To = to.AddDate(0, 0, 1) // the whole of the last day
	}
	for _, n := range []struct {
		text, what string
		dst        **int
	}{{b.Min, "lowest score", &f.MinScore}, {b.Max, "highest score", &f.MaxScore}} {
		if n.text == "" {
			continue
		}
		i, err := strconv.Atoi(n.text)
		if err != nil {
			return f, heed.Errorf(heed.EInvalid, "the %s %q is not a whole number", n.what, n.text)
		}
		*n.dst = &i
	}
	return f, nil
}

// params are the filters in force, for the paging links.
func (b responsesBody) params() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"survey": b.Survey, "unit": b.Unit, "from": b.From, "to": b.To, "min": b.Min, "max": b.Max} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if b.HasComment {
		v.Set("comment", "1")
	}
	return v
}

// parseBefore reads the paging cursor: the ID the next page starts below.
func parseBefore(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, heed.Errorf(heed.EBadRequest, "the page link is broken; start again from the first page")
	}
	return id, nil
}

// pageURL links to the page of a list below before (0: the first page).
func pageURL(path string, params url.Values, before int64) string {
	v := url.Values{}
	for k, x := range params {
		v[k] = x
	}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

func newResponseRow(r heed.Response, sv heed.Survey, unitNames map[string]string) responseRow {
	lo, hi := sv.Kind.Scale()
	row := responseRow{Response: r, SurveyName: cmp.Or(sv.Name, r.Survey), UnitName: cmp.Or(unitNames[r.Unit], r.Unit),
		Scale: fmt.Sprintf("%d–%d", lo, hi), Tone: scoreTone(sv.Kind, r.Score)}
	for _, k := range slices.Sorted(maps.Keys(r.Answers)) {
		row.Answers = append(row.Answers, attribute{Key: k, Value: answerText(r.Answers[k])})
	}
	for _, k := range slices.Sorted(maps.Keys(r.Hidden)) {
		row.Hidden = append(row.Hidden, attribute{Key: k, Value: r.Hidden[k]})
	}
	return row
}

// scoreTone says how a score reads on its survey's scale: the tone of its
// category (satisfied, easy answers count as promoters).
func scoreTone(kind heed.SurveyKind, score int) string {
	return categoryTone(metrics.Category(kind, score))
}

// surveysByKey indexes surveys by key, to name each answer's survey and
// read its scale.
func surveysByKey(surveys []heed.Survey) map[string]heed.Survey {
	m := make(map[string]heed.Survey, len(surveys))
	for _, sv := range surveys {
		m[sv.Key] = sv
	}
	return m
}

// answerText writes an extra question's answer: text as it is, options
// separated by commas.
func answerText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []string:
		return strings.Join(x, ", ")
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}
