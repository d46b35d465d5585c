package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	"github.com/jackc/pgx/v5"
)

// utcArg is how sqlstore's shared statements take a time here.
func utcArg(t time.Time) any { return utc(t) }

func scanCase(sc sqlstore.Scanner) (heed.Case, error) {
	var c heed.Case
	var stage, kind, respType string
	err := sc.Scan(&c.ID, &c.CustomerID, &c.Customer, &c.CustomerName, &c.UnitID, &c.Unit, &c.UnitPath,
		&c.OwnerID, &c.Owner, &c.OwnerName, &c.ResponseID, &c.FeedbackID, &c.RuleID, &c.Rule, &c.ProgramID, &c.Title, &stage,
		&c.ScoreBefore, &c.CategoryBefore, &c.ScoreAfter, &c.CategoryAfter, &kind, &respType, &c.RootCause,
		&c.PreventiveActionID, &c.FirstContactDue, &c.ResolveDue, &c.FirstContactAt, &c.ClosedAt,
		&c.EscalationLevel, &c.EscalatedToID, &c.EscalatedTo, &c.EscalatedAt, &c.ResurveyAt,
		&c.ResurveyInvitationID, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return heed.Case{}, err
	}
	c.Stage, c.CustomerKind, c.ResponseType = heed.Stage(stage), heed.CustomerKind(kind), heed.ResponseType(respType)
	c.FirstContactDue, c.ResolveDue = utc(c.FirstContactDue), utc(c.ResolveDue)
	c.FirstContactAt, c.ClosedAt = utcPtr(c.FirstContactAt), utcPtr(c.ClosedAt)
	c.EscalatedAt, c.ResurveyAt = utcPtr(c.EscalatedAt), utcPtr(c.ResurveyAt)
	c.CreatedAt, c.UpdatedAt = utc(c.CreatedAt), utc(c.UpdatedAt)
	return c, nil
}

// CreateCase inserts c and its first event in one transaction.
func (q queries) CreateCase(ctx context.Context, c heed.Case, ev heed.CaseEvent, now time.Time) (heed.Case, error) {
	c, err := sqlstore.NewCase(c)
	if err != nil {
		return heed.Case{}, err
	}
	if ev.Kind == "" {
		ev.Kind = heed.EventOpened
	}
	ev, data, err := sqlstore.CaseEventRow(ev, now)
	if err != nil {
		return heed.Case{}, err
	}
	var out heed.Case
	err = q.withTx(ctx, func(q queries) error {
		args := newArgs()
		err := q.db.QueryRow(ctx, sqlstore.InsertCaseSQL(c, now, args, utcArg), args.Values()...).Scan(&c.ID)
		if missingReference(err) {
			return sqlstore.CaseReferenceMissing()
		}
		if err != nil {
			return heed.Internal(err, "postgres: create case")
		}
		ev.CaseID = c.ID
		if _, err := q.insertCaseEvent(ctx, ev, data); err != nil {
			return err
		}
		out, err = q.getCase(ctx, heed.Scope{All: true}, `c.id = $1`, c.ID)
		return err
	})
	return out, err
}

// UpdateCase rewrites c if its version is still c.Version, and appends ev
// unless its Kind is "", in one transaction. A concurrent update of the
// same case waits for the row and then finds the version moved on.
func (q queries) UpdateCase(ctx context.Context, c heed.Case, ev heed.CaseEvent, now time.Time) (heed.Case, error) {
	if err := sqlstore.CheckCase(c); err != nil {
		return heed.Case{}, err
	}
	var data string
	if ev.Kind != "" {
		var err error
		if ev, data, err = sqlstore.CaseEventRow(ev, now); err != nil {
			return heed.Case{}, err
		}
	}
	var out heed.Case
	err := q.withTx(ctx, func(q queries) error {
		args := newArgs()
		tag, err := q.db.Exec(ctx, sqlstore.UpdateCaseSQL(c, now, args, utcArg), args.Values()...)
		if missingReference(err) {
			return sqlstore.CaseReferenceMissing()
		}
		if err != nil {
			return heed.Internal(err, "postgres: update case")
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)`, c.ID).Scan(&exists)
			if err != nil {
				return heed.Internal(err, "postgres: find case")
			}
			return sqlstore.CaseNotUpdated(exists)
		}
		if ev.Kind != "" {
			ev.CaseID = c.ID
			if _, err := q.insertCaseEvent(ctx, ev, data); err != nil {
				return err
			}
		}
		out, err = q.getCase(ctx, heed.Scope{All: true}, `c.id = $1`, c.ID)
		return err
	})
	return out, err
}

// GetCase returns the case with id if scope sees it.
func (q queries) GetCase(ctx context.Context, scope heed.Scope, id int64) (heed.Case, error) {
	return q.getCase(ctx, scope, `c.id = $1`, id)
}

// FindOpenCase returns the customer's newest open case. Inside a
// transaction it first locks the customer's row until commit: under READ
// COMMITTED two transactions would otherwise both find no open case and
// both create one. The second now waits for the first to commit and then
// reads its case. FOR NO KEY UPDATE does not conflict with the KEY SHARE
// lock a foreign key check takes, so inserting cases, responses or
// invitations of the customer does not wait for it. Outside a transaction
// the lock would end with the statement, so it is not taken.
func (q queries) FindOpenCase(ctx context.Context, customerID int64) (heed.Case, error) {
	if q.deltas != nil {
		var one int
		err := q.db.QueryRow(ctx, `SELECT 1 FROM customers WHERE id = $1 FOR NO KEY UPDATE`, customerID).Scan(&one)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return heed.Case{}, heed.Internal(err, "postgres: lock customer")
		}
	}
	return q.getCase(ctx, heed.Scope{All: true}, `c.customer_id = $1 AND `+sqlstore.CaseOpen("c"), customerID)
}

// GetCaseByResurvey returns the case the invitation re-surveys.
func (q queries) GetCaseByResurvey(ctx context.Context, invitationID int64) (heed.Case, error) {
	return q.getCase(ctx, heed.Scope{All: true}, `c.resurvey_invitation_id = $1`, invitationID)
}

// getCase reads the newest case matching where (over c, with vals as its
// first placeholders) if scope sees it.
func (q queries) getCase(ctx context.Context, scope heed.Scope, where string, vals ...any) (heed.Case, error) {
	args := newArgs()
	for _, v := range vals {
		args.Add(v)
	}
	stmt := sqlstore.CaseSelect + ` WHERE ` + where + ` AND ` + sqlstore.ScopeWhere(scope, args, sqlstore.CaseScope()) +
		` ORDER BY c.id DESC LIMIT 1`
	c, err := scanCase(q.db.QueryRow(ctx, stmt, args.Values()...))
	return c, rowErr(err, sqlstore.CaseNotFound(), "postgres: get case")
}

// ListCases returns one page of the cases inside scope, newest first.
func (q queries) ListCases(ctx context.Context, scope heed.Scope, f heed.CaseFilter) ([]heed.Case, error) {
	limit, err := sqlstore.PageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	args := newArgs()
	where, err := sqlstore.CaseWhere(ctx, scope, f, args, q.unitPath, utcArg)
	if err != nil {
		return nil, err
	}
	stmt := sqlstore.CaseSelect + ` WHERE ` + where + ` ORDER BY c.id DESC LIMIT ` + args.Add(limit)
	return queryList(ctx, q.db, stmt, args.Values(), []heed.Case{}, scanCase, "postgres: list cases")
}

// AddCaseEvent appends ev to its case's timeline.
func (q queries) AddCaseEvent(ctx context.Context, ev heed.CaseEvent) (heed.CaseEvent, error) {
	ev, data, err := sqlstore.CaseEventRow(ev, time.Time{})
	if err != nil {
		return heed.CaseEvent{}, err
	}
	ev.ID, err = q.insertCaseEvent(ctx, ev, data)
	if err != nil {
		return heed.CaseEvent{}, err
	}
	return ev, nil
}

// insertCaseEvent appends ev, settled by sqlstore.CaseEventRow, and
// returns its id.
func (q queries) insertCaseEvent(ctx context.Context, ev heed.CaseEvent, data string) (int64, error) {
	args := newArgs()
	var id int64
	err := q.db.QueryRow(ctx, sqlstore.InsertCaseEventSQL(ev, data, args, utcArg), args.Values()...).Scan(&id)
	if missingReference(err) {
		return 0, sqlstore.CaseNotFound()
	}
	return id, heed.Internal(err, "postgres: add case event")
}

func scanCaseEvent(sc sqlstore.Scanner) (heed.CaseEvent, error) {
	var ev heed.CaseEvent
	var kind, outcome, data string
	err := sc.Scan(&ev.ID, &ev.CaseID, &kind, &ev.Actor, &ev.From, &ev.To, &outcome, &ev.ResponseID, &ev.Note,
		&data, &ev.At)
	ev.Kind, ev.Outcome, ev.Data, ev.At = heed.CaseEventKind(kind), heed.CallOutcome(outcome),
		sqlstore.DecodeCaseEventData(data), utc(ev.At)
	return ev, err
}

// ListCaseEvents returns a case's timeline, oldest first; ENotFound when
// there is no such case (every case has at least its opening event).
func (q queries) ListCaseEvents(ctx context.Context, caseID int64) ([]heed.CaseEvent, error) {
	evs, err := queryList(ctx, q.db, sqlstore.CaseEventSelect+` WHERE case_id = $1 ORDER BY id`, []any{caseID},
		[]heed.CaseEvent{}, scanCaseEvent, "postgres: list case events")
	if err != nil || len(evs) > 0 {
		return evs, err
	}
	var one int
	err = q.db.QueryRow(ctx, `SELECT 1 FROM cases WHERE id = $1`, caseID).Scan(&one)
	return evs, rowErr(err, sqlstore.CaseNotFound(), "postgres: find case")
}

func scanCaseFact(sc sqlstore.Scanner) (heed.CaseFact, error) {
	var f heed.CaseFact
	var stage string
	err := sc.Scan(&f.ID, &f.UnitID, &f.CustomerID, &stage, &f.CategoryBefore, &f.CategoryAfter, &f.CreatedAt,
		&f.FirstContactDue, &f.FirstContactAt, &f.ClosedAt, &f.ResolveDue, &f.EscalationLevel)
	f.Stage, f.CreatedAt = heed.Stage(stage), utc(f.CreatedAt)
	f.FirstContactDue, f.ResolveDue = utc(f.FirstContactDue), utc(f.ResolveDue)
	f.FirstContactAt, f.ClosedAt = utcPtr(f.FirstContactAt), utcPtr(f.ClosedAt)
	return f, err
}

// ListCaseFacts returns the facts of the cases inside scope that f
// selects, by id.
func (q queries) ListCaseFacts(ctx context.Context, scope heed.Scope, f heed.CaseFactFilter) ([]heed.CaseFact, error) {
	args := newArgs()
	stmt := sqlstore.CaseFactsSQL(scope, f, args, utcArg)
	return queryList(ctx, q.db, stmt, args.Values(), []heed.CaseFact{}, scanCaseFact, "postgres: list case facts")
}

// ListRootCauses returns the root causes by name (byte order: the
// column's collation is "C"), then key.
func (q queries) ListRootCauses(ctx context.Context) ([]heed.RootCause, error) {
	return queryList(ctx, q.db, `SELECT key, name, active FROM root_causes ORDER BY name, key COLLATE "C"`, nil,
		[]heed.RootCause{}, func(sc sqlstore.Scanner) (heed.RootCause, error) {
			var rc heed.RootCause
			err := sc.Scan(&rc.Key, &rc.Name, &rc.Active)
			return rc, err
		}, "postgres: list root causes")
}

// UpsertRootCause adds the root cause with rc.Key, or renames and
// (de)activates it.
func (q queries) UpsertRootCause(ctx context.Context, rc heed.RootCause, now time.Time) error {
	if err := sqlstore.CheckRootCause(rc); err != nil {
		return err
	}
	_, err := q.db.Exec(ctx, `INSERT INTO root_causes (key, name, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) ON CONFLICT (key) DO UPDATE SET name = excluded.name, active = excluded.active,
		updated_at = excluded.updated_at`, rc.Key, rc.Name, rc.Active, utc(now))
	return heed.Internal(err, "postgres: upsert root cause")
}

func scanPreventiveAction(sc sqlstore.Scanner) (heed.PreventiveAction, error) {
	var a heed.PreventiveAction
	var status string
	err := sc.Scan(&a.ID, &a.Title, &a.Description, &a.OwnerID, &a.Owner, &a.Due, &status,
		&a.Cases, &a.Customers, &a.Verified, &a.Recovered, &a.CreatedAt, &a.UpdatedAt)
	a.Status, a.Due = heed.ActionStatus(status), utcPtr(a.Due)
	a.CreatedAt, a.UpdatedAt = utc(a.CreatedAt), utc(a.UpdatedAt)
	return a, err
}

// CreatePreventiveAction inserts a and returns it as stored.
func (q queries) CreatePreventiveAction(ctx context.Context, a heed.PreventiveAction, now time.Time) (heed.PreventiveAction, error) {
	a, err := sqlstore.CheckPreventiveAction(a)
	if err != nil {
		return heed.PreventiveAction{}, err
	}
	var id int64
	err = q.db.QueryRow(ctx, `INSERT INTO preventive_actions (title, description, owner_id, due, status,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		a.Title, a.Description, nullIfZero(a.OwnerID), utcPtr(a.Due), string(a.Status), utc(now)).Scan(&id)
	if missingReference(err) {
		return heed.PreventiveAction{}, sqlstore.ActionOwnerNotFound(a.OwnerID)
	}
	if err != nil {
		return heed.PreventiveAction{}, heed.Internal(err, "postgres: create preventive action")
	}
	return q.GetPreventiveAction(ctx, id)
}

// UpdatePreventiveAction rewrites the action with a.ID.
func (q queries) UpdatePreventiveAction(ctx context.Context, a heed.PreventiveAction, now time.Time) (heed.PreventiveAction, error) {
	a, err := sqlstore.CheckPreventiveAction(a)
	if err != nil {
		return heed.PreventiveAction{}, err
	}
	tag, err := q.db.Exec(ctx, `UPDATE preventive_actions SET title = $1, description = $2, owner_id = $3,
		due = $4, status = $5, updated_at = $6 WHERE id = $7`,
		a.Title, a.Description, nullIfZero(a.OwnerID), utcPtr(a.Due), string(a.Status), utc(now), a.ID)
	if missingReference(err) {
		return heed.PreventiveAction{}, sqlstore.ActionOwnerNotFound(a.OwnerID)
	}
	if err := rowTouched(tag, err, sqlstore.PreventiveActionNotFound(), "postgres: update preventive action"); err != nil {
		return heed.PreventiveAction{}, err
	}
	return q.GetPreventiveAction(ctx, a.ID)
}

// GetPreventiveAction returns the action with id and its counts.
func (q queries) GetPreventiveAction(ctx context.Context, id int64) (heed.PreventiveAction, error) {
	a, err := scanPreventiveAction(q.db.QueryRow(ctx, sqlstore.PreventiveActionSelect+` WHERE a.id = $1`, id))
	return a, rowErr(err, sqlstore.PreventiveActionNotFound(), "postgres: get preventive action")
}

// ListPreventiveActions returns every action with its counts, newest
// first.
func (q queries) ListPreventiveActions(ctx context.Context) ([]heed.PreventiveAction, error) {
	return queryList(ctx, q.db, sqlstore.PreventiveActionSelect+` ORDER BY a.id DESC`, nil,
		[]heed.PreventiveAction{}, scanPreventiveAction, "postgres: list preventive actions")
}
