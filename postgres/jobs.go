package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// jobCols is the column list every job query reads, in scanJob's order.
const jobCols = `id, kind, payload, state, attempts, max_attempts, run_at, leased_by,
	leased_until, last_error, created_at, updated_at, finished_at`

// EnqueueJob inserts a queued job, or merges a keyed one into a queued
// job of the same kind, key and payload not tried yet (see heed.NewJob).
// Inside InTx it commits or rolls back with the caller's change. A
// queued job another transaction holds (merging into it too, or leasing
// it) is skipped rather than waited for: a second job is only a wasted
// run, a wait could be as long as that transaction.
func (q queries) EnqueueJob(ctx context.Context, j heed.NewJob, now time.Time) (int64, error) {
	qj, err := sqlstore.QueueJob(j, now)
	if err != nil {
		return 0, err
	}
	var id int64
	if qj.MergeKey != "" {
		err := q.db.QueryRow(ctx, `UPDATE jobs SET run_at = LEAST(run_at, $1), updated_at = $2
			WHERE id = (SELECT id FROM jobs WHERE `+sqlstore.MergeableJob("$3", "$4")+`
				ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING id`, utc(qj.RunAt), utc(now), qj.Kind, qj.MergeKey).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, heed.Internal(err, "postgres: merge job")
		}
	}
	err = q.db.QueryRow(ctx, `INSERT INTO jobs
		(kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at, dedupe_key)
		VALUES ($1, $2, 'queued', 0, $3, $4, $5, $5, $6) RETURNING id`,
		qj.Kind, qj.Payload, qj.MaxAttempts, utc(qj.RunAt), utc(now), qj.MergeKey).Scan(&id)
	if err != nil {
		return 0, heed.Internal(err, "postgres: enqueue job")
	}
	return id, nil
}

// LeaseJobs claims up to n ready jobs in one statement. FOR UPDATE SKIP
// LOCKED makes concurrent leasers (other processes included) pass over
// rows another transaction is claiming, and the re-check of the WHERE on
// a locked row drops rows just leased by someone else.
func (q queries) LeaseJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]heed.Job, error) {
	if ok, err := sqlstore.CheckLease(worker, n); !ok {
		return nil, err
	}
	jobs, err := queryList(ctx, q.db, `UPDATE jobs
		SET state = 'running', attempts = attempts + 1, leased_by = $1, leased_until = $2, updated_at = $3
		WHERE id IN (
			SELECT id FROM jobs
			WHERE (state = 'queued' AND run_at <= $3) OR (state = 'running' AND leased_until < $3)
			ORDER BY run_at, id LIMIT $4
			FOR UPDATE SKIP LOCKED)
		RETURNING `+jobCols,
		[]any{worker, utc(now.Add(lease)), utc(now), n},
		nil, scanJob, "postgres: lease jobs")
	if err != nil {
		return nil, err
	}
	sqlstore.SortLeased(jobs)
	return jobs, nil
}

// CompleteJob marks the job done if worker still holds it.
func (q queries) CompleteJob(ctx context.Context, id int64, worker string, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE jobs
		SET state = 'done', leased_until = NULL, finished_at = $1, updated_at = $1
		WHERE id = $2 AND state = 'running' AND leased_by = $3`,
		utc(now), id, worker)
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
			msg, utc(now), id, worker)
	} else {
		tag, err = q.db.Exec(ctx, `UPDATE jobs
			SET state = 'queued', last_error = $1, run_at = $2, leased_until = NULL, updated_at = $3
			WHERE id = $4 AND state = 'running' AND leased_by = $5`,
			msg, utc(retryAt), utc(now), id, worker)
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
	return sqlstore.JobNotHeld(j, worker)
}

// GetJob returns one job.
func (q queries) GetJob(ctx context.Context, id int64) (heed.Job, error) {
	jobs, err := queryList(ctx, q.db, `SELECT `+jobCols+` FROM jobs WHERE id = $1`, []any{id}, nil, scanJob, "postgres: get job")
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
	return queryList(ctx, q.db, query, args.Values(), nil, scanJob, "postgres: list jobs")
}

// CountJobs counts jobs per state, every state present.
func (q queries) CountJobs(ctx context.Context) (heed.JobCounts, error) {
	rows, err := q.db.Query(ctx, `SELECT state, count(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, heed.Internal(err, "postgres: count jobs")
	}
	defer rows.Close()
	counts := sqlstore.NoJobs()
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
		utc(now), id)
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
	return sqlstore.JobNotRetried(j)
}

// ReleaseJob queues a job its worker gives back unfinished to run at now,
// and gives back the attempt its lease took. leased_by stays, as in FailJob.
func (q queries) ReleaseJob(ctx context.Context, id int64, worker string, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE jobs
		SET state = 'queued', attempts = GREATEST(attempts - 1, 0), run_at = $1, leased_until = NULL, updated_at = $1
		WHERE id = $2 AND state = 'running' AND leased_by = $3`,
		utc(now), id, worker)
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
		utc(before), limit)
	if err != nil {
		return 0, heed.Internal(err, "postgres: delete finished jobs")
	}
	return int(tag.RowsAffected()), nil
}

// ClaimOnce inserts key unless it is there (see heed.JobQueries). A
// racing claim waits for the first one's transaction and then finds the
// key taken, or, if that one rolled back, takes it.
func (q queries) ClaimOnce(ctx context.Context, key string, now time.Time) (bool, error) {
	if err := sqlstore.OnceKey(key); err != nil {
		return false, err
	}
	tag, err := q.db.Exec(ctx, `INSERT INTO job_once (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		key, utc(now))
	if err != nil {
		return false, heed.Internal(err, "postgres: claim once")
	}
	return tag.RowsAffected() == 1, nil
}

func scanJob(rows sqlstore.Scanner) (heed.Job, error) {
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
	j.RunAt, j.CreatedAt, j.UpdatedAt = utc(j.RunAt), utc(j.CreatedAt), utc(j.UpdatedAt)
	j.LeasedUntil, j.FinishedAt = utcPtr(leasedUntil), utcPtr(finished)
	return j, nil
}
