package web

import (
	"net/http"
	"strings"

	"github.com/heedhq/heed"
)

// employeesBody is the content of employees.html.
type employeesBody struct {
	Employees []heed.Employee
	Units     []unitOption      // for the filter, in tree order
	UnitNames map[string]string // key → name
	Unit      string            // the filter in force
}

// employeeList lists the employees the viewer may see, optionally of one
// unit and its subtree (?unit=KEY).
func (s *server) employeeList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	unit := strings.TrimSpace(r.URL.Query().Get("unit"))
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	emps, err := s.dir.ListEmployees(ctx, v.P, heed.EmployeeFilter{Unit: unit})
	if err != nil {
		return err
	}
	body := employeesBody{Employees: emps, Units: unitOptions(units), UnitNames: unitNames(units), Unit: unit}
	return s.render(w, r, http.StatusOK, "employees", view{Title: "Employees", Section: "employees", Body: body})
}

func unitNames(units []heed.Unit) map[string]string {
	m := make(map[string]string, len(units))
	for _, u := range units {
		m[u.Key] = u.Name
	}
	return m
}
