package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// digestBody is the content of digest.html: the managers' daily digest,
// what the morning email says, laid out for the web.
type digestBody struct {
	D       *cases.Digest // nil when the service refused (Error says why)
	Heading string        // the day, as people write it
	Where   string        // "below North region"
	Reader  string        // whose digest, when not the viewer's own
	// The form's fields as typed, and what an admin may pick from.
	Day, For string
	CanPick  bool // admins may read anyone's digest
	Managers []heed.Employee
	Error    string
	ErrorID  string
	// Links to the days around; Next is "" until that day has begun.
	Prev, Next           string
	PrevLabel, NextLabel string
	Surveys              []digestSurvey
	Unhappy              []digestAnswer
	Units                []digestUnit
	Late, Escal          []caseRow
	LateMore             int    // late cases beyond the list
	LateURL, OpenURL     string // the case list behind the figures
}

// digestSurvey is one survey's row, its score written as its kind is.
type digestSurvey struct {
	cases.DigestSurvey
	Kind  string
	Score string
}

// digestAnswer is one unhappy customer's answer, with its unit's name.
type digestAnswer struct {
	cases.DigestAnswer
	UnitName string
}

// digestUnit is one unit below the reader, linked to its open cases.
type digestUnit struct {
	cases.DigestUnitRow
	Link string
}

// digestPage shows a day's digest: by default the viewer's own, of
// yesterday. The service decides who may read whose; what it refuses
// about the form (a day that is no date, an unknown employee) shows
// beside the form, so the reader can put it right.
func (s *server) digestPage(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	q := r.URL.Query()
	body := &digestBody{Day: strings.TrimSpace(q.Get("day")), For: strings.TrimSpace(q.Get("for"))}
	if body.CanPick = v.P.IsAdmin(); body.CanPick {
		if err := s.digestManagers(r, body); err != nil {
			return err
		}
	}
	d, err := s.cs.DigestFor(ctx, v.P, body.For, body.Day)
	if err != nil {
		status, ok := fieldStatus(err)
		if !ok {
			return err
		}
		body.Error, body.ErrorID = sentence(heed.ErrorMessage(err)), heed.ErrorField(err)
		return s.render(w, r, status, "digest", view{Title: "Daily digest", Section: "digest", Body: body})
	}
	body.fill(d, v)
	return s.render(w, r, http.StatusOK, "digest", view{Title: "Daily digest, " + body.Heading, Section: "digest", Body: body})
}

// digestManagers fills in the admin's picker: the managers, whose
// digests go out by email.
func (s *server) digestManagers(r *http.Request, body *digestBody) error {
	emps, err := s.dir.ListEmployees(r.Context(), viewerFrom(r.Context()).P, heed.EmployeeFilter{})
	if err != nil {
		return err
	}
	for _, e := range emps {
		if e.Role == heed.RoleManager {
			body.Managers = append(body.Managers, e)
		}
	}
	return nil
}

// fill lays d out for the page; v is who reads it.
func (b *digestBody) fill(d cases.Digest, v *viewer) {
	b.D, b.Day = &d, d.Day
	b.Heading = d.From.Format("Monday 2 January 2006")
	if !strings.EqualFold(d.Email, v.Email) {
		b.Reader = cmp.Or(d.Name, d.Email)
	}
	switch {
	case d.Unit != "":
		b.Where = "below " + cmp.Or(d.UnitName, d.Unit)
	case b.Reader != "":
		b.Where = "in all they can see"
	default:
		b.Where = "in all you can see"
	}
	b.dayLinks(d)
	for _, sv := range d.Surveys {
		kind, score := surveyScore(sv)
		b.Surveys = append(b.Surveys, digestSurvey{DigestSurvey: sv, Kind: kind, Score: score})
	}
	for _, a := range d.Unhappy {
		b.Unhappy = append(b.Unhappy, digestAnswer{DigestAnswer: a, UnitName: d.NameOf(a.Unit)})
	}
	for _, u := range d.Units {
		b.Units = append(b.Units, digestUnit{DigestUnitRow: u, Link: caseListURL(u.Unit, "")})
	}
	b.Late, b.Escal = digestCases(d.LateList, d), digestCases(d.Escal, d)
	b.LateMore = d.Late - len(d.LateList)
	// Another's digest: the case list of their unit, not of all the
	// admin sees.
	unit := ""
	if b.Reader != "" {
		unit = d.Unit
	}
	b.OpenURL, b.LateURL = caseListURL(unit, ""), caseListURL(unit, "late")
}

// dayLinks sets the links to the day before and the day after, keeping
// whose digest it is; the day after only once it has begun.
func (b *digestBody) dayLinks(d cases.Digest) {
	link := func(day time.Time) string {
		q := url.Values{"day": {day.Format(time.DateOnly)}}
		if b.For != "" {
			q.Set("for", b.For)
		}
		return "/digest?" + q.Encode()
	}
	prev := d.From.AddDate(0, 0, -1)
	b.Prev, b.PrevLabel = link(prev), prev.Format("Monday 2 January")
	if !d.To.After(d.At) {
		b.Next, b.NextLabel = link(d.To), d.To.Format("Monday 2 January")
	}
}

// caseListURL is the cases page filtered on open cases (and flag, when
// set) of unit ("" for all the viewer sees).
func caseListURL(unit, flag string) string {
	u := "/cases?f=1&open=1"
	if flag != "" {
		u += "&" + flag + "=1"
	}
	if unit != "" {
		u += "&unit=" + url.QueryEscape(unit)
	}
	return u
}

// digestCases are the rows of one of d's case lists, late as at d's
// time.
func digestCases(list []heed.Case, d cases.Digest) []caseRow {
	rows := make([]caseRow, 0, len(list))
	for _, c := range list {
		due, what := nextDue(c)
		rows = append(rows, caseRow{Case: c, UnitName: d.NameOf(c.Unit), Tone: categoryTone(c.CategoryBefore),
			Late: c.Late(d.At), Due: dueText(d.At, due), DueWhat: what})
	}
	return rows
}

// surveyScore names a survey's score and writes it as its kind is read:
// the NPS a signed whole number, the CSAT a percentage, the CES a mean
// to one decimal.
func surveyScore(sv cases.DigestSurvey) (kind, score string) {
	switch sv.Kind {
	case heed.SurveyCSAT:
		return "CSAT", fmt.Sprintf("%.0f%%", sv.Score)
	case heed.SurveyCES:
		return "CES", fmt.Sprintf("%.1f", sv.Score)
	}
	n := int(math.Round(sv.Score))
	if n == 0 {
		return "NPS", "0" // "+0" and "-0" read as noise
	}
	return "NPS", fmt.Sprintf("%+d", n)
}
