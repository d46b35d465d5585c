package sqlstore

import (
	"context"
)

// Lookup finds the id of a natural key (a unit key, an employee email) in
// one engine's tables; found is false when there is none. It is the only
// part of resolving a key that is SQL.
type Lookup func(ctx context.Context, key string) (id int64, found bool, err error)

// KeyCache resolves natural keys to ids once per upsert call, so a batch
// of thousands asks the database once per key. Both stores resolve the
// references of a batch through it, so a key that names nothing fails
// alike (see KeyNotFound) on either engine.
type KeyCache struct {
	lookup Lookup
	field  string // the input field named when a key does not resolve
	what   string // what the key names, for the message
	ids    map[string]int64
}

// NewKeyCache is a KeyCache over lookup.
func NewKeyCache(field, what string, lookup Lookup) *KeyCache {
	return &KeyCache{lookup: lookup, field: field, what: what, ids: map[string]int64{}}
}

// ID returns the id for key, ENotFound on the cache's field if none.
func (c *KeyCache) ID(ctx context.Context, key string) (int64, error) {
	if id, ok := c.ids[key]; ok {
		return id, nil
	}
	id, found, err := c.lookup(ctx, key)
	if err != nil {
		return 0, err
	}
	if !found {
		return 0, KeyNotFound(c.field, c.what, key)
	}
	c.ids[key] = id
	return id, nil
}
