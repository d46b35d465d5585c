package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

type resurveyPayload struct {
	Case     int64     `json:"case"`
	ClosedAt time.Time `json:"closed_at"` // the closing that queued it: a reopened and re-closed case has a newer one
}

// Resurvey is the handler of ResurveyJob, queued when a case closes to run
// ResurveyDays later: it invites the customer to the survey they answered,
// bypassing the fatigue rules (this once, for this purpose), and links the
// invitation to the case so the answer becomes its score after. A case
// reopened meanwhile, or re-surveyed already, gets nothing.
func (s *Service) Resurvey(ctx context.Context, job heed.Job) error {
	var pl resurveyPayload
	if err := json.Unmarshal(job.Payload, &pl); err != nil {
		return jobs.Stop(fmt.Errorf("%s: bad payload: %w", ResurveyJob, err))
	}
	return s.store.InTx(ctx, func(q heed.Queries) error {
		c, err := q.GetCase(ctx, heed.Scope{All: true}, pl.Case)
		if heed.IsNotFound(err) {
			return nil
		}
		if err != nil || c.Open() || c.ResurveyInvitationID != 0 || c.ClosedAt == nil ||
			!c.ClosedAt.Truncate(time.Microsecond).Equal(pl.ClosedAt.Truncate(time.Microsecond)) {
			return err
		}
		if c.ResponseID == 0 {
			return nil
		}
		r, err := q.GetResponse(ctx, heed.Scope{All: true}, c.ResponseID)
		if err != nil {
			return err
		}
		now := s.now()
		inv, skipped, err := s.surveys.InviteIn(ctx, q, r.SurveyID, c.Customer, now)
		if err != nil {
			return err
		}
		ev := heed.CaseEvent{CaseID: c.ID, Kind: heed.EventNote, Actor: "system", At: now}
		if skipped != "" {
			ev.Note = "verification re-survey not sent: " + skipped
			_, err = q.AddCaseEvent(ctx, ev)
			return err
		}
		c.ResurveyInvitationID = inv.ID
		ev.Note = fmt.Sprintf("verification re-survey sent (invitation %d)", inv.ID)
		_, err = q.UpdateCase(ctx, c, ev, now)
		return err
	})
}
