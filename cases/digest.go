package cases

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/metrics"
)

// The managers' daily digest: each morning every manager gets one email
// about the day before below them — the answers, the unhappy customers'
// words, the cases opened and closed — and what is late now. A chain of
// DigestJob jobs, one per day, fans the emails out; a ClaimOnce per day
// makes sure that however many heed processes share the database, and
// however often the chain is restarted, a day's digests go out once.

// DigestJob fans out one day's digests (payload {"day": "2006-01-02"}).
const DigestJob = "cases.digest"

// digestKey merges the chain's restarts into its queued job.
const digestKey = "digest"

// Digest lengths: the lists stop here, the counts do not.
const (
	digestAnswers = 5
	digestCases   = 10
)

// Digest is what one employee reads about one day below them. Counts
// cover the day; Open, Late and the case lists are as at At.
type Digest struct {
	Email    string          `json:"email"`
	Name     string          `json:"name"`
	Unit     string          `json:"unit"`
	UnitName string          `json:"unit_name,omitempty"`
	Day      string          `json:"day"` // 2006-01-02 in the server's zone
	From     time.Time       `json:"from"`
	To       time.Time       `json:"to"`
	At       time.Time       `json:"at"`
	Surveys  []DigestSurvey  `json:"surveys"`
	Unhappy  []DigestAnswer  `json:"unhappy"` // the day's newest detractor answers with a comment
	Opened   int             `json:"cases_opened"`
	Closed   int             `json:"cases_closed"`
	Open     int             `json:"cases_open"`
	Late     int             `json:"cases_late"`
	LateList []heed.Case     `json:"late"`      // newest first, up to 10 of Late
	Escal    []heed.Case     `json:"escalated"` // open cases escalated to this employee, up to 10
	Units    []DigestUnitRow `json:"units"`     // the units directly below with open cases, the most late first
	// UnitNames names the units the lists mention, by key.
	UnitNames map[string]string `json:"unit_names"`
}

// NameOf is a unit's name as the digest knows it, else its key.
func (d Digest) NameOf(key string) string { return cmp.Or(d.UnitNames[key], key) }

// DigestSurvey is one survey's answers of the day.
type DigestSurvey struct {
	Survey     string          `json:"survey"`
	Name       string          `json:"name"`
	Kind       heed.SurveyKind `json:"kind"`
	N          int             `json:"n"`
	Detractors int             `json:"detractors"`
	Passives   int             `json:"passives"`
	Promoters  int             `json:"promoters"`
	// Score is the NPS (-100…100), the CSAT share (percent) or the CES
	// mean of the day's answers; a day's sample is small, so N stands
	// beside it.
	Score float64 `json:"score"`
}

// DigestAnswer is one unhappy customer's answer.
type DigestAnswer struct {
	Response     int64  `json:"response"`
	Survey       string `json:"survey"`
	Customer     string `json:"customer,omitempty"`
	CustomerName string `json:"customer_name,omitempty"`
	Unit         string `json:"unit,omitempty"`
	Score        int    `json:"score"`
	Comment      string `json:"comment"`
}

// DigestUnitRow is one unit directly below the reader: its open and late
// cases now, so a regional manager sees which store is behind.
type DigestUnitRow struct {
	Unit string `json:"unit"`
	Name string `json:"name"`
	Open int    `json:"open"`
	Late int    `json:"late"`
}

// Empty reports whether the digest has nothing to say: no answers, no
// case opened or closed, nothing late or escalated. Empty digests are
// not sent.
func (d Digest) Empty() bool {
	return len(d.Surveys) == 0 && d.Opened == 0 && d.Closed == 0 && d.Late == 0 && len(d.Escal) == 0
}

// Answers is the day's number of answers over every survey.
func (d Digest) Answers() int {
	n := 0
	for _, s := range d.Surveys {
		n += s.N
	}
	return n
}

// DigestFor returns the digest employee email (p's own when "") reads
// about day (2006-01-02 in the server's zone; "" for yesterday): the
// preview of the morning email, for the pages, the API and the CLI. An
// admin may read anyone's; everyone else only their own.
func (s *Service) DigestFor(ctx context.Context, p heed.Principal, email, day string) (Digest, error) {
	if err := requireReader(p); err != nil {
		return Digest{}, err
	}
	var e heed.Employee
	var err error
	switch {
	case email == "" && p.EmployeeID == 0:
		return Digest{}, heed.FieldErrorf(heed.EInvalid, "for", "say whose digest: you act as no employee")
	case email == "":
		e, err = s.store.GetEmployeeByID(ctx, p.EmployeeID)
	case p.IsAdmin():
		e, err = s.store.GetEmployee(ctx, heed.NormEmail(email))
	default:
		// Only their own: whether another email is an employee's is
		// none of their business either, so no lookup by it.
		if p.EmployeeID != 0 {
			e, err = s.store.GetEmployeeByID(ctx, p.EmployeeID)
		}
		if err == nil && (p.EmployeeID == 0 || e.Email != heed.NormEmail(email)) {
			return Digest{}, heed.Errorf(heed.EForbidden, "only admins may read another employee's digest")
		}
	}
	if heed.IsNotFound(err) {
		return Digest{}, heed.FieldErrorf(heed.ENotFound, "for", "no employee %q", email)
	}
	if err != nil {
		return Digest{}, err
	}
	d := s.today().add(-1)
	if day != "" {
		if d, err = parseDay(day); err != nil {
			return Digest{}, err
		}
	}
	return s.digest(ctx, e, d)
}

// parseDay reads a day "2006-01-02".
func parseDay(day string) (civilDay, error) {
	d, err := parseCivilDay(day)
	if err != nil {
		return d, heed.FieldErrorf(heed.EInvalid, "day", "day %q is not a date like 2026-03-01", day)
	}
	return d, nil
}

func (s *Service) loc() *time.Location { return cmp.Or(s.cfg.Location, time.Local) }

// today is the date now in the server's zone.
func (s *Service) today() civilDay { return dayOfTime(s.now(), s.loc()) }

// digest builds e's digest of day, seen with e's own rights.
func (s *Service) digest(ctx context.Context, e heed.Employee, day civilDay) (Digest, error) {
	p, unit, err := s.principalOf(ctx, e)
	if err != nil {
		return Digest{}, err
	}
	from, to, now := day.start(s.loc()), day.add(1).start(s.loc()), s.now()
	d := Digest{Email: e.Email, Name: e.Name, Unit: e.Unit, UnitName: unit.Name, Day: day.String(),
		From: from, To: to, At: now, Surveys: []DigestSurvey{}, Unhappy: []DigestAnswer{}, Units: []DigestUnitRow{},
		UnitNames: map[string]string{}}
	scope := p.Scope()
	// Read once: the rows of the units below and the names in the lists.
	units, err := s.store.ListUnits(ctx, scope)
	if err != nil {
		return d, err
	}
	if err := s.digestAnswers(ctx, scope, &d); err != nil {
		return d, err
	}
	if err := s.digestCases(ctx, scope, p.EmployeeID, unitsBelow(unit, units), &d); err != nil {
		return d, err
	}
	nameUnits(units, &d)
	return d, nil
}

// nameUnits fills in the names of the units the digest's lists mention.
func nameUnits(units []heed.Unit, d *Digest) {
	want := map[string]bool{}
	for _, a := range d.Unhappy {
		want[a.Unit] = true
	}
	for _, c := range slices.Concat(d.LateList, d.Escal) {
		want[c.Unit] = true
	}
	for _, u := range units {
		if want[u.Key] {
			d.UnitNames[u.Key] = u.Name
		}
	}
}

// principalOf is e's principal, as signing in would make it, and e's unit.
func (s *Service) principalOf(ctx context.Context, e heed.Employee) (heed.Principal, heed.Unit, error) {
	p := heed.Principal{Kind: heed.KindEmployee, Name: e.Email, Role: e.Role, EmployeeID: e.ID}
	var u heed.Unit
	if e.Unit != "" {
		var err error
		if u, err = s.store.GetUnit(ctx, e.Unit); err != nil {
			return p, u, err
		}
		p.UnitID, p.UnitPath = u.ID, u.Path
	}
	return p, u, nil
}

// digestAnswers counts the day's answers per survey and picks the newest
// unhappy ones with a comment.
func (s *Service) digestAnswers(ctx context.Context, scope heed.Scope, d *Digest) error {
	counts, err := s.store.CountResponses(ctx, scope, heed.ResponseFilter{From: d.From, To: d.To})
	if err != nil {
		return err
	}
	bySurvey := map[int64]*metricsAcc{}
	var order []int64
	for _, c := range counts {
		acc := bySurvey[c.SurveyID]
		if acc == nil {
			sv, err := s.store.GetSurveyByID(ctx, c.SurveyID)
			if err != nil {
				return err
			}
			acc = &metricsAcc{sv: sv}
			bySurvey[c.SurveyID] = acc
			order = append(order, c.SurveyID)
		}
		acc.add(c.Score, c.N)
	}
	for _, id := range order {
		acc := bySurvey[id]
		d.Surveys = append(d.Surveys, acc.figures())
		if acc.row.Detractors == 0 {
			continue // every survey's newest, then the newest of all
		}
		worst := detractorTop(acc.sv.Kind)
		rs, err := s.store.ListResponses(ctx, scope, heed.ResponseFilter{SurveyID: id, From: d.From, To: d.To,
			MaxScore: &worst, HasComment: true, Limit: digestAnswers})
		if err != nil {
			return err
		}
		for _, r := range rs {
			d.Unhappy = append(d.Unhappy, DigestAnswer{Response: r.ID, Survey: acc.sv.Name, Customer: r.Customer,
				Unit: r.Unit, Score: r.Score, Comment: r.Comment})
		}
	}
	slices.SortStableFunc(d.Unhappy, func(a, b DigestAnswer) int { return cmp.Compare(b.Response, a.Response) })
	if len(d.Unhappy) > digestAnswers {
		d.Unhappy = d.Unhappy[:digestAnswers]
	}
	for i, a := range d.Unhappy {
		if a.Customer == "" {
			continue
		}
		if c, err := s.store.GetCustomer(ctx, scope, a.Customer); err == nil {
			d.Unhappy[i].CustomerName = c.Name
		}
	}
	return nil
}

// detractorTop is the highest score that is a detractor's on kind's scale.
func detractorTop(kind heed.SurveyKind) int {
	lo, hi := kind.Scale()
	top := lo
	for sc := lo; sc <= hi; sc++ {
		if metrics.Category(kind, sc) == metrics.Detractor {
			top = sc
		}
	}
	return top
}

// metricsAcc adds up one survey's counts.
type metricsAcc struct {
	sv   heed.Survey
	row  DigestSurvey
	nps  metrics.NPS
	csat metrics.CSAT
	ces  metrics.CES
}

func (a *metricsAcc) add(score, n int) {
	a.row.N += n
	switch metrics.Category(a.sv.Kind, score) {
	case metrics.Detractor:
		a.row.Detractors += n
	case metrics.Passive:
		a.row.Passives += n
	case metrics.Promoter:
		a.row.Promoters += n
	}
	switch a.sv.Kind {
	case heed.SurveyCSAT:
		_ = a.csat.AddN(score, n) // a score off the scale counts in N only
	case heed.SurveyCES:
		_ = a.ces.AddN(score, n)
	default:
		_ = a.nps.AddN(score, n)
	}
}

func (a *metricsAcc) figures() DigestSurvey {
	r := a.row
	r.Survey, r.Name, r.Kind = a.sv.Key, a.sv.Name, a.sv.Kind
	switch a.sv.Kind {
	case heed.SurveyCSAT:
		r.Score = a.csat.Share()
	case heed.SurveyCES:
		r.Score = a.ces.Mean()
	default:
		r.Score = a.nps.Score()
	}
	return r
}

// digestCases counts the day's opened and closed cases and today's open
// and late ones, per unit directly below, and lists the late ones and
// those escalated to the reader.
func (s *Service) digestCases(ctx context.Context, scope heed.Scope, reader int64, below belowUnits, d *Digest) error {
	opened, err := s.store.ListCaseFacts(ctx, scope, heed.CaseFactFilter{From: d.From, To: d.To})
	if err != nil {
		return err
	}
	closed, err := s.store.ListCaseFacts(ctx, scope, heed.CaseFactFilter{ClosedFrom: d.From, ClosedTo: d.To})
	if err != nil {
		return err
	}
	open, err := s.store.ListCaseFacts(ctx, scope, heed.CaseFactFilter{Open: true})
	if err != nil {
		return err
	}
	d.Opened, d.Closed, d.Open = len(opened), len(closed), len(open)
	for _, f := range open {
		late := factLate(f, d.At)
		if late {
			d.Late++
		}
		if row := below.rowOf(f.UnitID); row != nil {
			row.Open++
			if late {
				row.Late++
			}
		}
	}
	for _, r := range below.rows {
		if r.Open > 0 {
			d.Units = append(d.Units, *r)
		}
	}
	slices.SortStableFunc(d.Units, func(a, b DigestUnitRow) int {
		return cmp.Or(cmp.Compare(b.Late, a.Late), cmp.Compare(b.Open, a.Open), cmp.Compare(a.Name, b.Name))
	})
	if d.Late > 0 {
		if d.LateList, err = s.store.ListCases(ctx, scope, heed.CaseFilter{Open: true, LateAt: d.At, Limit: digestCases}); err != nil {
			return err
		}
	}
	if d.LateList == nil {
		d.LateList = []heed.Case{}
	}
	d.Escal, err = s.store.ListCases(ctx, scope, heed.CaseFilter{Open: true, EscalatedTo: reader, Limit: digestCases})
	return err
}

// belowUnits maps every unit under the reader's unit to the row of the
// child it lies under.
type belowUnits struct {
	rows []*DigestUnitRow
	byID map[int64]*DigestUnitRow
}

func (b belowUnits) rowOf(unitID int64) *DigestUnitRow { return b.byID[unitID] }

// unitsBelow is the reader's units one level down, each standing for its
// subtree; none for a reader without a unit. units are those the reader
// sees.
func unitsBelow(unit heed.Unit, units []heed.Unit) belowUnits {
	b := belowUnits{byID: map[int64]*DigestUnitRow{}}
	if unit.ID == 0 {
		return b
	}
	child := map[int64]*DigestUnitRow{} // unit id of a child → its row
	for _, u := range units {
		if u.Depth == unit.Depth+1 && u.Parent == unit.Key {
			row := &DigestUnitRow{Unit: u.Key, Name: u.Name}
			child[u.ID] = row
			b.rows = append(b.rows, row)
		}
	}
	for _, u := range units {
		for _, id := range ancestors(u.Path) {
			if row, ok := child[id]; ok {
				b.byID[u.ID] = row
			}
		}
	}
	return b
}

// digestPayload is a DigestJob's.
type digestPayload struct {
	Day string `json:"day"`
}

// RunDigest is the handler of DigestJob: the first run for a day queues
// one email to every manager (built and sent by EmailJob; an empty one
// is dropped there) and the next day's run; later runs of that day do
// nothing. A run older than yesterday's (the server was down for days)
// sends nothing stale and hands over to yesterday's; a run before this
// process's hour (another process queued it with another --digest-hour)
// waits for it. A process with digests off leaves the run to another
// (a retry), so one such process does not end the chain for all.
func (s *Service) RunDigest(ctx context.Context, job heed.Job) error {
	var pl digestPayload
	if err := json.Unmarshal(job.Payload, &pl); err != nil {
		return jobs.Stop(fmt.Errorf("%s: bad payload: %w", DigestJob, err))
	}
	day, err := parseDay(pl.Day)
	if err != nil {
		return jobs.Stop(fmt.Errorf("%s: %w", DigestJob, err))
	}
	if s.cfg.DigestHour < 0 {
		return errors.New("daily digests are off in this process (--digest-hour -1); a process with them on sends them")
	}
	return s.store.InTx(ctx, func(q heed.Queries) error {
		now, yesterday := s.now(), s.today().add(-1)
		switch {
		case day.before(yesterday):
			s.log.Info("cases: a stale daily digest is not sent", "day", pl.Day)
			return s.queueDigestRun(ctx, q, yesterday, now)
		case now.Before(s.digestAt(day).Add(-time.Minute)):
			_, err := jobs.Enqueue(ctx, q, DigestJob, pl, now, jobs.RunAt(s.digestAt(day)), jobs.Key(digestKey))
			return err
		}
		first, err := q.ClaimOnce(ctx, DigestJob+"/"+pl.Day, now)
		if err != nil {
			return err
		}
		if !first {
			return nil // another run did this day, and queued the next
		}
		n, err := s.queueDigests(ctx, q, pl.Day, now)
		if err != nil {
			return err
		}
		s.log.Info("cases: daily digests queued", "day", pl.Day, "managers", n)
		return s.queueDigestRun(ctx, q, day.add(1), now)
	})
}

// queueDigests queues a digest email to every manager.
func (s *Service) queueDigests(ctx context.Context, q heed.Queries, day string, now time.Time) (int, error) {
	emps, err := q.ListEmployees(ctx, heed.Scope{All: true}, heed.EmployeeFilter{})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range emps {
		if e.Role != heed.RoleManager || e.Unit == "" {
			continue
		}
		if _, err := jobs.Enqueue(ctx, q, EmailJob, emailPayload{Kind: emailDigest, To: e.ID, Day: day}, now); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// queueDigestRun queues the DigestJob of day, to run at DigestHour the
// day after; a queued one for the same day takes it instead.
func (s *Service) queueDigestRun(ctx context.Context, q heed.Queries, day civilDay, now time.Time) error {
	_, err := jobs.Enqueue(ctx, q, DigestJob, digestPayload{Day: day.String()}, now,
		jobs.RunAt(s.digestAt(day)), jobs.Key(digestKey))
	return err
}

// digestAt is when day's digest is due: DigestHour the day after.
func (s *Service) digestAt(day civilDay) time.Time { return day.add(1).at(s.cfg.DigestHour, s.loc()) }

// StartDigests starts (or joins) the chain of daily digests; heed serve
// calls it on start and every hour after. It queues the run due today
// (about yesterday), at DigestHour or at once when that hour has passed —
// a server down at that hour catches up, one that sent it already sends
// nothing twice — and the run due tomorrow, so a chain broken by a dead
// job mends within the hour. Both merge into runs already queued.
// Nothing with DigestHour < 0.
func (s *Service) StartDigests(ctx context.Context) error {
	if s.cfg.DigestHour < 0 {
		return nil
	}
	now, today := s.now(), s.today()
	return s.store.InTx(ctx, func(q heed.Queries) error {
		if err := s.queueDigestRun(ctx, q, today.add(-1), now); err != nil {
			return err
		}
		return s.queueDigestRun(ctx, q, today, now)
	})
}

// ScheduleDigests calls StartDigests now and every hour until ctx ends:
// the digests' keeper in heed serve.
func (s *Service) ScheduleDigests(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := s.StartDigests(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("cases: could not queue the daily digests; trying again within the hour", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
