package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	"github.com/jackc/pgx/v5"
)

func scanResponse(sc sqlstore.Scanner) (heed.Response, error) {
	var r heed.Response
	var answers, hidden string
	err := sc.Scan(&r.ID, &r.SurveyID, &r.Survey, &r.InvitationID, &r.CustomerID, &r.Customer, &r.UnitID, &r.Unit,
		&r.Channel, &r.Score, &r.Comment, &answers, &hidden, &r.Language, &r.ExternalID, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return heed.Response{}, err
	}
	r.CreatedAt, r.UpdatedAt = utc(r.CreatedAt), utc(r.UpdatedAt)
	if r.Answers, err = sqlstore.DecodeAnswers(answers); err != nil {
		return heed.Response{}, err
	}
	r.Hidden, err = sqlstore.DecodeHidden(hidden)
	return r, err
}

// createResponseSQL inserts a response ($1 to $13), marks its invitation
// ($2) answered at $13 and adds it to the count of its survey, unit ($14,
// 0 for none), day ($15) and score ($6): one statement, so one round trip
// and atomic without a transaction of its own. Refused by a unique key,
// it inserts nothing and returns no row, and the invitation and count are
// left alone.
const createResponseSQL = `WITH r AS (
	INSERT INTO responses (survey_id, invitation_id, customer_id, unit_id, channel, score, comment, answers,
		hidden, language, external_id, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
	ON CONFLICT DO NOTHING RETURNING id
), answered AS (
	UPDATE invitations SET answered_at = $13 WHERE id = $2 AND EXISTS (SELECT FROM r)
), counted AS (
	INSERT INTO score_counts (survey_id, unit_id, day, score, n)
	SELECT $1, $14, $15, $6, 1 FROM r` + sqlstore.ScoreCountUpsert + `
)
SELECT id FROM r`

// CreateResponse inserts r, marks its invitation answered and counts it
// in one statement (see createResponseSQL) and no read: a response is
// what an ingest writes most. It returns r with its ID and times; the
// keys a read fills (Survey, Customer, Unit) stay as given.
func (q queries) CreateResponse(ctx context.Context, r heed.Response, now time.Time) (heed.Response, error) {
	row, err := sqlstore.NewResponseRow(r, now)
	if err != nil {
		return heed.Response{}, err
	}
	var externalID *string
	if r.ExternalID != "" {
		externalID = &r.ExternalID
	}
	err = q.db.QueryRow(ctx, createResponseSQL,
		r.SurveyID, nullIfZero(r.InvitationID), nullIfZero(r.CustomerID), nullIfZero(r.UnitID), r.Channel,
		r.Score, r.Comment, row.Answers, row.Hidden, r.Language, externalID, row.CreatedAt, row.UpdatedAt,
		r.UnitID, row.Day).Scan(&r.ID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return heed.Response{}, q.responseConflict(ctx, r)
	case missingReference(err):
		return heed.Response{}, sqlstore.MissingReference("response")
	case err != nil:
		return heed.Response{}, heed.Internal(err, "postgres: create response")
	}
	r.CreatedAt, r.UpdatedAt = row.CreatedAt, row.UpdatedAt
	return r, nil
}

// responseConflict tells which unique key refused r.
func (q queries) responseConflict(ctx context.Context, r heed.Response) error {
	answered := false
	if r.InvitationID != 0 {
		err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM responses WHERE invitation_id = $1)`,
			r.InvitationID).Scan(&answered)
		if err != nil {
			return heed.Internal(err, "postgres: find response conflict")
		}
	}
	return sqlstore.ResponseConflict(r, answered)
}

// UpdateResponse rewrites what a respondent may change of the response
// r.ID, and moves its count to the new score on the day it was first
// answered. The response stays locked from its read to the commit, so
// two updates of it move its count one after the other.
func (q queries) UpdateResponse(ctx context.Context, r heed.Response, now time.Time) (heed.Response, error) {
	row, err := sqlstore.ChangedResponseRow(r, now)
	if err != nil {
		return heed.Response{}, err
	}
	var out heed.Response
	err = q.withTx(ctx, func(q queries) error {
		var surveyID, unitID int64
		var score int
		var created time.Time
		err := q.db.QueryRow(ctx, `SELECT survey_id, COALESCE(unit_id, 0), score, created_at FROM responses
			WHERE id = $1 FOR UPDATE`, r.ID).Scan(&surveyID, &unitID, &score, &created)
		if err != nil {
			return rowErr(err, sqlstore.ResponseNotFound(), "postgres: find response")
		}
		_, err = q.db.Exec(ctx, `UPDATE responses SET score = $1, comment = $2, answers = $3, hidden = $4,
			language = $5, updated_at = $6 WHERE id = $7`,
			r.Score, r.Comment, row.Answers, row.Hidden, r.Language, row.UpdatedAt, r.ID)
		if err != nil {
			return heed.Internal(err, "postgres: update response")
		}
		for _, m := range sqlstore.ScoreMoves(score, r.Score) {
			_, err := q.db.Exec(ctx, `INSERT INTO score_counts (survey_id, unit_id, day, score, n)
				VALUES ($1, $2, $3, $4, $5)`+sqlstore.ScoreCountUpsert, surveyID, unitID, heed.Day(created), m.Score, m.N)
			if err != nil {
				return heed.Internal(err, "postgres: count response")
			}
		}
		out, err = q.getResponse(ctx, heed.Scope{All: true}, `r.id = $1`, r.ID)
		return err
	})
	return out, err
}

// GetResponse returns the response with id if scope sees it.
func (q queries) GetResponse(ctx context.Context, scope heed.Scope, id int64) (heed.Response, error) {
	return q.getResponse(ctx, scope, `r.id = $1`, id)
}

// GetResponseByInvitation returns the answer to an invitation.
func (q queries) GetResponseByInvitation(ctx context.Context, invitationID int64) (heed.Response, error) {
	return q.getResponse(ctx, heed.Scope{All: true}, `r.invitation_id = $1`, invitationID)
}

// GetResponseByExternalID returns the survey's response with externalID.
func (q queries) GetResponseByExternalID(ctx context.Context, surveyID int64, externalID string) (heed.Response, error) {
	return q.getResponse(ctx, heed.Scope{All: true}, `r.survey_id = $1 AND r.external_id = $2`, surveyID, externalID)
}

// getResponse reads the one response matching where (over r, with vals
// as its first placeholders) if scope sees it.
func (q queries) getResponse(ctx context.Context, scope heed.Scope, where string, vals ...any) (heed.Response, error) {
	args := newArgs()
	for _, v := range vals {
		args.Add(v)
	}
	stmt := sqlstore.ResponseSelect + ` WHERE ` + where + ` AND ` + sqlstore.ScopeWhere(scope, args, sqlstore.ResponseScope())
	r, err := scanResponse(q.db.QueryRow(ctx, stmt, args.Values()...))
	return r, rowErr(err, sqlstore.ResponseNotFound(), "postgres: get response")
}

// ListResponses returns one page of the responses inside scope, newest
// first.
func (q queries) ListResponses(ctx context.Context, scope heed.Scope, f heed.ResponseFilter) ([]heed.Response, error) {
	limit, err := sqlstore.PageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	args := newArgs()
	where, err := sqlstore.ResponseWhere(ctx, scope, f, args, q.unitPath, func(t time.Time) any { return utc(t) })
	if err != nil {
		return nil, err
	}
	stmt := sqlstore.ResponseSelect + ` WHERE ` + where + ` ORDER BY r.id DESC LIMIT ` + args.Add(limit)
	return queryList(ctx, q.db, stmt, args.Values(), []heed.Response{}, scanResponse, "postgres: list responses")
}

// CountResponses counts the responses f selects per survey and score.
func (q queries) CountResponses(ctx context.Context, scope heed.Scope, f heed.ResponseFilter) ([]heed.ResponseCount, error) {
	f.BeforeID = 0
	args := newArgs()
	where, err := sqlstore.ResponseWhere(ctx, scope, f, args, q.unitPath, func(t time.Time) any { return utc(t) })
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.db, sqlstore.CountResponsesSQL(where), args.Values(), []heed.ResponseCount{},
		func(sc sqlstore.Scanner) (heed.ResponseCount, error) {
			var c heed.ResponseCount
			err := sc.Scan(&c.SurveyID, &c.Score, &c.N)
			return c, err
		}, "postgres: count responses")
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
	return queryList(ctx, q.db, stmt, args.Values(), []heed.ScoreCount{}, scanScoreCount, "postgres: score counts")
}

func scanScoreCount(sc sqlstore.Scanner) (heed.ScoreCount, error) {
	var c heed.ScoreCount
	err := sc.Scan(&c.UnitID, &c.Day, &c.Score, &c.N)
	return c, err
}
