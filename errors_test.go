package heed_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"testing"

	"github.com/heedhq/heed"
)

// TestConnectionErrorsAreUnavailable: a failed or broken connection is an
// outage the client may retry (503), not a bug (500).
func TestConnectionErrorsAreUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for _, err := range []error{
		heed.Internal(refused, "sqlite: list units"),
		heed.Internal(driver.ErrBadConn, "sqlite: get unit"),
	} {
		if heed.ErrorCode(err) != heed.EUnavailable || heed.ErrorMessage(err) != "database unavailable" {
			t.Errorf("%v: code %s, want unavailable", err, heed.ErrorCode(err))
		}
	}
	if err := heed.Internal(errors.New("syntax error at or near"), "postgres: list units"); heed.ErrorCode(err) != heed.EInternal {
		t.Errorf("a plain internal error is %s, want internal", heed.ErrorCode(err))
	}
}

func TestCheckOutage(t *testing.T) {
	bug := heed.Internal(errors.New("boom"), "x")
	down := func(context.Context) error { return errors.New("closed pool") }
	up := func(context.Context) error { return nil }
	if heed.ErrorCode(heed.CheckOutage(context.Background(), bug, down)) != heed.EUnavailable {
		t.Error("an internal error while the store is down is not unavailable")
	}
	if heed.ErrorCode(heed.CheckOutage(context.Background(), bug, up)) != heed.EInternal {
		t.Error("an internal error while the store answers is not internal")
	}
	nf := heed.Errorf(heed.ENotFound, "no unit")
	if heed.CheckOutage(context.Background(), nf, down) != nf {
		t.Error("a classified error was changed")
	}
}
