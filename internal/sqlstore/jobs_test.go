package sqlstore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func TestQueueJob(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	later := now.Add(time.Hour)
	tests := []struct {
		name string
		job  heed.NewJob
		want QueuedJob
	}{
		{"defaults", heed.NewJob{Kind: "mail"},
			QueuedJob{Kind: "mail", Payload: "{}", MaxAttempts: heed.DefaultMaxAttempts, RunAt: now}},
		{"given", heed.NewJob{Kind: "mail", Payload: json.RawMessage(" {\"a\": [1, 2]} "), MaxAttempts: 2, RunAt: later},
			QueuedJob{Kind: "mail", Payload: `{"a":[1,2]}`, MaxAttempts: 2, RunAt: later}},
	}
	for _, tt := range tests {
		got, err := QueueJob(tt.job, now)
		if err != nil || got != tt.want {
			t.Errorf("%s: QueueJob = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	bad := []struct {
		job   heed.NewJob
		field string
	}{
		{heed.NewJob{Kind: " "}, "kind"},
		{heed.NewJob{Kind: "mail", MaxAttempts: -1}, "max_attempts"},
		{heed.NewJob{Kind: "mail", Payload: json.RawMessage("{")}, "payload"},
		{heed.NewJob{Kind: "mail\x00"}, "kind"},
		{heed.NewJob{Kind: "mail", Key: "k\xff"}, "key"},
		{heed.NewJob{Kind: "mail", Payload: json.RawMessage("[\"\xff\"]")}, "payload"},
	}
	for _, b := range bad {
		_, err := QueueJob(b.job, now)
		wantCode(t, b.field, err, heed.EInvalid, b.field)
	}
}

// TestQueueJobMergeKey: a keyed job's merge key is its key and its
// payload, as compacted: the same for the same payload however spaced,
// another for another payload or key; none without a key.
func TestQueueJobMergeKey(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	key := func(k, payload string) string {
		t.Helper()
		qj, err := QueueJob(heed.NewJob{Kind: "send", Key: k, Payload: json.RawMessage(payload)}, now)
		if err != nil {
			t.Fatalf("QueueJob(%q, %s): %v", k, payload, err)
		}
		return qj.MergeKey
	}
	a := key("w:1", `{"webhook":1}`)
	if !strings.HasPrefix(a, "w:1 ") || key("w:1", ` { "webhook" : 1 } `) != a {
		t.Errorf("merge keys %q and %q; want one, starting with the key", a, key("w:1", ` { "webhook" : 1 } `))
	}
	for _, other := range []string{key("w:1", `{"webhook":2}`), key("w:1", ``), key("w:2", `{"webhook":1}`)} {
		if other == a {
			t.Errorf("merge key %q for another payload or key", other)
		}
	}
	if k := key("", `{"webhook":1}`); k != "" {
		t.Errorf("merge key without a key = %q; want none", k)
	}
}

func TestCheckLease(t *testing.T) {
	if ok, err := CheckLease("", 0); ok || err != nil {
		t.Errorf("CheckLease(\"\", 0) = %v, %v; want nothing asked, no error", ok, err)
	}
	_, err := CheckLease("", 1)
	wantCode(t, "no worker", err, heed.EInvalid, "worker")
	if ok, err := CheckLease("w1", 3); !ok || err != nil {
		t.Errorf("CheckLease(w1, 3) = %v, %v", ok, err)
	}
}

func TestSortLeased(t *testing.T) {
	t0 := time.Unix(100, 0)
	jobs := []heed.Job{{ID: 3, RunAt: t0}, {ID: 1, RunAt: t0.Add(time.Second)}, {ID: 2, RunAt: t0}}
	SortLeased(jobs)
	var ids []int64
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	if want := []int64{2, 3, 1}; !reflect.DeepEqual(ids, want) {
		t.Errorf("order %v; want %v (run_at, then id)", ids, want)
	}
}

func TestJobLimit(t *testing.T) {
	for in, want := range map[int]int{-1: 50, 0: 50, 7: 7, 1000: 1000, 1001: 1000} {
		if got := JobLimit(in); got != want {
			t.Errorf("JobLimit(%d) = %d; want %d", in, got, want)
		}
	}
}

func TestJobWhere(t *testing.T) {
	a := NewArgs(dollar)
	got := JobWhere(heed.JobFilter{State: heed.JobDead, Kind: "mail", BeforeID: 9}, a)
	if got != "state = $1 AND kind = $2 AND id < $3" {
		t.Errorf("JobWhere = %q", got)
	}
	if want := []any{"dead", "mail", int64(9)}; !reflect.DeepEqual(a.Values(), want) {
		t.Errorf("args %v; want %v", a.Values(), want)
	}
	if got := JobWhere(heed.JobFilter{}, NewArgs(dollar)); got != "TRUE" {
		t.Errorf("JobWhere(no filter) = %q; want TRUE", got)
	}
}
