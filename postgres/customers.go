package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/storecodec"
	"github.com/jackc/pgx/v5"
)

// customerSelect reads a customer with its owner's email and name, its
// unit's key and its sort name (for the list cursor); callers append WHERE
// over c (customers) and u (its unit).
const customerSelect = `SELECT c.id, c.external_id, c.name, c.email, c.phone, c.language, c.segment, c.value,
	COALESCE(e.email, ''), COALESCE(e.name, ''), u.key, c.attributes::text, c.consent, c.created_at, c.updated_at,
	c.sort_name
	FROM customers c JOIN units u ON u.id = c.unit_id LEFT JOIN employees e ON e.id = c.owner_id`

// Page sizes of ListCustomers.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// upsertChunk is how many customers one INSERT statement carries.
const upsertChunk = 2000

// scanCustomer reads a row of customerSelect: the customer and its stored
// sort name.
func scanCustomer(row pgx.Row) (heed.Customer, string, error) {
	var c heed.Customer
	var value int64
	var attrs, sortName string
	err := row.Scan(&c.ID, &c.ExternalID, &c.Name, &c.Email, &c.Phone, &c.Language, &c.Segment, &value,
		&c.Owner, &c.OwnerName, &c.Unit, &attrs, &c.Consent, &c.CreatedAt, &c.UpdatedAt, &sortName)
	if err != nil {
		return c, "", err
	}
	c.Value = heed.Decimal(value)
	c.CreatedAt, c.UpdatedAt = utc(c.CreatedAt), utc(c.UpdatedAt)
	// jsonb keeps its own key order: return the canonical form SQLite has.
	canon, err := storecodec.CanonicalAttributes(json.RawMessage(attrs))
	c.Attributes = json.RawMessage(canon)
	return c, sortName, err
}

// GetCustomer returns the customer with externalID if scope sees it.
func (q queries) GetCustomer(ctx context.Context, scope heed.Scope, externalID string) (heed.Customer, error) {
	args := sqlArgs{externalID}
	cond := scopeWhere(scope, &args, "c.unit_id", "u.path", "c.owner_id")
	c, _, err := scanCustomer(q.db.QueryRow(ctx, customerSelect+` WHERE c.external_id = $1 AND `+cond, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return heed.Customer{}, heed.Errorf(heed.ENotFound, "no customer %q", externalID)
	}
	if err != nil {
		return heed.Customer{}, heed.Internal(err, "postgres: get customer")
	}
	return c, nil
}

// ListCustomers returns one page of the customers inside scope.
func (q queries) ListCustomers(ctx context.Context, scope heed.Scope, f heed.CustomerFilter) (heed.CustomerPage, error) {
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return heed.CustomerPage{}, err
	}
	var args sqlArgs
	where := []string{scopeWhere(scope, &args, "c.unit_id", "u.path", "c.owner_id")}
	if f.Unit != "" {
		path, err := q.unitPathByKey(ctx, f.Unit)
		if err != nil {
			return heed.CustomerPage{}, err
		}
		where = append(where, `u.path LIKE `+args.add(path+"%"))
	}
	if p, ok := storecodec.SearchPattern(f.Query); ok {
		// search_text and the pattern are both folded (lower case, no
		// accents): plain LIKE, as on SQLite, not ILIKE.
		where = append(where, `c.search_text LIKE `+args.add(p)+` ESCAPE '\'`)
	}
	if f.Cursor != "" {
		sortName, ext, err := storecodec.DecodeCursor(f.Cursor)
		if err != nil {
			return heed.CustomerPage{}, err
		}
		where = append(where, `(c.sort_name COLLATE "C", c.external_id COLLATE "C") > (`+
			args.add(sortName)+`, `+args.add(ext)+`)`)
	}
	// Byte order, as SQLite's BINARY, whatever the database's collation;
	// the indexes are built the same way. One more row than the page tells
	// whether another page follows.
	stmt := customerSelect + ` WHERE ` + strings.Join(where, ` AND `) +
		` ORDER BY c.sort_name COLLATE "C", c.external_id COLLATE "C" LIMIT ` + args.add(limit+1)
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
	rows, err := q.db.Query(ctx, stmt, args...)
	if err != nil {
		return nil, nil, heed.Internal(err, "postgres: list customers")
	}
	defer rows.Close()
	custs, sortNames := []heed.Customer{}, []string{}
	for rows.Next() {
		c, sortName, err := scanCustomer(rows)
		if err != nil {
			return nil, nil, heed.Internal(err, "postgres: list customers")
		}
		custs, sortNames = append(custs, c), append(sortNames, sortName)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, heed.Internal(err, "postgres: list customers")
	}
	return custs, sortNames, nil
}

// CountCustomers counts the customers inside scope.
func (q queries) CountCustomers(ctx context.Context, scope heed.Scope) (int, error) {
	stmt := `SELECT COUNT(*) FROM customers`
	var args sqlArgs
	cond := scopeWhere(scope, &args, "c.unit_id", "u.path", "c.owner_id")
	if !scope.All { // every customer has a unit: no need to join for All
		stmt = `SELECT COUNT(*) FROM customers c JOIN units u ON u.id = c.unit_id WHERE ` + cond
	}
	var n int
	if err := q.db.QueryRow(ctx, stmt, args...).Scan(&n); err != nil {
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
			if err := chunk.add(c, refs); err != nil {
				return about(err, "customer", c.ExternalID)
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

// customerRefs are the ids of the units and owners custs name.
type customerRefs struct {
	units, owners map[string]int64
}

// customerRefs looks up every unit key and owner email of custs in one
// query each.
func (q queries) customerRefs(ctx context.Context, custs []heed.Customer) (customerRefs, error) {
	unitSet, ownerSet := map[string]bool{}, map[string]bool{}
	for _, c := range custs {
		unitSet[c.Unit] = true
		if e := normEmail(c.Owner); e != "" {
			ownerSet[e] = true
		}
	}
	units, err := q.idsByKey(ctx, `SELECT key, id FROM units WHERE key = ANY($1)`, unitSet)
	if err != nil {
		return customerRefs{}, err
	}
	owners, err := q.idsByKey(ctx, `SELECT email, id FROM employees WHERE email = ANY($1)`, ownerSet)
	return customerRefs{units: units, owners: owners}, err
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
	sortName, searchText                                          []string // derived: storecodec.Keys
	value, unitID                                                 []int64
	ownerID                                                       []*int64
	consent                                                       []bool
}

func (cc *customerColumns) len() int { return len(cc.externalID) }

// add checks c, resolves its references and appends it.
func (cc *customerColumns) add(c heed.Customer, refs customerRefs) error {
	if c.ExternalID == "" {
		return heed.FieldErrorf(heed.EInvalid, "external_id", "a customer needs an external id")
	}
	if c.Unit == "" {
		return heed.FieldErrorf(heed.EInvalid, "unit", "a customer needs a unit")
	}
	unitID, ok := refs.units[c.Unit]
	if !ok {
		return heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", c.Unit)
	}
	var owner *int64
	if email := normEmail(c.Owner); email != "" {
		id, ok := refs.owners[email]
		if !ok {
			return heed.FieldErrorf(heed.ENotFound, "owner", "no employee %q", email)
		}
		owner = &id
	}
	attrs, err := storecodec.CanonicalAttributes(c.Attributes)
	if err != nil {
		return err
	}
	cc.externalID = append(cc.externalID, c.ExternalID)
	cc.name = append(cc.name, c.Name)
	cc.email = append(cc.email, c.Email)
	cc.phone = append(cc.phone, c.Phone)
	cc.language = append(cc.language, c.Language)
	cc.segment = append(cc.segment, c.Segment)
	cc.attributes = append(cc.attributes, attrs)
	cc.value = append(cc.value, int64(c.Value))
	cc.unitID = append(cc.unitID, unitID)
	cc.ownerID = append(cc.ownerID, owner)
	cc.consent = append(cc.consent, c.Consent)
	keys := storecodec.Keys(c.Name, c.Email, c.Phone, c.ExternalID)
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
