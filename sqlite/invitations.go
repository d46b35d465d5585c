package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func scanInvitation(sc sqlstore.Scanner) (heed.Invitation, error) {
	var i heed.Invitation
	var delivery, hidden string
	var created, expires int64
	var sent, reminded, opened, answered sql.NullInt64
	err := sc.Scan(&i.ID, &i.SurveyID, &i.Survey, &i.ProgramID, &i.Program, &i.CustomerID, &i.Customer, &i.UnitID,
		&i.Channel, &i.Language, &hidden, &i.TokenHash, &delivery, &i.Error,
		&created, &sent, &reminded, &opened, &answered, &expires)
	if err != nil {
		return heed.Invitation{}, err
	}
	i.Delivery = heed.Delivery(delivery)
	i.CreatedAt, i.ExpiresAt = fromMicros(created), fromMicros(expires)
	i.SentAt, i.RemindedAt, i.OpenedAt, i.AnsweredAt = nullMicros(sent), nullMicros(reminded), nullMicros(opened), nullMicros(answered)
	i.Hidden, err = sqlstore.DecodeHidden(hidden)
	return i, err
}

// CreateInvitation inserts inv. UnitID 0 takes the customer's unit.
func (q queries) CreateInvitation(ctx context.Context, inv heed.Invitation) (int64, error) {
	if err := sqlstore.CheckInvitation(inv); err != nil {
		return 0, err
	}
	var id int64
	err := q.w.QueryRowContext(ctx, `INSERT INTO invitations (survey_id, program_id, customer_id, unit_id, channel,
		language, hidden, token_hash, delivery, error, created_at, sent_at, reminded_at, opened_at, answered_at, expires_at)
		VALUES (?, ?, ?, COALESCE(?, (SELECT unit_id FROM customers WHERE id = ?)), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (token_hash) DO NOTHING RETURNING id`,
		inv.SurveyID, sqlstore.NullID(inv.ProgramID), inv.CustomerID, sqlstore.NullID(inv.UnitID), inv.CustomerID,
		inv.Channel, inv.Language, sqlstore.EncodeHidden(inv.Hidden), inv.TokenHash, string(inv.Delivery), inv.Error,
		micros(inv.CreatedAt), sqlstore.NullTime(inv.SentAt, microsArg), sqlstore.NullTime(inv.RemindedAt, microsArg),
		sqlstore.NullTime(inv.OpenedAt, microsArg), sqlstore.NullTime(inv.AnsweredAt, microsArg),
		micros(inv.ExpiresAt)).Scan(&id)
	if missingReference(err) {
		return 0, sqlstore.MissingReference("invitation")
	}
	if err != nil {
		return 0, rowErr(err, sqlstore.InvitationTokenTaken(), "sqlite: create invitation")
	}
	return id, nil
}

// GetInvitation returns the invitation with id.
func (q queries) GetInvitation(ctx context.Context, id int64) (heed.Invitation, error) {
	i, err := scanInvitation(q.r.QueryRowContext(ctx, sqlstore.InvitationSelect+` WHERE i.id = ?`, id))
	return i, rowErr(err, sqlstore.InvitationNotFound(), "sqlite: get invitation")
}

// GetInvitationByToken returns the invitation whose token hashes to
// tokenHash.
func (q queries) GetInvitationByToken(ctx context.Context, tokenHash string) (heed.Invitation, error) {
	i, err := scanInvitation(q.r.QueryRowContext(ctx, sqlstore.InvitationSelect+` WHERE i.token_hash = ?`, tokenHash))
	return i, rowErr(err, sqlstore.InvitationNotFound(), "sqlite: get invitation")
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
	return queryList(ctx, q.r, stmt, args.Values(), []heed.Invitation{}, scanInvitation, "sqlite: list invitations")
}

// SetDelivery records where the invitation's email is.
func (q queries) SetDelivery(ctx context.Context, id int64, d heed.Delivery, errMsg string, now time.Time) error {
	if err := sqlstore.CheckDelivery(d); err != nil {
		return err
	}
	var sentAt any
	if d == heed.DeliverySent {
		sentAt = micros(now)
	}
	res, err := q.w.ExecContext(ctx, `UPDATE invitations SET delivery = ?, error = ?, sent_at = COALESCE(?, sent_at)
		WHERE id = ?`, string(d), errMsg, sentAt, id)
	return rowTouched(res, err, sqlstore.InvitationNotFound(), "sqlite: set delivery")
}

// MarkReminded records that the reminder went out at now.
func (q queries) MarkReminded(ctx context.Context, id int64, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE invitations SET reminded_at = ? WHERE id = ?`, micros(now), id)
	return rowTouched(res, err, sqlstore.InvitationNotFound(), "sqlite: mark reminded")
}

// MarkOpened records the first time the link was opened; later opens
// keep it.
func (q queries) MarkOpened(ctx context.Context, id int64, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE invitations SET opened_at = COALESCE(opened_at, ?) WHERE id = ?`, micros(now), id)
	return rowTouched(res, err, sqlstore.InvitationNotFound(), "sqlite: mark opened")
}

// CountInvitations counts a program's invitations created in [from, to)
// and the answered ones, per unit, through the invitations_program index.
func (q queries) CountInvitations(ctx context.Context, programID int64, from, to time.Time) ([]heed.InvitationCounts, error) {
	return queryList(ctx, q.r, `SELECT unit_id, COUNT(*), COUNT(answered_at) FROM invitations
		WHERE program_id = ? AND created_at >= ? AND created_at < ? GROUP BY unit_id ORDER BY unit_id`,
		[]any{programID, micros(from), micros(to)}, []heed.InvitationCounts{},
		func(sc sqlstore.Scanner) (heed.InvitationCounts, error) {
			var c heed.InvitationCounts
			err := sc.Scan(&c.UnitID, &c.Invited, &c.Answered)
			return c, err
		}, "sqlite: count invitations")
}

// missingReference reports whether err is a write naming a row that does
// not exist: a foreign key, or a NOT NULL column filled from a row that
// was not found.
func missingReference(err error) bool {
	var e *driver.Error
	return errors.As(err, &e) &&
		(e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY || e.Code() == sqlite3.SQLITE_CONSTRAINT_NOTNULL)
}
