package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanResponse(sc sqlstore.Scanner) (heed.Response, error) {
	var r heed.Response
	var answers, hidden string
	var created, updated int64
	err := sc.Scan(&r.ID, &r.SurveyID, &r.Survey, &r.InvitationID, &r.CustomerID, &r.Customer, &r.UnitID, &r.Unit,
		&r.Channel, &r.Score, &r.Comment, &answers, &hidden, &r.Language, &r.ExternalID, &created, &updated)
	if err != nil {
		return heed.Response{}, err
	}
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	if r.Answers, err = sqlstore.DecodeAnswers(answers); err != nil {
		return heed.Response{}, err
	}
	r.Hidden, err = sqlstore.DecodeHidden(hidden)
	return r, err
}

// CreateResponse inserts r, marks its invitation answered and counts it,
// in one transaction of three statements and no read: a response is what
// an ingest writes most. It returns r with its ID and times; the keys a
// read fills (Survey, Customer, Unit) stay as given.
func (q queries) CreateResponse(ctx context.Context, r heed.Response, now time.Time) (heed.Response, error) {
	row, err := sqlstore.NewResponseRow(r, now)
	if err != nil {
		return heed.Response{}, err
	}
	err = q.withTx(ctx, func(q queries) error {
		err := q.w.QueryRowContext(ctx, `INSERT INTO responses (survey_id, invitation_id, customer_id, unit_id, channel,
			score, comment, answers, hidden, language, external_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
			r.SurveyID, sqlstore.NullID(r.InvitationID), sqlstore.NullID(r.CustomerID), sqlstore.NullID(r.UnitID), r.Channel,
			r.Score, r.Comment, row.Answers, row.Hidden, r.Language, nullIfEmpty(r.ExternalID),
			micros(row.CreatedAt), micros(row.UpdatedAt)).Scan(&r.ID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return q.responseConflict(ctx, r)
		case missingReference(err):
			return sqlstore.MissingReference("response")
		case err != nil:
			return heed.Internal(err, "sqlite: create response")
		}
		if r.InvitationID != 0 {
			_, err := q.w.ExecContext(ctx, `UPDATE invitations SET answered_at = ? WHERE id = ?`, micros(now), r.InvitationID)
			if err != nil {
				return heed.Internal(err, "sqlite: mark invitation answered")
			}
		}
		return q.moveScoreCount(ctx, r.SurveyID, r.UnitID, row.Day, sqlstore.ScoreMove{Score: r.Score, N: 1})
	})
	if err != nil {
		return heed.Response{}, err
	}
	r.CreatedAt, r.UpdatedAt = row.CreatedAt, row.UpdatedAt
	return r, nil
}

// responseConflict tells which unique key refused r.
func (q queries) responseConflict(ctx context.Context, r heed.Response) error {
	answered := false
	if r.InvitationID != 0 {
		err := q.w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM responses WHERE invitation_id = ?)`,
			r.InvitationID).Scan(&answered)
		if err != nil {
			return heed.Internal(err, "sqlite: find response conflict")
		}
	}
	return sqlstore.ResponseConflict(r, answered)
}

// moveScoreCount adds m to the count of a survey's answers in a unit (0:
// none) on a day.
func (q queries) moveScoreCount(ctx context.Context, surveyID, unitID int64, day int, m sqlstore.ScoreMove) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO score_counts (survey_id, unit_id, day, score, n) VALUES (?, ?, ?, ?, ?)`+
		sqlstore.ScoreCountUpsert, surveyID, unitID, day, m.Score, m.N)
	return heed.Internal(err, "sqlite: count response")
}

// UpdateResponse rewrites what a respondent may change of the response
// r.ID, and moves its count to the new score on the day it was first
// answered.
func (q queries) UpdateResponse(ctx context.Context, r heed.Response, now time.Time) (heed.Response, error) {
	row, err := sqlstore.ChangedResponseRow(r, now)
	if err != nil {
		return heed.Response{}, err
	}
	var out heed.Response
	err = q.withTx(ctx, func(q queries) error {
		var surveyID, unitID, created int64
		var score int
		err := q.w.QueryRowContext(ctx, `SELECT survey_id, COALESCE(unit_id, 0), score, created_at FROM responses
			WHERE id = ?`, r.ID).Scan(&surveyID, &unitID, &score, &created)
		if err != nil {
			return rowErr(err, sqlstore.ResponseNotFound(), "sqlite: find response")
		}
		_, err = q.w.ExecContext(ctx, `UPDATE responses SET score = ?, comment = ?, answers = ?, hidden = ?,
			language = ?, updated_at = ? WHERE id = ?`,
			r.Score, r.Comment, row.Answers, row.Hidden, r.Language, micros(row.UpdatedAt), r.ID)
		if err != nil {
			return heed.Internal(err, "sqlite: update response")
		}
		for _, m := range sqlstore.ScoreMoves(score, r.Score) {
			if err := q.moveScoreCount(ctx, surveyID, unitID, heed.Day(fromMicros(created)), m); err != nil {
				return err
			}
		}
		out, err = q.getResponseOn(ctx, q.w, heed.Scope{All: true}, `r.id = ?`, r.ID)
		return err
	})
	return out, err
}

// GetResponse returns the response with id if scope sees it.
func (q queries) GetResponse(ctx context.Context, scope heed.Scope, id int64) (heed.Response, error) {
	return q.getResponseOn(ctx, q.r, scope, `r.id = ?`, id)
}

// GetResponseByInvitation returns the answer to an invitation.
func (q queries) GetResponseByInvitation(ctx context.Context, invitationID int64) (heed.Response, error) {
	return q.getResponseOn(ctx, q.r, heed.Scope{All: true}, `r.invitation_id = ?`, invitationID)
}

// GetResponseByExternalID returns the survey's response with externalID.
func (q queries) GetResponseByExternalID(ctx context.Context, surveyID int64, externalID string) (heed.Response, error) {
	return q.getResponseOn(ctx, q.r, heed.Scope{All: true}, `r.survey_id = ? AND r.external_id = ?`, surveyID, externalID)
}

// getResponseOn reads the one response matching where (over r, with
// vals) if scope sees it, on db.
func (q queries) getResponseOn(ctx context.Context, db querier, scope heed.Scope, where string, vals ...any) (heed.Response, error) {
	args := newArgs()
	for _, v := range vals {
		args.Add(v)
	}
	stmt := sqlstore.ResponseSelect + ` WHERE ` + where + ` AND ` + sqlstore.ScopeWhere(scope, args, sqlstore.ResponseScope())
	r, err := scanResponse(db.QueryRowContext(ctx, stmt, args.Values()...))
	return r, rowErr(err, sqlstore.ResponseNotFound(), "sqlite: get response")
}

// ListResponses returns one page of the responses inside scope, newest
// first.
func (q queries) ListResponses(ctx context.Context, scope heed.Scope, f heed.ResponseFilter) ([]heed.Response, error) {
	limit, err := sqlstore.PageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	args := newArgs()
	where, err := sqlstore.ResponseWhere(ctx, scope, f, args, q.unitPath, func(t time.Time) any { return micros(t) })
	if err != nil {
		return nil, err
	}
	stmt := sqlstore.ResponseSelect + ` WHERE ` + where + ` ORDER BY r.id DESC LIMIT ` + args.Add(limit)
	return queryList(ctx, q.r, stmt, args.Values(), []heed.Response{}, scanResponse, "sqlite: list responses")
}

// CountResponses counts the responses f selects per survey and score.
func (q queries) CountResponses(ctx context.Context, scope heed.Scope, f heed.ResponseFilter) ([]heed.ResponseCount, error) {
	f.BeforeID = 0
	args := newArgs()
	where, err := sqlstore.ResponseWhere(ctx, scope, f, args, q.unitPath, func(t time.Time) any { return micros(t) })
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.r, sqlstore.CountResponsesSQL(where), args.Values(), []heed.ResponseCount{},
		func(sc sqlstore.Scanner) (heed.ResponseCount, error) {
			var c heed.ResponseCount
			err := sc.Scan(&c.SurveyID, &c.Score, &c.N)
			return c, err
		}, "sqlite: count responses")
}

// ScoreCounts adds up the pre-aggregated counts f selects (see
// sqlstore.ScoreCountsSQL).
func (q queries) ScoreCounts(ctx context.Context, f heed.CountFilter) ([]heed.ScoreCount, error) {
	args := newArgs()
	stmt, ok, err := sqlstore.ScoreCountsSQL(f, args)
	if err != nil {
		return nil, err
	}
	if !ok {
		return []heed.ScoreCount{}, nil
	}
	return queryList(ctx, q.r, stmt, args.Values(), []heed.ScoreCount{}, scanScoreCount, "sqlite: score counts")
}

func scanScoreCount(sc sqlstore.Scanner) (heed.ScoreCount, error) {
	var c heed.ScoreCount
	err := sc.Scan(&c.UnitID, &c.Day, &c.Score, &c.N)
	return c, err
}

// nullIfEmpty stores "" as NULL, for optional unique keys.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
