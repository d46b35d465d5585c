package sqlstore

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/heedhq/heed"
)

// InboundColumns are the columns both engines' scanInbound read, in its
// order.
const InboundColumns = `id, key, name, kind, system, active, mapping, fixed, items, secret, created_at, updated_at`

// InboundRow is the mapping and fixed values of an inbound source as
// both stores keep them: JSON objects of strings, {} for none.
type InboundRow struct {
	Mapping, Fixed string
}

// NewInboundRow refuses a source no store can hold — no key, or text
// with a NUL or invalid UTF-8 (see heed.TextProblem) — and encodes its
// mapping and fixed values. Whether the mapping makes sense (known
// fields, paths that parse) is the service's to check.
func NewInboundRow(src heed.InboundSource) (InboundRow, error) {
	if src.Key == "" {
		return InboundRow{}, heed.FieldErrorf(heed.EInvalid, "key", "an inbound source needs a key")
	}
	err := CheckText("key", src.Key, "name", src.Name, "kind", string(src.Kind), "system", src.System,
		"items", src.Items, "secret", src.Secret)
	if err == nil {
		err = checkTextMap("mapping", src.Mapping)
	}
	if err == nil {
		err = checkTextMap("fixed", src.Fixed)
	}
	if err != nil {
		return InboundRow{}, err
	}
	mapping, err := encodeJSON(orEmptyMap(src.Mapping), "mapping")
	if err != nil {
		return InboundRow{}, err
	}
	fixed, err := encodeJSON(orEmptyMap(src.Fixed), "fixed")
	if err != nil {
		return InboundRow{}, err
	}
	return InboundRow{Mapping: mapping, Fixed: fixed}, nil
}

// checkTextMap checks the keys and values of m, in key order so that
// the field named is the same from run to run.
func checkTextMap(field string, m map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := CheckText(field, k, field+"."+k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

// DecodeInbound fills src's mapping and fixed values from their stored
// JSON; both read back empty, never nil.
func DecodeInbound(row InboundRow, src *heed.InboundSource) error {
	var mapping, fixed map[string]string
	if err := json.Unmarshal([]byte(row.Mapping), &mapping); err != nil {
		return heed.Internal(err, "decode inbound mapping")
	}
	if err := json.Unmarshal([]byte(row.Fixed), &fixed); err != nil {
		return heed.Internal(err, "decode inbound fixed values")
	}
	src.Mapping, src.Fixed = orEmptyMap(mapping), orEmptyMap(fixed)
	return nil
}

// InboundKeyTaken is the error for a new source whose key is in use.
func InboundKeyTaken(key string) error {
	return heed.FieldErrorf(heed.EConflict, "key", "inbound source key %q is taken", key)
}

// InboundNotFound is the error for a source key that names nothing.
func InboundNotFound(key string) error { return notFound("inbound source", key, 0) }
