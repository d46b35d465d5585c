package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/heedhq/heed"
)

func TestTokensAndMe(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		var made struct {
			Token  heed.APIToken `json:"token"`
			Secret string        `json:"secret"`
		}
		e.call(t, "admin", "POST", "/api/v1/tokens", map[string]any{"name": "sync", "role": "manager", "unit": "ra"}).
			must(t, http.StatusCreated).decode(t, &made)
		if made.Secret == "" || made.Token.Unit != "ra" || made.Token.Role != heed.RoleManager {
			t.Fatalf("created %+v", made)
		}

		var me struct{ Kind, Name, Employee, Role, Unit string }
		e.send(t, made.Secret, "GET", "/api/v1/me", "", nil).must(t, http.StatusOK).decode(t, &me)
		if me.Kind != "token" || me.Name != "sync" || me.Role != "manager" || me.Unit != "ra" || me.Employee != "" {
			t.Errorf("me %+v", me)
		}
		// A token made for an employee says which one.
		for name, want := range map[string]struct{ email, role, unit string }{
			"fl-a1":   {flA1Email, "frontline", "a1"},
			"mgr-ra":  {mgrRAEmail, "manager", "ra"},
			"analyst": {analystEmail, "analyst", ""},
		} {
			me = struct{ Kind, Name, Employee, Role, Unit string }{}
			e.call(t, name, "GET", "/api/v1/me", nil).must(t, http.StatusOK).decode(t, &me)
			if me.Kind != "token" || me.Name != name || me.Employee != want.email || me.Role != want.role || me.Unit != want.unit {
				t.Errorf("%s: me %+v, want employee %s, role %s, unit %q", name, me, want.email, want.role, want.unit)
			}
		}

		var list struct{ Tokens []heed.APIToken }
		e.call(t, "admin", "GET", "/api/v1/tokens", nil).must(t, http.StatusOK).decode(t, &list)
		found := false
		for _, tok := range list.Tokens {
			found = found || tok.ID == made.Token.ID
		}
		if !found || len(list.Tokens) != len(fixtureTokens())+1 {
			t.Errorf("tokens %+v", list.Tokens)
		}

		e.call(t, "admin", "DELETE", "/api/v1/tokens/"+strconv.FormatInt(made.Token.ID, 10), nil).must(t, http.StatusNoContent)
		e.send(t, made.Secret, "GET", "/api/v1/me", "", nil).must(t, http.StatusUnauthorized)
		e.call(t, "analyst", "DELETE", "/api/v1/tokens/1", nil).must(t, http.StatusForbidden)
	})
}

func TestCreateUser(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		var made struct {
			User     heed.Employee `json:"user"`
			Password string        `json:"password"`
		}
		e.call(t, "admin", "POST", "/api/v1/users", map[string]any{"email": "New.User@heed.test", "role": "manager", "unit": "rb"}).
			must(t, http.StatusCreated).decode(t, &made)
		if made.User.Email != "new.user@heed.test" || !made.User.HasPassword || len(made.Password) < 10 {
			t.Errorf("created %+v", made)
		}
		if _, err := e.acc.Login(t.Context(), "new.user@heed.test", made.Password, "127.0.0.1", "test"); err != nil {
			t.Errorf("the returned password does not sign in: %v", err)
		}

		made.Password = ""
		e.call(t, "admin", "POST", "/api/v1/users", map[string]any{"email": "other@heed.test", "role": "analyst", "password": "a long enough password"}).
			must(t, http.StatusCreated).decode(t, &made)
		if made.Password != "" {
			t.Errorf("a password given by the client is echoed back")
		}
		e.call(t, "mgr-ra", "POST", "/api/v1/users", map[string]any{"email": "x@heed.test", "role": "admin"}).must(t, http.StatusForbidden)
		got := e.call(t, "admin", "POST", "/api/v1/users", map[string]any{"email": "y@heed.test", "role": "admin", "password": "short"}).
			must(t, 422).apiError(t).Error
		if got.Field != "password" {
			t.Errorf("short password: field %q", got.Field)
		}
	})
}

func TestJobs(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		var ids []int64
		for range 3 {
			var j heed.Job
			e.call(t, "admin", "POST", "/api/v1/jobs/test", map[string]any{"marker": "api"}).must(t, http.StatusCreated).decode(t, &j)
			if j.State != heed.JobQueued || j.Kind == "" {
				t.Errorf("enqueued %+v", j)
			}
			ids = append(ids, j.ID)
		}
		e.call(t, "admin", "POST", "/api/v1/jobs/test", nil).must(t, http.StatusCreated) // the body is optional

		// Newest first, two a page.
		// Newest first, two a page, paged like the customers: cursor and
		// next_cursor.
		var page struct {
			Jobs       []heed.Job `json:"jobs"`
			NextCursor string     `json:"next_cursor"`
		}
		e.call(t, "admin", "GET", "/api/v1/jobs?limit=2&state=queued", nil).must(t, http.StatusOK).decode(t, &page)
		if len(page.Jobs) != 2 || page.NextCursor == "" || page.Jobs[0].ID < page.Jobs[1].ID {
			t.Fatalf("first page %+v", page)
		}
		e.call(t, "admin", "GET", "/api/v1/jobs?limit=2&state=queued&cursor="+url.QueryEscape(page.NextCursor), nil).
			must(t, http.StatusOK).decode(t, &page)
		if len(page.Jobs) != 2 || page.Jobs[1].ID != ids[0] || page.NextCursor == "" {
			t.Errorf("second page %+v", page)
		}
		last := page.NextCursor
		page.NextCursor = ""
		e.call(t, "admin", "GET", "/api/v1/jobs?limit=2&state=queued&cursor="+url.QueryEscape(last), nil).
			must(t, http.StatusOK).decode(t, &page)
		if len(page.Jobs) != 0 || page.NextCursor != "" {
			t.Errorf("page after the last %+v", page)
		}
		if got := e.call(t, "admin", "GET", "/api/v1/jobs?cursor=12", nil).must(t, http.StatusBadRequest).apiError(t).Error; got.Field != "cursor" {
			t.Errorf("a bad cursor: %+v", got)
		}

		id := strconv.FormatInt(ids[0], 10)
		e.call(t, "admin", "GET", "/api/v1/jobs/"+id, nil).must(t, http.StatusOK)
		e.call(t, "admin", "POST", "/api/v1/jobs/"+id+"/retry", nil).must(t, http.StatusOK)
		e.call(t, "admin", "GET", "/api/v1/jobs/999999", nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", "/api/v1/jobs?state=lost", nil).must(t, 422)
		e.call(t, "mgr-ra", "POST", "/api/v1/jobs/test", nil).must(t, http.StatusForbidden)
	})
}
