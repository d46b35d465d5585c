package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/heedhq/heed"
)

// unitNode is one unit of the rendered tree.
type unitNode struct {
	Unit        heed.Unit
	Responsible string // the responsible person's name, or their email
	Children    []*unitNode
}

// unitsBody is the content of units.html.
type unitsBody struct {
	Roots []*unitNode
	Count int
}

// unitList shows the part of the tree the viewer may see.
func (s *server) unitList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	names, err := s.employeeNames(r)
	if err != nil {
		return err
	}
	body := unitsBody{Roots: buildTree(units, names), Count: len(units)}
	return s.render(w, r, http.StatusOK, "units", view{Title: "Units", Section: "units", Body: body})
}

// buildTree nests units (ordered parents first, as ListUnits returns
// them), siblings by name. A unit whose parent the viewer cannot see
// becomes a root.
func buildTree(units []heed.Unit, names map[string]string) []*unitNode {
	byKey := make(map[string]*unitNode, len(units))
	var roots []*unitNode
	for _, u := range units {
		n := &unitNode{Unit: u, Responsible: displayName(u.Responsible, names)}
		byKey[u.Key] = n
		if parent, ok := byKey[u.Parent]; ok && u.Parent != "" {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	sortNodes(roots)
	return roots
}

// sortNodes orders siblings by name at every level.
func sortNodes(nodes []*unitNode) {
	slices.SortFunc(nodes, func(a, b *unitNode) int { return compareUnits(a.Unit, b.Unit) })
	for _, n := range nodes {
		sortNodes(n.Children)
	}
}

// compareUnits orders units by name as people read it, ignoring case and
// accents like the customer list does, then by key so the order is total.
func compareUnits(a, b heed.Unit) int {
	return cmp.Or(strings.Compare(heed.Fold(a.Name), heed.Fold(b.Name)), strings.Compare(a.Key, b.Key))
}

// unitOption is one unit in a filter's drop-down list.
type unitOption struct {
	Key   string
	Label string // the name, indented by its depth in the tree
}

// unitOptions lists units in tree order, siblings by name, each indented
// under its parent, so a long list reads like the units page.
func unitOptions(units []heed.Unit) []unitOption {
	out := make([]unitOption, 0, len(units))
	var walk func(nodes []*unitNode, depth int)
	walk = func(nodes []*unitNode, depth int) {
		for _, n := range nodes {
			// No-break spaces: a browser collapses ordinary ones.
			indent := strings.Repeat("\u00a0\u00a0\u00a0", depth)
			out = append(out, unitOption{Key: n.Unit.Key, Label: indent + n.Unit.Name})
			walk(n.Children, depth+1)
		}
	}
	walk(buildTree(units, nil), 0)
	return out
}

// employeeNames maps the emails of the employees the viewer may see to
// their names.
func (s *server) employeeNames(r *http.Request) (map[string]string, error) {
	v := viewerFrom(r.Context())
	emps, err := s.dir.ListEmployees(r.Context(), v.P, heed.EmployeeFilter{})
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(emps))
	for _, e := range emps {
		m[e.Email] = e.Name
	}
	return m, nil
}

// displayName is the name of the employee with email when known, else
// the email itself.
func displayName(email string, names map[string]string) string {
	if n := names[email]; n != "" {
		return n
	}
	return email
}

// unitBody is the content of unit.html.
type unitBody struct {
	Unit        heed.Unit
	Parent      *heed.Unit // nil for a root, or a parent the viewer cannot see
	Responsible string
	Children    []heed.Unit
	Employees   []heed.Employee // those placed directly in this unit
}

// unitDetail shows one unit with its parent, children and employees.
func (s *server) unitDetail(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	u, err := s.dir.GetUnit(ctx, v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	body := unitBody{Unit: u}
	// The parent and children come from the units the viewer may see, so
	// a parent outside their part of the tree stays nil.
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	for _, c := range units {
		switch {
		case c.Parent == u.Key:
			body.Children = append(body.Children, c)
		case c.Key == u.Parent && u.Parent != "":
			body.Parent = &c
		}
	}
	slices.SortFunc(body.Children, compareUnits)
	emps, err := s.dir.ListEmployees(ctx, v.P, heed.EmployeeFilter{Unit: u.Key})
	if err != nil {
		return err
	}
	for _, e := range emps {
		if e.Unit == u.Key {
			body.Employees = append(body.Employees, e)
		}
	}
	if body.Responsible, err = s.personName(r, u.Responsible); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "unit", view{Title: u.Name, Section: "units", Body: body})
}

// personName is the name of the employee with email if the viewer may
// see them, else the email as stored on the record being shown.
func (s *server) personName(r *http.Request, email string) (string, error) {
	if email == "" {
		return "", nil
	}
	e, err := s.dir.GetEmployee(r.Context(), viewerFrom(r.Context()).P, email)
	if heed.IsNotFound(err) || (err == nil && e.Name == "") {
		return email, nil
	}
	return e.Name, err
}
