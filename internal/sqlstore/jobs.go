package sqlstore

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// QueuedJob is a new job as both stores insert it.
type QueuedJob struct {
	Kind        string
	Payload     string // compact JSON, {} for none
	MaxAttempts int
	RunAt       time.Time
	// MergeKey is what the dedupe_key column holds: "" for a job without
	// a key, else the key and a digest of the payload, so that a keyed job
	// merges only into one that would do the same work. The digest of the
	// compacted text, rather than a comparison of payloads in SQL, keeps
	// the merge the same on both engines: PostgreSQL's JSONB equality
	// would ignore key order where SQLite's text would not.
	MergeKey string
}

// QueueJob checks j and fills in its defaults: payload {}, the default
// attempt limit, run at now. Both stores enqueue through it, so a job is
// refused or accepted alike on either engine.
func QueueJob(j heed.NewJob, now time.Time) (QueuedJob, error) {
	payload, maxAttempts, err := checkNewJob(j)
	if err != nil {
		return QueuedJob{}, err
	}
	runAt := j.RunAt
	if runAt.IsZero() {
		runAt = now
	}
	qj := QueuedJob{Kind: j.Kind, Payload: string(payload), MaxAttempts: maxAttempts, RunAt: runAt}
	if j.Key != "" {
		sum := sha256.Sum256(payload)
		qj.MergeKey = j.Key + " " + hex.EncodeToString(sum[:])
	}
	return qj, nil
}

// MergeableJob is the condition of a queued job a keyed job may merge
// into, over the jobs table, with kind and mergeKey the placeholders of
// the new job's kind and MergeKey: never tried, since a job that failed
// waits out a backoff and a merge would put the new work behind it (or,
// made earlier, cut the backoff short). Its words are those of the
// partial index jobs_queued_key.
func MergeableJob(kind, mergeKey string) string {
	return `kind = ` + kind + ` AND dedupe_key = ` + mergeKey +
		` AND state = 'queued' AND attempts = 0 AND dedupe_key <> ''`
}

// checkNewJob validates j and returns its compacted payload ({} for none)
// and its attempt limit.
func checkNewJob(j heed.NewJob) (json.RawMessage, int, error) {
	if strings.TrimSpace(j.Kind) == "" {
		return nil, 0, heed.FieldErrorf(heed.EInvalid, "kind", "job kind is required")
	}
	// The payload too: JSON may hold invalid UTF-8 inside its strings,
	// which PostgreSQL refuses and SQLite would keep.
	if err := CheckText("kind", j.Kind, "key", j.Key, "payload", string(j.Payload)); err != nil {
		return nil, 0, err
	}
	if j.MaxAttempts < 0 {
		return nil, 0, heed.FieldErrorf(heed.EInvalid, "max_attempts", "max attempts must be positive")
	}
	maxAttempts := j.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = heed.DefaultMaxAttempts
	}
	if len(bytes.TrimSpace(j.Payload)) == 0 {
		return json.RawMessage("{}"), maxAttempts, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, j.Payload); err != nil {
		return nil, 0, heed.FieldErrorf(heed.EInvalid, "payload", "job payload is not valid JSON")
	}
	if escapedNUL(buf.Bytes()) {
		// PostgreSQL's jsonb refuses \u0000; refuse it on both engines alike.
		return nil, 0, heed.FieldErrorf(heed.EInvalid, "payload", "job payload must not contain NUL characters")
	}
	return buf.Bytes(), maxAttempts, nil
}

// escapedNUL reports whether the JSON text b holds the escape \u0000: a
// "\u0000" whose backslash is not itself escaped (preceded by an even
// number of backslashes).
func escapedNUL(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(`\u0000`))
		if j < 0 {
			return false
		}
		j += i
		n := 0
		for k := j - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
		i = j + 1
	}
}

// CheckLease says whether a lease of n jobs for worker asks for anything:
// false for n <= 0, EInvalid without a worker. Both stores check leases
// here so workers see the same answer on either engine.
func CheckLease(worker string, n int) (bool, error) {
	if n <= 0 {
		return false, nil
	}
	if worker == "" {
		return false, heed.FieldErrorf(heed.EInvalid, "worker", "worker is required")
	}
	return true, nil
}

// SortLeased puts leased jobs oldest first (run_at, then id). RETURNING
// gives no order on either engine, and workers must get the same order
// from both.
func SortLeased(jobs []heed.Job) {
	slices.SortFunc(jobs, func(a, b heed.Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// JobLimit applies a job list's page size: 0 means 50, at most 1000.
// Both stores list jobs in pages of the same size.
func JobLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 1000:
		return 1000
	}
	return n
}

// JobWhere is the condition a job filter puts on the jobs table (TRUE
// for none), with its arguments added to a. Both stores build it here so
// a filter means the same on either engine.
func JobWhere(f heed.JobFilter, a *Args) string {
	var where []string
	if f.State != "" {
		where = append(where, "state = "+a.Add(string(f.State)))
	}
	if f.Kind != "" {
		where = append(where, "kind = "+a.Add(f.Kind))
	}
	if f.BeforeID > 0 {
		where = append(where, "id < "+a.Add(f.BeforeID))
	}
	if len(where) == 0 {
		return "TRUE"
	}
	return strings.Join(where, " AND ")
}

// NoJobs are the counts of CountJobs before any row: every state
// present, at zero, so both stores report all four states.
func NoJobs() heed.JobCounts {
	return heed.JobCounts{heed.JobQueued: 0, heed.JobRunning: 0, heed.JobDone: 0, heed.JobDead: 0}
}

// JobNotHeld is the error for an update of job j that applies only while
// worker holds it, when it does not. Both stores refuse a worker that
// lost its lease in the same words.
func JobNotHeld(j heed.Job, worker string) error {
	return heed.Errorf(heed.EConflict, "job %d is %s and not held by worker %s", j.ID, j.State, worker)
}

// JobNotRetried is the error for a retry of job j, which applies only to
// a dead or queued job, when it is neither.
func JobNotRetried(j heed.Job) error {
	return heed.Errorf(heed.EConflict, "job %d is %s; only dead or queued jobs can be retried", j.ID, j.State)
}

// JobNotFound is the error for a job id that names no job, on both
// engines.
func JobNotFound(id int64) error {
	return heed.Errorf(heed.ENotFound, "job %d not found", id)
}
