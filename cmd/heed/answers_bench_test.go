package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
)

// BenchmarkAnswersHTTP posts one survey answer per request over loopback
// HTTP to the whole heed handler (authentication, validation, the
// response, its counts and the transaction), from parallel clients, next
// to a bare net/http handler that only decodes the same JSON and answers
// a fixed reply — the baseline, not a result: the ratio is what Heed
// costs over the floor of HTTP on this machine. The heed runs check at
// the end that every answer was stored and counted.
//
//	go test -run '^$' -bench AnswersHTTP -benchtime 5000x ./cmd/heed
func BenchmarkAnswersHTTP(b *testing.B) {
	b.Run("bare-net-http", func(b *testing.B) {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var v []map[string]any
			if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"results":[{"id":1,"created":true}]}`)
		}))
		defer ts.Close()
		postAnswers(b, ts.URL+"/api/v1/responses", "")
	})
	for _, engine := range testdb.Engines {
		b.Run("heed-"+engine, func(b *testing.B) {
			store := testdb.Open(b, engine)
			token := answersFixture(b, store)
			a := &app{getenv: env{}.get, stdout: io.Discard, stderr: io.Discard, log: newLogger(io.Discard, "text", "error"), version: "bench"}
			srv, err := newServer(a, store, ServeFlags{Workers: 0}, "http://127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.handler)
			defer ts.Close()
			postAnswers(b, ts.URL+"/api/v1/responses", token)
			// Every answer answered 200 was stored and counted.
			m, err := survey.New(store, survey.Config{}).Metrics(context.Background(), heed.System(),
				survey.MetricsQuery{Survey: "app", Min: 1})
			if err != nil || m.Total.N != b.N {
				b.Fatalf("%d answers counted after %d posts (%v)", m.Total.N, b.N, err)
			}
		})
	}
}

// answersFixture makes a unit, a customer, an NPS survey and an admin
// token, and returns the token.
func answersFixture(b *testing.B, store heed.Store) string {
	ctx := context.Background()
	dir := directory.New(store, time.Now)
	if _, err := dir.UpsertUnits(ctx, heed.System(), []heed.Unit{{Key: "co", Name: "Co"}, {Key: "shop", Name: "Shop", Parent: "co"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := dir.UpsertCustomers(ctx, heed.System(), []heed.Customer{{ExternalID: "C-1", Name: "C", Unit: "shop"}}); err != nil {
		b.Fatal(err)
	}
	svc := survey.New(store, survey.Config{})
	if _, err := svc.CreateSurvey(ctx, heed.System(), heed.Survey{Name: "App", Kind: heed.SurveyNPS}); err != nil {
		b.Fatal(err)
	}
	token, _, err := accounts.New(store, time.Now, accounts.Config{}).CreateToken(ctx, heed.System(),
		accounts.NewToken{Name: "bench", Role: heed.RoleAdmin})
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// postAnswers sends b.N answers from parallel clients and reports
// answers/s.
func postAnswers(b *testing.B, url, token string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var seq atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			body := fmt.Sprintf(`[{"survey":"app","customer":"C-1","score":%d,"comment":"answer %d"}]`, n%11, n)
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("POST /responses: %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
}
