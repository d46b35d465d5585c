package demo

import (
	"cmp"
	"context"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/sampling"
	"github.com/heedhq/heed/survey"
)

// The shape of the history: how long, how many answer, how many write a
// reason or answer the extra question.
const (
	historyMonths = 6
	visitRate     = 0.35 // of invitations answered
	careRate      = 0.52
	reasonRate    = 0.70 // of answers with a visit reason
	orderRate     = 0.65 // of visit invitations sent after a purchase, carrying its order number
	batchSize     = 500  // writes per transaction
)

// commentRate is the share of answers with a comment, by band: unhappy
// customers explain themselves more often.
var commentRate = [...]float64{negative: 0.72, neutral: 0.50, positive: 0.60}

// history simulates the programs day by day, as the scheduler would have
// run them, and collects what to write.
type history struct {
	r                   *mrand.Rand
	visit, care         heed.Survey
	visitProg, careProg heed.Program
	cands               []heed.SampleCandidate // every customer, by external id
	sample              []sampling.Candidate   // the same, with when each was last asked
	index               map[int64]int          // customer ID → position in cands
	careLast            []time.Time            // when the care program last asked each
	units               map[int64]string       // unit ID → key
	chars               map[int64]Character    // store unit ID → character
	careUnit            int64
	first, last         int       // days of the history
	today               time.Time // nothing happens from here on
	order               int       // the last order number
	plans               []planned
}

// planned is an invitation and, when it was answered, its response.
type planned struct {
	inv  heed.Invitation
	resp *heed.Response
}

func newHistory(ctx context.Context, store heed.Store, ds Dataset, svs map[string]heed.Survey,
	progs map[string]heed.Program, now time.Time) (*history, error) {
	now = now.UTC()
	h := &history{
		r:     mrand.New(mrand.NewPCG(uint64(ds.Seed), historyStream)),
		visit: svs[StoreVisitSurvey], care: svs[CustomerCareSurvey],
		visitProg: progs[StoreVisitProgram], careProg: progs[CareProgram],
		index: map[int64]int{}, units: map[int64]string{}, chars: map[int64]Character{},
		first: heed.Day(now.AddDate(0, -historyMonths, 0)), last: heed.Day(now) - 1,
		today: heed.DayTime(heed.Day(now)), order: 4_800_000,
	}
	units, err := store.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	byKey := map[string]Character{}
	for _, c := range ds.Characters {
		byKey[c.Unit] = c
	}
	for _, u := range units {
		h.units[u.ID] = u.Key
		if c, ok := byKey[u.Key]; ok {
			h.chars[u.ID] = c
		}
		if u.Key == careUnit {
			h.careUnit = u.ID
		}
	}
	if h.careUnit == 0 {
		return nil, heed.Errorf(heed.EInvalid, "demo: no unit %q: load the demo organisation before its surveys", careUnit)
	}
	return h, h.loadCandidates(ctx, store)
}

// loadCandidates reads every customer the way the program's run would,
// in an order that does not depend on the store.
func (h *history) loadCandidates(ctx context.Context, store heed.Store) error {
	cands, err := store.SampleCandidates(ctx, h.visitProg)
	if err != nil {
		return fmt.Errorf("customers of %s: %w", h.visitProg.Key, err)
	}
	slices.SortFunc(cands, func(a, b heed.SampleCandidate) int { return cmp.Compare(a.ExternalID, b.ExternalID) })
	h.cands, h.careLast = cands, make([]time.Time, len(cands))
	h.sample = make([]sampling.Candidate, len(cands))
	for i, c := range cands {
		h.index[c.CustomerID] = i
		h.sample[i] = sampling.Candidate{CustomerID: c.CustomerID, UnitID: c.UnitID, Consent: c.Consent,
			Reachable: c.Email != "", OpenCase: c.OpenCase}
	}
	return nil
}

// simulate runs both programs on every day of the history.
func (h *history) simulate() {
	period := sampling.Period(h.visitProg.Period)
	var start time.Time
	soFar := 0
	for d := h.first; d <= h.last; d++ {
		day := heed.DayTime(d)
		run := day.Add(9 * time.Hour) // the scheduler's morning run
		if s, _ := period.Bounds(run, time.UTC); !s.Equal(start) {
			start, soFar = s, 0
			if d == h.first && !run.AddDate(0, 0, -1).Before(s) {
				// Started mid-period: as if it had run on the days before,
				// rather than catching the whole period up on day one.
				soFar = sampling.Quota(h.visitProg.Target, period, run.AddDate(0, 0, -1), time.UTC, 0)
			}
		}
		soFar += h.visitDay(run, sampling.Quota(h.visitProg.Target, period, run, time.UTC, soFar))
		h.careDay(day)
	}
}

// visitDay invites the day's quota to the store-visit survey, chosen as
// the program chooses them, and returns how many it invited.
func (h *history) visitDay(run time.Time, quota int) int {
	rules := sampling.Rules{ProgramDays: h.visitProg.ProgramDays, GlobalDays: h.visitProg.GlobalDays}
	plan := sampling.Select(h.sample, rules, quota, h.visitProg.Seed, run)
	for i, c := range plan.Chosen {
		k := h.index[c.CustomerID]
		at := run.Add(time.Duration(i) * 180 * time.Millisecond)
		h.sample[k].LastAskedByProgram, h.sample[k].LastAskedAny = at, at
		var hidden map[string]string
		if h.r.Float64() < orderRate {
			h.order += 1 + h.r.IntN(60)
			hidden = map[string]string{"order": fmt.Sprintf("SO-%07d", h.order)}
		}
		h.invite(k, h.visit, h.visitProg, h.cands[k].UnitID, at, hidden, visitRate)
	}
	return len(plan.Chosen)
}

// careDay invites the customers who contacted customer care that day:
// a few each weekday, fewer at the weekend, none asked too recently.
func (h *history) careDay(day time.Time) {
	n := 3 + h.r.IntN(3)
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		n = h.r.IntN(3)
	}
	rules := sampling.Rules{ProgramDays: h.careProg.ProgramDays, GlobalDays: h.careProg.GlobalDays}
	for range n {
		at := day.Add(8*time.Hour + time.Duration(h.r.Int64N(int64(10*time.Hour))))
		for range 20 { // a random customer, until one may be asked
			k := h.r.IntN(len(h.cands))
			c := h.sample[k]
			c.LastAskedByProgram = h.careLast[k]
			if ok, _ := sampling.Eligible(c, rules, at); ok {
				h.careLast[k], h.sample[k].LastAskedAny = at, at
				h.invite(k, h.care, h.careProg, h.careUnit, at, nil, careRate)
				break
			}
		}
	}
}

// invite plans customer k's invitation at at and, with probability rate,
// their answer.
func (h *history) invite(k int, sv heed.Survey, pr heed.Program, unit int64, at time.Time, hidden map[string]string, rate float64) {
	c := h.cands[k]
	sent := at.Add(time.Duration(2+h.r.IntN(90)) * time.Second)
	inv := heed.Invitation{
		SurveyID: sv.ID, Survey: sv.Key, ProgramID: pr.ID, Program: pr.Key,
		CustomerID: c.CustomerID, Customer: c.ExternalID, UnitID: unit, Channel: heed.ChannelEmail,
		Language: survey.Language(sv, c.Language, ""), Hidden: hidden, Delivery: heed.DeliverySent,
		CreatedAt: at, SentAt: &sent, ExpiresAt: at.AddDate(0, 0, pr.ExpiryDays),
	}
	p := planned{inv: inv}
	if answered, ok := h.respond(&p.inv, rate, pr.ReminderDays); ok {
		if sv.Kind == heed.SurveyNPS {
			p.resp = h.visitAnswer(p.inv, answered)
		} else {
			p.resp = h.careAnswer(p.inv, answered)
		}
	}
	h.plans = append(h.plans, p)
}

// respond decides whether and when inv is answered, and marks it
// reminded and opened accordingly: most answer within hours of the email,
// some over the next two days, a few after the reminder; none today or
// later, which has not happened yet.
func (h *history) respond(inv *heed.Invitation, rate float64, reminderDays int) (time.Time, bool) {
	at := inv.CreatedAt
	remind := at.AddDate(0, 0, reminderDays)
	hours := func(lo, hi float64) time.Duration {
		return time.Duration((lo + (hi-lo)*h.r.Float64()) * float64(time.Hour))
	}
	var answer time.Time
	if h.r.Float64() < rate {
		switch x := h.r.Float64(); {
		case x < 0.55:
			answer = at.Add(hours(0.1, 9))
		case x < 0.75:
			answer = at.Add(hours(24, 36))
		case x < 0.83 || reminderDays <= 0:
			answer = at.Add(hours(48, 60))
		default:
			answer = remind.Add(hours(0.05, 10))
		}
	}
	answered := !answer.IsZero() && answer.Before(h.today)
	if reminderDays > 0 && remind.Before(h.today) && (!answered || !answer.Before(remind)) {
		inv.RemindedAt = &remind
	}
	if answered {
		opened := answer.Add(-time.Duration(1+h.r.IntN(10)) * time.Minute)
		inv.OpenedAt = &opened
		return answer, true
	}
	if opened := at.Add(hours(0.5, 72)); h.r.Float64() < 0.12 && opened.Before(h.today) {
		inv.OpenedAt = &opened // opened, never answered
	}
	return time.Time{}, false
}

// visitAnswer is a store-visit answer at at, drawn from the store's
// character on that day.
func (h *history) visitAnswer(inv heed.Invitation, at time.Time) *heed.Response {
	ch, ok := h.chars[inv.UnitID]
	if !ok { // a customer the demo did not make: an ordinary store
		ch = Character{From: 30, To: 30, Praise: praiseThemes[:2], Complaints: complaintThemes[:2]}
	}
	frac := float64(heed.Day(at)-h.first) / float64(max(1, h.last-h.first))
	score := npsScore(h.r, ch.NPS(frac))
	b := npsBand(score)
	var answers map[string]any
	reason := ""
	if h.r.Float64() < reasonRate {
		reason = visitReason(h.r, inv.Hidden["order"] != "")
		answers = map[string]any{"visit_reason": reason}
	}
	r := h.response(inv, at, score)
	r.Answers = answers
	if h.r.Float64() < commentRate[b] {
		r.Comment = pickComment(h.r, bank(storeComments, inv.Language), b, storeTheme(h.r, ch, b, reason))
	}
	return r
}

// careAnswer is a customer-care answer at at; the team got a little
// better over the months.
func (h *history) careAnswer(inv heed.Invitation, at time.Time) *heed.Response {
	frac := float64(heed.Day(at)-h.first) / float64(max(1, h.last-h.first))
	score := csatScore(h.r, 0.72+0.1*frac)
	b := csatBand(score)
	r := h.response(inv, at, score)
	if h.r.Float64() < commentRate[b] {
		r.Comment = pickComment(h.r, bank(careComments, inv.Language), b, "")
	}
	return r
}

func (h *history) response(inv heed.Invitation, at time.Time, score int) *heed.Response {
	return &heed.Response{
		SurveyID: inv.SurveyID, Survey: inv.Survey, CustomerID: inv.CustomerID, Customer: inv.Customer,
		UnitID: inv.UnitID, Unit: h.units[inv.UnitID], Channel: heed.ChannelEmail, Score: score,
		Hidden: inv.Hidden, Language: inv.Language, CreatedAt: at,
	}
}

// bank is the comments in lang, or in English for a language the demo
// has none in (a survey an admin translated further).
func bank(banks map[string][]comment, lang string) []comment {
	if b, ok := banks[lang]; ok {
		return b
	}
	return banks["en"]
}

// event is a write: an invitation made, or answered.
type event struct {
	at     time.Time
	plan   int
	answer bool
}

// write stores the planned invitations and answers of the fresh surveys
// in time order, so IDs grow with time as they would have live.
func (h *history) write(ctx context.Context, store heed.Store, fresh map[string]bool, rep *LoadReport,
	progress func(done, total int)) error {
	var events []event
	for i, p := range h.plans {
		if !fresh[p.inv.Survey] {
			continue
		}
		events = append(events, event{at: p.inv.CreatedAt, plan: i})
		if p.resp != nil {
			events = append(events, event{at: p.resp.CreatedAt, plan: i, answer: true})
		}
	}
	slices.SortStableFunc(events, func(a, b event) int { return a.at.Compare(b.at) })
	for start := 0; start < len(events); start += batchSize {
		batch := events[start:min(start+batchSize, len(events))]
		var invs, resps int
		err := store.InTx(ctx, func(q heed.Queries) error {
			invs, resps = 0, 0
			for _, e := range batch {
				if err := h.writeEvent(ctx, q, e); err != nil {
					return err
				}
				if e.answer {
					resps++
				} else {
					invs++
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
		rep.Invitations += invs
		rep.Responses += resps
		if progress != nil {
			progress(start+len(batch), len(events))
		}
	}
	if !fresh[StoreVisitSurvey] {
		return nil
	}
	// The program has run every morning, yesterday last.
	err := store.MarkProgramRun(ctx, h.visitProg.ID, heed.DayTime(h.last).Add(9*time.Hour))
	if err != nil {
		return fmt.Errorf("demo history: %w", err)
	}
	return nil
}

func (h *history) writeEvent(ctx context.Context, q heed.Queries, e event) error {
	p := &h.plans[e.plan]
	if e.answer {
		r := *p.resp
		r.InvitationID = p.inv.ID
		_, err := q.CreateResponse(ctx, r, r.CreatedAt)
		return err
	}
	inv := p.inv
	// A link nobody will ever hold (the demo's customers have answered
	// already), random so no one can derive a live one from the seed.
	_, inv.TokenHash = survey.NewToken()
	id, err := q.CreateInvitation(ctx, inv)
	p.inv.ID = id
	return err
}
