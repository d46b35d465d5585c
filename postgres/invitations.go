package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	"github.com/jackc/pgx/v5/pgconn"
)

func scanInvitation(sc sqlstore.Scanner) (heed.Invitation, error) {
	var i heed.Invitation
	var delivery, hidden string
	err := sc.Scan(&i.ID, &i.SurveyID, &i.Survey, &i.ProgramID, &i.Program, &i.CustomerID, &i.Customer, &i.UnitID,
		&i.Channel, &i.Language, &hidden, &i.TokenHash, &delivery, &i.Error,
		&i.CreatedAt, &i.SentAt, &i.RemindedAt, &i.OpenedAt, &i.AnsweredAt, &i.ExpiresAt)
	if err != nil {
		return heed.Invitation{}, err
	}
	i.Delivery = heed.Delivery(delivery)
	i.CreatedAt, i.ExpiresAt = utc(i.CreatedAt), utc(i.ExpiresAt)
	i.SentAt, i.RemindedAt, i.OpenedAt, i.AnsweredAt = utcPtr(i.SentAt), utcPtr(i.RemindedAt), utcPtr(i.OpenedAt), utcPtr(i.AnsweredAt)
	i.Hidden, err = sqlstore.DecodeHidden(hidden)
	return i, err
}

// CreateInvitation inserts inv. UnitID 0 takes the customer's unit.
func (q queries) CreateInvitation(ctx context.Context, inv heed.Invitation) (int64, error) {
	if err := sqlstore.CheckInvitation(inv); err != nil {
		return 0, err
	}
	var id int64
	err := q.db.QueryRow(ctx, `INSERT INTO invitations (survey_id, program_id, customer_id, unit_id, channel,
		language, hidden, token_hash, delivery, error, created_at, sent_at, reminded_at, opened_at, answered_at, expires_at)
		VALUES ($1, $2, $3, COALESCE($4, (SELECT unit_id FROM customers WHERE id = $3)), $5, $6, $7, $8, $9, $10, $11,
			$12, $13, $14, $15, $16)
		ON CONFLICT (token_hash) DO NOTHING RETURNING id`,
		inv.SurveyID, nullIfZero(inv.ProgramID), inv.CustomerID, nullIfZero(inv.UnitID), inv.Channel,
		inv.Language, sqlstore.EncodeHidden(inv.Hidden), inv.TokenHash, string(inv.Delivery), inv.Error,
		utc(inv.CreatedAt), utcPtr(inv.SentAt), utcPtr(inv.RemindedAt), utcPtr(inv.OpenedAt),
		utcPtr(inv.AnsweredAt), utc(inv.ExpiresAt)).Scan(&id)
	if missingReference(err) {
		return 0, sqlstore.MissingReference("invitation")
	}
	if err != nil {
		return 0, rowErr(err, sqlstore.InvitationTokenTaken(), "postgres: create invitation")
	}
	return id, nil
}

// GetInvitation returns the invitation with id.
func (q queries) GetInvitation(ctx context.Context, id int64) (heed.Invitation, error) {
	i, err := scanInvitation(q.db.QueryRow(ctx, sqlstore.InvitationSelect+` WHERE i.id = $1`, id))
	return i, rowErr(err, sqlstore.InvitationNotFound(), "postgres: get invitation")
}

// GetInvitationByToken returns the invitation whose token hashes to
// tokenHash.
func (q queries) GetInvitationByToken(ctx context.Context, tokenHash string) (heed.Invitation, error) {
	i, err := scanInvitation(q.db.QueryRow(ctx, sqlstore.InvitationSelect+` WHERE i.token_hash = $1`, tokenHash))
	return i, rowErr(err, sqlstore.InvitationNotFound(), "postgres: get invitation")
}

// ListInvitations returns one page of the invitations inside scope,
// newest first.
func (q queries) ListInvitations(ctx context.Context, scope heed.Scope, f heed.InvitationFilter) ([]heed.Invitation, error) {
	limit, err := sqlstore.PageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	args := newArgs()
	stmt := sqlstore.InvitationSelect + ` WHERE ` + sqlstore.InvitationWhere(scope, f, args) +
		` ORDER BY i.id DESC LIMIT ` + args.Add(limit)
	return queryList(ctx, q.db, stmt, args.Values(), []heed.Invitation{}, scanInvitation, "postgres: list invitations")
}

// SetDelivery records where the invitation's email is.
func (q queries) SetDelivery(ctx context.Context, id int64, d heed.Delivery, errMsg string, now time.Time) error {
	if err := sqlstore.CheckDelivery(d); err != nil {
		return err
	}
	var sentAt *time.Time
	if d == heed.DeliverySent {
		sentAt = utcPtr(&now)
	}
	tag, err := q.db.Exec(ctx, `UPDATE invitations SET delivery = $1, error = $2, sent_at = COALESCE($3, sent_at)
		WHERE id = $4`, string(d), errMsg, sentAt, id)
	return rowTouched(tag, err, sqlstore.InvitationNotFound(), "postgres: set delivery")
}

// MarkReminded records that the reminder went out at now.
func (q queries) MarkReminded(ctx context.Context, id int64, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE invitations SET reminded_at = $1 WHERE id = $2`, utc(now), id)
	return rowTouched(tag, err, sqlstore.InvitationNotFound(), "postgres: mark reminded")
}

// MarkOpened records the first time the link was opened; later opens
// keep it.
func (q queries) MarkOpened(ctx context.Context, id int64, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE invitations SET opened_at = COALESCE(opened_at, $1) WHERE id = $2`, utc(now), id)
	return rowTouched(tag, err, sqlstore.InvitationNotFound(), "postgres: mark opened")
}

// CountInvitations counts a program's invitations created in [from, to)
// and the answered ones, per unit, through the invitations_program index.
func (q queries) CountInvitations(ctx context.Context, programID int64, from, to time.Time) ([]heed.InvitationCounts, error) {
	return queryList(ctx, q.db, `SELECT unit_id, COUNT(*), COUNT(answered_at) FROM invitations
		WHERE program_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY unit_id ORDER BY unit_id`,
		[]any{programID, utc(from), utc(to)}, []heed.InvitationCounts{},
		func(sc sqlstore.Scanner) (heed.InvitationCounts, error) {
			var c heed.InvitationCounts
			err := sc.Scan(&c.UnitID, &c.Invited, &c.Answered)
			return c, err
		}, "postgres: count invitations")
}

// missingReference reports whether err is a write naming a row that does
// not exist: a foreign key (foreign_key_violation), or a NOT NULL column
// filled from a row that was not found (not_null_violation).
func missingReference(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "23503" || pe.Code == "23502")
}
