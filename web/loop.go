package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
)

// loopPages are the templates of the closing-the-loop pages: the inbox,
// the cases, the daily digest and the loop's settings.
var loopPages = []string{"inbox", "case", "cases", "rules", "rule", "webhooks", "webhook", "rootcauses", "actions", "action", "digest"}

// stageLabel names a stage as people say it.
func stageLabel(s heed.Stage) string {
	switch s {
	case heed.StageReported:
		return "Reported"
	case heed.StageInvestigating:
		return "Investigating"
	case heed.StageCorrectiveAction:
		return "Corrective action"
	case heed.StageFollowUp:
		return "Follow-up"
	case heed.StageRootCause:
		return "Root cause"
	case heed.StagePreventiveAction:
		return "Preventive action"
	case heed.StageFollowUp2:
		return "Second follow-up"
	case heed.StageVerification:
		return "Verification"
	case heed.StageClosed:
		return "Closed"
	}
	return string(s)
}

func outcomeLabel(o heed.CallOutcome) string {
	switch o {
	case heed.CallReached:
		return "reached"
	case heed.CallNoAnswer:
		return "no answer"
	case heed.CallCallBackLate:
		return "call back later"
	}
	return string(o)
}

// kindName names a kind of customer.
func kindName(k heed.CustomerKind) string {
	switch k {
	case heed.KindLost:
		return "Lost"
	case heed.KindGeek:
		return "Geek"
	case heed.KindEmpathizer:
		return "Empathizer"
	case heed.KindRegular:
		return "Regular"
	}
	return "Not set"
}

// pct writes a share in percent, "—" when there is nothing to share.
func pct(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p, 'f', 0, 64) + "%"
}

// categoryTone is how a score of a category (metrics.Category) reads:
// a promoter's is good, a detractor's bad, anything else in between.
func categoryTone(category string) string {
	switch category {
	case metrics.Promoter:
		return "good"
	case metrics.Detractor:
		return "bad"
	}
	return "mid"
}

// ago says how long ago t was, roughly: "5 min ago", "2 d ago".
func ago(now, t time.Time) string {
	if now.Sub(t) < time.Minute {
		return "just now"
	}
	return span(now.Sub(t)) + " ago"
}

func span(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d d", int(d.Hours()/24))
}

// dueText says when a due time is, from now: "in 5 h" or "5 h late".
func dueText(now, due time.Time) string {
	if due.After(now) {
		return "in " + span(due.Sub(now))
	}
	return span(now.Sub(due)) + " late"
}

// nextDue is the service level a case must meet next: the first contact
// until there was one, then the resolution.
func nextDue(c heed.Case) (time.Time, string) {
	if c.FirstContactAt == nil {
		return c.FirstContactDue, "first contact"
	}
	return c.ResolveDue, "resolution"
}

// pathID reads a numeric id of the path; a malformed one is not found.
func pathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, heed.Errorf(heed.ENotFound, "no %s %q", what, r.PathValue(name))
	}
	return id, nil
}

// fieldStatus is formStatus for the loop's forms, which name other
// things — an employee, a unit, a webhook — that may not exist: such a
// "not found" is about a field of the form (400), not about the page.
func fieldStatus(err error) (int, bool) {
	if heed.ErrorCode(err) == heed.ENotFound && heed.ErrorField(err) != "" {
		return http.StatusBadRequest, true
	}
	return formStatus(err)
}

// has is for the templates: whether list holds s.
func has(list []string, s string) bool { return slices.Contains(list, s) }
