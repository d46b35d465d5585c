package sampling

import (
	"math"
	"slices"
	"time"
)

// Default contact-pressure rules: a customer is asked by one program at most
// about twice a year and by all programs together at most about once a month.
const (
	DefaultProgramDays = 183
	DefaultGlobalDays  = 30
)

// Rules are a program's eligibility rules. Days are calendar days in the
// location of the "now" passed to Eligible or Select, so a run at 09:00 and
// one at 09:05 make the same decision about a customer asked at 09:03: a
// customer asked exactly ProgramDays (or GlobalDays) calendar days ago is
// eligible again; one asked a day later than that is not.
type Rules struct {
	ProgramDays int // not asked by this program within this many days; <= 0 → DefaultProgramDays
	GlobalDays  int // not asked by any program within this many days; <= 0 → DefaultGlobalDays
}

func (r Rules) programDays() int64 {
	if r.ProgramDays <= 0 {
		return DefaultProgramDays
	}
	return int64(r.ProgramDays)
}

func (r Rules) globalDays() int64 {
	if r.GlobalDays <= 0 {
		return DefaultGlobalDays
	}
	return int64(r.GlobalDays)
}

// Candidate is one customer the service layer loaded for a program. Customer
// IDs are expected to be unique in one call; a repeat is never asked twice
// (see Duplicate).
type Candidate struct {
	CustomerID         int64
	UnitID             int64
	Consent            bool      // customer agreed to be contacted
	Reachable          bool      // has an address for the program's channel (e.g. an email)
	OpenCase           bool      // has an open follow-up case
	LastAskedByProgram time.Time // zero: never asked by this program
	LastAskedAny       time.Time // zero: never asked by any program
}

// Reason is why a candidate was skipped.
type Reason string

// The reasons, in order of precedence: a candidate is counted once, under the
// first that applies. OverQuota means eligible but not chosen today; Duplicate
// means the same customer ID was already chosen through another entry.
const (
	NoConsent      Reason = "no_consent"
	Unreachable    Reason = "unreachable"
	AskedByProgram Reason = "asked_by_program"
	AskedRecently  Reason = "asked_recently"
	OpenCase       Reason = "open_case"
	OverQuota      Reason = "over_quota"
	Duplicate      Reason = "duplicate"
)

// Reasons lists every Reason in order of precedence, for faces that show the
// counts of a Plan in a stable order.
func Reasons() []Reason { return slices.Clone(reasons[:]) }

// reasons is Reasons without the copy, for the per-candidate count.
var reasons = [...]Reason{NoConsent, Unreachable, AskedByProgram, AskedRecently, OpenCase, OverQuota, Duplicate}

// Eligible reports whether c may be asked by a program with rules r at now
// and, when not, the first reason in order of precedence. It never returns
// OverQuota or Duplicate: those depend on the other candidates (see Select).
func Eligible(c Candidate, r Rules, now time.Time) (bool, Reason) {
	loc := now.Location()
	why := check(c, r, dayOf(now, loc), dayOf(c.LastAskedByProgram, loc), dayOf(c.LastAskedAny, loc))
	return why == "", why
}

// never is the day number of a zero time: before every real day, so a
// customer never asked sorts first and is never "asked recently".
const never = math.MinInt64

// check is Eligible on day numbers, so Select converts each time only once.
func check(c Candidate, r Rules, today, prog, anyDay int64) Reason {
	switch {
	case !c.Consent:
		return NoConsent
	case !c.Reachable:
		return Unreachable
	case prog != never && today-prog < r.programDays():
		return AskedByProgram
	case anyDay != never && today-anyDay < r.globalDays():
		return AskedRecently
	case c.OpenCase:
		return OpenCase
	}
	return ""
}

// dayOf is the calendar day of t in loc as a count of days since 1970-01-01,
// or never for the zero time. Counting calendar days rather than 24-hour
// spans keeps the rules independent of the hour of the daily run and of DST.
func dayOf(t time.Time, loc *time.Location) int64 {
	if t.IsZero() {
		return never
	}
	y, m, d := t.In(loc).Date()
	return civilDays(y, int(m), d)
}

// civilDays counts days from 1970-01-01 to the proleptic Gregorian date
// y-m-d (Howard Hinnant's days_from_civil), cheaper than building a time.Time
// for each of a hundred thousand candidates.
func civilDays(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
