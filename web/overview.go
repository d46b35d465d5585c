package web

import (
	"net/http"

	"github.com/heedhq/heed"
)

// overviewBody is the content of overview.html.
type overviewBody struct {
	Unit      *heed.Unit // the viewer's own unit, if they have one
	SeesAll   bool
	Units     int
	Employees int
	Customers int
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
	return s.render(w, r, http.StatusOK, "overview", view{Title: "Overview", Section: "overview", Body: body})
}
