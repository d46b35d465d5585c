package web

import (
	"net/http"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/metrics"
)

// overviewBody is the content of overview.html.
type overviewBody struct {
	Unit      *heed.Unit // the viewer's own unit, if they have one
	SeesAll   bool
	Units     int
	Employees int
	Customers int
	// What costs NPS — the first list a manager sees: the significant
	// negative drivers of the last 90 days on the default NPS survey,
	// costliest first (up to three). Drivers is false when there is
	// nothing to show (no feedback service, no NPS survey, a frontline
	// viewer).
	Drivers   bool
	Survey    heed.Survey
	Costs     []themeView
	Responses int
}

// overview greets the viewer with their unit and how much they can see.
func (s *server) overview(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	body := overviewBody{SeesAll: v.P.SeesAll()}
	if v.Unit != "" {
		u, err := s.dir.GetUnit(ctx, v.P, v.Unit)
		if err != nil && !heed.IsNotFound(err) {
			return err
		}
		if err == nil {
			body.Unit = &u
		}
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	emps, err := s.dir.ListEmployees(ctx, v.P, heed.EmployeeFilter{})
	if err != nil {
		return err
	}
	if body.Customers, err = s.dir.CountCustomers(ctx, v.P); err != nil {
		return err
	}
	body.Units, body.Employees = len(units), len(emps)
	if err := s.overviewDrivers(r, &body); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "overview", view{Title: "Overview", Section: "overview", Body: body})
}

// overviewDrivers fills in what costs NPS for those who look after more
// than their own customers: the headline of the themes page, on the
// default NPS survey over the last 90 days.
func (s *server) overviewDrivers(r *http.Request, body *overviewBody) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	if s.fb == nil || v.P.Role == heed.RoleFrontline {
		return nil
	}
	sv, _, err := s.themesSurvey(ctx, v.P, "")
	if err != nil || sv.Key == "" {
		return err
	}
	to := time.Now()
	rep, err := s.fb.Themes(ctx, v.P, feedback.ThemeQuery{Survey: sv.Key, From: to.AddDate(0, 0, -90), To: to})
	if err != nil {
		return err
	}
	tb := themesBody{Survey: sv, Min: metrics.MinSample}
	tb.fill(rep)
	body.Drivers, body.Survey, body.Responses = true, sv, rep.Responses
	body.Costs = tb.Costs[:min(3, len(tb.Costs))]
	return nil
}
