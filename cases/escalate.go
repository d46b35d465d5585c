package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

type escalatePayload struct {
	Case  int64 `json:"case"`
	Level int   `json:"level"`
}

// MaxEscalation is how many levels above the owner a late case climbs.
const MaxEscalation = 2

// DefaultEscalateAfter is how long after one escalation the next level
// follows (Config.EscalateAfter).
const DefaultEscalateAfter = 24 * time.Hour

// Resume queues the jobs a case written outside the service — the demo's
// history, cases carried over from another tool — needs to go on as a
// case worked live would: while open and below MaxEscalation, its next
// escalation check (level 1 at its first-contact due time, the next
// DefaultEscalateAfter after the last); closed and not re-surveyed, its
// verification re-survey at ResurveyAt. Jobs already due run at once.
// Call it in the transaction that writes the case.
func Resume(ctx context.Context, q heed.Queries, c heed.Case, now time.Time) error {
	switch {
	case c.Open() && c.EscalationLevel < MaxEscalation:
		at := c.FirstContactDue
		if c.EscalationLevel > 0 && c.EscalatedAt != nil {
			at = c.EscalatedAt.Add(DefaultEscalateAfter)
		}
		_, err := jobs.Enqueue(ctx, q, EscalateJob, escalatePayload{Case: c.ID, Level: c.EscalationLevel + 1}, now, jobs.RunAt(at))
		return err
	case !c.Open() && c.ClosedAt != nil && c.ResurveyAt != nil && c.ResurveyInvitationID == 0:
		_, err := jobs.Enqueue(ctx, q, ResurveyJob, resurveyPayload{Case: c.ID, ClosedAt: *c.ClosedAt}, now, jobs.RunAt(*c.ResurveyAt))
		return err
	}
	return nil
}

// Escalate is the handler of EscalateJob, queued when a case opens to run
// at its first-contact due time. A case still late then goes to the
// owner's manager (level 1) and, EscalateAfter later and still late, to
// the next manager up (level 2); each is emailed and case.escalated is
// sent. A case contacted in time is looked at again when its resolution
// is due. Closed cases, and levels already reached, end the chain: the
// job is safe to run twice.
func (s *Service) Escalate(ctx context.Context, job heed.Job) error {
	var pl escalatePayload
	if err := json.Unmarshal(job.Payload, &pl); err != nil {
		return jobs.Stop(fmt.Errorf("%s: bad payload: %w", EscalateJob, err))
	}
	return s.store.InTx(ctx, func(q heed.Queries) error {
		c, err := q.GetCase(ctx, heed.Scope{All: true}, pl.Case)
		if heed.IsNotFound(err) || (err == nil && (!c.Open() || c.EscalationLevel >= pl.Level)) {
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now()
		if !c.Late(now) {
			// Contacted in time: the next deadline is the resolution.
			if c.ResolveDue.After(now) {
				_, err = jobs.Enqueue(ctx, q, EscalateJob, pl, now, jobs.RunAt(c.ResolveDue))
			}
			return err
		}
		return s.escalate(ctx, q, c, pl.Level, now)
	})
}

func (s *Service) escalate(ctx context.Context, q heed.Queries, c heed.Case, level int, now time.Time) error {
	chain, err := s.escalationChain(ctx, q, c)
	if err != nil {
		return err
	}
	if len(chain) == 0 {
		s.log.Warn("cases: a late case has nobody to escalate to", "case", c.ID, "unit", c.Unit)
		return nil
	}
	if level > len(chain) {
		// Nobody is higher up: the manager of the last level has it
		// already, and a second email to them would say nothing new.
		s.log.Info("cases: a late case has nobody further up to escalate to", "case", c.ID, "level", level,
			"escalated_to", c.EscalatedTo)
		return nil
	}
	to := chain[level-1]
	what := "no first contact by " + c.FirstContactDue.UTC().Format(time.RFC3339)
	if c.FirstContactAt != nil {
		what = "not resolved by " + c.ResolveDue.UTC().Format(time.RFC3339)
	}
	c.EscalationLevel, c.EscalatedToID, c.EscalatedAt = level, to.ID, &now
	ev := heed.CaseEvent{Kind: heed.EventEscalated, Actor: "system", From: c.Owner, To: to.Email, At: now,
		Note: fmt.Sprintf("level %d: %s", level, what)}
	if c, err = q.UpdateCase(ctx, c, ev, now); err != nil {
		return err
	}
	pl := emailPayload{Kind: emailEscalation, To: to.ID, Case: c.ID, Response: c.ResponseID, Level: level, Note: what}
	if _, err := jobs.Enqueue(ctx, q, EmailJob, pl, now); err != nil {
		return err
	}
	if level < MaxEscalation {
		next := escalatePayload{Case: c.ID, Level: level + 1}
		if _, err := jobs.Enqueue(ctx, q, EscalateJob, next, now, jobs.RunAt(now.Add(s.cfg.EscalateAfter))); err != nil {
			return err
		}
	}
	return s.emit(ctx, q, heed.EventCaseEscalated, c.ID, caseData(c, nil), now)
}

// escalationChain is who a case climbs to: the managers above its owner,
// or above its unit when nobody owns it.
func (s *Service) escalationChain(ctx context.Context, q heed.Queries, c heed.Case) ([]heed.Employee, error) {
	if c.OwnerID == 0 {
		return responsibleChain(ctx, q, c.UnitID, 0, MaxEscalation)
	}
	owner, err := q.GetEmployeeByID(ctx, c.OwnerID)
	if err != nil {
		return nil, err
	}
	return Managers(ctx, q, owner, c.UnitID, MaxEscalation)
}
