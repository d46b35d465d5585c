package survey

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
	"github.com/heedhq/heed/sampling"
)

// SampleReport is what one run of a program decided: how many it wanted
// today, whom it asked (or would ask, in a dry run) and why the rest of
// the population was skipped.
type SampleReport struct {
	Program     string         `json:"program"`
	Survey      string         `json:"survey"`
	Day         string         `json:"day"`
	DryRun      bool           `json:"dry_run"`
	Population  int            `json:"population"`
	Eligible    int            `json:"eligible"`
	Quota       int            `json:"quota"`
	Invited     int            `json:"invited"`          // 0 in a dry run
	Chosen      []string       `json:"chosen"`           // external ids, in the order they are asked
	Skipped     map[string]int `json:"skipped"`          // customers per reason
	PeriodFrom  string         `json:"period_from"`      // the period the target is spread over
	PeriodSoFar int            `json:"period_so_far"`    // invited earlier in the period
	Strata      []StratumView  `json:"strata,omitempty"` // stratified programs: the plan per unit
}

// StratumView is a unit's line of a stratified plan.
type StratumView struct {
	Unit string `json:"unit"`
	sampling.Stratum
	Customers int `json:"customers"` // the unit's customers in the population
	Today     int `json:"today"`     // invitations due today
}

// MarshalJSON writes an unreachable margin (+Inf) as null.
func (v StratumView) MarshalJSON() ([]byte, error) {
	type out struct {
		Unit            string   `json:"unit"`
		Customers       int      `json:"customers"`
		ResponseRate    float64  `json:"response_rate"`
		NeededAnswers   int      `json:"needed_answers"`
		Invitations     int      `json:"invitations"`
		PerDay          float64  `json:"per_day"`
		Today           int      `json:"today"`
		ExpectedAnswers float64  `json:"expected_answers"`
		ExpectedMargin  *float64 `json:"expected_margin"`
		Reachable       bool     `json:"reachable"`
		Why             string   `json:"why,omitempty"`
	}
	o := out{Unit: v.Unit, Customers: v.Customers, ResponseRate: *round(v.ResponseRate), NeededAnswers: v.NeededAnswers,
		Invitations: v.Invitations, PerDay: *round(v.PerDay), Today: v.Today,
		ExpectedAnswers: *round(v.ExpectedAnswers), Reachable: v.Reachable, Why: v.Why}
	if m := v.ExpectedMargin; m < 1e9 {
		o.ExpectedMargin = round(m)
	}
	return json.Marshal(o)
}

// Sample runs program key for today: it picks whom to ask and, unless
// dryRun, creates their invitations and queues their emails in one
// transaction. Running again the same day asks nobody new: today's quota
// counts the invitations already made in the period. Admins only.
func (s *Service) Sample(ctx context.Context, p heed.Principal, key string, dryRun bool) (SampleReport, error) {
	if err := requireAdmin(p, "run programs"); err != nil {
		return SampleReport{}, err
	}
	if dryRun {
		return s.sample(ctx, s.store, key, true)
	}
	var rep SampleReport
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		var err error
		rep, err = s.sample(ctx, q, key, false)
		return err
	})
	return rep, err
}

func (s *Service) sample(ctx context.Context, q heed.Queries, key string, dryRun bool) (SampleReport, error) {
	now := s.now()
	pr, err := q.GetProgram(ctx, key)
	if err != nil {
		return SampleReport{}, err
	}
	sv, err := q.GetSurvey(ctx, pr.Survey)
	if err != nil {
		return SampleReport{}, err
	}
	if !dryRun {
		// Makes runs take turns (on PostgreSQL a lock until commit; on
		// SQLite the single writer), so a second run counts the first
		// one's invitations, for its quota and for the fatigue rules.
		if err := q.MarkProgramRun(ctx, pr.ID, now); err != nil {
			return SampleReport{}, err
		}
	}
	rep := SampleReport{Program: pr.Key, Survey: pr.Survey, Day: now.Format(time.DateOnly), DryRun: dryRun, Chosen: []string{}}
	stored, err := q.SampleCandidates(ctx, pr)
	if err != nil {
		return rep, err
	}
	stored = matchAttributes(stored, pr.Attributes)
	rep.Population = len(stored)
	cands := make([]sampling.Candidate, len(stored))
	byID := make(map[int64]heed.SampleCandidate, len(stored))
	for i, c := range stored {
		cands[i] = sampling.Candidate{
			CustomerID: c.CustomerID, UnitID: c.UnitID, Consent: c.Consent, Reachable: c.Email != "",
			OpenCase: c.OpenCase, LastAskedByProgram: c.LastAskedByProgram, LastAskedAny: c.LastAskedAny,
		}
		byID[c.CustomerID] = c
	}
	plan, err := s.plan(ctx, q, pr, sv, cands, now, &rep)
	if err != nil {
		return rep, err
	}
	rep.Eligible, rep.Quota = plan.Eligible, plan.Quota
	rep.Skipped = map[string]int{}
	for r, n := range plan.Skipped {
		rep.Skipped[string(r)] = n
	}
	for _, c := range plan.Chosen {
		rep.Chosen = append(rep.Chosen, byID[c.CustomerID].ExternalID)
	}
	if dryRun {
		return rep, nil
	}
	return rep, s.inviteChosen(ctx, q, pr, sv, plan.Chosen, byID, now, &rep)
}

// plan decides today's choice, flat or stratified by unit.
func (s *Service) plan(ctx context.Context, q heed.Queries, pr heed.Program, sv heed.Survey, cands []sampling.Candidate, now time.Time, rep *SampleReport) (sampling.Plan, error) {
	loc := now.Location()
	period := sampling.Period(pr.Period)
	start, _ := period.Bounds(now, loc)
	rep.PeriodFrom = start.Format(time.DateOnly)
	rules := sampling.Rules{ProgramDays: pr.ProgramDays, GlobalDays: pr.GlobalDays}
	soFar, err := q.CountInvitations(ctx, pr.ID, start, now.Add(time.Second))
	if err != nil {
		return sampling.Plan{}, err
	}
	perUnit := map[int64]int{}
	for _, c := range soFar {
		perUnit[c.UnitID] += c.Invited
		rep.PeriodSoFar += c.Invited
	}
	if pr.Margin <= 0 {
		quota := sampling.Quota(pr.Target, period, now, loc, rep.PeriodSoFar)
		return sampling.Select(cands, rules, quota, pr.Seed, now), nil
	}
	stats, err := s.unitStats(ctx, q, pr, sv, cands, rules, perUnit, now)
	if err != nil {
		return sampling.Plan{}, err
	}
	strata := sampling.PlanStrata(stats, sampling.Goal{Margin: pr.Margin, Period: period}, period.Days(now, loc))
	quotas := sampling.StrataQuota(strata, period, now, loc, perUnit)
	if err := s.describeStrata(ctx, q, strata, stats, quotas, rep); err != nil {
		return sampling.Plan{}, err
	}
	return sampling.SelectStratified(cands, rules, quotas, pr.Seed, now), nil
}

// unitStats gathers what the stratified planner needs per unit: its
// population, who is eligible this period (those already invited in it
// count, so the plan does not shrink as it is carried out), its response
// rate over the last year and, for NPS, the observed variance.
func (s *Service) unitStats(ctx context.Context, q heed.Queries, pr heed.Program, sv heed.Survey, cands []sampling.Candidate,
	rules sampling.Rules, invitedThisPeriod map[int64]int, now time.Time) ([]sampling.UnitStat, error) {
	byUnit := map[int64]*sampling.UnitStat{}
	for _, c := range cands {
		u := byUnit[c.UnitID]
		if u == nil {
			u = &sampling.UnitStat{UnitID: c.UnitID}
			byUnit[c.UnitID] = u
		}
		u.Customers++
		if ok, _ := sampling.Eligible(c, rules, now); ok {
			u.Eligible++
		}
	}
	history, err := q.CountInvitations(ctx, pr.ID, now.AddDate(-1, 0, 0), now.Add(time.Second))
	if err != nil {
		return nil, err
	}
	for _, h := range history {
		if u := byUnit[h.UnitID]; u != nil {
			u.Invited += h.Invited
			u.Answered += h.Answered
		}
	}
	variance, err := s.npsVariance(ctx, q, sv, now)
	if err != nil {
		return nil, err
	}
	out := make([]sampling.UnitStat, 0, len(byUnit))
	for _, id := range slices.Sorted(maps.Keys(byUnit)) {
		u := byUnit[id]
		u.Eligible += invitedThisPeriod[id]
		u.Variance = variance[id]
		out = append(out, *u)
	}
	return out, nil
}

// npsVariance is each unit's variance of the ±1 NPS coding over the last
// year, when it has at least the minimum sample; the planner assumes the
// worst case for the others.
func (s *Service) npsVariance(ctx context.Context, q heed.Queries, sv heed.Survey, now time.Time) (map[int64]float64, error) {
	if sv.Kind != heed.SurveyNPS {
		return nil, nil
	}
	counts, err := q.ScoreCounts(ctx, heed.CountFilter{SurveyID: sv.ID, Scope: heed.Scope{All: true},
		FromDay: heed.Day(now.AddDate(-1, 0, 0)), ToDay: heed.Day(now), GroupBy: "unit"})
	if err != nil {
		return nil, err
	}
	per := map[int64][]heed.ScoreCount{}
	for _, c := range counts {
		per[c.UnitID] = append(per[c.UnitID], c)
	}
	out := map[int64]float64{}
	for id, cs := range per {
		// A unit everyone rated alike has variance 0, which would plan a
		// single answer: keep a floor.
		if n := npsOf(cs); !metrics.Insufficient(n.N, metrics.MinSample) {
			out[id] = max(0.01, n.Variance())
		}
	}
	return out, nil
}

func (s *Service) describeStrata(ctx context.Context, q heed.Queries, strata []sampling.Stratum, stats []sampling.UnitStat,
	quotas map[int64]int, rep *SampleReport) error {
	customers := make(map[int64]int, len(stats))
	for _, u := range stats {
		customers[u.UnitID] = u.Customers
	}
	units, err := q.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		return err
	}
	keys := make(map[int64]string, len(units))
	for _, u := range units {
		keys[u.ID] = u.Key
	}
	for _, st := range strata {
		rep.Strata = append(rep.Strata, StratumView{Unit: keys[st.UnitID], Stratum: st, Customers: customers[st.UnitID], Today: quotas[st.UnitID]})
	}
	return nil
}

func (s *Service) inviteChosen(ctx context.Context, q heed.Queries, pr heed.Program, sv heed.Survey, chosen []sampling.Candidate,
	byID map[int64]heed.SampleCandidate, now time.Time, rep *SampleReport) error {
	reminder := pr.ReminderDays
	for _, c := range chosen {
		sc := byID[c.CustomerID]
		inv := heed.Invitation{
			SurveyID: sv.ID, Survey: sv.Key, ProgramID: pr.ID, Program: pr.Key,
			CustomerID: sc.CustomerID, Customer: sc.ExternalID, UnitID: sc.UnitID,
			Channel: heed.ChannelEmail, Language: Language(sv, sc.Language, ""),
		}
		if _, err := s.createInvitation(ctx, q, &inv, pr.ExpiryDays, reminder, now); err != nil {
			return fmt.Errorf("survey: program %s: %w", pr.Key, err)
		}
		rep.Invited++
	}
	return nil
}

// matchAttributes keeps the candidates whose attributes hold every pair
// of want (compared as text: "gold" matches "gold", 3 matches "3").
func matchAttributes(cands []heed.SampleCandidate, want map[string]string) []heed.SampleCandidate {
	if len(want) == 0 {
		return cands
	}
	out := cands[:0]
	for _, c := range cands {
		var attrs map[string]any
		dec := json.NewDecoder(bytes.NewReader(c.Attributes))
		dec.UseNumber() // 1234567 stays "1234567", not "1.234567e+06"
		if dec.Decode(&attrs) != nil {
			continue
		}
		ok := true
		for k, v := range want {
			ok = ok && attrs[k] != nil && fmt.Sprint(attrs[k]) == v
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// RunPrograms runs every active program once (the scheduler inside heed
// serve calls it periodically; a run that finds today's quota met asks
// nobody) and returns what each did. One failing program does not stop
// the others.
func (s *Service) RunPrograms(ctx context.Context) ([]SampleReport, error) {
	progs, err := s.store.ListPrograms(ctx)
	if err != nil {
		return nil, err
	}
	var reps []SampleReport
	var firstErr error
	for _, pr := range progs {
		if !pr.Active {
			continue
		}
		rep, err := s.Sample(ctx, heed.System(), pr.Key, false)
		if err != nil {
			s.log.Error("survey: program run failed", "program", pr.Key, "error", err)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if rep.Invited > 0 {
			s.log.Info("survey: program run", "program", pr.Key, "invited", rep.Invited, "quota", rep.Quota, "eligible", rep.Eligible)
		}
		reps = append(reps, rep)
	}
	return reps, firstErr
}

// Schedule runs the active programs now and then every interval until ctx
// ends: the scheduler of heed serve.
func (s *Service) Schedule(ctx context.Context, interval time.Duration) {
	for {
		if _, err := s.RunPrograms(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("survey: scheduler run had errors", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
