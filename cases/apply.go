package cases

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/metrics"
	"github.com/heedhq/heed/survey"
)

var _ survey.ResponseHook = (*Service)(nil).OnResponse

// OnResponse is the survey service's response hook: it runs in the
// transaction that stores a response, so whatever it decides — a case, an
// email, a webhook delivery, a tag — is written with the response or not
// at all, and happens once per response however many processes run.
//
// A new response (old is nil) is announced (response.created), checked
// against an open case's verification re-survey, and put through the
// active rules in order.
//
// A changed answer (old is what it was) matters because the respondent's
// page stores the score first and the reason later, and a respondent may
// go back and correct the score: the verification score follows it; the
// case this response opened, while nobody has worked it yet, takes the
// new score, category and title, and otherwise the customer's open case
// notes the change; and the rules that match the new answer but did not
// match the old one fire (a "words" rule when the comment arrives, a
// detractor rule when a 9 becomes a 2). Rules that matched before do not
// fire again: rules fire once per response.
//
// Answers older than Config.Backfill (an import of history) fire no
// rules.
func (s *Service) OnResponse(ctx context.Context, q heed.Queries, r heed.Response, old *heed.Response, now time.Time) error {
	if old != nil && old.Score == r.Score && old.Comment == r.Comment {
		// Only extra answers or the language changed (or the page posted
		// the same score twice): nothing a rule, a case or a verification
		// looks at. Returned before any read, as this runs in every
		// response's transaction.
		return nil
	}
	c := newLookups()
	fx, err := factsOf(ctx, q, r, c, true)
	if err != nil {
		return err
	}
	f := s.newFiring(q, fx, now)
	if old == nil || old.Score != r.Score {
		if err := s.verify(ctx, q, fx, f.hooks, now); err != nil {
			return err
		}
	}
	fresh := now.Sub(r.CreatedAt) <= s.cfg.Backfill
	var before *facts // the old answer's facts; nil for a new response
	if old == nil {
		if err := f.emit(ctx, heed.EventResponseCreated, 0, map[string]any{"response": fx.r}); err != nil {
			return err
		}
	} else {
		ofx := fx // the same survey, customer and unit: only the answer changed
		ofx.r, ofx.r.Survey = *old, fx.r.Survey
		ofx.category, ofx.comment = metrics.Category(fx.kind, old.Score), heed.Fold(old.Comment)
		before = &ofx
		if err := f.changed(ctx, *old, fresh); err != nil {
			return err
		}
	}
	if !fresh {
		return nil
	}
	return f.fire(ctx, c, before)
}

// fire does the actions of the active rules that match the response, in
// order; of a changed answer, only of those that did not match it as it
// was before.
func (f *firing) fire(ctx context.Context, c *lookups, before *facts) error {
	rules, err := f.q.ListRules(ctx)
	if err != nil {
		return err
	}
	for _, rule := range rules {
		if !rule.Active {
			continue
		}
		unitPath, err := c.keyPath(ctx, f.q, rule.When.Unit)
		if err != nil {
			return err
		}
		if !matches(rule.When, f.fx, unitPath) || (before != nil && matches(rule.When, *before, unitPath)) {
			continue
		}
		for _, a := range rule.Then {
			if err := f.act(ctx, rule, a); err != nil {
				return fmt.Errorf("cases: rule %s, action %s: %w", rule.Key, a.Kind, err)
			}
		}
	}
	return nil
}

// changed tells the customer's open case that they changed their answer
// from old. The case this response opened, while nobody has worked it
// (still reported, nothing on its timeline but the system's), is
// refreshed to the new score, category and title — a score corrected
// from 3 to 9 leaves a promoter's case open, noted, for its owner to
// close: a case is never closed behind its owner's back. Any other open
// case gets a note, unless the answer is history (not fresh). The case
// then serves the rules that fire for the change, so a detractor rule
// adds no second note.
func (f *firing) changed(ctx context.Context, old heed.Response, fresh bool) error {
	r := f.fx.r
	if r.CustomerID == 0 {
		return nil
	}
	open, err := f.q.FindOpenCase(ctx, r.CustomerID)
	if heed.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	ev := heed.CaseEvent{CaseID: open.ID, Kind: heed.EventFeedback, Actor: "system", ResponseID: r.ID, At: f.now,
		Note: changeNote(old, r)}
	mine, err := f.untouched(ctx, open)
	switch {
	case err != nil:
		return err
	case mine:
		score := r.Score
		open.ScoreBefore, open.CategoryBefore, open.Title = &score, f.fx.category, title(f.fx)
		if open, err = f.q.UpdateCase(ctx, open, ev, f.now); err != nil {
			return err
		}
	case !fresh:
		return nil
	default:
		if _, err := f.q.AddCaseEvent(ctx, ev); err != nil {
			return err
		}
	}
	f.kase = &open
	return f.emit(ctx, heed.EventCaseUpdated, open.ID, caseData(open, &f.fx.r))
}

// untouched reports whether c was opened by this firing's response and
// nobody has worked it yet: at reported, with only the system's opening
// and feedback notes on its timeline.
func (f *firing) untouched(ctx context.Context, c heed.Case) (bool, error) {
	if c.ResponseID != f.fx.r.ID || c.Stage != heed.StageReported {
		return false, nil
	}
	evs, err := f.q.ListCaseEvents(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, e := range evs {
		if e.Actor != "system" || (e.Kind != heed.EventOpened && e.Kind != heed.EventFeedback) {
			return false, nil
		}
	}
	return true, nil
}

// changeNote says how an answer changed: "the customer changed their
// answer from 3 to 9", or what they wrote when only the comment changed.
func changeNote(old, r heed.Response) string {
	comment := oneLine(r.Comment, 200)
	switch {
	case old.Score != r.Score && comment != "" && old.Comment != r.Comment:
		return fmt.Sprintf("the customer changed their answer from %d to %d: “%s”", old.Score, r.Score, comment)
	case old.Score != r.Score:
		return fmt.Sprintf("the customer changed their answer from %d to %d", old.Score, r.Score)
	case comment == "":
		return "the customer removed their comment"
	}
	return fmt.Sprintf("the customer commented on their %d: “%s”", r.Score, comment)
}

// webhookList is the webhooks as read once for everything one response
// emits: the hook runs in every response's transaction, and a response
// that opens a case emits two or three events.
type webhookList struct {
	ws   []heed.Webhook
	read bool
}

// emitOnce queues a webhook event against l, read on first use.
func (s *Service) emitOnce(ctx context.Context, q heed.Queries, l *webhookList, event string, caseID int64, data any, now time.Time) error {
	if s.webhooks == nil {
		return nil
	}
	if !l.read {
		ws, err := q.ListWebhooks(ctx)
		if err != nil {
			return err
		}
		l.ws, l.read = ws, true
	}
	return s.webhooks.EmitAmong(ctx, q, l.ws, event, caseID, data, now)
}

// firing is one response going through the rules: what earlier actions
// found (the owner, the case) serves the later ones.
type firing struct {
	s       *Service
	q       heed.Queries
	fx      facts
	now     time.Time
	routed  bool
	owner   heed.Employee
	owned   bool
	kase    *heed.Case
	emailed map[string]bool // kind and recipient: one email each, whatever the rules say
	hooks   *webhookList
}

func (s *Service) newFiring(q heed.Queries, fx facts, now time.Time) *firing {
	return &firing{s: s, q: q, fx: fx, now: now, emailed: map[string]bool{}, hooks: &webhookList{}}
}

func (f *firing) emit(ctx context.Context, event string, caseID int64, data any) error {
	return f.s.emitOnce(ctx, f.q, f.hooks, event, caseID, data, f.now)
}

func (f *firing) act(ctx context.Context, rule heed.Rule, a heed.RuleAction) error {
	switch a.Kind {
	case heed.ActionOpenCase:
		return f.openCase(ctx, rule)
	case heed.ActionNotifyOwner:
		if err := f.route(ctx); err != nil || !f.owned {
			return err
		}
		return f.email(ctx, emailAlert, f.owner.ID, 0)
	case heed.ActionNotifyManagers:
		return f.notifyManagers(ctx, a.Levels)
	case heed.ActionWebhook:
		if f.s.webhooks == nil {
			return nil
		}
		data := map[string]any{"response": f.fx.r, "rule": rule.Key}
		if f.fx.item != nil {
			data = map[string]any{"feedback": *f.fx.item, "rule": rule.Key}
		}
		var caseID int64
		if f.kase != nil {
			data["case"], caseID = *f.kase, f.kase.ID
		}
		return f.s.webhooks.EmitTo(ctx, f.q, a.Webhook, heed.EventResponseMatched, caseID, data, f.now)
	case heed.ActionTag:
		if f.fx.item != nil {
			return nil // tags are on survey answers
		}
		return f.q.TagResponse(ctx, f.fx.r.ID, a.Tag, f.now)
	case heed.ActionAdvocacy:
		cust := f.fx.customer
		if f.fx.item != nil || cust == nil || !cust.Consent || cust.Email == "" || f.emailed["advocacy"] {
			return nil
		}
		f.emailed["advocacy"] = true
		_, err := jobs.Enqueue(ctx, f.q, EmailJob, emailPayload{Kind: emailAdvocacy, Customer: cust.ExternalID,
			Response: f.fx.r.ID, URL: a.URL}, f.now)
		return err
	}
	return nil
}

// route finds the owner once.
func (f *firing) route(ctx context.Context) error {
	if f.routed {
		return nil
	}
	f.routed = true
	var c heed.Customer
	if f.fx.customer != nil {
		c = *f.fx.customer
	}
	var err error
	f.owner, f.owned, err = Owner(ctx, f.q, c, f.fx.r.UnitID)
	return err
}

// email queues one email of kind to an employee, once per response.
func (f *firing) email(ctx context.Context, kind string, to int64, level int) error {
	key := fmt.Sprintf("%s:%d", kind, to)
	if f.emailed[key] {
		return nil
	}
	f.emailed[key] = true
	pl := emailPayload{Kind: kind, To: to, Response: f.fx.r.ID, Level: level}
	if f.fx.item != nil {
		pl.Item = f.fx.item.ID
	}
	if f.kase != nil {
		pl.Case = f.kase.ID
	}
	_, err := jobs.Enqueue(ctx, f.q, EmailJob, pl, f.now)
	return err
}

func (f *firing) notifyManagers(ctx context.Context, levels int) error {
	// Unowned means Owner walked the unit's chain up to the root and
	// found nobody responsible: there are no managers either.
	if err := f.route(ctx); err != nil || !f.owned {
		return err
	}
	mgrs, err := Managers(ctx, f.q, f.owner, f.fx.r.UnitID, levels)
	if err != nil {
		return err
	}
	for i, m := range mgrs {
		if err := f.email(ctx, emailManager, m.ID, i+1); err != nil {
			return err
		}
	}
	return nil
}

// openCase opens a case for the owner, or adds the response to the
// customer's open case: one customer, one open case. Anonymous answers
// open none (nobody could be called back).
func (f *firing) openCase(ctx context.Context, rule heed.Rule) error {
	cust := f.fx.customer
	if cust == nil || f.kase != nil {
		return nil
	}
	open, err := f.q.FindOpenCase(ctx, cust.ID)
	switch {
	case err == nil:
		f.kase = &open
		ev := heed.CaseEvent{CaseID: open.ID, Kind: heed.EventFeedback, Actor: "system", ResponseID: f.fx.r.ID,
			Note: fmt.Sprintf("answered %d on %s again while the case was open", f.fx.r.Score, f.fx.r.Survey), At: f.now}
		if f.fx.item != nil {
			ev.Note = "new feedback while the case was open: " + itemTitle(*f.fx.item, f.fx.category)
		}
		if _, err := f.q.AddCaseEvent(ctx, ev); err != nil {
			return err
		}
		return f.emit(ctx, heed.EventCaseUpdated, open.ID, f.caseData(open))
	case !heed.IsNotFound(err):
		return err
	}
	if err := f.route(ctx); err != nil {
		return err
	}
	c, err := f.newCase(ctx, rule)
	if err != nil {
		return err
	}
	ev := heed.CaseEvent{Kind: heed.EventOpened, Actor: "system", To: string(heed.StageReported),
		ResponseID: f.fx.r.ID, Note: "opened by rule " + rule.Key, At: f.now}
	if it := f.fx.item; it != nil {
		ev.Note += fmt.Sprintf(" (%s %s from %s)", it.Kind, it.ExternalID, it.Source)
	}
	if c, err = f.q.CreateCase(ctx, c, ev, f.now); err != nil {
		return err
	}
	c.Rule = rule.Key
	f.kase = &c
	if _, err := jobs.Enqueue(ctx, f.q, EscalateJob, escalatePayload{Case: c.ID, Level: 1}, f.now,
		jobs.RunAt(c.FirstContactDue)); err != nil {
		return err
	}
	return f.emit(ctx, heed.EventCaseOpened, c.ID, f.caseData(c))
}

// caseData is what a webhook says of a case this firing touched: the case
// and the answer or item that fired.
func (f *firing) caseData(c heed.Case) map[string]any {
	if f.fx.item != nil {
		return map[string]any{"case": c, "feedback": *f.fx.item}
	}
	return caseData(c, &f.fx.r)
}

// newCase is the case a response opens, with the service levels of the
// program that asked (the defaults when none did).
func (f *firing) newCase(ctx context.Context, rule heed.Rule) (heed.Case, error) {
	r := f.fx.r
	levels, err := serviceLevels(ctx, f.q, r.InvitationID)
	if err != nil {
		return heed.Case{}, err
	}
	c := heed.Case{
		CustomerID: r.CustomerID, Customer: r.Customer, UnitID: r.UnitID, RuleID: rule.ID,
		Stage: heed.StageReported, CategoryBefore: f.fx.category,
		FirstContactDue: f.now.Add(time.Duration(levels.FirstContactHours) * time.Hour),
		ResolveDue:      f.now.AddDate(0, 0, levels.ResolveDays),
	}
	if it := f.fx.item; it != nil {
		c.FeedbackID, c.ScoreBefore, c.Title = it.ID, it.Rating, itemTitle(*it, f.fx.category)
	} else {
		score := r.Score
		c.ResponseID, c.ProgramID, c.ScoreBefore, c.Title = r.ID, levels.ProgramID, &score, title(f.fx)
	}
	if f.owned {
		c.OwnerID = f.owner.ID
	}
	return c, nil
}

// title says in a line what the case is about (see Title).
func title(fx facts) string { return Title(fx.r, fx.category) }

// Title says in a line what the case a response opened is about, from
// the response and its score category: "Detractor: 3 on store-visit —
// “the queue was endless”".
func Title(r heed.Response, category string) string {
	cat := cmp.Or(category, "score")
	return withQuote(fmt.Sprintf("%s%s: %d on %s", strings.ToUpper(cat[:1]), cat[1:], r.Score, r.Survey), r.Comment)
}

// withQuote ends a case title with the start of the customer's words.
func withQuote(t, words string) string {
	if c := oneLine(words, 80); c != "" {
		t += " — “" + c + "”"
	}
	return t
}

// levels are the service levels a case gets.
type levels struct {
	ProgramID                                    int64
	FirstContactHours, ResolveDays, ResurveyDays int
}

// serviceLevels are those of the program whose invitation was answered,
// or the defaults.
func serviceLevels(ctx context.Context, q heed.Queries, invitationID int64) (levels, error) {
	var programID int64
	if invitationID != 0 {
		inv, err := q.GetInvitation(ctx, invitationID)
		if err != nil {
			return levels{}, err
		}
		programID = inv.ProgramID
	}
	return programLevels(ctx, q, programID)
}

// programLevels are the program's service levels, the defaults where it
// sets none (or for program 0).
func programLevels(ctx context.Context, q heed.Queries, programID int64) (levels, error) {
	l := levels{FirstContactHours: survey.DefaultFirstContactHours, ResolveDays: survey.DefaultResolveDays,
		ResurveyDays: survey.DefaultResurveyDays}
	if programID == 0 {
		return l, nil
	}
	p, err := q.GetProgramByID(ctx, programID)
	if err != nil {
		return l, err
	}
	l.ProgramID = p.ID
	if p.FirstContactHours > 0 {
		l.FirstContactHours = p.FirstContactHours
	}
	if p.ResolveDays > 0 {
		l.ResolveDays = p.ResolveDays
	}
	if p.ResurveyDays > 0 {
		l.ResurveyDays = p.ResurveyDays
	}
	return l, nil
}

// caseData is the data of a case event: the case and, when one caused
// the event, the response.
func caseData(c heed.Case, r *heed.Response) map[string]any {
	d := map[string]any{"case": c}
	if r != nil {
		d["response"] = *r
	}
	return d
}

// verify records the answer to a closed case's re-survey as the case's
// score after, which the recovery rate counts.
func (s *Service) verify(ctx context.Context, q heed.Queries, fx facts, hooks *webhookList, now time.Time) error {
	if fx.r.InvitationID == 0 {
		return nil
	}
	c, err := q.GetCaseByResurvey(ctx, fx.r.InvitationID)
	if heed.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	score := fx.r.Score
	c.ScoreAfter, c.CategoryAfter = &score, metrics.Category(fx.kind, score)
	ev := heed.CaseEvent{Kind: heed.EventFeedback, Actor: "system", ResponseID: fx.r.ID, At: now,
		Note: fmt.Sprintf("verification: the customer answered %d (%s); before it was %s", score, c.CategoryAfter, scoreText(c.ScoreBefore))}
	c, err = q.UpdateCase(ctx, c, ev, now)
	if err != nil {
		return err
	}
	return s.emitOnce(ctx, q, hooks, heed.EventCaseUpdated, c.ID, caseData(c, &fx.r), now)
}

func scoreText(p *int) string {
	if p == nil {
		return "unknown"
	}
	return fmt.Sprint(*p)
}
