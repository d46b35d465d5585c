package heed

import (
	"context"
	"strings"
)

// Principal is whoever is acting: a signed-in employee, an API token, or
// the system itself (CLI run by the operator, background jobs). Every
// service method takes one and applies the access rules to it.
type Principal struct {
	Kind       PrincipalKind
	Name       string // for audit: employee email, token name, "system"
	Role       Role
	EmployeeID int64  // 0 when not acting as an employee
	UnitID     int64  // the unit the principal belongs to; 0 for none
	UnitPath   string // that unit's Path, for subtree checks
	TokenID    int64  // set for API tokens
}

// PrincipalKind says how a principal authenticated.
type PrincipalKind string

const (
	KindSystem   PrincipalKind = "system"
	KindEmployee PrincipalKind = "employee"
	KindToken    PrincipalKind = "token"
)

// System is the principal of the operator at the CLI and of background
// work: it may do everything. A function, not a variable, so nobody can
// change what "everything" means for the rest of the process.
func System() Principal {
	return Principal{Kind: KindSystem, Name: "system", Role: RoleAdmin}
}

// IsAdmin reports whether p may change the organisation, users and settings.
func (p Principal) IsAdmin() bool { return p.Role == RoleAdmin }

// SeesAll reports whether p may read every unit's data.
func (p Principal) SeesAll() bool { return p.Role == RoleAdmin || p.Role == RoleAnalyst }

// Scope is the part of the organisation whose data p may read, expressed
// so a store can turn it into a WHERE clause.
func (p Principal) Scope() Scope {
	switch {
	case p.SeesAll():
		return Scope{All: true}
	case p.Role == RoleManager && p.UnitPath != "":
		return Scope{UnitPath: p.UnitPath}
	case p.Role == RoleFrontline && p.UnitID != 0:
		return Scope{UnitID: p.UnitID, OwnerID: p.EmployeeID}
	}
	return Scope{} // sees nothing
}

// Scope limits a read to what a principal may see. The zero Scope sees
// nothing. Fields combine with OR: a frontline employee sees customers of
// their own unit OR customers they own.
type Scope struct {
	All      bool
	UnitPath string // the subtree rooted at the unit with this Path
	UnitID   int64  // exactly this unit (no subtree)
	OwnerID  int64  // customers owned by this employee
}

// CoversUnit reports whether a unit with the given ID and Path is inside s.
func (s Scope) CoversUnit(id int64, path string) bool {
	return s.All ||
		(s.UnitPath != "" && strings.HasPrefix(path, s.UnitPath)) ||
		(s.UnitID != 0 && s.UnitID == id)
}

type principalKey struct{}

// WithPrincipal returns a context carrying p, for faces that authenticate
// in middleware and call services further down.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal stored by WithPrincipal.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
