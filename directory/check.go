package directory

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
)

// row is one item of a batch with the line (or position) it came from.
type row[T any] struct {
	line int
	item T
	bad  bool // values could not be read (already reported); check the rest, never write
}

// rowErr ties a problem to a line of file.
func rowErr(file string, line int, p problem) heed.RowError {
	return heed.RowError{File: file, Line: line, Field: p.field, Problem: p.text}
}

// appendRowErrs ties each of ps to a line of file.
func appendRowErrs(errs heed.RowErrors, file string, line int, ps []problem) heed.RowErrors {
	for _, p := range ps {
		errs = append(errs, rowErr(file, line, p))
	}
	return errs
}

// twice reports a non-empty key an earlier row of the batch already had.
func twice(firstLine map[string]int, field, key string) []problem {
	if prev, dup := firstLine[key]; dup && key != "" {
		return []problem{{field, quote(key) + " appears twice (first on line " + strconv.Itoa(prev) + ")"}}
	}
	return nil
}

// sortErrors orders problems by line, so a user reads them top to bottom.
func sortErrors(errs heed.RowErrors) heed.RowErrors {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}

// checkUnits validates units and their parents, and orders the valid ones
// so that every parent is written before its children, wherever it stood
// in the file. A parent must exist already or be in the batch.
func (s *Service) checkUnits(ctx context.Context, file string, rows []row[heed.Unit]) ([]row[heed.Unit], heed.RowErrors, error) {
	refs := make([]string, 0, 2*len(rows))
	for _, r := range rows {
		refs = append(refs, strings.TrimSpace(r.item.Key), strings.TrimSpace(r.item.Parent))
	}
	stored, err := s.storedUnits(ctx, refs)
	if err != nil {
		return nil, nil, err
	}
	var errs heed.RowErrors
	firstLine := map[string]int{}
	byKey := map[string]row[heed.Unit]{}
	invalid := map[string]bool{}
	var order []string
	for _, r := range rows {
		ps := validateUnit(&r.item)
		ps = append(ps, twice(firstLine, "key", r.item.Key)...)
		ps = append(ps, belowItself(r.item, stored)...)
		firstLine[r.item.Key] = r.line
		if len(ps) > 0 || r.bad {
			errs = appendRowErrs(errs, file, r.line, ps)
			invalid[r.item.Key] = true
			continue
		}
		byKey[r.item.Key] = r
		order = append(order, r.item.Key)
	}
	sorted, orderErrs := parentsFirst(file, order, byKey, stored, invalid)
	return sorted, sortErrors(append(errs, orderErrs...)), nil
}

// belowItselfText ends the problem of a move under one's own descendant;
// for a single PUT it is a conflict with the stored tree, not bad input.
const belowItselfText = "a unit cannot move below itself"

// belowItself reports a stored unit moved under a stored descendant of
// its own (the batch's other moves aside; the store catches those).
func belowItself(u heed.Unit, stored map[string]heed.Unit) []problem {
	self, ok1 := stored[u.Key]
	parent, ok2 := stored[u.Parent]
	if ok1 && ok2 && strings.HasPrefix(parent.Path, self.Path) {
		return []problem{{"parent", quote(u.Parent) + " is below " + quote(u.Key) + "; " + belowItselfText}}
	}
	return nil
}

// parentsFirst orders units depth-first from the known tree, rejecting
// units whose parent is unknown or that form a cycle inside the batch.
func parentsFirst(file string, order []string, byKey map[string]row[heed.Unit], stored map[string]heed.Unit, invalid map[string]bool) ([]row[heed.Unit], heed.RowErrors) {
	const (
		unvisited = iota
		visiting
		done
		bad
	)
	state := map[string]int{}
	var out []row[heed.Unit]
	var errs heed.RowErrors
	var visit func(key string) bool
	visit = func(key string) bool {
		switch state[key] {
		case done:
			return true
		case bad:
			return false
		case visiting:
			return false // cycle; reported by the caller that closes it
		}
		r := byKey[key]
		state[key] = visiting
		parent := r.item.Parent
		ok := true
		switch {
		case parent == "":
		case byKey[parent].line != 0:
			if !visit(parent) {
				ok = false
				if state[parent] == visiting {
					errs = append(errs, rowErr(file, r.line, problem{"parent", "units " + quote(key) + " and " + quote(parent) + " are each other's ancestors"}))
				} else {
					errs = append(errs, rowErr(file, r.line, problem{"parent", "parent " + quote(parent) + " is itself invalid"}))
				}
			}
		case invalid[parent]:
			ok = false
			errs = append(errs, rowErr(file, r.line, problem{"parent", "parent " + quote(parent) + " is itself invalid"}))
		case stored[parent].ID == 0:
			ok = false
			errs = append(errs, rowErr(file, r.line, problem{"parent", "no unit " + quote(parent) + " (neither stored nor in this file)"}))
		}
		if !ok {
			state[key] = bad
			return false
		}
		state[key] = done
		out = append(out, r)
		return true
	}
	for _, k := range order {
		visit(k)
	}
	return out, errs
}

// checkEmployees validates employees and that their units exist.
func (s *Service) checkEmployees(ctx context.Context, file string, rows []row[heed.Employee]) ([]row[heed.Employee], heed.RowErrors, error) {
	keys := make([]string, 0, len(rows))
	for _, r := range rows {
		keys = append(keys, strings.TrimSpace(r.item.Unit))
	}
	units, err := s.existingUnits(ctx, keys)
	if err != nil {
		return nil, nil, err
	}
	var ok []row[heed.Employee]
	var errs heed.RowErrors
	firstLine := map[string]int{}
	for _, r := range rows {
		ps := validateEmployee(&r.item)
		if r.item.Unit != "" && !units[r.item.Unit] {
			ps = append(ps, problem{"unit", "no unit " + quote(r.item.Unit)})
		}
		ps = append(ps, twice(firstLine, "email", r.item.Email)...)
		if len(ps) > 0 || r.bad {
			errs = appendRowErrs(errs, file, r.line, ps)
			continue
		}
		firstLine[r.item.Email] = r.line
		ok = append(ok, r)
	}
	return ok, errs, nil
}

// checkCustomers validates customers, their unit and their owner.
func (s *Service) checkCustomers(ctx context.Context, file string, rows []row[heed.Customer]) ([]row[heed.Customer], heed.RowErrors, error) {
	unitKeys := make([]string, 0, len(rows))
	ownerEmails := make([]string, 0, len(rows))
	for _, r := range rows {
		unitKeys = append(unitKeys, strings.TrimSpace(r.item.Unit))
		ownerEmails = append(ownerEmails, heed.NormEmail(r.item.Owner))
	}
	units, err := s.existingUnits(ctx, unitKeys)
	if err != nil {
		return nil, nil, err
	}
	owners, err := s.existingEmployees(ctx, ownerEmails)
	if err != nil {
		return nil, nil, err
	}
	var ok []row[heed.Customer]
	var errs heed.RowErrors
	firstLine := make(map[string]int, len(rows))
	for _, r := range rows {
		ps := validateCustomer(&r.item)
		if r.item.Unit != "" && !units[r.item.Unit] {
			ps = append(ps, problem{"unit", "no unit " + quote(r.item.Unit)})
		}
		if r.item.Owner != "" && !owners[r.item.Owner] {
			ps = append(ps, problem{"owner", "no employee " + quote(r.item.Owner)})
		}
		ps = append(ps, twice(firstLine, "external_id", r.item.ExternalID)...)
		if len(ps) > 0 || r.bad {
			errs = appendRowErrs(errs, file, r.line, ps)
			continue
		}
		firstLine[r.item.ExternalID] = r.line
		ok = append(ok, r)
	}
	return ok, errs, nil
}

// lookupLimit is the number of distinct references up to which they are
// looked up one by one; above it the whole list is read once. A PUT of
// one customer then costs two indexed lookups, not a read of the whole
// organisation, and a 100,000-row import still reads it only once.
const lookupLimit = 64

// existingUnits reports which of keys name stored units.
func (s *Service) existingUnits(ctx context.Context, keys []string) (map[string]bool, error) {
	stored, err := s.storedUnits(ctx, keys)
	if err != nil {
		return nil, err
	}
	found := make(map[string]bool, len(stored))
	for k := range stored {
		found[k] = true
	}
	return found, nil
}

// storedUnits returns the stored units among keys, by key.
func (s *Service) storedUnits(ctx context.Context, keys []string) (map[string]heed.Unit, error) {
	found := map[string]heed.Unit{}
	_, err := existing(keys,
		func(k string) error {
			u, err := s.store.GetUnit(ctx, k)
			if err == nil {
				found[k] = u
			}
			return err
		},
		func() ([]string, error) {
			units, err := s.store.ListUnits(ctx, heed.Scope{All: true})
			out := make([]string, len(units))
			for i, u := range units {
				out[i] = u.Key
				found[u.Key] = u
			}
			return out, err
		})
	return found, err
}

// existingEmployees reports which of emails name stored employees.
func (s *Service) existingEmployees(ctx context.Context, emails []string) (map[string]bool, error) {
	return existing(emails,
		func(e string) error { _, err := s.store.GetEmployee(ctx, e); return err },
		func() ([]string, error) {
			emps, err := s.store.ListEmployees(ctx, heed.Scope{All: true}, heed.EmployeeFilter{})
			out := make([]string, len(emps))
			for i, e := range emps {
				out[i] = e.Email
			}
			return out, err
		})
}

// existing looks the distinct non-empty refs up one by one, or lists them
// all when there are many.
func existing(refs []string, get func(string) error, list func() ([]string, error)) (map[string]bool, error) {
	distinct := map[string]bool{}
	for _, r := range refs {
		if r != "" {
			distinct[r] = false
		}
	}
	if len(distinct) > lookupLimit {
		all, err := list()
		if err != nil {
			return nil, err
		}
		found := make(map[string]bool, len(all))
		for _, k := range all {
			found[k] = true
		}
		return found, nil
	}
	for r := range distinct {
		err := get(r)
		switch {
		case err == nil:
			distinct[r] = true
		case !heed.IsNotFound(err):
			return nil, err
		}
	}
	return distinct, nil
}
