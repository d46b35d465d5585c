package postgres

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// jobCols is the column list every job query reads, in scanJob's order.
const jobCols = `id, kind, payload, state, attempts, max_attempts, run_at, leased_by,
	leased_until, last_error, created_at, updated_at, finished_at`

// EnqueueJob inserts a queued job. Inside InTx it commits or rolls back
// with the caller's change.
func (q queries) EnqueueJob(ctx context.Context, j heed.NewJob, now time.Time) (int64, error) {
	payload, maxAttempts, err := checkNewJob(j)
	if err != nil {
		return 0, err
	}
	runAt := j.RunAt
	if runAt.IsZero() {
		runAt = now
	}
	var id int64
	err = q.db.QueryRow(ctx, `INSERT INTO jobs
		(kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
		VALUES ($1, $2, 'queued', 0, $3, $4, $5, $5) RETURNING id`,
		j.Kind, string(payload), maxAttempts, jobTime(runAt), jobTime(now)).Scan(&id)
	if err != nil {
		return 0, heed.Internal(err, "postgres: enqueue job")
	}
	return id, nil
}

// checkNewJob validates j and returns its compacted payload ({} for none)
// and its attempt limit. Both engines use the same rules.
func checkNewJob(j heed.NewJob) (json.RawMessage, int, error) {
	if strings.TrimSpace(j.Kind) == "" {
		return nil, 0, heed.FieldErrorf(heed.EInvalid, "kind", "job kind is required")
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
	return buf.Bytes(), maxAttempts, nil
}

// jobTime is a time as PostgreSQL keeps it: UTC, whole microseconds.
func jobTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// LeaseJobs claims up to n ready jobs in one statement. FOR UPDATE SKIP
// LOCKED makes concurrent leasers (other processes included) pass over
// rows another transaction is claiming, and the re-check of the WHERE on
// a locked row drops rows just leased by someone else.
func (q queries) LeaseJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]heed.Job, error) {
	if n <= 0 {
		return nil, nil
	}
	if worker == "" {
		return nil, heed.FieldErrorf(heed.EInvalid, "worker", "worker is required")
	}
	rows, err := q.db.Query(ctx, `UPDATE jobs
		SET state = 'running', attempts = attempts + 1, leased_by = $1, leased_until = $2, updated_at = $3
		WHERE id IN (
			SELECT id FROM jobs
			WHERE (state = 'queued' AND run_at <= $3) OR (state = 'running' AND leased_until < $3)
			ORDER BY run_at, id LIMIT $4
			FOR UPDATE SKIP LOCKED)
		RETURNING `+jobCols,
		worker, jobTime(now.Add(lease)), jobTime(now), n)
	if err != nil {
		return nil, heed.Internal(err, "postgres: lease jobs")
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return nil, heed.Internal(err, "postgres: lease jobs")
	}
	// RETURNING gives no order; hand jobs out oldest first.
	slices.SortFunc(jobs, func(a, b heed.Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return jobs, nil
}

// CompleteJob marks the job done if worker still holds it.
func (q queries) CompleteJob(ctx context.Context, id int64, worker string, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE jobs
		SET state = 'done', leased_until = NULL, finished_at = $1, updated_at = $1
		WHERE id = $2 AND state = 'running' AND leased_by = $3`,
		jobTime(now), id, worker)
	if err != nil {
		return heed.Internal(err, "postgres: complete job")
	}
	return q.checkJobHeld(ctx, tag, id, worker)
}

// FailJob records a failed attempt if worker still holds the job. The
// last worker stays in leased_by so an operator can see who tried.
func (q queries) FailJob(ctx context.Context, id int64, worker, msg string, retryAt time.Time, dead bool, now time.Time) error {
	var tag pgconn.CommandTag
	var err error
	if dead {
		tag, err = q.db.Exec(ctx, `UPDATE jobs
			SET state = 'dead', last_error = $1, leased_until = NULL, finished_at = $2, updated_at = $2
			WHERE id = $3 AND state = 'running' AND leased_by = $4`,
			msg, jobTime(now), id, worker)
	} else {
		tag, err = q.db.Exec(ctx, `UPDATE jobs
			SET state = 'queued', last_error = $1, run_at = $2, leased_until = NULL, updated_at = $3
			WHERE id = $4 AND state = 'running' AND leased_by = $5`,
			msg, jobTime(retryAt), jobTime(now), id, worker)
	}
	if err != nil {
		return heed.Internal(err, "postgres: fail job")
	}
	return q.checkJobHeld(ctx, tag, id, worker)
}

// checkJobHeld turns "no row updated" into ENotFound or EConflict.
func (q queries) checkJobHeld(ctx context.Context, tag pgconn.CommandTag, id int64, worker string) error {
	if tag.RowsAffected() == 1 {
		return nil
	}
	j, err := q.GetJob(ctx, id)
	if err != nil {
		return err
	}
	return heed.Errorf(heed.EConflict, "job %d is %s and not held by worker %s", id, j.State, worker)
}

// GetJob returns one job.
func (q queries) GetJob(ctx context.Context, id int64) (heed.Job, error) {
	rows, err := q.db.Query(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = $1`, id)
	if err != nil {
		return heed.Job{}, heed.Internal(err, "postgres: get job")
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return heed.Job{}, heed.Internal(err, "postgres: get job")
	}
	if len(jobs) == 0 {
		return heed.Job{}, heed.Errorf(heed.ENotFound, "job %d not found", id)
	}
	return jobs[0], nil
}

// ListJobs returns jobs newest first.
func (q queries) ListJobs(ctx context.Context, f heed.JobFilter) ([]heed.Job, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1))
	}
	if f.State != "" {
		add("state = ?", string(f.State))
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	query := `SELECT ` + jobCols + ` FROM jobs`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, jobLimit(f.Limit))
	query += " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := q.db.Query(ctx, query, args...)
	if err != nil {
		return nil, heed.Internal(err, "postgres: list jobs")
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return nil, heed.Internal(err, "postgres: list jobs")
	}
	return jobs, nil
}

// jobLimit applies ListJobs's page size: 0 means 50, at most 1000.
func jobLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 1000:
		return 1000
	}
	return n
}

// CountJobs counts jobs per state, every state present.
func (q queries) CountJobs(ctx context.Context) (heed.JobCounts, error) {
	rows, err := q.db.Query(ctx, `SELECT state, count(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, heed.Internal(err, "postgres: count jobs")
	}
	defer rows.Close()
	counts := heed.JobCounts{heed.JobQueued: 0, heed.JobRunning: 0, heed.JobDone: 0, heed.JobDead: 0}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, heed.Internal(err, "postgres: count jobs")
		}
		counts[heed.JobState(state)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, heed.Internal(err, "postgres: count jobs")
	}
	return counts, nil
}

// RetryJob requeues a dead or queued job to run now with no attempts.
func (q queries) RetryJob(ctx context.Context, id int64, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE jobs
		SET state = 'queued', attempts = 0, run_at = $1, leased_until = NULL, finished_at = NULL, updated_at = $1
		WHERE id = $2 AND state IN ('dead', 'queued')`,
		jobTime(now), id)
	if err != nil {
		return heed.Internal(err, "postgres: retry job")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	j, err := q.GetJob(ctx, id)
	if err != nil {
		return err
	}
	return heed.Errorf(heed.EConflict, "job %d is %s; only dead or queued jobs can be retried", id, j.State)
}

// ReleaseJob queues a job its worker gives back unfinished to run at now,
// and returns the attempt its lease took. leased_by stays, as in FailJob.
func (q queries) ReleaseJob(ctx context.Context, id int64, worker string, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE jobs
		SET state = 'queued', attempts = GREATEST(attempts - 1, 0), run_at = $1, leased_until = NULL, updated_at = $1
		WHERE id = $2 AND state = 'running' AND leased_by = $3`,
		jobTime(now), id, worker)
	if err != nil {
		return heed.Internal(err, "postgres: release job")
	}
	return q.checkJobHeld(ctx, tag, id, worker)
}

// DeleteFinishedJobs deletes one batch of old done jobs. SKIP LOCKED lets
// two processes sweeping at once split the work instead of queueing on
// each other's rows. "= ANY(ARRAY(...))" rather than "IN (...)": the
// planner turns IN into a hash join over a scan of the whole table, and
// ANY into primary-key lookups of just the batch.
func (q queries) DeleteFinishedJobs(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	tag, err := q.db.Exec(ctx, `DELETE FROM jobs WHERE id = ANY(ARRAY(
		SELECT id FROM jobs WHERE state = 'done' AND finished_at < $1 ORDER BY id LIMIT $2
		FOR UPDATE SKIP LOCKED))`,
		jobTime(before), limit)
	if err != nil {
		return 0, heed.Internal(err, "postgres: delete finished jobs")
	}
	return int(tag.RowsAffected()), nil
}

// scanJobs reads every row of a jobCols query and closes rows.
func scanJobs(rows pgx.Rows) ([]heed.Job, error) {
	defer rows.Close()
	var jobs []heed.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return jobs, nil
}

func scanJob(rows pgx.Rows) (heed.Job, error) {
	var j heed.Job
	var payload []byte
	var state string
	var leasedUntil, finished *time.Time
	err := rows.Scan(&j.ID, &j.Kind, &payload, &state, &j.Attempts, &j.MaxAttempts, &j.RunAt,
		&j.LeasedBy, &leasedUntil, &j.LastError, &j.CreatedAt, &j.UpdatedAt, &finished)
	if err != nil {
		return heed.Job{}, fmt.Errorf("scan job: %w", err)
	}
	j.Payload = json.RawMessage(payload)
	j.State = heed.JobState(state)
	j.RunAt, j.CreatedAt, j.UpdatedAt = jobTime(j.RunAt), jobTime(j.CreatedAt), jobTime(j.UpdatedAt)
	j.LeasedUntil, j.FinishedAt = jobTimePtr(leasedUntil), jobTimePtr(finished)
	return j, nil
}

// jobTimePtr is jobTime for a nullable column.
func jobTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := jobTime(*t)
	return &u
}
