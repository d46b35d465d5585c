package sqlstore

import (
	"slices"
	"strings"

	"github.com/heedhq/heed"
)

// UnitDeltas is how a transaction's customer upserts change the number
// of customers of each unit (unit id → change), added up in Go while it
// writes and applied to unit_stats once, just before it commits (see
// UnitStatsUpsert): an import of many chunks in one transaction locks
// each unit's count for a moment at its end, not from its first chunk,
// and a transaction that fails applies nothing. Both stores keep the
// counts this way. Deltas, never a recount: under PostgreSQL's read
// committed two batches recounting at once would each miss the other's
// rows, while two increments of the same row simply add up.
type UnitDeltas map[int64]int64

// Created records a customer created in unit.
func (d UnitDeltas) Created(unit int64) { d[unit]++ }

// Moved records a stored customer rewritten from unit from to unit to;
// nothing when it stays.
func (d UnitDeltas) Moved(from, to int64) {
	if from == to {
		return
	}
	d[from]--
	d[to]++
}

// Sorted returns the changes that are not zero, in unit-id order: two
// transactions updating the same units lock their unit_stats rows in the
// same order, so neither can wait for the other in a cycle (a deadlock
// on PostgreSQL).
func (d UnitDeltas) Sorted() (units, deltas []int64) {
	for u, n := range d {
		if n != 0 {
			units = append(units, u)
		}
	}
	slices.Sort(units)
	deltas = make([]int64, len(units))
	for i, u := range units {
		deltas[i] = d[u]
	}
	return units, deltas
}

// UnitStatsUpsert ends an INSERT INTO unit_stats (unit_id, customers) of
// deltas: a unit's first delta is its count, later ones add to it. Both
// engines support this ON CONFLICT form.
const UnitStatsUpsert = ` ON CONFLICT (unit_id) DO UPDATE SET customers = unit_stats.customers + excluded.customers`

// CountCustomersSQL is the statement counting the customers inside s
// from the per-unit counts of unit_stats, so a dashboard reads one row
// per unit in scope instead of every customer: the counts of the units
// s covers (All, the subtree at UnitPath, the unit UnitID) plus, for
// OwnerID, the customers it owns outside those units, few and found
// through the owner index. ok is false when s sees nothing: the count is
// 0 without a query. Both stores count here, so the result is the same
// COUNT(*) over the customers ScopeWhere keeps, on either engine.
func CountCustomersSQL(s heed.Scope, a *Args) (stmt string, ok bool) {
	if s.All {
		return `SELECT CAST(COALESCE(SUM(customers), 0) AS BIGINT) FROM unit_stats`, true
	}
	units := heed.Scope{UnitPath: s.UnitPath, UnitID: s.UnitID}
	var parts []string
	if units != (heed.Scope{}) {
		parts = append(parts, `(SELECT COALESCE(SUM(st.customers), 0) FROM unit_stats st`+
			unitJoin(s, "st.unit_id")+` WHERE `+
			ScopeWhere(units, a, ScopeColumns{UnitID: "st.unit_id", UnitPath: "u.path"})+`)`)
	}
	if s.OwnerID != 0 {
		owned := `c.owner_id = ` + a.Add(s.OwnerID)
		if units != (heed.Scope{}) { // counted above already
			owned += ` AND NOT ` + ScopeWhere(units, a, ScopeColumns{UnitID: "c.unit_id", UnitPath: "u.path"})
		}
		parts = append(parts, `(SELECT COUNT(*) FROM customers c`+unitJoin(s, "c.unit_id")+` WHERE `+owned+`)`)
	}
	if len(parts) == 0 {
		return "", false
	}
	return `SELECT CAST(` + strings.Join(parts, " + ") + ` AS BIGINT)`, true
}

// unitJoin joins units as u on unitID when s needs a unit's path.
func unitJoin(s heed.Scope, unitID string) string {
	if s.UnitPath == "" {
		return ""
	}
	return ` JOIN units u ON u.id = ` + unitID
}
