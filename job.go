package heed

import (
	"encoding/json"
	"time"
)

// JobState is where a durable job is in its life.
type JobState string

const (
	JobQueued  JobState = "queued"  // waiting for RunAt
	JobRunning JobState = "running" // leased by a worker until LeasedUntil
	JobDone    JobState = "done"
	JobDead    JobState = "dead" // failed MaxAttempts times; retry by hand
)

// Job is a unit of durable work (an email, an alert, a webhook) stored in
// the same database as the data and enqueued in the same transaction as
// the change that causes it.
type Job struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	Payload     json.RawMessage `json:"payload"`
	State       JobState        `json:"state"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	RunAt       time.Time       `json:"run_at"`
	LeasedBy    string          `json:"leased_by,omitempty"`
	LeasedUntil *time.Time      `json:"leased_until,omitempty"`
	LastError   string          `json:"last_error,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	FinishedAt  *time.Time      `json:"finished_at,omitempty"`
}

// NewJob is what a caller enqueues.
type NewJob struct {
	Kind        string
	Payload     json.RawMessage
	RunAt       time.Time // zero: now
	MaxAttempts int       // zero: DefaultMaxAttempts
	// Key, when set, merges this job into a queued job of the same kind,
	// key and payload (compacted JSON, byte for byte) that has not been
	// tried yet, whose run time becomes the earlier of the two, instead
	// of queueing another: for work where one run does what many would.
	// A job that failed and waits to be retried takes no merge, nor does
	// one another transaction holds; the new job is queued beside it.
	Key string
}

// DefaultMaxAttempts is how often a job is tried before it is parked dead.
const DefaultMaxAttempts = 8

// JobFilter selects jobs for listing.
type JobFilter struct {
	State JobState // "" for any
	Kind  string   // "" for any
	Limit int
	// BeforeID pages through jobs newest first: only IDs below it.
	BeforeID int64
}

// JobCounts is the number of jobs per state, for dashboards and metrics.
type JobCounts map[JobState]int
