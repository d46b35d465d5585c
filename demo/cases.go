package demo

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/metrics"
	"github.com/heedhq/heed/survey"
)

// The closed loop on a fresh demo: the detractors of the last months
// have cases, as the detractor-case rule would have opened them, worked
// by the employees the routing rule names. The recent ones are open in
// every stage, the older ones closed and, a month later, re-surveyed.

const (
	caseStream = 0x6865656420636173 // "heed cas"
	// caseWindow is how long before the demo's now the loop went live:
	// the detractors of that span have cases.
	caseWindow = 120 * 24 * time.Hour
	caseBatch  = 40 // cases per transaction
	// Shares of the verification re-surveys answered, and of those
	// answers that rose above detractor.
	resurveyAnswered = 0.65
	recoveredShare   = 0.6
)

// CaseReport is what LoadCases did; a second load reports zeros.
type CaseReport struct {
	Cases, Open, Late, Escalated int
	Closed, Verified, Recovered  int
	Actions                      int // preventive actions created
}

// LoadCases gives the demo's detractors of the last months their cases,
// unless the store has cases already: open ones in every stage (most of
// them reported or being investigated), a few late and escalated, older
// ones closed with a verification score after, a few preventive actions
// linked to the cases they fix. LoadSurveys must have run. The cases are
// written straight to the store, in transactions of a few dozen, with
// timelines as the employees would have left them; the same seed and
// day give the same cases. progress, if not nil, hears how many cases
// are written.
func LoadCases(ctx context.Context, store heed.Store, ds Dataset, now time.Time,
	progress func(done, total int)) (CaseReport, error) {
	var rep CaseReport
	some, err := store.ListCases(ctx, heed.Scope{All: true}, heed.CaseFilter{Limit: 1})
	if err != nil || len(some) > 0 {
		return rep, err
	}
	w, err := newCaseWorld(ctx, store, ds, now)
	if err != nil {
		return rep, fmt.Errorf("demo cases: %w", err)
	}
	if err := w.ensureActions(ctx, store, &rep); err != nil {
		return rep, fmt.Errorf("demo cases: %w", err)
	}
	plans, err := w.plan(ctx, store)
	if err != nil {
		return rep, fmt.Errorf("demo cases: %w", err)
	}
	for start := 0; start < len(plans); start += caseBatch {
		batch := plans[start:min(start+caseBatch, len(plans))]
		err := store.InTx(ctx, func(q heed.Queries) error {
			for _, p := range batch {
				if err := w.write(ctx, q, p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("demo cases: %w", err)
		}
		if progress != nil {
			progress(start+len(batch), len(plans))
		}
	}
	for _, p := range plans {
		rep.count(p.c, w.now)
	}
	return rep, nil
}

func (rep *CaseReport) count(c heed.Case, now time.Time) {
	rep.Cases++
	switch {
	case c.Open():
		rep.Open++
		if c.Late(now) {
			rep.Late++
		}
		if c.EscalationLevel > 0 {
			rep.Escalated++
		}
	default:
		rep.Closed++
		if c.CategoryAfter != "" {
			rep.Verified++
			if c.CategoryAfter != metrics.Detractor {
				rep.Recovered++
			}
		}
	}
}

// caseWorld is what planning the cases reads of the store.
type caseWorld struct {
	r         *rand.Rand
	now       time.Time
	rule      heed.Rule
	surveys   map[int64]heed.Survey
	levels    map[int64]heed.Program // survey ID → the program asking it
	units     map[int64]heed.Unit
	unitKeys  map[string]heed.Unit
	emps      map[string]heed.Employee // by email
	history   map[int64][]heed.Response
	opening   []heed.Response // detractor answers of the window, oldest first
	causes    map[string]bool // active root causes
	actions   map[string]heed.PreventiveAction
	manager   heed.Employee // the store manager with a demo login
	loginUnit heed.Unit
}

func newCaseWorld(ctx context.Context, store heed.Store, ds Dataset, now time.Time) (*caseWorld, error) {
	w := &caseWorld{
		r: rand.New(rand.NewPCG(uint64(ds.Seed), caseStream)), now: now.UTC(),
		surveys: map[int64]heed.Survey{}, levels: map[int64]heed.Program{}, units: map[int64]heed.Unit{},
		unitKeys: map[string]heed.Unit{}, emps: map[string]heed.Employee{}, history: map[int64][]heed.Response{},
		causes: map[string]bool{}, actions: map[string]heed.PreventiveAction{},
	}
	rule, err := store.GetRule(ctx, "detractor-case")
	if err != nil && !heed.IsNotFound(err) {
		return nil, err
	}
	w.rule = rule // without it (an admin deleted it) the cases name no rule
	for _, pk := range []string{StoreVisitProgram, CareProgram} {
		p, err := store.GetProgram(ctx, pk)
		if err != nil {
			return nil, fmt.Errorf("program %s: %w (load the demo surveys first)", pk, err)
		}
		sv, err := store.GetSurvey(ctx, p.Survey)
		if err != nil {
			return nil, err
		}
		w.surveys[sv.ID], w.levels[sv.ID] = sv, p
	}
	units, err := store.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		w.units[u.ID], w.unitKeys[u.Key] = u, u
	}
	emps, err := store.ListEmployees(ctx, heed.Scope{All: true}, heed.EmployeeFilter{})
	if err != nil {
		return nil, err
	}
	for _, e := range emps {
		w.emps[e.Email] = e
	}
	w.loginUnit = w.unitKeys["store-"+slug(loginStore, "-")]
	w.manager = w.emps[w.loginUnit.Responsible]
	rcs, err := store.ListRootCauses(ctx)
	if err != nil {
		return nil, err
	}
	for _, rc := range rcs {
		w.causes[rc.Key] = rc.Active
	}
	return w, w.readResponses(ctx, store)
}

// readResponses reads every answer of the demo's surveys: the customers'
// histories, and the detractors of the window.
func (w *caseWorld) readResponses(ctx context.Context, store heed.Store) error {
	from := w.now.Add(-caseWindow)
	for id, sv := range w.surveys {
		f := heed.ResponseFilter{SurveyID: id, Limit: 1000}
		for {
			page, err := store.ListResponses(ctx, heed.Scope{All: true}, f)
			if err != nil {
				return err
			}
			for _, r := range page {
				if r.CustomerID == 0 {
					continue
				}
				w.history[r.CustomerID] = append(w.history[r.CustomerID], r)
				if !r.CreatedAt.Before(from) && r.CreatedAt.Before(w.now) &&
					metrics.Category(sv.Kind, r.Score) == metrics.Detractor {
					w.opening = append(w.opening, r)
				}
			}
			if len(page) < f.Limit {
				break
			}
			f.BeforeID = page[len(page)-1].ID
		}
	}
	slices.SortFunc(w.opening, func(a, b heed.Response) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	for id, rs := range w.history {
		slices.SortFunc(rs, func(a, b heed.Response) int { return cmp.Compare(b.ID, a.ID) }) // newest first
		w.history[id] = rs
	}
	return nil
}

// actionSpec is a preventive action of the demo: what it fixes (the
// comment themes of its cases) and who owns it (a unit's responsible).
type actionSpec struct {
	themes      []string
	title       string
	description string
	ownerUnit   string
	status      heed.ActionStatus
	created     int // days before now
	due         int // days from now; negative: past
}

var actionSpecs = []actionSpec{
	{[]string{themeCheckout}, "Queue-busting at peak times: a second till and handheld card readers on Saturdays",
		"Checkout complaints peak on Saturdays between 12 and 3. Manchester Arndale trialled a second till and two handheld readers at the peak; every flagship follows.",
		"store-" + slug(loginStore, "-"), heed.ActionDone, 115, -40},
	{[]string{themeStock}, "Size-run check of the top 50 boots every morning, with next-day transfers between stores",
		"Customers travel for a size the website shows in stock. Stores check the size runs before opening and order transfers the same day.",
		"north", heed.ActionInProgress, 95, 21},
	{[]string{themeRepairSlow}, "Repair desk: a 7-day turnaround promise and a text at every step",
		"Repairs sent to the workshop disappear from view. Every repair gets a ticket, a promised date and a text when it moves.",
		"store-bristol-cabot-circus", heed.ActionInProgress, 80, 30},
	{[]string{themeReturns, "refund"}, "Returns and refunds: find the purchase without a receipt, refund within 5 working days",
		"Returns fail for want of a receipt and refunds take weeks. Tills look purchases up by card or loyalty number; customer care tracks every refund to the day.",
		careUnit, heed.ActionOpen, 70, 60},
}

// ensureActions creates the preventive actions the store lacks (by
// title: an interrupted load left them) and keeps them by theme.
func (w *caseWorld) ensureActions(ctx context.Context, store heed.Store, rep *CaseReport) error {
	have, err := store.ListPreventiveActions(ctx)
	if err != nil {
		return err
	}
	for _, sp := range actionSpecs {
		i := slices.IndexFunc(have, func(a heed.PreventiveAction) bool { return a.Title == sp.title })
		var a heed.PreventiveAction
		if i >= 0 {
			a = have[i]
		} else {
			due := heed.DayTime(heed.Day(w.now.AddDate(0, 0, sp.due)))
			a = heed.PreventiveAction{Title: sp.title, Description: sp.description, Due: &due, Status: sp.status,
				OwnerID: w.emps[w.unitKeys[sp.ownerUnit].Responsible].ID}
			created := w.now.AddDate(0, 0, -sp.created).Truncate(time.Hour)
			if a, err = store.CreatePreventiveAction(ctx, a, created); err != nil {
				return fmt.Errorf("preventive action %q: %w", sp.title, err)
			}
			rep.Actions++
		}
		for _, t := range sp.themes {
			w.actions[t] = a
		}
	}
	return nil
}

// casePlan is one case as it will be written: its final state, its
// timeline, and the re-survey that verified it.
type casePlan struct {
	c        heed.Case
	resp     heed.Response
	cust     heed.Customer
	kind     heed.SurveyKind
	theme    string
	owner    heed.Employee
	stage    heed.Stage // where it ends up
	redirect bool
	events   []heed.CaseEvent
	again    []heed.Response // the customer's later detractor answers while it was open
	resurvey *resurveyPlan
	// after is the case whose verification the customer answered as a
	// detractor again, which opened this one.
	after *casePlan
}

// resurveyPlan is a closed case's verification: the invitation (skipped
// when the customer may not be emailed) and the answer, if any.
type resurveyPlan struct {
	at      time.Time
	skipped string
	answer  *heed.Response
}

// plan decides every case: who owns it, where it is, and what happened.
func (w *caseWorld) plan(ctx context.Context, store heed.Store) ([]*casePlan, error) {
	var plans []*casePlan
	byCustomer := map[int64]*casePlan{}
	for _, r := range w.opening {
		if p := byCustomer[r.CustomerID]; p != nil {
			p.again = append(p.again, r) // one case per customer; later answers join it or are dropped
			continue
		}
		cust, err := store.GetCustomer(ctx, heed.Scope{All: true}, r.Customer)
		if err != nil {
			return nil, err
		}
		owner, ok, err := cases.Owner(ctx, store, cust, r.UnitID)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // nobody answers for it: nothing to show
		}
		sv := w.surveys[r.SurveyID]
		p := &casePlan{resp: r, cust: cust, kind: sv.Kind, theme: commentTheme(r.Comment), owner: owner}
		plans = append(plans, p)
		byCustomer[r.CustomerID] = p
	}
	w.assignStages(plans)
	w.pickRedirects(plans)
	// A verification answered as a detractor opens a case like any other
	// detractor answer; those cases are verified in turn.
	for gen := plans; len(gen) > 0; {
		for _, p := range gen {
			if err := w.timeline(ctx, store, p); err != nil {
				return nil, err
			}
		}
		w.verify(gen)
		next, err := w.reopen(ctx, store, gen)
		if err != nil {
			return nil, err
		}
		plans, gen = append(plans, next...), next
	}
	// Written in the order they opened, so case IDs grow with time as
	// they would have live.
	slices.SortStableFunc(plans, func(a, b *casePlan) int { return a.resp.CreatedAt.Compare(b.resp.CreatedAt) })
	return plans, nil
}

// reopen plans the cases that the unhappy answers to gen's verification
// re-surveys opened: the same customer, the same trouble.
func (w *caseWorld) reopen(ctx context.Context, store heed.Store, gen []*casePlan) ([]*casePlan, error) {
	const day = 24 * time.Hour
	var next []*casePlan
	for _, p := range gen {
		if p.resurvey == nil || p.resurvey.answer == nil || p.c.CategoryAfter != metrics.Detractor {
			continue
		}
		r := *p.resurvey.answer
		owner, ok, err := cases.Owner(ctx, store, p.cust, r.UnitID)
		if err != nil || !ok {
			return nil, err
		}
		np := &casePlan{resp: r, cust: p.cust, kind: p.kind, theme: p.theme, owner: owner, after: p}
		switch age := w.now.Sub(r.CreatedAt); {
		case age < 2*day:
			np.stage = pickWeighted(w.r, []heed.Stage{heed.StageReported, heed.StageInvestigating}, []int{6, 4})
		case age < 14*day:
			np.stage = pickWeighted(w.r, []heed.Stage{heed.StageInvestigating, heed.StageCorrectiveAction,
				heed.StageFollowUp, heed.StageClosed}, []int{50, 15, 10, 25})
		default:
			np.stage = heed.StageClosed
		}
		next = append(next, np)
	}
	return next, nil
}

// commentTheme is what the demo's comment bank says a comment is about.
func commentTheme(text string) string {
	for _, banks := range []map[string][]comment{storeComments, careComments} {
		for _, bank := range banks {
			for _, c := range bank {
				if c.text == text {
					return c.theme
				}
			}
		}
	}
	return ""
}

// hasAction reports whether a preventive action fixes p's theme by at.
func (w *caseWorld) hasAction(p *casePlan, at time.Time) bool {
	a, ok := w.actions[p.theme]
	return ok && !a.CreatedAt.After(at)
}

// openStages are the stages between reported and closed, and how many
// of every 25 open cases past their first two days are at each: most
// are being looked into, fewer further along.
var openStages = []struct {
	stage  heed.Stage
	weight int
}{
	{heed.StageInvestigating, 7}, {heed.StageCorrectiveAction, 5}, {heed.StageFollowUp, 4}, {heed.StageRootCause, 3},
	{heed.StagePreventiveAction, 2}, {heed.StageFollowUp2, 2}, {heed.StageVerification, 2},
}

// assignStages decides where every case is. Those of the last two days
// are reported or being investigated; those of the last two weeks are
// spread over the stages by age, older further along, a quarter closed;
// older ones are closed. Then the demo gets what it is for: two cases
// late at first contact (one past the second escalation), a forgotten
// one long overdue, and open cases in the inbox of the store manager
// with a demo login.
func (w *caseWorld) assignStages(plans []*casePlan) {
	const day = 24 * time.Hour
	age := func(p *casePlan) time.Duration { return w.now.Sub(p.resp.CreatedAt) }
	var recent []*casePlan // 48h to 14 days old, youngest first
	for i := len(plans) - 1; i >= 0; i-- {
		p := plans[i]
		switch a := age(p); {
		case a < 2*day:
			p.stage = heed.StageReported
			if w.r.Float64() < 0.35 {
				p.stage = heed.StageInvestigating
			}
		case a < 14*day:
			recent = append(recent, p)
		default:
			p.stage = heed.StageClosed
		}
	}
	// take gives the first case ok accepts, youngest first, the stage st.
	take := func(from []*casePlan, st heed.Stage, ok func(*casePlan) bool) *casePlan {
		for _, p := range from {
			if p.stage == "" && ok(p) {
				p.stage = st
				return p
			}
		}
		return nil
	}
	between := func(lo, hi time.Duration) func(*casePlan) bool {
		return func(p *casePlan) bool { return age(p) > lo && age(p) < hi }
	}
	take(recent, heed.StageReported, between(50*time.Hour, 70*time.Hour))
	take(recent, heed.StageReported, between(76*time.Hour, 6*day))
	w.spread(recent)
	var old []*casePlan
	for i := len(plans) - 1; i >= 0; i-- {
		if age(plans[i]) > 16*day && age(plans[i]) < 45*day {
			old = append(old, plans[i])
		}
	}
	w.r.Shuffle(len(old), func(i, j int) { old[i], old[j] = old[j], old[i] })
	for _, p := range old {
		if p.owner.ID != w.manager.ID { // the manager's inbox is seen to below
			p.stage = heed.StageCorrectiveAction
			break
		}
	}
	w.fillInbox(plans)
}

// spread gives the cases of the last two weeks without a stage one,
// youngest first along the stages, a quarter (mostly older) closed.
func (w *caseWorld) spread(recent []*casePlan) {
	var rest []*casePlan
	for _, p := range recent {
		if p.stage == "" {
			rest = append(rest, p)
		}
	}
	n := len(rest)
	closed := n / 4
	for i := 0; closed > 0 && i < 10*n; i++ {
		// Older cases are likelier to be closed already.
		k := n - 1 - int(float64(n)*w.r.Float64()*w.r.Float64())
		if rest[k].stage == "" {
			rest[k].stage = heed.StageClosed
			closed--
		}
	}
	var seq []heed.Stage
	open := n - n/4
	for _, os := range openStages {
		k := max(1, os.weight*open/25)
		for range k {
			seq = append(seq, os.stage)
		}
	}
	for len(seq) < open {
		seq = slices.Insert(seq, 0, heed.StageInvestigating)
	}
	i := 0
	for _, p := range rest {
		if p.stage == "" && i < len(seq) {
			p.stage = seq[i]
			i++
		} else if p.stage == "" {
			p.stage = heed.StageClosed
		}
	}
	// A case past the root cause waits on a preventive action: give those
	// stages to cases a preventive action fixes, swapping with the
	// nearest in age that one fixes.
	for i, p := range rest {
		if !needsAction(p.stage) || w.hasAction(p, p.resp.CreatedAt) {
			continue
		}
		for d := 1; d < n; d++ {
			if j := swapWith(rest, i, d, func(q *casePlan) bool { return !needsAction(q.stage) && w.hasAction(q, q.resp.CreatedAt) }); j >= 0 {
				p.stage, rest[j].stage = rest[j].stage, p.stage
				break
			}
		}
	}
}

func needsAction(st heed.Stage) bool {
	return st == heed.StagePreventiveAction || st == heed.StageFollowUp2 || st == heed.StageVerification
}

// swapWith returns the index d before or after i whose case ok accepts,
// or -1.
func swapWith(ps []*casePlan, i, d int, ok func(*casePlan) bool) int {
	for _, j := range []int{i - d, i + d} {
		if j >= 0 && j < len(ps) && ok(ps[j]) {
			return j
		}
	}
	return -1
}

// fillInbox makes sure the store manager with a demo login has open
// cases: the store's latest, kept open longer. The store has turned
// round, so its latest detractors are weeks old and these cases late,
// escalated to the regional manager (who has a login too).
func (w *caseWorld) fillInbox(plans []*casePlan) {
	mine := 0
	for _, p := range plans {
		if p.owner.ID == w.manager.ID && p.stage != heed.StageClosed {
			mine++
		}
	}
	stages := []heed.Stage{heed.StageFollowUp, heed.StageRootCause, heed.StageCorrectiveAction}
	for i := len(plans) - 1; i >= 0 && mine < len(stages) && w.manager.ID != 0; i-- {
		p := plans[i]
		if p.owner.ID != w.manager.ID || p.stage != heed.StageClosed {
			continue
		}
		p.stage = stages[mine]
		if p.stage == heed.StageRootCause && w.hasAction(p, p.resp.CreatedAt) {
			p.stage = heed.StagePreventiveAction
		}
		mine++
	}
}

// pickRedirects hands a care case or two to the store the customer
// shops at: the complaint was about the store, not the phone call.
func (w *caseWorld) pickRedirects(plans []*casePlan) {
	n := 0
	for _, first := range []bool{true, false} { // the login's store first
		for i := len(plans) - 1; i >= 0 && n < 2; i-- {
			p := plans[i]
			if p.redirect || p.stage.Index() < heed.StageInvestigating.Index() || p.resp.Survey != CustomerCareSurvey ||
				p.theme != "refund" && p.theme != "" {
				continue
			}
			cust := w.unitKeys[p.cust.Unit]
			if cust.ID == 0 || !strings.HasPrefix(cust.Key, "store-") || (first && cust.ID != w.loginUnit.ID) {
				continue
			}
			if to := w.emps[cust.Responsible]; to.ID != 0 && to.ID != p.owner.ID {
				p.redirect = true
				n++
			}
		}
	}
}

// step is one thing done on a case after it opened, gap after the one
// before.
type step struct {
	what  string // call, miss, move, redirect
	stage heed.Stage
	gap   time.Duration
}

// path is what was done on p, in order, up to its stage.
func (w *caseWorld) path(p *casePlan) []step {
	hours := func(lo, hi float64) time.Duration {
		return time.Duration((lo + (hi-lo)*w.r.Float64()) * float64(time.Hour))
	}
	var steps []step
	target := p.stage.Index()
	if p.stage == heed.StageReported {
		if w.r.Float64() < 0.6 {
			steps = append(steps, step{what: "miss", gap: hours(3, 30)})
		}
		return steps
	}
	contact := hours(1, 20)
	switch x := w.r.Float64(); {
	case x < 0.05:
		contact = hours(50, 80) // late: escalated before anyone called
	case x < 0.2:
		contact = hours(20, 44)
	}
	if w.r.Float64() < 0.35 {
		miss := time.Duration(float64(contact) * (0.2 + 0.4*w.r.Float64()))
		steps = append(steps, step{what: "miss", gap: miss})
		contact -= miss
	}
	steps = append(steps, step{what: "call", gap: contact},
		step{what: "move", stage: heed.StageInvestigating, gap: hours(0.2, 1.5)})
	if p.redirect {
		steps = append(steps, step{what: "redirect", gap: hours(2, 20)})
	}
	full := p.stage != heed.StageClosed && target >= heed.StagePreventiveAction.Index() ||
		p.stage == heed.StageClosed && w.hasAction(p, p.resp.CreatedAt) && w.r.Float64() < 0.85
	advice := p.theme == themePrices || p.theme == themeParking
	for _, s := range []struct {
		st      heed.Stage
		lo, hi  float64
		include bool
	}{
		{heed.StageCorrectiveAction, 6, 72, p.stage == heed.StageCorrectiveAction || !advice || w.r.Float64() < 0.4},
		{heed.StageFollowUp, 24, 96, true},
		{heed.StageRootCause, 4, 48, p.stage == heed.StageRootCause || full || w.r.Float64() < 0.6},
		{heed.StagePreventiveAction, 24, 72, full},
		{heed.StageFollowUp2, 48, 120, full},
		{heed.StageVerification, 24, 72, full},
		{heed.StageClosed, 2, 48, true},
	} {
		if s.st.Index() > target {
			break
		}
		if s.include {
			steps = append(steps, step{what: "move", stage: s.st, gap: hours(s.lo, s.hi)})
		}
	}
	return steps
}

// timeline plays p's path in time, so the case's fields and its events
// tell the same story.
func (w *caseWorld) timeline(ctx context.Context, q heed.Queries, p *casePlan) error {
	r, sv, prog := p.resp, w.surveys[p.resp.SurveyID], w.levels[p.resp.SurveyID]
	t0, score := r.CreatedAt, r.Score
	if w.now.Sub(t0) < 3*time.Hour {
		p.stage = heed.StageReported // too young to have been worked on (the demo loaded just after midnight)
	}
	p.c = heed.Case{
		CustomerID: r.CustomerID, Customer: r.Customer, UnitID: r.UnitID, OwnerID: p.owner.ID, ResponseID: r.ID,
		RuleID: w.rule.ID, ProgramID: prog.ID, Title: cases.Title(r, metrics.Category(sv.Kind, r.Score)), Stage: p.stage,
		ScoreBefore: &score, CategoryBefore: metrics.Detractor,
		FirstContactDue: t0.Add(time.Duration(cmp.Or(prog.FirstContactHours, survey.DefaultFirstContactHours)) * time.Hour),
		ResolveDue:      t0.AddDate(0, 0, cmp.Or(prog.ResolveDays, survey.DefaultResolveDays)),
	}
	note := "opened by the demo"
	if w.rule.Key != "" {
		note = "opened by rule " + w.rule.Key
	}
	p.events = []heed.CaseEvent{{Kind: heed.EventOpened, Actor: "system", To: string(heed.StageReported),
		ResponseID: r.ID, Note: note, At: t0}}
	steps := w.fit(p, w.path(p))
	at, stage, owner := t0, heed.StageReported, p.owner
	add := func(ev heed.CaseEvent) {
		if ev.Actor == "" {
			ev.Actor = owner.Email
		}
		if ev.At.IsZero() {
			ev.At = at
		}
		p.events = append(p.events, ev)
	}
	notes := caseNotes[p.theme]
	if p.theme == "" && sv.Key == CustomerCareSurvey {
		notes = caseNotes["care"]
	}
	// One story per case: the notes of a theme are parallel lists, the
	// same customer and item at the same place in each.
	variant := w.r.IntN(6)
	story := func(xs []string) string { return xs[variant%len(xs)] }
	for _, s := range steps {
		at = at.Add(s.gap)
		switch s.what {
		case "miss":
			outcome, text := heed.CallNoAnswer, pick(w.r, noAnswerNotes)
			if w.r.IntN(3) == 0 {
				outcome, text = heed.CallCallBackLate, pick(w.r, callBackNotes)
			}
			add(heed.CaseEvent{Kind: heed.EventCall, Outcome: outcome, Note: text})
		case "call":
			text := story(notes.call)
			if p.after != nil {
				text = "The re-survey says it is not fixed. " + text
			}
			add(heed.CaseEvent{Kind: heed.EventCall, Outcome: heed.CallReached, Note: text})
			contact := at
			p.c.FirstContactAt = &contact
			p.c.CustomerKind, p.c.ResponseType = w.approach(p)
			at = at.Add(time.Duration(2+w.r.IntN(10)) * time.Minute)
			add(heed.CaseEvent{Kind: heed.EventChanged,
				To: fmt.Sprintf("customer kind %s; response type %s", p.c.CustomerKind, p.c.ResponseType)})
		case "redirect":
			u := w.unitKeys[p.cust.Unit]
			to := w.emps[u.Responsible]
			add(heed.CaseEvent{Kind: heed.EventRedirect, From: owner.Email, To: to.Email, Note: pick(w.r, redirectNotes)})
			owner, p.c.OwnerID, p.c.UnitID, p.c.ResponseType = to, to.ID, u.ID, heed.ResponseRedirect
		case "move":
			w.move(p, s.stage, stage, notes, story, at, add)
			stage = s.stage
		}
	}
	if p.stage == heed.StageClosed {
		closed := at
		p.c.ClosedAt = &closed
		resurvey := closed.AddDate(0, 0, cmp.Or(prog.ResurveyDays, survey.DefaultResurveyDays))
		p.c.ResurveyAt = &resurvey
	}
	w.feedback(p)
	if err := w.escalate(ctx, q, p); err != nil {
		return err
	}
	slices.SortStableFunc(p.events, func(a, b heed.CaseEvent) int { return a.At.Compare(b.At) })
	return nil
}

// fit squeezes p's steps into the time it has had: an open case's into
// its age, a closed case's into how long it took to close. What follows
// a step by a few minutes (the change after a call, the move after a
// follow-up call) takes at most half an hour in all, kept free before
// now.
func (w *caseWorld) fit(p *casePlan, steps []step) []step {
	age := w.now.Sub(p.resp.CreatedAt)
	limit := time.Duration(float64(age)*0.9) - 30*time.Minute
	var total time.Duration
	for _, s := range steps {
		total += s.gap
	}
	switch {
	case p.stage == heed.StageClosed:
		days := 2 + 8*w.r.Float64()
		if slices.ContainsFunc(steps, func(s step) bool { return s.stage == heed.StagePreventiveAction }) {
			days = 7 + 9*w.r.Float64()
		}
		limit = min(limit, time.Duration(days*24*float64(time.Hour)))
	case limit <= 0:
		return nil // reported a moment ago: nothing done yet
	case total <= limit:
		return steps
	}
	for i := range steps {
		steps[i].gap = time.Duration(float64(steps[i].gap) * float64(limit) / float64(total))
	}
	return steps
}

// approach is what the owner decided on the first call: mostly what Heed
// suggested from the customer's answers.
func (w *caseWorld) approach(p *casePlan) (heed.CustomerKind, heed.ResponseType) {
	var before []heed.Response
	for _, r := range w.history[p.resp.CustomerID] {
		if !r.CreatedAt.After(p.resp.CreatedAt) {
			before = append(before, r)
		}
	}
	sg := cases.Suggest(before, 0)
	kind := sg.CustomerKind
	if kind == heed.KindLost || w.r.Float64() < 0.25 {
		// One answer says little ("lost" is the guess for a first one):
		// the call told the employee more.
		weights := map[heed.CustomerKind]int{heed.KindLost: 20, heed.KindGeek: 15, heed.KindEmpathizer: 30, heed.KindRegular: 25}
		if p.cust.Segment == business || p.cust.Segment == vip {
			weights[heed.KindRegular] += 30
		}
		switch p.theme {
		case themeNoHelp, themeStaff, themeReturns, "refund", "followup":
			weights[heed.KindEmpathizer] += 25
		case themeRepairSlow, themeStock:
			weights[heed.KindGeek] += 20
		case "transfer", "wait":
			weights[heed.KindLost] += 15
		}
		ks := heed.CustomerKinds()
		ws := make([]int, len(ks))
		for i, k := range ks {
			ws[i] = weights[k]
		}
		kind = pickWeighted(w.r, ks, ws)
	}
	typ := heed.ResponseSolution
	switch p.theme {
	case themePrices, themeParking:
		typ = heed.ResponseAdvisory
	case "":
		typ = sg.ResponseType
	}
	return kind, typ
}

// move records p's transition from one stage to another at at, with
// what goes with it: a call before a follow-up, the root cause, the
// preventive action.
func (w *caseWorld) move(p *casePlan, to, from heed.Stage, notes themeNotes, story func([]string) string, at time.Time,
	add func(heed.CaseEvent)) {
	transition := func(text string) {
		add(heed.CaseEvent{Kind: heed.EventTransition, From: string(from), To: string(to), Note: text, At: at})
	}
	later := func(d time.Duration) time.Time { return at.Add(d) }
	switch to {
	case heed.StageInvestigating:
		transition(story(notes.investigate))
	case heed.StageCorrectiveAction:
		transition(story(notes.correct))
	case heed.StageFollowUp, heed.StageFollowUp2:
		text := story(notes.followUp)
		if to == heed.StageFollowUp2 {
			text = pick(w.r, secondCallNotes)
		}
		add(heed.CaseEvent{Kind: heed.EventCall, Outcome: heed.CallReached, Note: text, At: at})
		add(heed.CaseEvent{Kind: heed.EventTransition, From: string(from), To: string(to), At: later(4 * time.Minute)})
	case heed.StageRootCause:
		transition(notes.causeNote)
		cause := notes.cause
		if !w.causes[cause] {
			cause = "other"
		}
		p.c.RootCause = cause
		add(heed.CaseEvent{Kind: heed.EventChanged, To: "root cause " + cause, At: later(2 * time.Minute)})
	case heed.StagePreventiveAction:
		a, ok := w.actions[p.theme]
		if !ok {
			transition("A fix of the process is being planned with the regional manager.")
			return
		}
		transition("Same cause as other cases: linked to the preventive action “" + a.Title + "”.")
		p.c.PreventiveActionID = a.ID
		add(heed.CaseEvent{Kind: heed.EventChanged, To: fmt.Sprintf("preventive action %d", a.ID), At: later(2 * time.Minute)})
	case heed.StageVerification:
		transition("Waiting for the customer's re-survey to confirm it stays fixed.")
	case heed.StageClosed:
		transition(pick(w.r, closeNotes))
	}
}

// feedback adds the customer's later detractor answers that came while
// the case was open; the rule adds them to the open case.
func (w *caseWorld) feedback(p *casePlan) {
	end := w.now
	if p.c.ClosedAt != nil {
		end = *p.c.ClosedAt
	}
	for _, r := range p.again {
		if r.CreatedAt.Before(end) {
			p.events = append(p.events, heed.CaseEvent{Kind: heed.EventFeedback, Actor: "system", ResponseID: r.ID,
				Note: fmt.Sprintf("answered %d on %s again while the case was open", r.Score, w.surveys[r.SurveyID].Key),
				At:   r.CreatedAt})
		}
	}
}

// escalate plays the escalation job over p: a case not contacted by its
// first-contact due time goes to the owner's manager, and a day later,
// still not contacted, one level higher; a case contacted in time but
// still open at its resolution due time climbs the same way from there.
func (w *caseWorld) escalate(ctx context.Context, q heed.Queries, p *casePlan) error {
	c := &p.c
	end := w.now
	if c.ClosedAt != nil {
		end = *c.ClosedAt
	}
	notContacted := func(t time.Time) bool { return c.FirstContactAt == nil || c.FirstContactAt.After(t) }
	type climb struct {
		at   time.Time
		what string
	}
	var climbs []climb
	due := c.FirstContactDue.UTC().Format(time.RFC3339)
	if notContacted(c.FirstContactDue) && end.After(c.FirstContactDue) {
		climbs = append(climbs, climb{c.FirstContactDue, "no first contact by " + due})
		if next := c.FirstContactDue.Add(cases.DefaultEscalateAfter); notContacted(next) && end.After(next) {
			climbs = append(climbs, climb{next, "no first contact by " + due})
		}
	}
	resolve := "not resolved by " + c.ResolveDue.UTC().Format(time.RFC3339)
	if len(climbs) < cases.MaxEscalation && end.After(c.ResolveDue) {
		climbs = append(climbs, climb{c.ResolveDue, resolve})
		if next := c.ResolveDue.Add(cases.DefaultEscalateAfter); len(climbs) == 1 && end.After(next) {
			climbs = append(climbs, climb{next, resolve})
		}
	}
	if len(climbs) == 0 {
		return nil
	}
	owner, err := q.GetEmployeeByID(ctx, c.OwnerID)
	if err != nil {
		return err
	}
	mgrs, err := cases.Managers(ctx, q, owner, c.UnitID, cases.MaxEscalation)
	if err != nil || len(mgrs) == 0 {
		return err
	}
	for i, cl := range climbs {
		level := i + 1
		to := mgrs[min(level, len(mgrs))-1]
		at := cl.at
		c.EscalationLevel, c.EscalatedToID, c.EscalatedTo, c.EscalatedAt = level, to.ID, to.Email, &at
		p.events = append(p.events, heed.CaseEvent{Kind: heed.EventEscalated, Actor: "system", From: owner.Email,
			To: to.Email, Note: fmt.Sprintf("level %d: %s", level, cl.what), At: at})
	}
	return nil
}

// verify plays the re-survey of every case closed long enough ago: the
// customer is invited (if they may be emailed), most answer, and a
// fixed share of those who answer rise above detractor.
func (w *caseWorld) verify(plans []*casePlan) {
	var answered []*casePlan
	for _, p := range plans {
		at := p.c.ResurveyAt
		if at == nil || !at.Before(w.now.Add(-time.Hour)) {
			continue
		}
		rs := &resurveyPlan{at: *at}
		p.resurvey = rs
		switch {
		case !p.cust.Consent:
			rs.skipped = survey.SkipNoConsent
			continue
		case p.cust.Email == "":
			rs.skipped = survey.SkipNoEmail
			continue
		}
		answer := rs.at.Add(time.Duration(1+w.r.IntN(40)) * time.Hour)
		if w.r.Float64() < resurveyAnswered && answer.Before(w.now) {
			sv, unit := w.surveys[p.resp.SurveyID], w.unitKeys[p.cust.Unit]
			rs.answer = &heed.Response{SurveyID: sv.ID, Survey: sv.Key, CustomerID: p.cust.ID, Customer: p.cust.ExternalID,
				UnitID: unit.ID, Unit: unit.Key, Channel: heed.ChannelEmail, Language: survey.Language(sv, p.cust.Language, ""),
				CreatedAt: answer}
			answered = append(answered, p)
		}
	}
	recovered := int(float64(len(answered))*recoveredShare + 0.5)
	for i, k := range w.r.Perm(len(answered)) {
		p := answered[k]
		sv := w.surveys[p.resp.SurveyID]
		up, down := splitScale(sv.Kind)
		var score int
		if i < recovered {
			score = up[w.r.IntN(len(up))]
		} else {
			score = down[max(0, len(down)-1-w.r.IntN(3))] // one of the top three detractor scores
		}
		p.resurvey.answer.Score = score
		cat := metrics.Category(sv.Kind, score)
		p.c.ScoreAfter, p.c.CategoryAfter = &score, cat
		if p.cust.Language == "" || strings.HasPrefix(p.cust.Language, "en") {
			if w.r.Float64() < 0.5 {
				if cat == metrics.Detractor {
					p.resurvey.answer.Comment = pick(w.r, stillUnhappy)
				} else {
					p.resurvey.answer.Comment = pick(w.r, wonBack)
				}
			}
		}
	}
}

// splitScale parts the scores of kind's scale, lowest first, into those
// above detractor and the detractors', as metrics.Category draws the line.
func splitScale(kind heed.SurveyKind) (up, down []int) {
	lo, hi := kind.Scale()
	for score := lo; score <= hi; score++ {
		if metrics.Category(kind, score) == metrics.Detractor {
			down = append(down, score)
		} else {
			up = append(up, score)
		}
	}
	return up, down
}

// write stores p in q's transaction: the re-survey's invitation and
// answer, then the case with its timeline.
func (w *caseWorld) write(ctx context.Context, q heed.Queries, p *casePlan) error {
	if p.after != nil { // opened by an answer written with an earlier case
		p.resp.ID = p.after.resurvey.answer.ID
		p.c.ResponseID, p.events[0].ResponseID = p.resp.ID, p.resp.ID
	}
	if p.resurvey != nil {
		if err := w.writeResurvey(ctx, q, p); err != nil {
			return err
		}
	}
	c, err := q.CreateCase(ctx, p.c, p.events[0], p.events[0].At)
	if err != nil {
		return fmt.Errorf("case of response %d: %w", p.resp.ID, err)
	}
	for _, ev := range p.events[1:] {
		ev.CaseID = c.ID
		if _, err := q.AddCaseEvent(ctx, ev); err != nil {
			return fmt.Errorf("case %d: %w", c.ID, err)
		}
	}
	// Last changed when its last event happened, not when the demo ran.
	if p.c, err = q.UpdateCase(ctx, c, heed.CaseEvent{}, p.events[len(p.events)-1].At); err != nil {
		return err
	}
	// Its pending escalation or re-survey, as heed serve would have it.
	return cases.Resume(ctx, q, p.c, w.now)
}

// writeResurvey stores a closed case's verification: the invitation the
// re-survey job would have made, and the customer's answer if they gave
// one, and adds what the job and the rule would have noted.
func (w *caseWorld) writeResurvey(ctx context.Context, q heed.Queries, p *casePlan) error {
	rs := p.resurvey
	ev := heed.CaseEvent{Kind: heed.EventNote, Actor: "system", At: rs.at}
	if rs.skipped != "" {
		ev.Note = "verification re-survey not sent: " + rs.skipped
		p.events = append(p.events, ev)
		return nil
	}
	sv := w.surveys[p.resp.SurveyID]
	unit := w.unitKeys[p.cust.Unit]
	sent := rs.at.Add(40 * time.Second)
	inv := heed.Invitation{SurveyID: sv.ID, Survey: sv.Key, CustomerID: p.cust.ID, Customer: p.cust.ExternalID,
		UnitID: unit.ID, Channel: heed.ChannelEmail, Language: survey.Language(sv, p.cust.Language, ""),
		Delivery: heed.DeliverySent, CreatedAt: rs.at, SentAt: &sent,
		ExpiresAt: rs.at.AddDate(0, 0, survey.DefaultExpiryDays)}
	if rs.answer != nil {
		opened := rs.answer.CreatedAt.Add(-4 * time.Minute)
		inv.OpenedAt = &opened
	} else if remind := rs.at.AddDate(0, 0, survey.DefaultReminderDays); remind.Before(w.now) {
		inv.RemindedAt = &remind
	}
	// A link nobody holds, as for the demo's history.
	_, inv.TokenHash = survey.NewToken()
	id, err := q.CreateInvitation(ctx, inv)
	if err != nil {
		return fmt.Errorf("re-survey of %s: %w", p.cust.ExternalID, err)
	}
	p.c.ResurveyInvitationID = id
	ev.Note = fmt.Sprintf("verification re-survey sent (invitation %d)", id)
	p.events = append(p.events, ev)
	if rs.answer == nil {
		return nil
	}
	r := *rs.answer
	r.InvitationID = id
	if r, err = q.CreateResponse(ctx, r, r.CreatedAt); err != nil {
		return fmt.Errorf("re-survey answer of %s: %w", p.cust.ExternalID, err)
	}
	rs.answer.ID = r.ID // the case it opens, written later, names it
	p.events = append(p.events, heed.CaseEvent{Kind: heed.EventFeedback, Actor: "system", ResponseID: r.ID, At: r.CreatedAt,
		Note: fmt.Sprintf("verification: the customer answered %d (%s); before it was %d", r.Score, p.c.CategoryAfter, p.resp.Score)})
	return nil
}

// themeNotes are what employees write on a case about one theme: on the
// first call, while investigating, on the fix, on the follow-up call, and
// the root cause they settle on.
type themeNotes struct {
	call, investigate, correct, followUp []string
	cause, causeNote                     string
}

// caseNotes are by comment theme (see comments.go); "" is for comments
// about nothing in particular, or none.
var caseNotes = map[string]themeNotes{
	themeCheckout: {
		call: []string{"Apologised for the wait at the tills: 25 minutes on Saturday lunchtime with a toddler in tow.",
			"Spoke to him: the card machine on till 2 was down and nobody opened another. Fair about it, but annoyed."},
		investigate: []string{"Pulled Saturday's rota: one colleague on the tills from 12 to 2 while two were on lunch.",
			"Till log: one till took every payment between 12:10 and 13:30."},
		correct: []string{"Sent a £10 voucher and an apology from the store.",
			"Refunded the delivery charge on his online order as a goodwill gesture."},
		followUp: []string{"Called back: voucher received, she'll give us another go.",
			"Called back: glad we called; he says the tills were quick last week."},
		cause: "waiting_time", causeNote: "Lunch breaks overlap with the Saturday peak; the same pattern as the other queue complaints.",
	},
	themeStock: {
		call: []string{"He drove in for size 11 boots the website showed in stock. Apologised.",
			"Spoke to her: the third time her size was missing. Offered to order it in."},
		investigate: []string{"Stock showed 2 pairs; both sold the evening before, and the website only updates overnight.",
			"Size run checked: 4s and 11s out across the range since the last delivery came short."},
		correct: []string{"Transferred a pair from Leeds and sent it to his home free of charge.",
			"Reserved the boots at the till for collection on Saturday."},
		followUp: []string{"Called back: the boots arrived and fit well.",
			"Called back: collected and happy, but asks us to fix the stock on the website."},
		cause: "process", causeNote: "The website's stock lags the tills by a day; a morning size-run check would have caught it.",
	},
	themeParking: {
		call:        []string{"She gave up looking for a space. Explained the partner car park and the validation at the till."},
		investigate: []string{"Our store page says nothing about the partner car park or the validation."},
		correct:     []string{"Emailed the parking details and a £5 voucher."},
		followUp:    []string{"Called back: she'll use the partner car park next time."},
		cause:       "wrong_information", causeNote: "The store page does not mention parking validation.",
	},
	themeReturns: {
		call: []string{"Spoke to him about the refused return: jacket unworn, tags on, receipt lost.",
			"She was upset: the sole came off after two walks and the store refused the return."},
		investigate: []string{"Found the purchase in the till system from the date and his card; the colleague didn't know we can look it up.",
			"Asked the supplier: that batch of boots has a known sole fault."},
		correct: []string{"Refund made to his card.", "Replaced the boots from the new batch, with an apology."},
		followUp: []string{"Called back: the refund arrived, he's satisfied.",
			"Called back: the new pair is fine; she thanked us for sorting it."},
		cause: "process", causeNote: "Tills don't look purchases up without a receipt, though the policy allows it.",
	},
	themePrices: {
		call:        []string{"Talked the price through: the cheaper tent online was a marketplace seller's, not ours."},
		investigate: []string{"Checked: our store and online prices match; he compared with a grey import."},
		correct:     []string{"Applied our price promise to the tent he's about to buy."},
		followUp:    []string{"Called back: he understood, and bought the tent with the price match."},
		cause:       "misunderstanding", causeNote: "The customer compared with a marketplace listing.",
	},
	themeNoHelp: {
		call: []string{"Apologised: she waited at the boot wall and nobody came. She felt ignored.",
			"He asked for help with sizing and was told to look online. Apologised."},
		investigate: []string{"Spoke with the team on shift: two on the floor, one tied up with a delivery.",
			"Talked to the colleague: she didn't know the fitting service runs all day."},
		correct: []string{"Booked her a free boot fitting with our senior fitter.",
			"Invited him back for a fitting with me."},
		followUp: []string{"Called back: the fitting went well and she bought the boots.",
			"Called back: he came in, got fitted, happy."},
		cause: "staff_behaviour", causeNote: "The floor is thin when deliveries arrive; the team is briefed to greet every customer.",
	},
	themeRepairSlow: {
		call: []string{"His jacket has been at the repair desk for six weeks. Apologised; promised an answer by tomorrow.",
			"The stove still fails after the repair and she has had enough. Apologised."},
		investigate: []string{"The workshop had the jacket on the wrong ticket; it was waiting for a part.",
			"The workshop replaced the valve, but the burner is at fault."},
		correct: []string{"Chased the workshop: repair done, courier booked to his home.",
			"Replaced the stove with a new one."},
		followUp: []string{"Called back: the jacket arrived and the repair looks good.",
			"Called back: the new stove works; she thanked us."},
		cause: "process", causeNote: "Repairs sent to the workshop are not tracked; nobody could say where the item was.",
	},
	themeStaff: {
		call:        []string{"Apologised for the colleague's tone when he asked about the warranty."},
		investigate: []string{"Spoke with the colleague: he took the warranty question for a complaint."},
		correct:     []string{"Explained the warranty by email and registered his stove."},
		followUp:    []string{"Called back: he accepted the apology."},
		cause:       "staff_behaviour", causeNote: "Warranty questions answered without the terms to hand; a refresher for the team.",
	},
	"wait": {
		call:        []string{"Apologised for 45 minutes on hold and the call dropping."},
		investigate: []string{"Call logs: the queue overflowed on Monday morning after the sale email went out."},
		correct:     []string{"Answered her question on this call: the order is on its way."},
		followUp:    []string{"Called back: the order arrived, all fine now."},
		cause:       "waiting_time", causeNote: "Monday peaks after marketing emails; the rota was not changed for them.",
	},
	"transfer": {
		call:        []string{"He was passed between three departments about a faulty tent. Took it on myself."},
		investigate: []string{"Traced the transfers: nobody owns faults on online orders."},
		correct:     []string{"Arranged the exchange with the warehouse directly."},
		followUp:    []string{"Called back: the new tent arrived."},
		cause:       "process", causeNote: "No team owns faults on online orders.",
	},
	"refund": {
		call:        []string{"Still waiting for her refund after three weeks. Apologised and looked up the order."},
		investigate: []string{"The refund was stuck: the return was booked in at a store, not at the warehouse."},
		correct:     []string{"Finance pushed the refund through today."},
		followUp:    []string{"Called back: the refund is in her account."},
		cause:       "billing_error", causeNote: "Store returns of online orders do not trigger the refund.",
	},
	"followup": {
		call:        []string{"The promised call back never came. Apologised and called him myself."},
		investigate: []string{"The call-back request was logged but never given to anyone."},
		correct:     []string{"Sorted his delivery date on this call."},
		followUp:    []string{"Called back as promised: the delivery arrived."},
		cause:       "process", causeNote: "Call-back requests are not assigned to anyone.",
	},
	"care": {
		call: []string{"Reached the customer: the contact with us left them unhappy, nothing specific. Listened and took notes.",
			"Spoke to the customer: our reply missed the point of their question."},
		investigate: []string{"Read back through the emails and call notes with the team.", "Checked the contact history: the reply was a template."},
		correct:     []string{"Answered the original question properly, with an apology.", "Sorted the order question on the call and sent a £10 voucher."},
		followUp:    []string{"Called back: happy with the answer this time.", "Called back: all sorted now."},
		cause:       "wrong_information", causeNote: "Template replies went out without anyone reading the question.",
	},
	"": {
		call: []string{"Reached the customer: disappointed with the visit overall, nothing in particular. Listened and took notes.",
			"Spoke to the customer: the visit fell short of what they're used to from us."},
		investigate: []string{"Asked the team on shift what happened that day.", "Went through the visit with the store team."},
		correct:     []string{"Sent a handwritten apology and a £10 voucher.", "Offered a free kit check and a coffee on the next visit."},
		followUp:    []string{"Called back: appreciated the call.", "Called back: they'll give us another chance."},
		cause:       "other", causeNote: "Nothing that points at a process; noted for the store's monthly review.",
	},
}

var (
	noAnswerNotes = []string{"No answer; left a voicemail with my direct number.", "No answer. Will try again after 5pm.",
		"Voicemail full; emailed asking for a good time to call."}
	callBackNotes   = []string{"At work; asked to be called back after 6pm.", "Driving; call back tomorrow morning."}
	secondCallNotes = []string{"Second call: the fix is in place and the customer noticed the difference.",
		"Checked in again: no problems since; thanked us for following up."}
	closeNotes    = []string{"Customer satisfied; closing.", "Resolved and confirmed with the customer.", "Nothing more to do; closing."}
	redirectNotes = []string{"The problem is with an item bought in store: the store will sort out the exchange.",
		"The customer wants to settle it in store; handing over to the store manager."}
	wonBack      = []string{"Thanks for sorting it out so quickly.", "Much better this time.", "Appreciated the call back."}
	stillUnhappy = []string{"Same problem again.", "Still not sorted, to be honest."}
)

func pickWeighted[T any](r *rand.Rand, xs []T, weights []int) T { return xs[weighted(r, weights)] }
