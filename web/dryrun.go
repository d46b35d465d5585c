package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/sampling"
	"github.com/heedhq/heed/survey"
)

// shownChosen is how many of the customers a dry run would ask are
// listed by name; the rest are counted.
const shownChosen = 50

// reportView is a program run's report as program.html shows it.
type reportView struct {
	R       survey.SampleReport
	Skipped []reasonCount
	Chosen  []chosenCustomer
	More    int // chosen but not listed
	Strata  []stratumRow
}

// reasonCount is one line of the skipped table.
type reasonCount struct {
	Reason string
	Label  string
	N      int
}

// chosenCustomer is one customer the run picked.
type chosenCustomer struct {
	ID, Name, Unit string
}

// stratumRow is one unit of a stratified plan.
type stratumRow struct {
	Unit, UnitName  string
	Customers       int
	Rate            string // "23%"
	Needed          int
	Invitations     int
	Today           int
	ExpectedAnswers string
	ExpectedMargin  string // "±9.8", or "—" when no answers are expected
	Reachable       bool
	Why             string
}

// reasonLabel says why customers were skipped, with the program's own
// numbers.
func reasonLabel(r sampling.Reason, p heed.Program) string {
	switch r {
	case sampling.NoConsent:
		return "No consent to be contacted"
	case sampling.Unreachable:
		return "No email address"
	case sampling.AskedByProgram:
		return fmt.Sprintf("Asked by this program in the last %d days", p.ProgramDays)
	case sampling.AskedRecently:
		return fmt.Sprintf("Asked by any program in the last %d days", p.GlobalDays)
	case sampling.OpenCase:
		return "Has an open follow-up case"
	case sampling.OverQuota:
		return "Eligible, but beyond today's quota"
	case sampling.Duplicate:
		return "Listed twice"
	}
	return string(r)
}

// programDryRun shows whom the program would ask today, and why not the
// others, without asking anyone (admins).
func (s *server) programDryRun(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	p, err := s.sv.GetProgram(ctx, v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	rep, err := s.sv.Sample(ctx, v.P, p.Key, true)
	if err != nil {
		return err
	}
	rv, err := s.reportView(r, p, rep)
	if err != nil {
		return err
	}
	body := &programBody{Form: formFromProgram(p), Report: rv}
	return s.renderProgram(w, r, http.StatusOK, body)
}

// programRun runs the program now (admins); running twice the same day
// asks nobody new.
func (s *server) programRun(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	key := r.PathValue("key")
	rep, err := s.sv.Sample(r.Context(), v.P, key, false)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programs/%s?done=run&invited=%d", url.PathEscape(key), rep.Invited), http.StatusSeeOther)
	return nil
}

// reportView turns a report into rows, with the names of the customers
// and units the viewer may see.
func (s *server) reportView(r *http.Request, p heed.Program, rep survey.SampleReport) (*reportView, error) {
	ctx, v := r.Context(), viewerFrom(r.Context())
	rv := &reportView{R: rep}
	for _, reason := range sampling.Reasons() {
		if n := rep.Skipped[string(reason)]; n > 0 {
			rv.Skipped = append(rv.Skipped, reasonCount{Reason: string(reason), Label: reasonLabel(reason, p), N: n})
		}
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return nil, err
	}
	names := unitNames(units)
	for i, id := range rep.Chosen {
		if i == shownChosen {
			rv.More = len(rep.Chosen) - shownChosen
			break
		}
		c, err := s.dir.GetCustomer(ctx, v.P, id)
		if err != nil && !heed.IsNotFound(err) {
			return nil, err
		}
		rv.Chosen = append(rv.Chosen, chosenCustomer{ID: id, Name: cmp.Or(c.Name, id), Unit: cmp.Or(names[c.Unit], c.Unit)})
	}
	for _, st := range rep.Strata {
		row := stratumRow{
			Unit: st.Unit, UnitName: cmp.Or(names[st.Unit], st.Unit), Customers: st.Customers,
			Rate: fmt.Sprintf("%.0f%%", 100*st.ResponseRate), Needed: st.NeededAnswers, Invitations: st.Invitations,
			Today: st.Today, ExpectedAnswers: fmt.Sprintf("%.0f", st.ExpectedAnswers), ExpectedMargin: "—",
			Reachable: st.Reachable, Why: st.Why,
		}
		if !math.IsInf(st.ExpectedMargin, 0) && !math.IsNaN(st.ExpectedMargin) && st.ExpectedMargin < 1e9 {
			row.ExpectedMargin = fmt.Sprintf("±%.1f", st.ExpectedMargin)
		}
		rv.Strata = append(rv.Strata, row)
	}
	return rv, nil
}
