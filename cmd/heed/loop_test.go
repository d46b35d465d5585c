package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/mail/sink"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// loopFixture makes a store with a unit run by owner@co.example, n
// customers in it, an NPS survey "app", an admin token and a webhook to
// receiverURL for events; it returns the token and the webhook.
func loopFixture(tb testing.TB, store heed.Store, n int, receiverURL string, events ...string) (string, heed.Webhook) {
	tb.Helper()
	ctx := context.Background()
	dir := directory.New(store, time.Now)
	if _, err := dir.UpsertUnits(ctx, heed.System(), []heed.Unit{{Key: "co", Name: "Co"},
		{Key: "shop", Name: "Shop", Parent: "co", Responsible: "owner@co.example"}}); err != nil {
		tb.Fatal(err)
	}
	if _, err := dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{
		{Email: "owner@co.example", Name: "Olga Owner", Role: heed.RoleFrontline, Unit: "shop"}}); err != nil {
		tb.Fatal(err)
	}
	var custs []heed.Customer
	for i := range n {
		custs = append(custs, heed.Customer{ExternalID: fmt.Sprintf("C-%d", i), Name: fmt.Sprintf("Customer %d", i), Unit: "shop"})
	}
	if _, err := dir.UpsertCustomers(ctx, heed.System(), custs); err != nil {
		tb.Fatal(err)
	}
	if _, err := survey.New(store, survey.Config{}).CreateSurvey(ctx, heed.System(), heed.Survey{Name: "App", Kind: heed.SurveyNPS}); err != nil {
		tb.Fatal(err)
	}
	token, _, err := accounts.New(store, time.Now, accounts.Config{}).CreateToken(ctx, heed.System(),
		accounts.NewToken{Name: "loop", Role: heed.RoleAdmin})
	if err != nil {
		tb.Fatal(err)
	}
	wh, err := webhooks.New(store, webhooks.Config{}).Create(ctx, heed.System(), heed.Webhook{URL: receiverURL, Events: events, Active: true})
	if err != nil {
		tb.Fatal(err)
	}
	return token, wh
}

// hookReceiver records every webhook message it gets, when it got it,
// and checks its signature.
type hookReceiver struct {
	*httptest.Server
	secret string
	mu     sync.Mutex
	ids    []string             // webhook-id of every message, in arrival order
	types  map[string]int       // event type → count
	at     map[string]time.Time // response external id → arrival of its response.created
	bad    []string
}

func newHookReceiver(tb testing.TB) *hookReceiver {
	h := &hookReceiver{types: map[string]int{}, at: map[string]time.Time{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		now := time.Now()
		var ev struct {
			Type string `json:"type"`
			Data struct {
				Response struct {
					ExternalID string `json:"external_id"`
				} `json:"response"`
			} `json:"data"`
		}
		json.Unmarshal(body, &ev)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := webhooks.Verify(h.secret, r.Header, body, now, 5*time.Minute); err != nil {
			h.bad = append(h.bad, err.Error())
		}
		h.ids = append(h.ids, r.Header.Get("webhook-id"))
		h.types[ev.Type]++
		if ev.Type == heed.EventResponseCreated {
			h.at[ev.Data.Response.ExternalID] = now
		}
	}))
	tb.Cleanup(h.Close)
	return h
}

func (h *hookReceiver) count() int { h.mu.Lock(); defer h.mu.Unlock(); return len(h.ids) }

// postResponse posts one answer through the API of base.
func postResponse(client *http.Client, base, token string, customer, extID string, score int) error {
	body := fmt.Sprintf(`[{"survey":"app","customer":%q,"score":%d,"comment":"answer %s","external_id":%q}]`, customer, score, extID, extID)
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/responses", bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("POST /responses: %s %s", resp.Status, b)
	}
	return nil
}

// TestTwoProcessesCloseTheLoopOnce: two `heed serve` processes on one
// PostgreSQL take answers alternately; every rule fires once per
// response (one case and one alert email per detractor), and every
// webhook message is delivered exactly once, signed.
func TestTwoProcessesCloseTheLoopOnce(t *testing.T) {
	url := testdb.PostgresURL(t) // skips without HEED_TEST_POSTGRES
	bin := heedBinary(t)
	env := processEnv("HEED_DB="+url, "HEED_LOG_LEVEL=warn")
	if out, err := exec.Command(bin, "migrate", "--db", url).CombinedOutput(); err != nil {
		t.Fatalf("heed migrate: %v\n%s", err, out)
	}
	store := openTestStore(t, url)
	rcv := newHookReceiver(t)
	const n = 120 // customers; one answer each, every other a detractor
	token, wh := loopFixture(t, store, n, rcv.URL, heed.EventResponseCreated, heed.EventCaseOpened)
	rcv.secret = wh.Secret
	mails, err := sink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mails.Close()

	args := []string{"serve", "--addr", "127.0.0.1:0", "--workers", "4", "--job-poll", "50ms", "--smtp", mails.URL()}
	procs := []*process{startProcess(t, bin, env, args...), startProcess(t, bin, env, args...)}
	client := &http.Client{Timeout: 30 * time.Second}
	for i := range n {
		score := 9
		if i%2 == 0 {
			score = 2
		}
		if err := postResponse(client, procs[i%2].url, token, fmt.Sprintf("C-%d", i), fmt.Sprintf("r-%d", i), score); err != nil {
			t.Fatal(err)
		}
	}
	want := n + n/2 // response.created for each, case.opened for each detractor
	deadline := time.Now().Add(time.Minute)
	for rcv.count() < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a duplicate would arrive now
	for _, p := range procs {
		if err := p.stop(t); err != nil {
			t.Errorf("heed serve (pid %d): %v\n%s", p.cmd.Process.Pid, err, p.stderr)
		}
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	ids := slices.Clone(rcv.ids)
	slices.Sort(ids)
	if len(ids) != want || len(slices.Compact(ids)) != want {
		t.Fatalf("receiver got %d messages (%d distinct); want %d, each once (by type: %v)", len(rcv.ids), len(slices.Compact(ids)), want, rcv.types)
	}
	if rcv.types[heed.EventCaseOpened] != n/2 || len(rcv.bad) > 0 {
		t.Fatalf("types %v, bad signatures %v", rcv.types, rcv.bad)
	}
	cs, err := store.ListCases(context.Background(), heed.Scope{All: true}, heed.CaseFilter{Limit: 1000})
	if err != nil || len(cs) != n/2 {
		t.Fatalf("%d cases, %v; want one per detractor (%d)", len(cs), err, n/2)
	}
	alerts := 0
	for _, m := range mails.Messages() {
		if m.To[0] == "owner@co.example" && strings.HasPrefix(m.Subject, "Call back") {
			alerts++
		}
	}
	if alerts != n/2 {
		t.Fatalf("%d alert emails to the owner; want %d, one per case", alerts, n/2)
	}
}
