package sqlstore

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/heedhq/heed"
)

// Page sizes of a customer list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// PageLimit applies a customer list's default and bounds to the limit a
// caller asked for. Both stores page alike, so a client may switch engine.
func PageLimit(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultPageSize, nil
	case n < 0 || n > MaxPageSize:
		return 0, heed.FieldErrorf(heed.EInvalid, "limit", "limit must be between 1 and %d", MaxPageSize)
	}
	return n, nil
}

// ListedCustomer is one row of a customer list: the customer and its
// stored sort name, which the next page's cursor holds.
type ListedCustomer struct {
	heed.Customer
	SortName string
}

// CustomerPage is the page made of rows, read with a LIMIT of limit+1:
// the extra row, if there, tells that another page follows, which then
// starts after the last customer shown. Both stores cut pages here, so a
// cursor from one engine means the same on the other.
func CustomerPage(rows []ListedCustomer, limit int) heed.CustomerPage {
	page := heed.CustomerPage{Customers: make([]heed.Customer, 0, min(len(rows), limit))}
	for _, r := range rows[:min(len(rows), limit)] {
		page.Customers = append(page.Customers, r.Customer)
	}
	if len(rows) > limit {
		last := rows[limit-1]
		page.NextCursor = EncodeCursor(last.SortName, last.ExternalID)
	}
	return page
}

// CustomerQuery runs an engine's customer list: the customers WHERE
// where, in list order, at most limit (a placeholder) of them.
type CustomerQuery func(where, limit string) ([]ListedCustomer, error)

// ListCustomers is the page of the customers inside s that f asks for:
// its limit checked, the condition built (see CustomerWhere, and order
// there) and the page cut from what query returns (see CustomerPage).
// Both stores list customers here; only the statement is the engine's.
func ListCustomers(ctx context.Context, s heed.Scope, f heed.CustomerFilter, a *Args,
	unitPath PathLookup, order string, query CustomerQuery) (heed.CustomerPage, error) {
	limit, err := PageLimit(f.Limit)
	if err != nil {
		return heed.CustomerPage{}, err
	}
	where, err := CustomerWhere(ctx, s, f, a, unitPath, order)
	if err != nil {
		return heed.CustomerPage{}, err
	}
	rows, err := query(where, a.Add(limit+1)) // one more tells whether another page follows
	if err != nil {
		return heed.CustomerPage{}, err
	}
	return CustomerPage(rows, limit), nil
}

// CustomerScope names the columns a scope checks in both engines'
// customer queries, where c is the customer and u its unit.
func CustomerScope() ScopeColumns {
	return ScopeColumns{UnitID: "c.unit_id", UnitPath: "u.path", OwnerID: "c.owner_id"}
}

// CustomerWhere is the condition of a customer list over c (the customer)
// and u (its unit), as both engines' customer queries name them: the
// scope, the unit subtree (see ListWhere), the search and the position
// after the cursor. order is the list's order as the engine writes it,
// comparing in byte order, such as "c.sort_name, c.external_id". Both
// stores filter and page customers here, so a search or a cursor means
// the same on either engine.
func CustomerWhere(ctx context.Context, s heed.Scope, f heed.CustomerFilter, a *Args, unitPath PathLookup, order string) (string, error) {
	where, err := ListWhere(ctx, s, f.Unit, a, CustomerScope(), unitPath)
	if err != nil {
		return "", err
	}
	if p, ok := SearchPattern(f.Query); ok {
		// search_text and the pattern are both folded (lower case, no
		// accents): plain LIKE, whose case folding then plays no part.
		where += ` AND c.search_text LIKE ` + a.Add(p) + ` ESCAPE '\'`
	}
	if f.Cursor != "" {
		sortName, ext, err := DecodeCursor(f.Cursor)
		if err != nil {
			return "", err
		}
		where += ` AND (` + order + `) > (` + a.Add(sortName) + `, ` + a.Add(ext) + `)`
	}
	return where, nil
}

// EncodeCursor is the opaque position after a customer in list order:
// its stored sort name (see Keys) and external id.
func EncodeCursor(sortName, externalID string) string {
	b, _ := json.Marshal([2]string{sortName, externalID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor; EBadRequest on field
// "cursor" when it is not one.
func DecodeCursor(c string) (sortName, externalID string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	var v []string
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil || len(v) != 2 {
		return "", "", heed.FieldErrorf(heed.EBadRequest, "cursor", "invalid cursor")
	}
	return v[0], v[1], nil
}

// CustomerRow is a customer as both stores write it, minus its key,
// times and derived columns (see Keys); an upsert changes nothing
// exactly when two rows compare equal with == and so do their keys. The
// keys must be compared too: they are functions of name, email, phone
// and the key, but through heed.Fold, which may change between releases,
// and a stale key must be rewritten.
type CustomerRow struct {
	Name, Email, Phone, Language, Segment string
	Value                                 int64
	OwnerID                               int64 // 0 for none
	UnitID                                int64
	Attributes                            string // canonical, see CanonicalAttributes
	Consent                               bool
}

// NewCustomerRow checks c and resolves its unit key and owner email
// through refs into the row to store. Both stores check customers here,
// so an import is refused for the same reasons, in the same words, on
// either engine.
func NewCustomerRow(ctx context.Context, c heed.Customer, refs CustomerRefs) (CustomerRow, error) {
	if c.ExternalID == "" {
		return CustomerRow{}, heed.FieldErrorf(heed.EInvalid, "external_id", "a customer needs an external id")
	}
	if c.Unit == "" {
		return CustomerRow{}, heed.FieldErrorf(heed.EInvalid, "unit", "a customer needs a unit")
	}
	unitID, err := refs.units.ID(ctx, c.Unit)
	if err != nil {
		return CustomerRow{}, err
	}
	var ownerID int64
	if email := heed.NormEmail(c.Owner); email != "" {
		if ownerID, err = refs.owners.ID(ctx, email); err != nil {
			return CustomerRow{}, err
		}
	}
	attrs, err := CanonicalAttributes(c.Attributes)
	if err != nil {
		return CustomerRow{}, err
	}
	return CustomerRow{
		Name: c.Name, Email: c.Email, Phone: c.Phone, Language: c.Language, Segment: c.Segment,
		Value: int64(c.Value), OwnerID: ownerID, UnitID: unitID, Attributes: attrs, Consent: c.Consent,
	}, nil
}

// CustomerRefs resolve the unit keys and owner emails of a batch of
// customers to ids, each key asked once (see KeyCache).
type CustomerRefs struct {
	units, owners *KeyCache
}

// NewCustomerRefs are CustomerRefs over each engine's lookups of a unit
// key and an owner's email.
func NewCustomerRefs(units, owners Lookup) CustomerRefs {
	return CustomerRefs{units: NewKeyCache("unit", "unit", units), owners: NewKeyCache("owner", "employee", owners)}
}
