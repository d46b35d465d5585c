package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// customerSelect reads a customer with its owner's email and name, its
// unit's key and its sort name (for the list cursor); callers append WHERE
// over c (customers) and u (its unit).
const customerSelect = `SELECT c.id, c.external_id, c.name, c.email, c.phone, c.language, c.segment, c.value,
	COALESCE(e.email, ''), COALESCE(e.name, ''), u.key, c.attributes, c.consent, c.created_at, c.updated_at,
	c.sort_name
	FROM customers c JOIN units u ON u.id = c.unit_id LEFT JOIN employees e ON e.id = c.owner_id`

// scanCustomer reads a row of customerSelect: the customer and its stored
// sort name.
func scanCustomer(sc sqlstore.Scanner) (sqlstore.ListedCustomer, error) {
	var l sqlstore.ListedCustomer
	c := &l.Customer
	var attrs string
	var created, updated int64
	err := sc.Scan(&c.ID, &c.ExternalID, &c.Name, &c.Email, &c.Phone, &c.Language, &c.Segment, &c.Value,
		&c.Owner, &c.OwnerName, &c.Unit, &attrs, &c.Consent, &created, &updated, &l.SortName)
	c.Attributes = json.RawMessage(attrs) // stored canonical by UpsertCustomers
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return l, err
}

// GetCustomer returns the customer with externalID if scope sees it.
func (q queries) GetCustomer(ctx context.Context, scope heed.Scope, externalID string) (heed.Customer, error) {
	args := newArgs()
	where := `c.external_id = ` + args.Add(externalID)
	where += ` AND ` + sqlstore.ScopeWhere(scope, args, sqlstore.CustomerScope())
	l, err := scanCustomer(q.r.QueryRowContext(ctx, customerSelect+` WHERE `+where, args.Values()...))
	if err != nil {
		return heed.Customer{}, rowErr(err, heed.Errorf(heed.ENotFound, "no customer %q", externalID), "sqlite: get customer")
	}
	return l.Customer, nil
}

// GetCustomerByEmail returns the first customer with this email, any case.
func (q queries) GetCustomerByEmail(ctx context.Context, email string) (heed.Customer, error) {
	args := newArgs()
	where := `lower(c.email) = ` + args.Add(strings.ToLower(strings.TrimSpace(email))) + ` ORDER BY c.id LIMIT 1`
	l, err := scanCustomer(q.r.QueryRowContext(ctx, customerSelect+` WHERE `+where, args.Values()...))
	if err != nil {
		return heed.Customer{}, rowErr(err, heed.Errorf(heed.ENotFound, "no customer with email %q", email), "sqlite: customer by email")
	}
	return l.Customer, nil
}

// customerOrder is the order of a customer list: BINARY, byte order, on
// folded names, as PostgreSQL's COLLATE "C".
const customerOrder = `c.sort_name, c.external_id`

// ListCustomers returns one page of the customers inside scope.
func (q queries) ListCustomers(ctx context.Context, scope heed.Scope, f heed.CustomerFilter) (heed.CustomerPage, error) {
	args := newArgs()
	query := func(where, limit string) ([]sqlstore.ListedCustomer, error) {
		stmt := customerSelect + ` WHERE ` + where + ` ORDER BY ` + customerOrder + ` LIMIT ` + limit
		return queryList(ctx, q.r, stmt, args.Values(), nil, scanCustomer, "sqlite: list customers")
	}
	return sqlstore.ListCustomers(ctx, scope, f, args, q.unitPath, customerOrder, query)
}

// CountCustomers counts the customers inside scope from the per-unit
// counts in unit_stats (see sqlstore.CountCustomersSQL). Inside a
// transaction, the transaction's own customer writes count only once it
// commits: their deltas are applied just before commit, so the count rows
// stay unlocked meanwhile.
func (q queries) CountCustomers(ctx context.Context, scope heed.Scope) (int, error) {
	args := newArgs()
	stmt, ok := sqlstore.CountCustomersSQL(scope, args)
	if !ok {
		return 0, nil
	}
	var n int
	if err := q.r.QueryRowContext(ctx, stmt, args.Values()...).Scan(&n); err != nil {
		return 0, heed.Internal(err, "sqlite: count customers")
	}
	return n, nil
}

// UpsertCustomers writes custs by external id, all or none, through
// statements prepared once for the whole batch, and adds what it changed
// to the customers per unit of its transaction (see withTx).
func (q queries) UpsertCustomers(ctx context.Context, custs []heed.Customer, now time.Time) (heed.UpsertResult, error) {
	return q.upsertTx(ctx, func(q queries) (heed.UpsertResult, error) {
		w, err := newCustomerWriter(ctx, q, micros(now))
		if err != nil {
			return heed.UpsertResult{}, err
		}
		defer w.close()
		key := func(c heed.Customer) string { return c.ExternalID }
		upsert := func(c heed.Customer) (heed.UpsertResult, error) { return w.upsert(ctx, c) }
		return sqlstore.UpsertEach(custs, "customer", key, upsert)
	})
}

// applyUnitStats applies the changes to the customers per unit that q's
// transaction added up so far, in unit-id order (see sqlstore.UnitDeltas),
// and forgets them.
func (q queries) applyUnitStats(ctx context.Context) error {
	units, deltas := q.deltas.Sorted()
	for i, u := range units {
		_, err := q.w.ExecContext(ctx, `INSERT INTO unit_stats (unit_id, customers) VALUES (?, ?)`+
			sqlstore.UnitStatsUpsert, u, deltas[i])
		if err != nil {
			return heed.Internal(err, "sqlite: count customers per unit")
		}
	}
	clear(q.deltas) // only once all are applied: a failure keeps them pending
	return nil
}

// customerWriter upserts customers one by one inside one transaction,
// adding up how the customers per unit change in the transaction's
// deltas.
type customerWriter struct {
	sel, ins, upd *sql.Stmt
	refs          sqlstore.CustomerRefs
	deltas        sqlstore.UnitDeltas
	now           int64
}

func newCustomerWriter(ctx context.Context, q queries, now int64) (*customerWriter, error) {
	w := &customerWriter{now: now, deltas: q.deltas}
	w.refs = sqlstore.NewCustomerRefs(
		q.lookupID(`SELECT id FROM units WHERE key = ?`, "sqlite: find unit"),
		q.lookupID(`SELECT id FROM employees WHERE email = ?`, "sqlite: find employee"))
	var err error
	stmts := []struct {
		st  **sql.Stmt
		sql string
	}{
		{&w.sel, `SELECT id, name, email, phone, language, segment, value, COALESCE(owner_id, 0), unit_id,
			attributes, consent, sort_name, search_text FROM customers WHERE external_id = ?`},
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

// upsert writes c. Imports mostly bring new customers: it tries the
// insert first, so a new row costs one statement.
func (w *customerWriter) upsert(ctx context.Context, c heed.Customer) (heed.UpsertResult, error) {
	row, err := sqlstore.NewCustomerRow(ctx, c, w.refs)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	keys := sqlstore.Keys(row.Name, row.Email, row.Phone, c.ExternalID)
	res, err := w.ins.ExecContext(ctx, row.Name, row.Email, row.Phone, row.Language, row.Segment, row.Value,
		sqlstore.NullID(row.OwnerID), row.UnitID, row.Attributes, row.Consent, keys.SortName, keys.SearchText,
		c.ExternalID, w.now, w.now)
	if err != nil {
		return heed.UpsertResult{}, heed.Internal(err, "sqlite: insert customer")
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		w.deltas.Created(row.UnitID)
		return heed.UpsertResult{Created: 1}, heed.Internal(err, "sqlite: insert customer")
	}
	var id int64
	var old sqlstore.CustomerRow
	var oldKeys sqlstore.CustomerKeys
	err = w.sel.QueryRowContext(ctx, c.ExternalID).Scan(&id, &old.Name, &old.Email, &old.Phone, &old.Language,
		&old.Segment, &old.Value, &old.OwnerID, &old.UnitID, &old.Attributes, &old.Consent,
		&oldKeys.SortName, &oldKeys.SearchText)
	if err != nil {
		return heed.UpsertResult{}, heed.Internal(err, "sqlite: find customer")
	}
	// The keys too: derived by a heed.Fold that may since have changed,
	// stored ones can be stale while every other column is equal.
	if old == row && oldKeys == keys {
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	_, err = w.upd.ExecContext(ctx, row.Name, row.Email, row.Phone, row.Language, row.Segment, row.Value,
		sqlstore.NullID(row.OwnerID), row.UnitID, row.Attributes, row.Consent, keys.SortName, keys.SearchText, w.now, id)
	if err != nil {
		return heed.UpsertResult{}, heed.Internal(err, "sqlite: update customer")
	}
	// Counted only once written: a failed statement does not end a SQLite
	// transaction, so a caller that went on would commit a move never made.
	w.deltas.Moved(old.UnitID, row.UnitID)
	return heed.UpsertResult{Updated: 1}, nil
}
