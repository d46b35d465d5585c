package postgres

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// customerSelect reads a customer with its owner's email and name, its
// unit's key and its sort name (for the list cursor); callers append WHERE
// over c (customers) and u (its unit).
const customerSelect = `SELECT c.id, c.external_id, c.name, c.email, c.phone, c.language, c.segment, c.value,
	COALESCE(e.email, ''), COALESCE(e.name, ''), u.key, c.attributes::text, c.consent, c.created_at, c.updated_at,
	c.sort_name
	FROM customers c JOIN units u ON u.id = c.unit_id LEFT JOIN employees e ON e.id = c.owner_id`

// upsertChunk is how many customers one INSERT statement carries.
const upsertChunk = 2000

// scanCustomer reads a row of customerSelect: the customer and its stored
// sort name.
func scanCustomer(row sqlstore.Scanner) (sqlstore.ListedCustomer, error) {
	var l sqlstore.ListedCustomer
	c := &l.Customer
	var value int64
	var attrs string
	err := row.Scan(&c.ID, &c.ExternalID, &c.Name, &c.Email, &c.Phone, &c.Language, &c.Segment, &value,
		&c.Owner, &c.OwnerName, &c.Unit, &attrs, &c.Consent, &c.CreatedAt, &c.UpdatedAt, &l.SortName)
	if err != nil {
		return l, err
	}
	c.Value = heed.Decimal(value)
	c.CreatedAt, c.UpdatedAt = utc(c.CreatedAt), utc(c.UpdatedAt)
	// jsonb keeps its own key order: return the canonical form SQLite has.
	canon, err := sqlstore.CanonicalAttributes(json.RawMessage(attrs))
	c.Attributes = json.RawMessage(canon)
	return l, err
}

// GetCustomer returns the customer with externalID if scope sees it.
func (q queries) GetCustomer(ctx context.Context, scope heed.Scope, externalID string) (heed.Customer, error) {
	args := newArgs()
	where := `c.external_id = ` + args.Add(externalID)
	where += ` AND ` + sqlstore.ScopeWhere(scope, args, sqlstore.CustomerScope())
	l, err := scanCustomer(q.db.QueryRow(ctx, customerSelect+` WHERE `+where, args.Values()...))
	if err != nil {
		return heed.Customer{}, rowErr(err, heed.Errorf(heed.ENotFound, "no customer %q", externalID), "postgres: get customer")
	}
	return l.Customer, nil
}

// GetCustomerByEmail returns the first customer with this email, any case.
func (q queries) GetCustomerByEmail(ctx context.Context, email string) (heed.Customer, error) {
	args := newArgs()
	where := `lower(c.email) = ` + args.Add(strings.ToLower(strings.TrimSpace(email))) + ` ORDER BY c.id LIMIT 1`
	l, err := scanCustomer(q.db.QueryRow(ctx, customerSelect+` WHERE `+where, args.Values()...))
	if err != nil {
		return heed.Customer{}, rowErr(err, heed.Errorf(heed.ENotFound, "no customer with email %q", email), "postgres: customer by email")
	}
	return l.Customer, nil
}

// customerOrder is the order of a customer list: byte order, as SQLite's
// BINARY, whatever the database's collation; the indexes are built the
// same way.
const customerOrder = `c.sort_name COLLATE "C", c.external_id COLLATE "C"`

// ListCustomers returns one page of the customers inside scope.
func (q queries) ListCustomers(ctx context.Context, scope heed.Scope, f heed.CustomerFilter) (heed.CustomerPage, error) {
	args := newArgs()
	query := func(where, limit string) ([]sqlstore.ListedCustomer, error) {
		stmt := customerSelect + ` WHERE ` + where + ` ORDER BY ` + customerOrder + ` LIMIT ` + limit
		return queryList(ctx, q.db, stmt, args.Values(), nil, scanCustomer, "postgres: list customers")
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
	if err := q.db.QueryRow(ctx, stmt, args.Values()...).Scan(&n); err != nil {
		return 0, heed.Internal(err, "postgres: count customers")
	}
	return n, nil
}

// UpsertCustomers writes custs by external id, all or none, a few
// thousand rows per statement, and adds what it changed to the
// customers per unit of its transaction (see withTx).
func (q queries) UpsertCustomers(ctx context.Context, custs []heed.Customer, now time.Time) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		refs, err := q.customerRefs(ctx, custs)
		if err != nil {
			return err
		}
		var chunk customerChunk
		seen := map[string]bool{}
		for _, c := range custs {
			// A statement may touch a row once: a repeated id starts a new
			// chunk, so the later row wins as it would one by one.
			if seen[c.ExternalID] || len(chunk) == upsertChunk {
				if err := q.upsertCustomerChunk(ctx, chunk, utc(now), &res); err != nil {
					return err
				}
				chunk = chunk[:0]
				clear(seen)
			}
			e, err := newCustomerEntry(ctx, c, refs)
			if err != nil {
				return sqlstore.About(err, "customer", c.ExternalID)
			}
			chunk = append(chunk, e)
			seen[c.ExternalID] = true
		}
		return q.upsertCustomerChunk(ctx, chunk, utc(now), &res)
	})
	if err != nil {
		return heed.UpsertResult{}, err
	}
	return res, nil
}

// applyUnitStats applies the changes to the customers per unit that q's
// transaction added up so far in one statement, in unit-id order (see
// sqlstore.UnitDeltas), and forgets them.
func (q queries) applyUnitStats(ctx context.Context) error {
	units, deltas := q.deltas.Sorted()
	clear(q.deltas)
	if len(units) == 0 {
		return nil
	}
	_, err := q.db.Exec(ctx, `INSERT INTO unit_stats (unit_id, customers)
		SELECT unit_id, delta FROM unnest($1::bigint[], $2::bigint[]) AS x(unit_id, delta) ORDER BY unit_id`+
		sqlstore.UnitStatsUpsert, units, deltas)
	return heed.Internal(err, "postgres: count customers per unit")
}

// customerRefs looks up every unit key and owner email of custs in one
// query each: the batch's references, every id read beforehand.
func (q queries) customerRefs(ctx context.Context, custs []heed.Customer) (sqlstore.CustomerRefs, error) {
	unitSet, ownerSet := map[string]bool{}, map[string]bool{}
	for _, c := range custs {
		unitSet[c.Unit] = true
		if e := heed.NormEmail(c.Owner); e != "" {
			ownerSet[e] = true
		}
	}
	units, err := q.idsByKey(ctx, `SELECT key, id FROM units WHERE key = ANY($1)`, unitSet)
	if err != nil {
		return sqlstore.CustomerRefs{}, err
	}
	owners, err := q.idsByKey(ctx, `SELECT email, id FROM employees WHERE email = ANY($1)`, ownerSet)
	if err != nil {
		return sqlstore.CustomerRefs{}, err
	}
	// Every key there is was read: one not among ids names nothing.
	known := func(ids map[string]int64) sqlstore.Lookup {
		return func(_ context.Context, key string) (int64, bool, error) {
			id, ok := ids[key]
			return id, ok, nil
		}
	}
	return sqlstore.NewCustomerRefs(known(units), known(owners)), nil
}

func (q queries) idsByKey(ctx context.Context, stmt string, set map[string]bool) (map[string]int64, error) {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	rows, err := q.db.Query(ctx, stmt, keys)
	if err != nil {
		return nil, heed.Internal(err, "postgres: resolve references")
	}
	defer rows.Close()
	ids := make(map[string]int64, len(keys))
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, heed.Internal(err, "postgres: resolve references")
		}
		ids[k] = id
	}
	return ids, heed.Internal(rows.Err(), "postgres: resolve references")
}

// customerEntry is one customer of a chunk: checked, its references
// resolved and its derived columns computed.
type customerEntry struct {
	externalID string
	row        sqlstore.CustomerRow
	keys       sqlstore.CustomerKeys
}

func newCustomerEntry(ctx context.Context, c heed.Customer, refs sqlstore.CustomerRefs) (customerEntry, error) {
	row, err := sqlstore.NewCustomerRow(ctx, c, refs)
	if err != nil {
		return customerEntry{}, err
	}
	keys := sqlstore.Keys(row.Name, row.Email, row.Phone, c.ExternalID)
	return customerEntry{externalID: c.ExternalID, row: row, keys: keys}, nil
}

// customerChunk is the customers one statement writes, each external id
// at most once.
type customerChunk []customerEntry

// columns are the chunk as the column arrays $1 to $13 of
// customerUnnest.
func (ch customerChunk) columns() []any {
	n := len(ch)
	ext, name, email, phone := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	language, segment, attrs := make([]string, n), make([]string, n), make([]string, n)
	sortName, searchText := make([]string, n), make([]string, n)
	value, unitID, ownerID, consent := make([]int64, n), make([]int64, n), make([]*int64, n), make([]bool, n)
	for i, e := range ch {
		r := e.row
		ext[i], name[i], email[i], phone[i] = e.externalID, r.Name, r.Email, r.Phone
		language[i], segment[i], attrs[i] = r.Language, r.Segment, r.Attributes
		sortName[i], searchText[i] = e.keys.SortName, e.keys.SearchText
		value[i], unitID[i], ownerID[i], consent[i] = r.Value, r.UnitID, nullIfZero(r.OwnerID), r.Consent
	}
	return []any{ext, name, email, phone, language, segment, value, ownerID, unitID, attrs, consent,
		sortName, searchText}
}

// customerUnnest turns the column arrays of a chunk ($1 to $13, see
// columns) back into rows x.
const customerUnnest = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
	$8::bigint[], $9::bigint[], $10::text[], $11::boolean[], $12::text[], $13::text[])
	AS x(external_id, name, email, phone, language, segment, value, owner_id, unit_id, attributes, consent,
	sort_name, search_text)`

// insertCustomersSQL inserts the customers of a chunk that are new, at
// $14, in the order of the arrays, and returns their external ids. On an
// id a concurrent transaction is inserting it waits for that one to end:
// an id it skips is committed.
const insertCustomersSQL = `INSERT INTO customers (external_id, name, email, phone, language, segment,
	value, owner_id, unit_id, attributes, consent, sort_name, search_text, created_at, updated_at)
SELECT x.external_id, x.name, x.email, x.phone, x.language, x.segment, x.value, x.owner_id, x.unit_id,
	x.attributes::jsonb, x.consent, x.sort_name, x.search_text, $14, $14
FROM ` + customerUnnest + `
ON CONFLICT (external_id) DO NOTHING
RETURNING external_id`

// updateCustomersSQL writes the stored customers of a chunk at $14: it
// updates the rows that differ and leaves equal rows alone (their
// updated_at too). Attributes compare as jsonb's text, which is exact:
// 1.0 and 1 differ as they do in SQLite. The derived sort_name and
// search_text compare too: derived by a heed.Fold that may since have
// changed, stored ones can be stale while every other column is equal.
const updateCustomersSQL = `UPDATE customers AS c SET name = x.name, email = x.email, phone = x.phone,
	language = x.language, segment = x.segment, value = x.value, owner_id = x.owner_id, unit_id = x.unit_id,
	attributes = x.attributes::jsonb, consent = x.consent, sort_name = x.sort_name,
	search_text = x.search_text, updated_at = $14
FROM ` + customerUnnest + `
WHERE c.external_id = x.external_id
	AND (c.name, c.email, c.phone, c.language, c.segment, c.value, c.owner_id, c.unit_id, c.attributes::text, c.consent,
	c.sort_name, c.search_text)
	IS DISTINCT FROM (x.name, x.email, x.phone, x.language, x.segment, x.value, x.owner_id, x.unit_id,
	x.attributes::jsonb::text, x.consent, x.sort_name, x.search_text)`

// upsertCustomerChunk writes the chunk and adds what it did to res and
// to q's deltas. It inserts the new customers first, which is all of
// them in a typical import: one statement. The others exist, committed:
// it locks them and reads their units, so the unit they move from is the
// one they are in when updated, whatever a concurrent batch wrote
// before. It writes in external-id order, whatever the caller's: two
// chunks inserting the same new ids wait for each other's rows in the
// same order, never in a cycle. (Across calls in one transaction a cycle
// remains possible; PostgreSQL then breaks it and withTx reports a
// conflict to retry.)
func (q queries) upsertCustomerChunk(ctx context.Context, ch customerChunk, now time.Time, res *heed.UpsertResult) error {
	if len(ch) == 0 {
		return nil
	}
	slices.SortFunc(ch, func(a, b customerEntry) int { return strings.Compare(a.externalID, b.externalID) })
	created, err := q.insertNewCustomers(ctx, ch, now)
	if err != nil {
		return err
	}
	var stored customerChunk
	for _, e := range ch {
		if created[e.externalID] {
			q.deltas.Created(e.row.UnitID)
		} else {
			stored = append(stored, e)
		}
	}
	res.Created += len(created)
	if len(stored) == 0 {
		return nil
	}
	units, err := q.lockCustomerUnits(ctx, stored)
	if err != nil {
		return err
	}
	for _, e := range stored {
		q.deltas.Moved(units[e.externalID], e.row.UnitID)
	}
	return q.updateStoredCustomers(ctx, stored, now, res)
}

// insertNewCustomers inserts the customers of ch that do not exist and
// returns the external ids it inserted.
func (q queries) insertNewCustomers(ctx context.Context, ch customerChunk, now time.Time) (map[string]bool, error) {
	rows, err := q.db.Query(ctx, insertCustomersSQL, append(ch.columns(), now)...)
	if err != nil {
		return nil, heed.Internal(err, "postgres: insert customers")
	}
	defer rows.Close()
	created := make(map[string]bool, len(ch))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, heed.Internal(err, "postgres: insert customers")
		}
		created[id] = true
	}
	return created, heed.Internal(rows.Err(), "postgres: insert customers")
}

// lockCustomerUnits locks the stored customers of ch until the end of the
// transaction, in id order (as any other batch does), and returns their
// units by external id.
func (q queries) lockCustomerUnits(ctx context.Context, ch customerChunk) (map[string]int64, error) {
	ids := make([]string, len(ch))
	for i, e := range ch {
		ids[i] = e.externalID
	}
	rows, err := q.db.Query(ctx, `SELECT external_id, unit_id FROM customers WHERE external_id = ANY($1)
		ORDER BY id FOR UPDATE`, ids)
	if err != nil {
		return nil, heed.Internal(err, "postgres: lock customers")
	}
	defer rows.Close()
	units := make(map[string]int64, len(ch))
	for rows.Next() {
		var id string
		var unit int64
		if err := rows.Scan(&id, &unit); err != nil {
			return nil, heed.Internal(err, "postgres: lock customers")
		}
		units[id] = unit
	}
	return units, heed.Internal(rows.Err(), "postgres: lock customers")
}

// updateStoredCustomers writes the stored customers of ch that differ
// and adds what it did to res.
func (q queries) updateStoredCustomers(ctx context.Context, ch customerChunk, now time.Time, res *heed.UpsertResult) error {
	tag, err := q.db.Exec(ctx, updateCustomersSQL, append(ch.columns(), now)...)
	if err != nil {
		return heed.Internal(err, "postgres: update customers")
	}
	res.Updated += int(tag.RowsAffected())
	res.Unchanged += len(ch) - int(tag.RowsAffected())
	return nil
}
