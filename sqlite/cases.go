package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// microsArg is how sqlstore's shared statements take a time here.
func microsArg(t time.Time) any { return micros(t) }

func scanCase(sc sqlstore.Scanner) (heed.Case, error) {
	var c heed.Case
	var stage, kind, respType string
	var firstDue, resolveDue, created, updated int64
	var firstAt, closedAt, escalatedAt, resurveyAt sql.NullInt64
	err := sc.Scan(&c.ID, &c.CustomerID, &c.Customer, &c.CustomerName, &c.UnitID, &c.Unit, &c.UnitPath,
		&c.OwnerID, &c.Owner, &c.OwnerName, &c.ResponseID, &c.FeedbackID, &c.RuleID, &c.Rule, &c.ProgramID, &c.Title, &stage,
		&c.ScoreBefore, &c.CategoryBefore, &c.ScoreAfter, &c.CategoryAfter, &kind, &respType, &c.RootCause,
		&c.PreventiveActionID, &firstDue, &resolveDue, &firstAt, &closedAt,
		&c.EscalationLevel, &c.EscalatedToID, &c.EscalatedTo, &escalatedAt, &resurveyAt,
		&c.ResurveyInvitationID, &c.Version, &created, &updated)
	if err != nil {
		return heed.Case{}, err
	}
	c.Stage, c.CustomerKind, c.ResponseType = heed.Stage(stage), heed.CustomerKind(kind), heed.ResponseType(respType)
	c.FirstContactDue, c.ResolveDue = fromMicros(firstDue), fromMicros(resolveDue)
	c.FirstContactAt, c.ClosedAt = nullMicros(firstAt), nullMicros(closedAt)
	c.EscalatedAt, c.ResurveyAt = nullMicros(escalatedAt), nullMicros(resurveyAt)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
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
		err := q.w.QueryRowContext(ctx, sqlstore.InsertCaseSQL(c, now, args, microsArg), args.Values()...).Scan(&c.ID)
		if missingReference(err) {
			return sqlstore.CaseReferenceMissing()
		}
		if err != nil {
			return heed.Internal(err, "sqlite: create case")
		}
		ev.CaseID = c.ID
		if _, err := q.insertCaseEvent(ctx, ev, data); err != nil {
			return err
		}
		out, err = q.getCaseOn(ctx, q.w, heed.Scope{All: true}, `c.id = ?`, c.ID)
		return err
	})
	return out, err
}

// UpdateCase rewrites c if its version is still c.Version, and appends ev
// unless its Kind is "", in one transaction.
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
		res, err := q.w.ExecContext(ctx, sqlstore.UpdateCaseSQL(c, now, args, microsArg), args.Values()...)
		if missingReference(err) {
			return sqlstore.CaseReferenceMissing()
		}
		if err != nil {
			return heed.Internal(err, "sqlite: update case")
		}
		n, err := res.RowsAffected()
		if err != nil {
			return heed.Internal(err, "sqlite: update case")
		}
		if n == 0 {
			var exists bool
			err := q.w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?)`, c.ID).Scan(&exists)
			if err != nil {
				return heed.Internal(err, "sqlite: find case")
			}
			return sqlstore.CaseNotUpdated(exists)
		}
		if ev.Kind != "" {
			ev.CaseID = c.ID
			if _, err := q.insertCaseEvent(ctx, ev, data); err != nil {
				return err
			}
		}
		out, err = q.getCaseOn(ctx, q.w, heed.Scope{All: true}, `c.id = ?`, c.ID)
		return err
	})
	return out, err
}

// GetCase returns the case with id if scope sees it.
func (q queries) GetCase(ctx context.Context, scope heed.Scope, id int64) (heed.Case, error) {
	return q.getCaseOn(ctx, q.r, scope, `c.id = ?`, id)
}

// FindOpenCase returns the customer's newest open case. Inside InTx it
// needs no lock to hold the customer until commit: the transaction is
// IMMEDIATE, so no other writer runs until it ends.
func (q queries) FindOpenCase(ctx context.Context, customerID int64) (heed.Case, error) {
	return q.getCaseOn(ctx, q.r, heed.Scope{All: true}, `c.customer_id = ? AND `+sqlstore.CaseOpen("c"), customerID)
}

// GetCaseByResurvey returns the case the invitation re-surveys.
func (q queries) GetCaseByResurvey(ctx context.Context, invitationID int64) (heed.Case, error) {
	return q.getCaseOn(ctx, q.r, heed.Scope{All: true}, `c.resurvey_invitation_id = ?`, invitationID)
}

// getCaseOn reads the newest case matching where (over c, with vals) if
// scope sees it, on db.
func (q queries) getCaseOn(ctx context.Context, db querier, scope heed.Scope, where string, vals ...any) (heed.Case, error) {
	args := newArgs()
	for _, v := range vals {
		args.Add(v)
	}
	stmt := sqlstore.CaseSelect + ` WHERE ` + where + ` AND ` + sqlstore.ScopeWhere(scope, args, sqlstore.CaseScope()) +
		` ORDER BY c.id DESC LIMIT 1`
	c, err := scanCase(db.QueryRowContext(ctx, stmt, args.Values()...))
	return c, rowErr(err, sqlstore.CaseNotFound(), "sqlite: get case")
}

// ListCases returns one page of the cases inside scope, newest first.
func (q queries) ListCases(ctx context.Context, scope heed.Scope, f heed.CaseFilter) ([]heed.Case, error) {
	limit, err := sqlstore.PageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	args := newArgs()
	where, err := sqlstore.CaseWhere(ctx, scope, f, args, q.unitPath, microsArg)
	if err != nil {
		return nil, err
	}
	stmt := sqlstore.CaseSelect + ` WHERE ` + where + ` ORDER BY c.id DESC LIMIT ` + args.Add(limit)
	return queryList(ctx, q.r, stmt, args.Values(), []heed.Case{}, scanCase, "sqlite: list cases")
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
	err := q.w.QueryRowContext(ctx, sqlstore.InsertCaseEventSQL(ev, data, args, microsArg), args.Values()...).Scan(&id)
	if missingReference(err) {
		return 0, sqlstore.CaseNotFound()
	}
	return id, heed.Internal(err, "sqlite: add case event")
}

func scanCaseEvent(sc sqlstore.Scanner) (heed.CaseEvent, error) {
	var ev heed.CaseEvent
	var kind, outcome, data string
	var at int64
	err := sc.Scan(&ev.ID, &ev.CaseID, &kind, &ev.Actor, &ev.From, &ev.To, &outcome, &ev.ResponseID, &ev.Note,
		&data, &at)
	ev.Kind, ev.Outcome, ev.Data, ev.At = heed.CaseEventKind(kind), heed.CallOutcome(outcome),
		sqlstore.DecodeCaseEventData(data), fromMicros(at)
	return ev, err
}

// ListCaseEvents returns a case's timeline, oldest first; ENotFound when
// there is no such case (every case has at least its opening event).
func (q queries) ListCaseEvents(ctx context.Context, caseID int64) ([]heed.CaseEvent, error) {
	evs, err := queryList(ctx, q.r, sqlstore.CaseEventSelect+` WHERE case_id = ? ORDER BY id`, []any{caseID},
		[]heed.CaseEvent{}, scanCaseEvent, "sqlite: list case events")
	if err != nil || len(evs) > 0 {
		return evs, err
	}
	var one int
	err = q.r.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE id = ?`, caseID).Scan(&one)
	return evs, rowErr(err, sqlstore.CaseNotFound(), "sqlite: find case")
}

func scanCaseFact(sc sqlstore.Scanner) (heed.CaseFact, error) {
	var f heed.CaseFact
	var stage string
	var created, firstDue, resolveDue int64
	var firstAt, closedAt sql.NullInt64
	err := sc.Scan(&f.ID, &f.UnitID, &f.CustomerID, &stage, &f.CategoryBefore, &f.CategoryAfter, &created,
		&firstDue, &firstAt, &closedAt, &resolveDue, &f.EscalationLevel)
	f.Stage, f.CreatedAt = heed.Stage(stage), fromMicros(created)
	f.FirstContactDue, f.ResolveDue = fromMicros(firstDue), fromMicros(resolveDue)
	f.FirstContactAt, f.ClosedAt = nullMicros(firstAt), nullMicros(closedAt)
	return f, err
}

// ListCaseFacts returns the facts of the cases inside scope that f
// selects, by id.
func (q queries) ListCaseFacts(ctx context.Context, scope heed.Scope, f heed.CaseFactFilter) ([]heed.CaseFact, error) {
	args := newArgs()
	stmt := sqlstore.CaseFactsSQL(scope, f, args, microsArg)
	return queryList(ctx, q.r, stmt, args.Values(), []heed.CaseFact{}, scanCaseFact, "sqlite: list case facts")
}

// ListRootCauses returns the root causes by name (byte order), then key.
func (q queries) ListRootCauses(ctx context.Context) ([]heed.RootCause, error) {
	return queryList(ctx, q.r, `SELECT key, name, active FROM root_causes ORDER BY name, key`, nil,
		[]heed.RootCause{}, func(sc sqlstore.Scanner) (heed.RootCause, error) {
			var rc heed.RootCause
			err := sc.Scan(&rc.Key, &rc.Name, &rc.Active)
			return rc, err
		}, "sqlite: list root causes")
}

// UpsertRootCause adds the root cause with rc.Key, or renames and
// (de)activates it.
func (q queries) UpsertRootCause(ctx context.Context, rc heed.RootCause, now time.Time) error {
	if err := sqlstore.CheckRootCause(rc); err != nil {
		return err
	}
	_, err := q.w.ExecContext(ctx, `INSERT INTO root_causes (key, name, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name, active = excluded.active,
		updated_at = excluded.updated_at`, rc.Key, rc.Name, rc.Active, micros(now), micros(now))
	return heed.Internal(err, "sqlite: upsert root cause")
}

func scanPreventiveAction(sc sqlstore.Scanner) (heed.PreventiveAction, error) {
	var a heed.PreventiveAction
	var status string
	var due sql.NullInt64
	var created, updated int64
	err := sc.Scan(&a.ID, &a.Title, &a.Description, &a.OwnerID, &a.Owner, &due, &status,
		&a.Cases, &a.Customers, &a.Verified, &a.Recovered, &created, &updated)
	a.Status, a.Due = heed.ActionStatus(status), nullMicros(due)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return a, err
}

// CreatePreventiveAction inserts a and returns it as stored.
func (q queries) CreatePreventiveAction(ctx context.Context, a heed.PreventiveAction, now time.Time) (heed.PreventiveAction, error) {
	a, err := sqlstore.CheckPreventiveAction(a)
	if err != nil {
		return heed.PreventiveAction{}, err
	}
	var id int64
	err = q.w.QueryRowContext(ctx, `INSERT INTO preventive_actions (title, description, owner_id, due, status,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Title, a.Description, sqlstore.NullID(a.OwnerID), sqlstore.NullTime(a.Due, microsArg), string(a.Status),
		micros(now), micros(now)).Scan(&id)
	if missingReference(err) {
		return heed.PreventiveAction{}, sqlstore.ActionOwnerNotFound(a.OwnerID)
	}
	if err != nil {
		return heed.PreventiveAction{}, heed.Internal(err, "sqlite: create preventive action")
	}
	return q.GetPreventiveAction(ctx, id)
}

// UpdatePreventiveAction rewrites the action with a.ID.
func (q queries) UpdatePreventiveAction(ctx context.Context, a heed.PreventiveAction, now time.Time) (heed.PreventiveAction, error) {
	a, err := sqlstore.CheckPreventiveAction(a)
	if err != nil {
		return heed.PreventiveAction{}, err
	}
	res, err := q.w.ExecContext(ctx, `UPDATE preventive_actions SET title = ?, description = ?, owner_id = ?,
		due = ?, status = ?, updated_at = ? WHERE id = ?`,
		a.Title, a.Description, sqlstore.NullID(a.OwnerID), sqlstore.NullTime(a.Due, microsArg), string(a.Status),
		micros(now), a.ID)
	if missingReference(err) {
		return heed.PreventiveAction{}, sqlstore.ActionOwnerNotFound(a.OwnerID)
	}
	if err := rowTouched(res, err, sqlstore.PreventiveActionNotFound(), "sqlite: update preventive action"); err != nil {
		return heed.PreventiveAction{}, err
	}
	return q.GetPreventiveAction(ctx, a.ID)
}

// GetPreventiveAction returns the action with id and its counts. Inside
// InTx q.r is the transaction, so it sees the caller's own writes.
func (q queries) GetPreventiveAction(ctx context.Context, id int64) (heed.PreventiveAction, error) {
	a, err := scanPreventiveAction(q.r.QueryRowContext(ctx, sqlstore.PreventiveActionSelect+` WHERE a.id = ?`, id))
	return a, rowErr(err, sqlstore.PreventiveActionNotFound(), "sqlite: get preventive action")
}

// ListPreventiveActions returns every action with its counts, newest
// first.
func (q queries) ListPreventiveActions(ctx context.Context) ([]heed.PreventiveAction, error) {
	return queryList(ctx, q.r, sqlstore.PreventiveActionSelect+` ORDER BY a.id DESC`, nil,
		[]heed.PreventiveAction{}, scanPreventiveAction, "sqlite: list preventive actions")
}
