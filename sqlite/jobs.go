package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
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
	err = q.w.QueryRowContext(ctx, `INSERT INTO jobs
		(kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
		VALUES (?, ?, 'queued', 0, ?, ?, ?, ?) RETURNING id`,
		j.Kind, string(payload), maxAttempts, micros(runAt), micros(now), micros(now)).Scan(&id)
	if err != nil {
		return 0, heed.Internal(err, "sqlite: enqueue job")
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

// LeaseJobs claims up to n ready jobs in one statement. The write pool has
// a single connection and SQLite has a single writer per file, so the
// UPDATE is exclusive even against other processes: no two callers can
// claim the same row.
func (q queries) LeaseJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]heed.Job, error) {
	if n <= 0 {
		return nil, nil
	}
	if worker == "" {
		return nil, heed.FieldErrorf(heed.EInvalid, "worker", "worker is required")
	}
	rows, err := q.w.QueryContext(ctx, `UPDATE jobs
		SET state = 'running', attempts = attempts + 1, leased_by = ?, leased_until = ?, updated_at = ?
		WHERE id IN (
			SELECT id FROM jobs
			WHERE (state = 'queued' AND run_at <= ?) OR (state = 'running' AND leased_until < ?)
			ORDER BY run_at, id LIMIT ?)
		RETURNING `+jobCols,
		worker, micros(now.Add(lease)), micros(now), micros(now), micros(now), n)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: lease jobs")
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: lease jobs")
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
	res, err := q.w.ExecContext(ctx, `UPDATE jobs
		SET state = 'done', leased_until = NULL, finished_at = ?, updated_at = ?
		WHERE id = ? AND state = 'running' AND leased_by = ?`,
		micros(now), micros(now), id, worker)
	if err != nil {
		return heed.Internal(err, "sqlite: complete job")
	}
	return q.checkJobHeld(ctx, res, id, worker)
}

// FailJob records a failed attempt if worker still holds the job. The
// last worker stays in leased_by so an operator can see who tried.
func (q queries) FailJob(ctx context.Context, id int64, worker, msg string, retryAt time.Time, dead bool, now time.Time) error {
	var res sql.Result
	var err error
	if dead {
		res, err = q.w.ExecContext(ctx, `UPDATE jobs
			SET state = 'dead', last_error = ?, leased_until = NULL, finished_at = ?, updated_at = ?
			WHERE id = ? AND state = 'running' AND leased_by = ?`,
			msg, micros(now), micros(now), id, worker)
	} else {
		res, err = q.w.ExecContext(ctx, `UPDATE jobs
			SET state = 'queued', last_error = ?, run_at = ?, leased_until = NULL, updated_at = ?
			WHERE id = ? AND state = 'running' AND leased_by = ?`,
			msg, micros(retryAt), micros(now), id, worker)
	}
	if err != nil {
		return heed.Internal(err, "sqlite: fail job")
	}
	return q.checkJobHeld(ctx, res, id, worker)
}

// checkJobHeld turns "no row updated" into ENotFound or EConflict.
func (q queries) checkJobHeld(ctx context.Context, res sql.Result, id int64, worker string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return heed.Internal(err, "sqlite: rows affected")
	}
	if n == 1 {
		return nil
	}
	j, err := q.getJobOn(ctx, q.w, id)
	if err != nil {
		return err
	}
	return heed.Errorf(heed.EConflict, "job %d is %s and not held by worker %s", id, j.State, worker)
}

// GetJob returns one job.
func (q queries) GetJob(ctx context.Context, id int64) (heed.Job, error) {
	return q.getJobOn(ctx, q.r, id)
}

func (q queries) getJobOn(ctx context.Context, db querier, id int64) (heed.Job, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id)
	if err != nil {
		return heed.Job{}, heed.Internal(err, "sqlite: get job")
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return heed.Job{}, heed.Internal(err, "sqlite: get job")
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
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, string(f.State))
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.BeforeID > 0 {
		where, args = append(where, "id < ?"), append(args, f.BeforeID)
	}
	query := `SELECT ` + jobCols + ` FROM jobs`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT ?"
	args = append(args, jobLimit(f.Limit))
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: list jobs")
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: list jobs")
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
	rows, err := q.r.QueryContext(ctx, `SELECT state, count(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: count jobs")
	}
	defer rows.Close()
	counts := heed.JobCounts{heed.JobQueued: 0, heed.JobRunning: 0, heed.JobDone: 0, heed.JobDead: 0}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, heed.Internal(err, "sqlite: count jobs")
		}
		counts[heed.JobState(state)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, heed.Internal(err, "sqlite: count jobs")
	}
	return counts, nil
}

// RetryJob requeues a dead or queued job to run now with no attempts.
func (q queries) RetryJob(ctx context.Context, id int64, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE jobs
		SET state = 'queued', attempts = 0, run_at = ?, leased_until = NULL, finished_at = NULL, updated_at = ?
		WHERE id = ? AND state IN ('dead', 'queued')`,
		micros(now), micros(now), id)
	if err != nil {
		return heed.Internal(err, "sqlite: retry job")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return heed.Internal(err, "sqlite: rows affected")
	}
	if n == 1 {
		return nil
	}
	j, err := q.getJobOn(ctx, q.w, id)
	if err != nil {
		return err
	}
	return heed.Errorf(heed.EConflict, "job %d is %s; only dead or queued jobs can be retried", id, j.State)
}

// ReleaseJob queues a job its worker gives back unfinished to run at now,
// and returns the attempt its lease took. leased_by stays, as in FailJob.
func (q queries) ReleaseJob(ctx context.Context, id int64, worker string, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE jobs
		SET state = 'queued', attempts = max(attempts - 1, 0), run_at = ?, leased_until = NULL, updated_at = ?
		WHERE id = ? AND state = 'running' AND leased_by = ?`,
		micros(now), micros(now), id, worker)
	if err != nil {
		return heed.Internal(err, "sqlite: release job")
	}
	return q.checkJobHeld(ctx, res, id, worker)
}

// DeleteFinishedJobs deletes one batch of old done jobs. One short
// statement per batch keeps the single writer free for the queue.
func (q queries) DeleteFinishedJobs(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	res, err := q.w.ExecContext(ctx, `DELETE FROM jobs WHERE id IN (
		SELECT id FROM jobs WHERE state = 'done' AND finished_at < ? ORDER BY id LIMIT ?)`,
		micros(before), limit)
	if err != nil {
		return 0, heed.Internal(err, "sqlite: delete finished jobs")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, heed.Internal(err, "sqlite: rows affected")
	}
	return int(n), nil
}

// scanJobs reads every row of a jobCols query and closes rows.
func scanJobs(rows *sql.Rows) ([]heed.Job, error) {
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

func scanJob(rows *sql.Rows) (heed.Job, error) {
	var j heed.Job
	var payload, state string
	var runAt, created, updated int64
	var leasedUntil, finished sql.NullInt64
	err := rows.Scan(&j.ID, &j.Kind, &payload, &state, &j.Attempts, &j.MaxAttempts, &runAt,
		&j.LeasedBy, &leasedUntil, &j.LastError, &created, &updated, &finished)
	if err != nil {
		return heed.Job{}, fmt.Errorf("scan job: %w", err)
	}
	j.Payload = json.RawMessage(payload)
	j.State = heed.JobState(state)
	j.RunAt, j.CreatedAt, j.UpdatedAt = fromMicros(runAt), fromMicros(created), fromMicros(updated)
	j.LeasedUntil, j.FinishedAt = nullMicros(leasedUntil), nullMicros(finished)
	return j, nil
}
