package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heedhq/heed/cases"
)

// TestDigest: GET /digest is the morning email on demand — the caller's
// own by default, the day they ask for, only what their part of the tree
// holds; an admin may read anyone's, a manager only their own.
func TestDigest(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		postAnswer(t, e, sv, customerOf("a1"), 2, "Broken on arrival")
		postAnswer(t, e, sv, customerOf("b1"), 10, "")
		today := time.Now().Format(time.DateOnly)
		digest := func(token, query string) cases.Digest {
			t.Helper()
			var d cases.Digest
			e.call(t, token, "GET", "/api/v1/digest?"+query, nil).must(t, http.StatusOK).decode(t, &d)
			return d
		}
		d := digest("mgr-ra", "day="+today)
		// The survey fixtures answered too, today: region A five times.
		if d.Email != mgrRAEmail || d.Day != today || d.Answers() != 5 || d.Opened != 1 || d.Open != 1 ||
			len(d.Unhappy) != 1 || d.Unhappy[0].Comment != "Broken on arrival" || len(d.Units) != 1 || d.Units[0].Unit != "a1" {
			t.Fatalf("mgr-ra's digest of today: %+v", d)
		}
		if d := digest("mgr-rb", "day="+today); len(d.Unhappy) != 0 || d.Opened != 0 || d.Open != 0 {
			t.Fatalf("mgr-rb's digest of today: %+v", d)
		}
		if d := digest("admin", url.Values{"for": {mgrRAEmail}, "day": {today}}.Encode()); d.Email != mgrRAEmail || d.Answers() != 5 {
			t.Fatalf("mgr-ra's digest read by the admin: %+v", d)
		}
		yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
		if d := digest("mgr-ra", ""); d.Day != yesterday || d.Opened != 0 || d.Open != 1 {
			t.Fatalf("mgr-ra's digest of yesterday: %+v", d)
		}
		err := e.call(t, "mgr-ra", "GET", "/api/v1/digest?for="+url.QueryEscape(mgrRBEmail), nil).must(t, http.StatusForbidden).apiError(t).Error
		if err.Message == "" {
			t.Fatal("no message")
		}
		if got := e.call(t, "admin-role", "GET", "/api/v1/digest", nil).must(t, http.StatusUnprocessableEntity).apiError(t).Error; got.Field != "for" {
			t.Errorf("a token of no employee, without for: %+v", got)
		}
		e.call(t, "mgr-ra", "GET", "/api/v1/digest?day=yesterday", nil).must(t, http.StatusUnprocessableEntity)
		e.call(t, "mgr-ra", "GET", "/api/v1/digest?day=2026-02-30", nil).must(t, http.StatusUnprocessableEntity)
		e.call(t, "admin", "GET", "/api/v1/digest?for=ghost@heed.test", nil).must(t, http.StatusNotFound)
	})
}
