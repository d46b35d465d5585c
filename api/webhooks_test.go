package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/webhooks"
)

// receiver is a webhook endpoint on loopback that records what it gets
// and answers 503 while down.
type receiver struct {
	url  string
	mu   sync.Mutex
	got  []http.Header
	body [][]byte
	down bool
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{down: true}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.down {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		r.got, r.body = append(r.got, req.Header.Clone()), append(r.body, b)
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

func (r *receiver) setDown(down bool) { r.mu.Lock(); r.down = down; r.mu.Unlock() }

func (r *receiver) received() ([]http.Header, [][]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]http.Header(nil), r.got...), append([][]byte(nil), r.body...)
}

type deliveryPage struct {
	Deliveries []heed.WebhookDelivery
	NextCursor string `json:"next_cursor"`
}

// TestWebhooks: an admin adds a webhook and sees its whsec_ secret once;
// a case opened while the receiver is down is delivered, fails its one
// attempt and is parked dead; redelivered, it reaches the receiver with
// the same webhook-id, signed with that secret.
func TestWebhooks(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		rcv := newReceiver(t)

		body := map[string]any{"url": rcv.url, "events": []string{"case.opened"}, "description": "CRM"}
		e.call(t, "mgr-ra", "POST", "/api/v1/webhooks", body).must(t, http.StatusForbidden)
		e.call(t, "analyst", "GET", "/api/v1/webhooks", nil).must(t, http.StatusForbidden)
		var wh heed.Webhook
		e.call(t, "admin", "POST", "/api/v1/webhooks", body).must(t, http.StatusCreated).decode(t, &wh)
		if !strings.HasPrefix(wh.Secret, "whsec_") || len(wh.Secret) < len("whsec_")+32 || !wh.Active ||
			wh.Format != heed.FormatStandard || wh.URL != rcv.url || wh.Description != "CRM" || wh.ID == 0 {
			t.Fatalf("created %+v", wh)
		}
		path := "/api/v1/webhooks/" + strconv.FormatInt(wh.ID, 10)
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"url": "ftp://example.com/x"}, "url"},
			{map[string]any{}, "url"},
			{map[string]any{"url": rcv.url, "events": []string{"case.opened", "case.lost"}}, "events[1]"},
			{map[string]any{"url": rcv.url, "format": "xml"}, "format"},
			{map[string]any{"url": rcv.url, "secret": "whsec_mine"}, "secret"},
		} {
			got := e.call(t, "admin", "POST", "/api/v1/webhooks", c.body).must(t, http.StatusUnprocessableEntity).apiError(t).Error
			if got.Field != c.field {
				t.Errorf("%v: field %q, want %q", c.body, got.Field, c.field)
			}
		}

		// Reads never show the secret again.
		for _, p := range []string{"/api/v1/webhooks", path} {
			a := e.call(t, "admin", "GET", p, nil).must(t, http.StatusOK)
			if strings.Contains(string(a.body), "secret") || strings.Contains(string(a.body), wh.Secret) {
				t.Errorf("GET %s shows the secret: %s", p, a.body)
			}
		}
		var list struct{ Webhooks []heed.Webhook }
		e.call(t, "admin", "GET", "/api/v1/webhooks", nil).must(t, http.StatusOK).decode(t, &list)
		if len(list.Webhooks) != 1 || list.Webhooks[0].ID != wh.ID || list.Webhooks[0].Events[0] != "case.opened" {
			t.Errorf("list %+v", list.Webhooks)
		}
		// A fetched webhook goes back as it is, with a change; the secret
		// stays (the deliveries below are signed with it).
		var fetched map[string]any
		e.call(t, "admin", "GET", path, nil).must(t, http.StatusOK).decode(t, &fetched)
		fetched["description"] = "CRM, case events"
		fetched["events"] = []string{"case.opened", "case.updated"}
		var upd heed.Webhook
		a := e.call(t, "admin", "PUT", path, fetched).must(t, http.StatusOK)
		a.decode(t, &upd)
		if upd.Description != "CRM, case events" || len(upd.Events) != 2 || !upd.Active || strings.Contains(string(a.body), "secret") {
			t.Errorf("updated %s", a.body)
		}
		e.call(t, "admin", "PUT", "/api/v1/webhooks/999999", fetched).must(t, http.StatusUnprocessableEntity) // the id differs
		delete(fetched, "id")
		e.call(t, "admin", "PUT", "/api/v1/webhooks/999999", fetched).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", "/api/v1/webhooks/999999", nil).must(t, http.StatusNotFound)

		// A detractor opens a case: one delivery, case.opened. The job
		// pool sends it to the receiver, which is down; one attempt, dead.
		runPool(t, e)
		postAnswer(t, e, sv, customerOf("a1"), 1, "Broken on arrival")
		deliveries := func(query string) deliveryPage {
			t.Helper()
			var out deliveryPage
			e.call(t, "admin", "GET", path+"/deliveries"+query, nil).must(t, http.StatusOK).decode(t, &out)
			return out
		}
		waitFor(t, "a dead delivery", func() bool { return len(deliveries("?state=dead").Deliveries) == 1 })
		d := deliveries("?state=dead").Deliveries[0]
		if d.Event != heed.EventCaseOpened || d.CaseID == 0 || d.Attempts != 1 || d.LastStatus != http.StatusServiceUnavailable ||
			!strings.HasPrefix(d.MessageID, "msg_") || d.DeliveredAt != nil {
			t.Errorf("dead delivery %+v", d)
		}
		if got := deliveries("?state=delivered"); len(got.Deliveries) != 0 {
			t.Errorf("delivered while the receiver is down: %+v", got.Deliveries)
		}

		// Back up: redelivered by hand, it arrives once, signed, with the
		// same message id.
		rcv.setDown(false)
		del := "/api/v1/webhook-deliveries/" + strconv.FormatInt(d.ID, 10) + "/redeliver"
		e.call(t, "analyst", "POST", del, nil).must(t, http.StatusForbidden)
		e.call(t, "admin", "POST", "/api/v1/webhook-deliveries/999999/redeliver", nil).must(t, http.StatusNotFound)
		var again heed.WebhookDelivery
		e.call(t, "admin", "POST", del, nil).must(t, http.StatusOK).decode(t, &again)
		if again.ID != d.ID || again.MessageID != d.MessageID || again.State == heed.DeliveryGivenUp {
			t.Errorf("redelivered %+v", again)
		}
		waitFor(t, "the redelivery", func() bool { h, _ := rcv.received(); return len(h) == 1 })
		waitFor(t, "the delivery recorded", func() bool { return len(deliveries("?state=delivered").Deliveries) == 1 })
		headers, bodies := rcv.received()
		if err := webhooks.Verify(wh.Secret, headers[0], bodies[0], time.Now(), 5*time.Minute); err != nil {
			t.Errorf("signature with the secret shown at creation: %v", err)
		}
		var ev struct {
			Type string
			Data struct {
				Case heed.Case
			}
		}
		if err := json.Unmarshal(bodies[0], &ev); err != nil || ev.Type != heed.EventCaseOpened || ev.Data.Case.ID != d.CaseID ||
			headers[0].Get("webhook-id") != d.MessageID {
			t.Errorf("received %s (webhook-id %s), err %v", bodies[0], headers[0].Get("webhook-id"), err)
		}

		// Now the receiver is up, a call on the case is delivered on its
		// own; the list pages newest first.
		c := getCase(t, e, d.CaseID)
		e.call(t, "fl-a1", "POST", casePath(c.ID, "/calls"), map[string]any{"outcome": "reached"}).must(t, http.StatusOK)
		waitFor(t, "case.updated", func() bool { return len(deliveries("?state=delivered").Deliveries) == 2 })
		first := deliveries("?limit=1")
		if len(first.Deliveries) != 1 || first.Deliveries[0].Event != heed.EventCaseUpdated || first.NextCursor == "" {
			t.Fatalf("first page %+v", first)
		}
		second := deliveries("?limit=1&cursor=" + first.NextCursor)
		if len(second.Deliveries) != 1 || second.Deliveries[0].ID != d.ID {
			t.Errorf("second page %+v", second)
		}
		if last := deliveries("?limit=1&cursor=" + second.NextCursor); len(last.Deliveries) != 0 || last.NextCursor != "" {
			t.Errorf("third page %+v", last)
		}
		for q, want := range map[string]struct {
			status int
			field  string
		}{"?state=lost": {422, "state"}, "?cursor=bogus": {400, "cursor"}, "?limit=5000": {422, "limit"}} {
			if got := e.call(t, "admin", "GET", path+"/deliveries"+q, nil).must(t, want.status).apiError(t).Error; got.Field != want.field {
				t.Errorf("deliveries%s: field %q, want %q", q, got.Field, want.field)
			}
		}
		e.call(t, "admin", "GET", "/api/v1/webhooks/999999/deliveries", nil).must(t, http.StatusNotFound)
		e.call(t, "mgr-ra", "GET", path+"/deliveries", nil).must(t, http.StatusForbidden)

		// A webhook a rule sends to is not deleted: the rule would send
		// nothing without a word. Once the rule is gone, it is.
		e.call(t, "admin", "POST", "/api/v1/rules", map[string]any{"key": "to-hook", "name": "To the hook", "active": true,
			"when": map[string]any{"category": "detractor"}, "then": []map[string]any{{"kind": "webhook", "webhook": wh.ID}}}).
			must(t, http.StatusCreated)
		if got := e.call(t, "admin", "DELETE", path, nil).must(t, http.StatusConflict).apiError(t).Error; !strings.Contains(got.Message, `rule "to-hook"`) {
			t.Errorf("deleting a webhook a rule sends to: %+v", got)
		}
		e.call(t, "admin", "DELETE", "/api/v1/rules/to-hook", nil).must(t, http.StatusNoContent)
		// Deleted with its deliveries.
		e.call(t, "mgr-ra", "DELETE", path, nil).must(t, http.StatusForbidden)
		e.call(t, "admin", "DELETE", path, nil).must(t, http.StatusNoContent)
		e.call(t, "admin", "GET", path, nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "POST", del, nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "DELETE", path, nil).must(t, http.StatusNotFound)
	})
}
