package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed/internal/testdb"
)

// BenchmarkResponseToWebhook measures the time from posting an answer to
// the whole heed handler until a webhook receiver on loopback has its
// signed response.created, with answers arriving at a steady 500/s (the
// issue's load) for 4 seconds, job pool and poll interval as `heed serve`
// runs them by default. It reports the 50th and 99th percentile; the goal
// is p99 under one second. Every iteration sends 2,000 answers, each from
// a customer of its own, so every detractor among them (0–6, seven in
// eleven) opens a case in the answer's transaction, as in production.
//
//	go test -run '^$' -bench ResponseToWebhook -benchtime 1x ./cmd/heed
func BenchmarkResponseToWebhook(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			const rate, total = 500, 2000
			store := testdb.Open(b, engine)
			rcv := newHookReceiver(b)
			token, wh := loopFixture(b, store, total*b.N, rcv.URL, "response.created")
			rcv.secret = wh.Secret
			a := &app{getenv: env{}.get, stdout: io.Discard, stderr: io.Discard, log: newLogger(io.Discard, "text", "error"), version: "bench"}
			flags := ServeFlags{Workers: 4, JobPoll: 250 * time.Millisecond, JobLease: 5 * time.Minute,
				ShutdownTimeout: 5 * time.Second, JobBackoff: 10 * time.Second}
			srv, err := newServer(a, store, flags, "http://127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			poolDone := make(chan error, 1)
			go func() { poolDone <- srv.pool.Run(ctx) }()
			defer func() { cancel(); <-poolDone }()
			ts := httptest.NewServer(srv.handler)
			defer ts.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

			var lat []time.Duration
			b.ResetTimer()
			for iter := range b.N {
				sent := make([]time.Time, total)
				var wg sync.WaitGroup
				tick := time.NewTicker(time.Second / rate)
				for i := range total {
					<-tick.C
					sent[i] = time.Now()
					wg.Go(func() {
						customer := fmt.Sprintf("C-%d", iter*total+i)
						if err := postResponse(client, ts.URL, token, customer, fmt.Sprintf("b%d-%d", iter, i), i%11); err != nil {
							b.Error(err)
						}
					})
				}
				tick.Stop()
				wg.Wait()
				deadline := time.Now().Add(time.Minute)
				for rcv.count() < (iter+1)*total && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
				// Read under the lock, judge after it: a Fatalf holding it
				// would leave the receiver's handler blocked for ever.
				rcv.mu.Lock()
				missing, bad := -1, slices.Clone(rcv.bad)
				for i := range total {
					at, ok := rcv.at[fmt.Sprintf("b%d-%d", iter, i)]
					if !ok {
						missing = i
						break
					}
					lat = append(lat, at.Sub(sent[i]))
				}
				rcv.mu.Unlock()
				if missing >= 0 {
					b.Fatalf("answer %d never reached the receiver", missing)
				}
				if len(bad) > 0 {
					b.Fatalf("bad signatures: %v", bad[:1])
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(q(1), "max-ms")
		})
	}
}
