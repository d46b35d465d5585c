package accounts

import (
	"context"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// tokenPrefix starts every API token, so secret scanners and people can
// tell a Heed token from other strings.
const tokenPrefix = "heed_"

// touchEvery is how stale last_used_at may get: recording every request
// would turn each API read into a write.
const touchEvery = time.Minute

// NewToken is an API token to create: either acting as an employee, or
// carrying a role of its own (with a unit for manager and frontline).
type NewToken struct {
	Name     string
	Role     heed.Role // for a role token
	Employee string    // email, for a token acting as that employee
	Unit     string    // unit key, for a manager or frontline role token
}

// CreateToken creates an API token and returns its secret, which is shown
// once and never stored. Admins only.
func (s *Service) CreateToken(ctx context.Context, p heed.Principal, nt NewToken) (string, heed.APIToken, error) {
	if err := requireAdmin(p, "create API tokens"); err != nil {
		return "", heed.APIToken{}, err
	}
	tok, err := s.validateToken(ctx, nt)
	if err != nil {
		return "", heed.APIToken{}, err
	}
	secret := tokenPrefix + randomToken(32)
	tok.TokenHash = tokenHash(secret)
	tok.Prefix = secret[:12]
	tok.CreatedAt = s.now()
	tok, err = s.store.CreateAPIToken(ctx, tok)
	if err != nil {
		return "", heed.APIToken{}, heed.Internal(err, "accounts: create token")
	}
	return secret, tok, nil
}

// validateToken checks nt and returns the token it describes, with the
// employee or unit resolved.
func (s *Service) validateToken(ctx context.Context, nt NewToken) (heed.APIToken, error) {
	name := strings.TrimSpace(nt.Name)
	if name == "" {
		return heed.APIToken{}, heed.FieldErrorf(heed.EInvalid, "name", "a token needs a name")
	}
	email, unit := heed.NormEmail(nt.Employee), strings.TrimSpace(nt.Unit)
	switch {
	case (nt.Role == "") == (email == ""):
		return heed.APIToken{}, heed.FieldErrorf(heed.EInvalid, "role", "give a token either a role or an employee, not both or neither")
	case email != "":
		if unit != "" {
			return heed.APIToken{}, heed.FieldErrorf(heed.EInvalid, "unit", "a token acting as an employee uses the employee's unit")
		}
		emp, err := s.store.GetEmployee(ctx, email)
		if heed.IsNotFound(err) {
			return heed.APIToken{}, heed.FieldErrorf(heed.ENotFound, "employee", "no employee %q", email)
		} else if err != nil {
			return heed.APIToken{}, heed.Internal(err, "accounts: token employee")
		}
		// The role is recorded for lists; the principal always uses the
		// employee's current one.
		return heed.APIToken{Name: name, Role: emp.Role, Employee: emp.Email, EmployeeID: emp.ID}, nil
	case !nt.Role.Valid():
		return heed.APIToken{}, heed.FieldErrorf(heed.EInvalid, "role",
			"role must be frontline, manager, analyst or admin, not %q", nt.Role)
	case unit == "" && (nt.Role == heed.RoleManager || nt.Role == heed.RoleFrontline):
		return heed.APIToken{}, heed.FieldErrorf(heed.EInvalid, "unit", "a %s token needs a unit", nt.Role)
	}
	tok := heed.APIToken{Name: name, Role: nt.Role}
	if unit != "" {
		u, err := s.store.GetUnit(ctx, unit)
		if heed.IsNotFound(err) {
			return heed.APIToken{}, heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", unit)
		} else if err != nil {
			return heed.APIToken{}, heed.Internal(err, "accounts: token unit")
		}
		tok.Unit, tok.UnitID = u.Key, u.ID
	}
	return tok, nil
}

// TokenPrincipal returns who a bearer token acts as. A token made for an
// employee takes the employee's current role and unit, so it sees exactly
// what they see; a role token gets its role and unit.
func (s *Service) TokenPrincipal(ctx context.Context, bearer string) (heed.Principal, error) {
	if !strings.HasPrefix(bearer, tokenPrefix) {
		return heed.Principal{}, heed.Errorf(heed.EUnauthorized, "unknown or revoked API token")
	}
	tok, err := s.store.GetAPIToken(ctx, tokenHash(bearer))
	if heed.IsNotFound(err) {
		return heed.Principal{}, heed.Errorf(heed.EUnauthorized, "unknown or revoked API token")
	}
	if err != nil {
		return heed.Principal{}, heed.Internal(err, "accounts: get token")
	}
	p, err := s.tokenPrincipal(ctx, tok)
	if err != nil {
		return heed.Principal{}, err
	}
	now := s.now()
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= touchEvery {
		if err := s.store.TouchAPIToken(ctx, tok.ID, now); err != nil {
			return heed.Principal{}, heed.Internal(err, "accounts: touch token")
		}
	}
	return p, nil
}

func (s *Service) tokenPrincipal(ctx context.Context, tok heed.APIToken) (heed.Principal, error) {
	p := heed.Principal{Kind: heed.KindToken, Name: tok.Name, Role: tok.Role, TokenID: tok.ID}
	if tok.EmployeeID != 0 {
		c, err := s.store.GetCredentialsByID(ctx, tok.EmployeeID)
		if err != nil {
			return heed.Principal{}, heed.Internal(err, "accounts: token employee")
		}
		p.Role, p.EmployeeID, p.UnitID, p.UnitPath = c.Employee.Role, c.Employee.ID, c.UnitID, c.UnitPath
		return p, nil
	}
	if tok.UnitID != 0 {
		u, err := s.store.GetUnitByID(ctx, tok.UnitID)
		if err != nil {
			return heed.Principal{}, heed.Internal(err, "accounts: token unit")
		}
		p.UnitID, p.UnitPath = u.ID, u.Path
	}
	return p, nil
}

// ListTokens lists every API token, revoked ones included. Admins only.
func (s *Service) ListTokens(ctx context.Context, p heed.Principal) ([]heed.APIToken, error) {
	if err := requireAdmin(p, "list API tokens"); err != nil {
		return nil, err
	}
	toks, err := s.store.ListAPITokens(ctx)
	return toks, heed.Internal(err, "accounts: list tokens")
}

// RevokeToken revokes an API token at once. Admins only.
func (s *Service) RevokeToken(ctx context.Context, p heed.Principal, id int64) error {
	if err := requireAdmin(p, "revoke API tokens"); err != nil {
		return err
	}
	return heed.Internal(s.store.RevokeAPIToken(ctx, id, s.now()), "accounts: revoke token")
}
