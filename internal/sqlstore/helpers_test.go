package sqlstore

import (
	"strconv"
	"testing"

	"github.com/heedhq/heed"
)

// wantCode fails t unless err carries code and, when field is not "",
// names field.
func wantCode(t *testing.T, what string, err error, code heed.Code, field string) {
	t.Helper()
	if got := heed.ErrorCode(err); got != code {
		t.Errorf("%s: code %q (%v); want %q", what, got, err, code)
	}
	if field != "" && heed.ErrorField(err) != field {
		t.Errorf("%s: field %q; want %q", what, heed.ErrorField(err), field)
	}
}

func dollar(n int) string { return "$" + strconv.Itoa(n) }
func question(int) string { return "?" }
