package sqlstore

import (
	"github.com/heedhq/heed"
)

// Upsert writes one row by its natural key and says what it did: insert
// when none is stored (found false), nothing when the stored row old
// equals row, update otherwise. Both stores decide created, updated and
// unchanged here, so an import reports the same counts on either engine;
// R holds exactly the columns a caller can change.
func Upsert[R comparable](old R, found bool, row R, insert, update func() error) (heed.UpsertResult, error) {
	switch {
	case !found:
		return heed.UpsertResult{Created: 1}, insert()
	case old == row:
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	return heed.UpsertResult{Updated: 1}, update()
}

// UpsertEach upserts items one by one and adds up what each did. The
// first error stops the batch, named after its item (see About; what
// names the kind, key the item) and with a zero result: the caller's
// transaction then writes none. Both stores run their batches this way.
func UpsertEach[T any](items []T, what string, key func(T) string, upsert func(T) (heed.UpsertResult, error)) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	for _, it := range items {
		r, err := upsert(it)
		if err != nil {
			return heed.UpsertResult{}, About(err, what, key(it))
		}
		res.Add(r)
	}
	return res, nil
}
