package sqlstore

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// surveyDefinition is the part of a survey stored as one JSON document
// (surveys.definition): always read and written whole, never queried.
type surveyDefinition struct {
	Language  string                     `json:"language"`
	Texts     map[string]heed.SurveyText `json:"texts"`
	Questions []heed.Question            `json:"questions"`
	Hidden    []string                   `json:"hidden"`
	Origins   []string                   `json:"origins"`
	OpenLink  bool                       `json:"open_link"`
	Reward    bool                       `json:"reward"`
}

// CheckSurvey refuses a survey without a key or of an unknown kind.
func CheckSurvey(s heed.Survey) error {
	if s.Key == "" {
		return heed.FieldErrorf(heed.EInvalid, "key", "a survey needs a key")
	}
	if !s.Kind.Valid() {
		return heed.FieldErrorf(heed.EInvalid, "kind", "unknown survey kind %q", s.Kind)
	}
	return nil
}

// SurveyDefinition is the JSON document both stores keep for s.
func SurveyDefinition(s heed.Survey) (string, error) {
	return encodeJSON(surveyDefinition{Language: s.Language, Texts: s.Texts, Questions: s.Questions,
		Hidden: s.Hidden, Origins: s.Origins, OpenLink: s.OpenLink, Reward: s.Reward}, "definition")
}

// DecodeSurvey fills s from its stored definition. Lists and maps read
// back empty, never nil, so JSON shows [] and {} on either engine.
func DecodeSurvey(def string, s *heed.Survey) error {
	var d surveyDefinition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return heed.Internal(err, "decode survey definition")
	}
	s.Language, s.OpenLink, s.Reward = d.Language, d.OpenLink, d.Reward
	s.Texts, s.Questions = orEmptyMap(d.Texts), orEmpty(d.Questions)
	s.Hidden, s.Origins = orEmpty(d.Hidden), orEmpty(d.Origins)
	return nil
}

// UpdatedKind is the kind an update of a survey stored as stored keeps:
// a survey's kind never changes, so s.Kind must be stored's or "".
func UpdatedKind(s heed.Survey, stored heed.SurveyKind) (heed.SurveyKind, error) {
	if s.Kind != "" && s.Kind != stored {
		return "", heed.FieldErrorf(heed.EInvalid, "kind", "survey %q is of kind %s, which cannot change", s.Key, stored)
	}
	return stored, nil
}

// SurveyKeyTaken is the error for a new survey or program whose key is in
// use.
func SurveyKeyTaken(what, key string) error {
	return heed.FieldErrorf(heed.EConflict, "key", "%s key %q is taken", what, key)
}

// SurveyNotFound and ProgramNotFound are the errors for a key or id that
// names nothing; id is used when key is "".
func SurveyNotFound(key string, id int64) error { return notFound("survey", key, id) }

// ProgramNotFound: see SurveyNotFound.
func ProgramNotFound(key string, id int64) error { return notFound("program", key, id) }

func notFound(what, key string, id int64) error {
	if key == "" {
		return heed.Errorf(heed.ENotFound, "no %s with id %d", what, id)
	}
	return heed.Errorf(heed.ENotFound, "no %s %q", what, key)
}

// programDefinition is the part of a program stored as one JSON document
// (programs.definition): everything but its key, name, survey and switch.
type programDefinition struct {
	Channel      string            `json:"channel"`
	Units        []string          `json:"units"`
	Segments     []string          `json:"segments"`
	Attributes   map[string]string `json:"attributes"`
	Target       int               `json:"target"`
	Period       string            `json:"period"`
	Margin       float64           `json:"margin"`
	ProgramDays  int               `json:"program_days"`
	GlobalDays   int               `json:"global_days"`
	ReminderDays int               `json:"reminder_days"`
	ExpiryDays   int               `json:"expiry_days"`
	Seed         int64             `json:"seed"`
	// Service levels (issue 5); absent in older rows, which read as 0:
	// the defaults.
	FirstContactHours int `json:"first_contact_hours,omitempty"`
	ResolveDays       int `json:"resolve_days,omitempty"`
	ResurveyDays      int `json:"resurvey_days,omitempty"`
}

// CheckProgram refuses a program without a key or a survey.
func CheckProgram(p heed.Program) error {
	if p.Key == "" {
		return heed.FieldErrorf(heed.EInvalid, "key", "a program needs a key")
	}
	if p.Survey == "" {
		return heed.FieldErrorf(heed.EInvalid, "survey", "a program needs a survey")
	}
	return nil
}

// ProgramSurveyNotFound is the error for a program naming an unknown
// survey.
func ProgramSurveyNotFound(key string) error { return KeyNotFound("survey", "survey", key) }

// ProgramDefinition is the JSON document both stores keep for p.
func ProgramDefinition(p heed.Program) (string, error) {
	return encodeJSON(programDefinition{Channel: p.Channel, Units: p.Units, Segments: p.Segments,
		Attributes: p.Attributes, Target: p.Target, Period: p.Period, Margin: p.Margin,
		ProgramDays: p.ProgramDays, GlobalDays: p.GlobalDays, ReminderDays: p.ReminderDays,
		ExpiryDays: p.ExpiryDays, Seed: p.Seed, FirstContactHours: p.FirstContactHours,
		ResolveDays: p.ResolveDays, ResurveyDays: p.ResurveyDays}, "margin")
}

// DecodeProgram fills p from its stored definition; lists and maps read
// back empty, never nil.
func DecodeProgram(def string, p *heed.Program) error {
	var d programDefinition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return heed.Internal(err, "decode program definition")
	}
	p.Channel, p.Target, p.Period, p.Margin = d.Channel, d.Target, d.Period, d.Margin
	p.Units, p.Segments, p.Attributes = orEmpty(d.Units), orEmpty(d.Segments), orEmptyMap(d.Attributes)
	p.ProgramDays, p.GlobalDays, p.ReminderDays, p.ExpiryDays = d.ProgramDays, d.GlobalDays, d.ReminderDays, d.ExpiryDays
	p.Seed = d.Seed
	p.FirstContactHours, p.ResolveDays, p.ResurveyDays = d.FirstContactHours, d.ResolveDays, d.ResurveyDays
	return nil
}

// CheckRewardCodes refuses an empty code: it could never be shown.
func CheckRewardCodes(codes []string) error {
	for _, c := range codes {
		if strings.TrimSpace(c) == "" {
			return heed.FieldErrorf(heed.EInvalid, "codes", "a reward code cannot be empty")
		}
	}
	return nil
}

// NoRewardCodeLeft is the error for a survey whose pool is used up.
func NoRewardCodeLeft(surveyID int64) error {
	return heed.Errorf(heed.ENotFound, "no reward code left for survey %d", surveyID)
}

// encodeJSON marshals v as stored: compact, with <, > and & as typed
// (HTML escaping is the pages' business, not the store's). Only a value
// JSON cannot hold fails (a NaN margin): EInvalid on field.
func encodeJSON(v any, field string) (string, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", heed.FieldErrorf(heed.EInvalid, field, "cannot be stored as JSON: %v", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func orEmptyMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}

// SampleCandidatesSQL is the statement SampleCandidates runs: the
// customers of p's population (the subtrees of p.Units, looked up with
// unitPath: ENotFound on field "units" for an unknown key; p.Segments),
// by id, each with whether they have an open case, when p last asked
// them and when any program did, in the columns of the engines'
// scanSampleCandidate. attributes is the attributes column as text
// ("c.attributes" or "c.attributes::text"). The open case and both
// last-asked times are correlated subqueries that the indexes
// cases_customer, invitations_customer_program and invitations_customer
// answer with one probe per customer; no case or invitation is read
// twice.
func SampleCandidatesSQL(ctx context.Context, p heed.Program, a *Args, unitPath PathLookup, attributes string) (string, error) {
	stmt := `SELECT c.id, c.external_id, c.unit_id, c.email, c.language, c.segment, ` + attributes + `, c.consent,
	EXISTS (SELECT 1 FROM cases k WHERE k.customer_id = c.id AND ` + CaseOpen("k") + `),
	(SELECT MAX(i.created_at) FROM invitations i WHERE i.customer_id = c.id AND i.program_id = ` + a.Add(p.ID) + `),
	(SELECT MAX(i.created_at) FROM invitations i WHERE i.customer_id = c.id)
	FROM customers c`
	var where []string
	if len(p.Units) > 0 {
		var units []string
		for _, key := range p.Units {
			path, found, err := unitPath(ctx, key)
			if err != nil {
				return "", err
			}
			if !found {
				return "", KeyNotFound("units", "unit", key)
			}
			units = append(units, subtreeWhere(path, a, "u.path"))
		}
		stmt += ` JOIN units u ON u.id = c.unit_id`
		where = append(where, "("+strings.Join(units, " OR ")+")")
	}
	if len(p.Segments) > 0 {
		marks := make([]string, len(p.Segments))
		for i, s := range p.Segments {
			marks[i] = a.Add(s)
		}
		where = append(where, "c.segment IN ("+strings.Join(marks, ", ")+")")
	}
	if len(where) > 0 {
		stmt += ` WHERE ` + strings.Join(where, " AND ")
	}
	return stmt + ` ORDER BY c.id`, nil
}

// MissingReference is the error for a write naming a survey, program,
// customer, unit or invitation id that does not exist (a foreign key
// violation): the caller resolved a key it should not have trusted.
func MissingReference(what string) error {
	return heed.Errorf(heed.ENotFound, "%s refers to a survey, program, customer, unit or invitation that does not exist", what)
}

// InvitationSelect reads an invitation with its survey's and program's
// keys and its customer's external id, in the columns of the engines'
// scanInvitation; callers append WHERE over i, c (the customer) and u
// (the invitation's unit), whose columns InvitationScope names.
const InvitationSelect = `SELECT i.id, i.survey_id, s.key, COALESCE(i.program_id, 0), COALESCE(p.key, ''),
	i.customer_id, c.external_id, i.unit_id, i.channel, i.language, i.hidden, i.token_hash, i.delivery, i.error,
	i.created_at, i.sent_at, i.reminded_at, i.opened_at, i.answered_at, i.expires_at
	FROM invitations i JOIN surveys s ON s.id = i.survey_id LEFT JOIN programs p ON p.id = i.program_id
	JOIN customers c ON c.id = i.customer_id JOIN units u ON u.id = i.unit_id`

// InvitationScope names the columns a scope checks in InvitationSelect:
// the invitation's unit, or the customer's owner, as for customers.
func InvitationScope() ScopeColumns {
	return ScopeColumns{UnitID: "i.unit_id", UnitPath: "u.path", OwnerID: "c.owner_id"}
}

// CheckInvitation refuses an invitation missing what it cannot be sent
// or answered without.
func CheckInvitation(inv heed.Invitation) error {
	switch {
	case inv.SurveyID == 0:
		return heed.FieldErrorf(heed.EInvalid, "survey", "an invitation needs a survey")
	case inv.CustomerID == 0:
		return heed.FieldErrorf(heed.EInvalid, "customer", "an invitation needs a customer")
	case inv.TokenHash == "":
		return heed.FieldErrorf(heed.EInvalid, "token", "an invitation needs a token hash")
	case inv.CreatedAt.IsZero() || inv.ExpiresAt.IsZero():
		return heed.FieldErrorf(heed.EInvalid, "expires_at", "an invitation needs its creation and expiry times")
	}
	return CheckDelivery(inv.Delivery)
}

// CheckDelivery refuses a delivery state heed does not know.
func CheckDelivery(d heed.Delivery) error {
	switch d {
	case heed.DeliveryNone, heed.DeliveryQueued, heed.DeliverySent, heed.DeliveryFailed,
		heed.DeliveryBounced, heed.DeliveryDead, heed.DeliverySkipped:
		return nil
	}
	return heed.FieldErrorf(heed.EInvalid, "delivery", "unknown delivery state %q", d)
}

// InvitationTokenTaken is the error for a token hash already in use, which
// only a broken token generator could cause.
func InvitationTokenTaken() error {
	return heed.FieldErrorf(heed.EConflict, "token", "an invitation with this token exists")
}

// InvitationNotFound is the error for an invitation id or token that names
// nothing.
func InvitationNotFound() error { return heed.Errorf(heed.ENotFound, "no such invitation") }

// InvitationWhere is the condition of an invitation list: the scope (see
// InvitationScope) and f's filters, arguments added to a.
func InvitationWhere(s heed.Scope, f heed.InvitationFilter, a *Args) string {
	where := []string{ScopeWhere(s, a, InvitationScope())}
	if f.SurveyID != 0 {
		where = append(where, "i.survey_id = "+a.Add(f.SurveyID))
	}
	if f.ProgramID != 0 {
		where = append(where, "i.program_id = "+a.Add(f.ProgramID))
	}
	if f.Delivery != "" {
		where = append(where, "i.delivery = "+a.Add(string(f.Delivery)))
	}
	if f.BeforeID > 0 {
		where = append(where, "i.id < "+a.Add(f.BeforeID))
	}
	return strings.Join(where, " AND ")
}

// EncodeHidden is the stored form of hidden fields: a JSON object, {}
// for none.
func EncodeHidden(h map[string]string) string {
	s, _ := encodeJSON(orEmptyMap(h), "hidden") // strings always encode
	return s
}

// DecodeHidden reads hidden fields stored by EncodeHidden.
func DecodeHidden(s string) (map[string]string, error) {
	var h map[string]string
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return nil, heed.Internal(err, "decode hidden fields")
	}
	return h, nil
}

// ResponseSelect reads a response with its survey's key, its customer's
// external id and its unit's key, in the columns of the engines'
// scanResponse; callers append WHERE over r, c and u, whose columns
// ResponseScope names. A response may have neither customer nor unit.
const ResponseSelect = `SELECT r.id, r.survey_id, s.key, COALESCE(r.invitation_id, 0), COALESCE(r.customer_id, 0),
	COALESCE(c.external_id, ''), COALESCE(r.unit_id, 0), COALESCE(u.key, ''), r.channel, r.score, r.comment,
	r.answers, r.hidden, r.language, COALESCE(r.external_id, ''), r.created_at, r.updated_at
	FROM responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN customers c ON c.id = r.customer_id
	LEFT JOIN units u ON u.id = r.unit_id`

// ResponseScope names the columns a scope checks in ResponseSelect: the
// response's unit, or its customer's owner. A response with neither is
// NULL on all three, so only Scope.All sees it.
func ResponseScope() ScopeColumns {
	return ScopeColumns{UnitID: "r.unit_id", UnitPath: "u.path", OwnerID: "c.owner_id"}
}

// ResponseRow is what both stores write of a response: checked, its
// answers and hidden fields encoded, its times settled.
type ResponseRow struct {
	Answers, Hidden      string
	CreatedAt, UpdatedAt time.Time
	Day                  int // of CreatedAt: where its count goes
}

// NewResponseRow checks a new response r and encodes what it stores. A
// response keeps the time it was first answered, r.CreatedAt (an
// import's own) or now.
func NewResponseRow(r heed.Response, now time.Time) (ResponseRow, error) {
	if r.SurveyID == 0 {
		return ResponseRow{}, heed.FieldErrorf(heed.EInvalid, "survey", "a response needs a survey")
	}
	row, err := ChangedResponseRow(r, now)
	if err != nil {
		return ResponseRow{}, err
	}
	if !r.CreatedAt.IsZero() {
		row.CreatedAt = r.CreatedAt.UTC().Truncate(time.Microsecond)
		row.Day = heed.Day(row.CreatedAt)
	}
	return row, nil
}

// ChangedResponseRow checks a response r rewritten at now (by create or
// update) and encodes what it stores; CreatedAt and Day are now's.
func ChangedResponseRow(r heed.Response, now time.Time) (ResponseRow, error) {
	if err := CheckText("comment", r.Comment, "language", r.Language, "channel", r.Channel,
		"external_id", r.ExternalID); err != nil {
		return ResponseRow{}, err
	}
	answers, err := EncodeAnswers(r.Answers)
	if err != nil {
		return ResponseRow{}, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	return ResponseRow{Answers: answers, Hidden: EncodeHidden(r.Hidden), CreatedAt: now, UpdatedAt: now,
		Day: heed.Day(now)}, nil
}

// CheckText refuses text a respondent typed that PostgreSQL cannot store
// (NUL, invalid UTF-8), on both engines alike. fieldsAndValues pairs each
// field's name with its value; the first bad one is named.
func CheckText(fieldsAndValues ...string) error {
	for i := 0; i+1 < len(fieldsAndValues); i += 2 {
		v := fieldsAndValues[i+1]
		if heed.TextProblem(v) != "" {
			return heed.FieldErrorf(heed.EInvalid, fieldsAndValues[i], "must be UTF-8 text without NUL characters")
		}
	}
	return nil
}

// EncodeAnswers is the stored form of a response's answers, a JSON
// object ({} for none) whose values are strings or lists of strings.
func EncodeAnswers(answers map[string]any) (string, error) {
	for id, v := range answers {
		switch x := v.(type) {
		case string, []string:
		case []any:
			for _, e := range x {
				if _, ok := e.(string); !ok {
					return "", heed.FieldErrorf(heed.EInvalid, "answers", "answer %q must be text or a list of texts", id)
				}
			}
		default:
			return "", heed.FieldErrorf(heed.EInvalid, "answers", "answer %q must be text or a list of texts", id)
		}
	}
	return encodeJSON(orEmptyMap(answers), "answers")
}

// DecodeAnswers reads answers stored by EncodeAnswers: each value a
// string or a []string, as they were given.
func DecodeAnswers(s string) (map[string]any, error) {
	var raw map[string]any
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, heed.Internal(err, "decode answers")
	}
	for id, v := range raw {
		if list, ok := v.([]any); ok {
			strs := make([]string, 0, len(list))
			for _, e := range list {
				str, _ := e.(string)
				strs = append(strs, str)
			}
			raw[id] = strs
		}
	}
	return raw, nil
}

// ResponseConflict is the error for a response refused by a unique key:
// its invitation is answered (invitationAnswered) or its survey has a
// response with its external id.
func ResponseConflict(r heed.Response, invitationAnswered bool) error {
	if invitationAnswered {
		return heed.FieldErrorf(heed.EConflict, "invitation_id", "invitation %d is answered already", r.InvitationID)
	}
	return heed.FieldErrorf(heed.EConflict, "external_id", "the survey has a response with external id %q", r.ExternalID)
}

// ResponseNotFound is the error for a response that does not exist or
// that the reader may not see.
func ResponseNotFound() error { return heed.Errorf(heed.ENotFound, "no such response") }

// ResponseWhere is the condition of a response list: the scope (see
// ResponseScope), f's unit subtree (ENotFound on field "unit" for an
// unknown key) and filters, arguments added to a; times go through
// timeArg, the engine's encoding.
func ResponseWhere(ctx context.Context, s heed.Scope, f heed.ResponseFilter, a *Args, unitPath PathLookup,
	timeArg func(time.Time) any) (string, error) {
	where, err := ListWhere(ctx, s, f.Unit, a, ResponseScope(), unitPath)
	if err != nil {
		return "", err
	}
	conds := []string{where}
	add := func(cond string, v any) { conds = append(conds, cond+a.Add(v)) }
	if f.SurveyID != 0 {
		add("r.survey_id = ", f.SurveyID)
	}
	if f.CustomerID != 0 {
		add("r.customer_id = ", f.CustomerID)
	}
	if !f.From.IsZero() {
		add("r.created_at >= ", timeArg(f.From))
	}
	if !f.To.IsZero() {
		add("r.created_at < ", timeArg(f.To))
	}
	if f.MinScore != nil {
		add("r.score >= ", *f.MinScore)
	}
	if f.MaxScore != nil {
		add("r.score <= ", *f.MaxScore)
	}
	if f.HasComment {
		conds = append(conds, "r.comment <> ''")
	}
	if f.BeforeID > 0 {
		add("r.id < ", f.BeforeID)
	}
	return strings.Join(conds, " AND "), nil
}

// CountResponsesSQL is the statement of CountResponses over the where
// of ResponseWhere (its BeforeID ignored by the caller): survey id,
// score, count.
func CountResponsesSQL(where string) string {
	return `SELECT r.survey_id, r.score, COUNT(*) FROM responses r JOIN surveys s ON s.id = r.survey_id
	LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN units u ON u.id = r.unit_id
	WHERE ` + where + ` GROUP BY r.survey_id, r.score ORDER BY r.survey_id, r.score`
}

// OnceKey checks the key of ClaimOnce.
func OnceKey(key string) error {
	if key == "" || len(key) > 200 || strings.ContainsRune(key, 0) {
		return heed.FieldErrorf(heed.EInvalid, "key", "a once-key must be 1 to 200 bytes without NUL")
	}
	return nil
}

// ScoreCountUpsert ends an INSERT INTO score_counts (survey_id, unit_id,
// day, score, n) of changes: a first change is the count, later ones add
// to it. Both engines support this ON CONFLICT form.
const ScoreCountUpsert = ` ON CONFLICT (survey_id, unit_id, day, score) DO UPDATE SET n = score_counts.n + excluded.n`

// ScoreMove is one change to one count: N answers of Score added (or,
// negative, taken away).
type ScoreMove struct {
	Score, N int
}

// ScoreMoves are the changes a response's new score makes to its day's
// counts, in score order: two updates of the same day lock its count
// rows in the same order, never in a cycle. None when it stays.
func ScoreMoves(from, to int) []ScoreMove {
	switch {
	case from == to:
		return nil
	case from < to:
		return []ScoreMove{{from, -1}, {to, 1}}
	}
	return []ScoreMove{{to, 1}, {from, -1}}
}

// ScoreCountsSQL is the statement of ScoreCounts: the counts of f, in
// the columns unit id, day, score, n. The scope's units are All (the
// responses without a unit too, unless f.UnitPath narrows to a subtree),
// a UnitPath subtree or one UnitID; counts are per unit, so OwnerID
// plays no part. FromDay and ToDay are inclusive; ToDay 0 means no upper
// bound. ok is false when the scope sees no unit: there is nothing to
// count. EInvalid on field "group_by" unless f.GroupBy is "day" or
// "unit".
//
// It never reads the responses, only the primary key of score_counts
// (survey, unit, day, score): one range of days per unit. The units
// drive the join (CROSS JOIN keeps SQLite from turning it around; for
// PostgreSQL it is a plain join), so a subtree or a span of days reads
// only its own rows, not every count of the survey.
func ScoreCountsSQL(f heed.CountFilter, a *Args) (stmt string, ok bool, err error) {
	var cols, group string
	switch f.GroupBy {
	case "day":
		cols, group = `0, sc.day`, `sc.day`
	case "unit":
		cols, group = `sc.unit_id, 0`, `sc.unit_id`
	default:
		return "", false, heed.FieldErrorf(heed.EInvalid, "group_by", `group by must be "day" or "unit"`)
	}
	scope := heed.Scope{All: f.Scope.All, UnitPath: f.Scope.UnitPath, UnitID: f.Scope.UnitID}
	if scope == (heed.Scope{}) {
		return "", false, nil
	}
	from := `score_counts sc`
	var where []string
	switch {
	case scope.All && f.UnitPath == "":
		from = `(SELECT 0 AS id UNION ALL SELECT id FROM units) u CROSS JOIN score_counts sc`
		where = append(where, "sc.unit_id = u.id")
	case scope.All || scope.UnitPath != "" || f.UnitPath != "":
		from = `units u CROSS JOIN score_counts sc`
		where = append(where, "sc.unit_id = u.id")
	}
	if !scope.All {
		where = append(where, ScopeWhere(scope, a, ScopeColumns{UnitID: "sc.unit_id", UnitPath: "u.path"}))
	}
	if f.UnitPath != "" {
		where = append(where, subtreeWhere(f.UnitPath, a, "u.path"))
	}
	where = append(where, "sc.survey_id = "+a.Add(f.SurveyID), "sc.day >= "+a.Add(f.FromDay))
	if f.ToDay != 0 {
		where = append(where, "sc.day <= "+a.Add(f.ToDay))
	}
	return `SELECT ` + cols + `, sc.score, CAST(SUM(sc.n) AS BIGINT) FROM ` + from +
		` WHERE ` + strings.Join(where, " AND ") +
		` GROUP BY ` + group + `, sc.score HAVING SUM(sc.n) <> 0 ORDER BY ` + group + `, sc.score`, true, nil
}
