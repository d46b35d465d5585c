package postgres

import (
	"context"
	"encoding/json"
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

// CountCustomers counts the customers inside scope.
func (q queries) CountCustomers(ctx context.Context, scope heed.Scope) (int, error) {
	stmt := `SELECT COUNT(*) FROM customers`
	args := newArgs()
	if !scope.All { // every customer has a unit: no need to join for All
		cond := sqlstore.ScopeWhere(scope, args, sqlstore.CustomerScope())
		stmt = `SELECT COUNT(*) FROM customers c JOIN units u ON u.id = c.unit_id WHERE ` + cond
	}
	var n int
	if err := q.db.QueryRow(ctx, stmt, args.Values()...).Scan(&n); err != nil {
		return 0, heed.Internal(err, "postgres: count customers")
	}
	return n, nil
}

// UpsertCustomers writes custs by external id, all or none, a few
// thousand rows per statement.
func (q queries) UpsertCustomers(ctx context.Context, custs []heed.Customer, now time.Time) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		refs, err := q.customerRefs(ctx, custs)
		if err != nil {
			return err
		}
		var chunk customerColumns
		seen := map[string]bool{}
		for _, c := range custs {
			// A statement may touch a row once: a repeated id starts a new
			// chunk, so the later row wins as it would one by one.
			if seen[c.ExternalID] || chunk.len() == upsertChunk {
				if err := q.upsertCustomerChunk(ctx, &chunk, utc(now), &res); err != nil {
					return err
				}
				clear(seen)
			}
			if err := chunk.add(ctx, c, refs); err != nil {
				return sqlstore.About(err, "customer", c.ExternalID)
			}
			seen[c.ExternalID] = true
		}
		return q.upsertCustomerChunk(ctx, &chunk, utc(now), &res)
	})
	if err != nil {
		return heed.UpsertResult{}, err
	}
	return res, nil
}

// customerRefs resolve the units and owners of a batch, every id read
// beforehand.
type customerRefs struct {
	units, owners *sqlstore.KeyCache
}

// customerRefs looks up every unit key and owner email of custs in one
// query each.
func (q queries) customerRefs(ctx context.Context, custs []heed.Customer) (customerRefs, error) {
	unitSet, ownerSet := map[string]bool{}, map[string]bool{}
	for _, c := range custs {
		unitSet[c.Unit] = true
		if e := sqlstore.NormEmail(c.Owner); e != "" {
			ownerSet[e] = true
		}
	}
	units, err := q.idsByKey(ctx, `SELECT key, id FROM units WHERE key = ANY($1)`, unitSet)
	if err != nil {
		return customerRefs{}, err
	}
	owners, err := q.idsByKey(ctx, `SELECT email, id FROM employees WHERE email = ANY($1)`, ownerSet)
	if err != nil {
		return customerRefs{}, err
	}
	var refs customerRefs
	refs.units, refs.owners = sqlstore.KnownCustomerRefs(units, owners)
	return refs, nil
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

// customerColumns is a chunk of customers as column arrays, the shape
// unnest turns back into rows.
type customerColumns struct {
	externalID, name, email, phone, language, segment, attributes []string
	sortName, searchText                                          []string // derived: sqlstore.Keys
	value, unitID                                                 []int64
	ownerID                                                       []*int64
	consent                                                       []bool
}

func (cc *customerColumns) len() int { return len(cc.externalID) }

// add checks c, resolves its references and appends it.
func (cc *customerColumns) add(ctx context.Context, c heed.Customer, refs customerRefs) error {
	row, err := sqlstore.NewCustomerRow(ctx, c, refs.units, refs.owners)
	if err != nil {
		return err
	}
	cc.externalID = append(cc.externalID, c.ExternalID)
	cc.name = append(cc.name, row.Name)
	cc.email = append(cc.email, row.Email)
	cc.phone = append(cc.phone, row.Phone)
	cc.language = append(cc.language, row.Language)
	cc.segment = append(cc.segment, row.Segment)
	cc.attributes = append(cc.attributes, row.Attributes)
	cc.value = append(cc.value, row.Value)
	cc.unitID = append(cc.unitID, row.UnitID)
	cc.ownerID = append(cc.ownerID, nullIfZero(row.OwnerID))
	cc.consent = append(cc.consent, row.Consent)
	keys := sqlstore.Keys(row.Name, row.Email, row.Phone, c.ExternalID)
	cc.sortName = append(cc.sortName, keys.SortName)
	cc.searchText = append(cc.searchText, keys.SearchText)
	return nil
}

// upsertCustomersSQL inserts a chunk, updates the rows that differ and
// leaves equal rows alone (their updated_at too). It returns one row per
// row written: true when inserted (no previous version: xmax = 0).
// Attributes compare as jsonb's text, which is exact: 1.0 and 1 differ
// as they do in SQLite. The derived sort_name and search_text are not
// compared: they are functions of name, email, phone and external id, so
// they differ only when those do.
const upsertCustomersSQL = `INSERT INTO customers AS c (external_id, name, email, phone, language, segment,
	value, owner_id, unit_id, attributes, consent, sort_name, search_text, created_at, updated_at)
SELECT x.external_id, x.name, x.email, x.phone, x.language, x.segment, x.value, x.owner_id, x.unit_id,
	x.attributes::jsonb, x.consent, x.sort_name, x.search_text, $14, $14
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
	$8::bigint[], $9::bigint[], $10::text[], $11::boolean[], $12::text[], $13::text[])
	AS x(external_id, name, email, phone, language, segment, value, owner_id, unit_id, attributes, consent,
	sort_name, search_text)
ON CONFLICT (external_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone,
	language = EXCLUDED.language, segment = EXCLUDED.segment, value = EXCLUDED.value,
	owner_id = EXCLUDED.owner_id, unit_id = EXCLUDED.unit_id, attributes = EXCLUDED.attributes,
	consent = EXCLUDED.consent, sort_name = EXCLUDED.sort_name, search_text = EXCLUDED.search_text,
	updated_at = EXCLUDED.updated_at
WHERE (c.name, c.email, c.phone, c.language, c.segment, c.value, c.owner_id, c.unit_id, c.attributes::text, c.consent)
	IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.email, EXCLUDED.phone, EXCLUDED.language, EXCLUDED.segment,
	EXCLUDED.value, EXCLUDED.owner_id, EXCLUDED.unit_id, EXCLUDED.attributes::text, EXCLUDED.consent)
RETURNING xmax = 0`

// upsertCustomerChunk writes the chunk, adds what it did to res and
// empties it.
func (q queries) upsertCustomerChunk(ctx context.Context, cc *customerColumns, now time.Time, res *heed.UpsertResult) error {
	if cc.len() == 0 {
		return nil
	}
	rows, err := q.db.Query(ctx, upsertCustomersSQL, cc.externalID, cc.name, cc.email, cc.phone, cc.language,
		cc.segment, cc.value, cc.ownerID, cc.unitID, cc.attributes, cc.consent, cc.sortName, cc.searchText, now)
	if err != nil {
		return heed.Internal(err, "postgres: upsert customers")
	}
	written := 0
	for rows.Next() {
		var inserted bool
		if err := rows.Scan(&inserted); err != nil {
			rows.Close()
			return heed.Internal(err, "postgres: upsert customers")
		}
		written++
		if inserted {
			res.Created++
		} else {
			res.Updated++
		}
	}
	if err := rows.Err(); err != nil {
		return heed.Internal(err, "postgres: upsert customers")
	}
	res.Unchanged += cc.len() - written
	*cc = customerColumns{}
	return nil
}
