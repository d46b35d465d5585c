package api

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
)

// Lists of jobs, invitations and responses are cut by id, newest first.
// The cursor is opaque, as the customers' is, so clients page every list
// the same way and the position may change shape later without breaking
// them; the prefix keeps one list's cursor from being taken for another's.
func encodeIDCursor(prefix string, lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + strconv.FormatInt(lastID, 10)))
}

// decodeIDCursor returns the id below which the page starts; 0 for the
// first page.
func decodeIDCursor(prefix, c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		if rest, ok := strings.CutPrefix(string(b), prefix); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
				return id, nil
			}
		}
	}
	return 0, heed.FieldErrorf(heed.EBadRequest, "cursor", "invalid cursor")
}
