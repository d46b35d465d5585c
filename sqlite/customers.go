package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/storecodec"
)

// customerSelect reads a customer with its owner's email and name, its
// unit's key and its sort name (for the list cursor); callers append WHERE
// over c (customers) and u (its unit).
const customerSelect = `SELECT c.id, c.external_id, c.name, c.email, c.phone, c.language, c.segment, c.value,
	COALESCE(e.email, ''), COALESCE(e.name, ''), u.key, c.attributes, c.consent, c.created_at, c.updated_at,
	c.sort_name
	FROM customers c JOIN units u ON u.id = c.unit_id LEFT JOIN employees e ON e.id = c.owner_id`

// Page sizes of ListCustomers.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// scanCustomer reads a row of customerSelect: the customer and its stored
// sort name.
func scanCustomer(sc scanner) (heed.Customer, string, error) {
	var c heed.Customer
	var attrs, sortName string
	var created, updated int64
	err := sc.Scan(&c.ID, &c.ExternalID, &c.Name, &c.Email, &c.Phone, &c.Language, &c.Segment, &c.Value,
		&c.Owner, &c.OwnerName, &c.Unit, &attrs, &c.Consent, &created, &updated, &sortName)
	c.Attributes = json.RawMessage(attrs) // stored canonical by UpsertCustomers
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, sortName, err
}

// GetCustomer returns the customer with externalID if scope sees it.
func (q queries) GetCustomer(ctx context.Context, scope heed.Scope, externalID string) (heed.Customer, error) {
	cond, args := scopeWhere(scope, "c.unit_id", "u.path", "c.owner_id")
	args = append([]any{externalID}, args...)
	c, _, err := scanCustomer(q.r.QueryRowContext(ctx, customerSelect+` WHERE c.external_id = ? AND `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return heed.Customer{}, heed.Errorf(heed.ENotFound, "no customer %q", externalID)
	}
	if err != nil {
		return heed.Customer{}, heed.Internal(err, "sqlite: get customer")
	}
	return c, nil
}

// ListCustomers returns one page of the customers inside scope.
func (q queries) ListCustomers(ctx context.Context, scope heed.Scope, f heed.CustomerFilter) (heed.CustomerPage, error) {
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return heed.CustomerPage{}, err
	}
	cond, args := scopeWhere(scope, "c.unit_id", "u.path", "c.owner_id")
	where := []string{cond}
	if f.Unit != "" {
		path, err := q.unitPathByKey(ctx, f.Unit)
		if err != nil {
			return heed.CustomerPage{}, err
		}
		where = append(where, `u.path LIKE ?`)
		args = append(args, path+"%")
	}
	if p, ok := storecodec.SearchPattern(f.Query); ok {
		// search_text and the pattern are both folded (lower case, no
		// accents), so LIKE's ASCII-only case folding plays no part.
		where = append(where, `c.search_text LIKE ? ESCAPE '\'`)
		args = append(args, p)
	}
	if f.Cursor != "" {
		sortName, ext, err := storecodec.DecodeCursor(f.Cursor)
		if err != nil {
			return heed.CustomerPage{}, err
		}
		where = append(where, `(c.sort_name, c.external_id) > (?, ?)`)
		args = append(args, sortName, ext)
	}
	// BINARY order on folded names: byte order, as PostgreSQL's COLLATE "C".
	stmt := customerSelect + ` WHERE ` + strings.Join(where, ` AND `) +
		` ORDER BY c.sort_name, c.external_id LIMIT ?`
	args = append(args, limit+1) // one more tells whether another page follows
	custs, sortNames, err := q.queryCustomers(ctx, stmt, args)
	if err != nil {
		return heed.CustomerPage{}, err
	}
	page := heed.CustomerPage{Customers: custs}
	if len(custs) > limit {
		page.Customers = custs[:limit]
		page.NextCursor = storecodec.EncodeCursor(sortNames[limit-1], custs[limit-1].ExternalID)
	}
	return page, nil
}

// pageLimit applies ListCustomers' default and bounds.
func pageLimit(n int) (int, error) {
	switch {
	case n == 0:
		return defaultPageSize, nil
	case n < 0 || n > maxPageSize:
		return 0, heed.FieldErrorf(heed.EInvalid, "limit", "limit must be between 1 and %d", maxPageSize)
	}
	return n, nil
}

// queryCustomers runs a customerSelect and returns the customers and
// their sort names.
func (q queries) queryCustomers(ctx context.Context, stmt string, args []any) ([]heed.Customer, []string, error) {
	rows, err := q.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, nil, heed.Internal(err, "sqlite: list customers")
	}
	defer rows.Close()
	custs, sortNames := []heed.Customer{}, []string{}
	for rows.Next() {
		c, sortName, err := scanCustomer(rows)
		if err != nil {
			return nil, nil, heed.Internal(err, "sqlite: list customers")
		}
		custs, sortNames = append(custs, c), append(sortNames, sortName)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, heed.Internal(err, "sqlite: list customers")
	}
	return custs, sortNames, nil
}

// CountCustomers counts the customers inside scope.
func (q queries) CountCustomers(ctx context.Context, scope heed.Scope) (int, error) {
	stmt := `SELECT COUNT(*) FROM customers`
	cond, args := scopeWhere(scope, "c.unit_id", "u.path", "c.owner_id")
	if !scope.All { // every customer has a unit: no need to join for All
		stmt = `SELECT COUNT(*) FROM customers c JOIN units u ON u.id = c.unit_id WHERE ` + cond
	}
	var n int
	if err := q.r.QueryRowContext(ctx, stmt, args...).Scan(&n); err != nil {
		return 0, heed.Internal(err, "sqlite: count customers")
	}
	return n, nil
}

// UpsertCustomers writes custs by external id, all or none, through
// statements prepared once for the whole batch.
func (q queries) UpsertCustomers(ctx context.Context, custs []heed.Customer, now time.Time) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		w, err := newCustomerWriter(ctx, q, micros(now))
		if err != nil {
			return err
		}
		defer w.close()
		for _, c := range custs {
			r, err := w.upsert(ctx, c)
			if err != nil {
				return about(err, "customer", c.ExternalID)
			}
			res.Add(r)
		}
		return nil
	})
	if err != nil {
		return heed.UpsertResult{}, err
	}
	return res, nil
}

// customerRow is a customer as stored, minus its key, times and derived
// columns; two rows compare equal with == exactly when an upsert changes
// nothing. The derived sort and search columns are functions of name,
// email, phone and the key, so they change only when a compared column
// does, and are written alongside.
type customerRow struct {
	name, email, phone, language, segment string
	value                                 int64
	ownerID                               sql.NullInt64
	unitID                                int64
	attributes                            string
	consent                               bool
}

// customerWriter upserts customers one by one inside one transaction.
type customerWriter struct {
	sel, ins, upd *sql.Stmt
	units, owners *keyCache
	now           int64
}

func newCustomerWriter(ctx context.Context, q queries, now int64) (*customerWriter, error) {
	w := &customerWriter{
		units:  newKeyCache(q, `SELECT id FROM units WHERE key = ?`, "unit", "unit"),
		owners: newKeyCache(q, `SELECT id FROM employees WHERE email = ?`, "owner", "employee"),
		now:    now,
	}
	var err error
	stmts := []struct {
		st  **sql.Stmt
		sql string
	}{
		{&w.sel, `SELECT id, name, email, phone, language, segment, value, owner_id, unit_id, attributes, consent
			FROM customers WHERE external_id = ?`},
		{&w.ins, `INSERT INTO customers (name, email, phone, language, segment, value, owner_id, unit_id,
			attributes, consent, sort_name, search_text, external_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (external_id) DO NOTHING`},
		{&w.upd, `UPDATE customers SET name = ?, email = ?, phone = ?, language = ?, segment = ?, value = ?,
			owner_id = ?, unit_id = ?, attributes = ?, consent = ?, sort_name = ?, search_text = ?, updated_at = ?
			WHERE id = ?`},
	}
	for _, s := range stmts {
		if *s.st, err = q.prepare(ctx, s.sql); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

func (w *customerWriter) close() {
	for _, st := range []*sql.Stmt{w.sel, w.ins, w.upd} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *customerWriter) upsert(ctx context.Context, c heed.Customer) (heed.UpsertResult, error) {
	row, err := w.row(ctx, c)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	keys := storecodec.Keys(row.name, row.email, row.phone, c.ExternalID)
	// Imports mostly bring new customers: try the insert first, so a new
	// row costs one statement.
	res, err := w.ins.ExecContext(ctx, row.name, row.email, row.phone, row.language, row.segment, row.value,
		row.ownerID, row.unitID, row.attributes, row.consent, keys.SortName, keys.SearchText, c.ExternalID, w.now, w.now)
	if err != nil {
		return heed.UpsertResult{}, heed.Internal(err, "sqlite: insert customer")
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return heed.UpsertResult{Created: 1}, heed.Internal(err, "sqlite: insert customer")
	}
	var id int64
	var old customerRow
	err = w.sel.QueryRowContext(ctx, c.ExternalID).Scan(&id, &old.name, &old.email, &old.phone, &old.language,
		&old.segment, &old.value, &old.ownerID, &old.unitID, &old.attributes, &old.consent)
	if err != nil {
		return heed.UpsertResult{}, heed.Internal(err, "sqlite: find customer")
	}
	if old == row {
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	_, err = w.upd.ExecContext(ctx, row.name, row.email, row.phone, row.language, row.segment, row.value,
		row.ownerID, row.unitID, row.attributes, row.consent, keys.SortName, keys.SearchText, w.now, id)
	return heed.UpsertResult{Updated: 1}, heed.Internal(err, "sqlite: update customer")
}

// row checks c and resolves its references into the stored form.
func (w *customerWriter) row(ctx context.Context, c heed.Customer) (customerRow, error) {
	if c.ExternalID == "" {
		return customerRow{}, heed.FieldErrorf(heed.EInvalid, "external_id", "a customer needs an external id")
	}
	if c.Unit == "" {
		return customerRow{}, heed.FieldErrorf(heed.EInvalid, "unit", "a customer needs a unit")
	}
	unitID, err := w.units.id(ctx, c.Unit)
	if err != nil {
		return customerRow{}, err
	}
	var owner sql.NullInt64
	if email := normEmail(c.Owner); email != "" {
		if owner.Int64, err = w.owners.id(ctx, email); err != nil {
			return customerRow{}, err
		}
		owner.Valid = true
	}
	attrs, err := storecodec.CanonicalAttributes(c.Attributes)
	if err != nil {
		return customerRow{}, err
	}
	return customerRow{
		name: c.Name, email: c.Email, phone: c.Phone, language: c.Language, segment: c.Segment,
		value: int64(c.Value), ownerID: owner, unitID: unitID, attributes: attrs, consent: c.Consent,
	}, nil
}
