package sqlstore

import (
	"github.com/heedhq/heed"
)

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
