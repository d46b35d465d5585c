package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// jobCols is the column list every job query reads, in scanJob's order.
const jobCols = `id, kind, payload, state, attempts, max_attempts, run_at, leased_by,
	leased_until, last_error, created_at, updated_at, finished_at`

// EnqueueJob inserts a queued job, or merges a keyed one into a queued
// job of the same kind, key and payload not tried yet (see heed.NewJob).
// Inside InTx it commits or rolls back with the caller's change.
func (q queries) EnqueueJob(ctx context.Context, j heed.NewJob, now time.Time) (int64, error) {
	qj, err := sqlstore.QueueJob(j, now)
	if err != nil {
		return 0, err
	}
	var id int64
	if qj.MergeKey != "" {
		err := q.w.QueryRowContext(ctx, `UPDATE jobs SET run_at = min(run_at, ?), updated_at = ?
			WHERE id = (SELECT id FROM jobs WHERE `+sqlstore.MergeableJob("?", "?")+` ORDER BY id LIMIT 1)
			RETURNING id`, micros(qj.RunAt), micros(now), qj.Kind, qj.MergeKey).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, heed.Internal(err, "sqlite: merge job")
		}
	}
	err = q.w.QueryRowContext(ctx, `INSERT INTO jobs
		(kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at, dedupe_key)
		VALUES (?, ?, 'queued', 0, ?, ?, ?, ?, ?) RETURNING id`,
		qj.Kind, qj.Payload, qj.MaxAttempts, micros(qj.RunAt), micros(now), micros(now), qj.MergeKey).Scan(&id)
	if err != nil {
		return 0, heed.Internal(err, "sqlite: enqueue job")
	}
	return id, nil
}

// LeaseJobs claims up to n ready jobs in one statement. The write pool has
// a single connection and SQLite has a single writer per file, so the
// UPDATE is exclusive even against other processes: no two callers can
// claim the same row.
func (q queries) LeaseJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]heed.Job, error) {
	if ok, err := sqlstore.CheckLease(worker, n); !ok {
		return nil, err
	}
	jobs, err := queryList(ctx, q.w, `UPDATE jobs
		SET state = 'running', attempts = attempts + 1, leased_by = ?, leased_until = ?, updated_at = ?
		WHERE id IN (
			SELECT id FROM jobs
			WHERE (state = 'queued' AND run_at <= ?) OR (state = 'running' AND leased_until < ?)
			ORDER BY run_at, id LIMIT ?)
		RETURNING `+jobCols,
		[]any{worker, micros(now.Add(lease)), micros(now), micros(now), micros(now), n},
		nil, scanJob, "sqlite: lease jobs")
	if err != nil {
		return nil, err
	}
	sqlstore.SortLeased(jobs)
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
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return heed.Internal(err, "sqlite: rows affected")
	}
	j, err := q.getWrittenJob(ctx, id)
	if err != nil {
		return err
	}
	return sqlstore.JobNotHeld(j, worker)
}

// GetJob returns one job.
func (q queries) GetJob(ctx context.Context, id int64) (heed.Job, error) {
	return q.getJobOn(ctx, q.r, id)
}

// getWrittenJob reads a job on the write side, which sees what the
// caller just wrote.
func (q queries) getWrittenJob(ctx context.Context, id int64) (heed.Job, error) {
	return q.getJobOn(ctx, q.w, id)
}

func (q queries) getJobOn(ctx context.Context, db querier, id int64) (heed.Job, error) {
	jobs, err := queryList(ctx, db, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, []any{id}, nil, scanJob, "sqlite: get job")
	if err != nil {
		return heed.Job{}, err
	}
	if len(jobs) == 0 {
		return heed.Job{}, sqlstore.JobNotFound(id)
	}
	return jobs[0], nil
}

// ListJobs returns jobs newest first.
func (q queries) ListJobs(ctx context.Context, f heed.JobFilter) ([]heed.Job, error) {
	args := newArgs()
	query := `SELECT ` + jobCols + ` FROM jobs WHERE ` + sqlstore.JobWhere(f, args) +
		` ORDER BY id DESC LIMIT ` + args.Add(sqlstore.JobLimit(f.Limit))
	return queryList(ctx, q.r, query, args.Values(), nil, scanJob, "sqlite: list jobs")
}

// CountJobs counts jobs per state, every state present.
func (q queries) CountJobs(ctx context.Context) (heed.JobCounts, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT state, count(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: count jobs")
	}
	defer rows.Close()
	counts := sqlstore.NoJobs()
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
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return heed.Internal(err, "sqlite: rows affected")
	}
	j, err := q.getWrittenJob(ctx, id)
	if err != nil {
		return err
	}
	return sqlstore.JobNotRetried(j)
}

// ReleaseJob queues a job its worker gives back unfinished to run at now,
// and gives back the attempt its lease took. leased_by stays, as in FailJob.
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

// ClaimOnce inserts key unless it is there (see heed.JobQueries).
func (q queries) ClaimOnce(ctx context.Context, key string, now time.Time) (bool, error) {
	if err := sqlstore.OnceKey(key); err != nil {
		return false, err
	}
	res, err := q.w.ExecContext(ctx, `INSERT INTO job_once (key, created_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		key, micros(now))
	if err != nil {
		return false, heed.Internal(err, "sqlite: claim once")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, heed.Internal(err, "sqlite: rows affected")
	}
	return n == 1, nil
}

func scanJob(rows sqlstore.Scanner) (heed.Job, error) {
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
