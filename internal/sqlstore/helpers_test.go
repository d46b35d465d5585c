package sqlstore

import (
	"errors"
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

// fakeRows is a result set of rows of values, for Collect and List.
type fakeRows struct {
	rows   [][]any
	i      int
	err    error // returned by Err
	closed bool
}

func (r *fakeRows) Next() bool { r.i++; return r.i <= len(r.rows) }
func (r *fakeRows) Err() error { return r.err }
func (r *fakeRows) Close()     { r.closed = true }

func (r *fakeRows) Scan(dest ...any) error {
	row := r.rows[r.i-1]
	if len(dest) != len(row) {
		return errors.New("scan: wrong number of columns")
	}
	for i, d := range dest {
		switch p := d.(type) {
		case *string:
			*p = row[i].(string)
		case *int:
			*p = row[i].(int)
		default:
			return errors.New("scan: unsupported destination")
		}
	}
	return nil
}
