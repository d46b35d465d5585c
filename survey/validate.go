package survey

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/sampling"
)

// Limits on what respondents and admins may send.
const (
	MaxComment    = 5000 // characters of the reason and of a text answer
	maxName       = 200
	maxText       = 1000 // characters of any survey text
	maxQuestions  = 20
	maxOptions    = 30
	maxHidden     = 20
	maxHiddenSize = 500 // characters of a hidden field's value
)

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// checkKey validates a stable key of a survey, program, question or option.
func checkKey(field, key string) error {
	if !keyPattern.MatchString(key) {
		return heed.FieldErrorf(heed.EInvalid, field,
			"%s %q must be 1–64 characters of a–z, 0–9, '-', '_' or '.', starting with a letter or digit", field, key)
	}
	return nil
}

// CheckObjectKey is checkKey for the key of a survey, program or rule, which
// also names its page: /surveys/new and /programs/new are the forms that
// create one, so "new" could never be opened.
func CheckObjectKey(key string) error {
	if key == "new" {
		return heed.FieldErrorf(heed.EInvalid, "key", `the key "new" is reserved (it names the page that creates one); choose another`)
	}
	return checkKey("key", key)
}

// CheckName validates the name of a survey, program or rule.
func CheckName(name string) error {
	switch {
	case name == "":
		return heed.FieldErrorf(heed.EInvalid, "name", "name is required")
	case heed.TextProblem(name) != "":
		return heed.FieldErrorf(heed.EInvalid, "name", "name %s", heed.TextProblem(name))
	case utf8.RuneCountInString(name) > maxName:
		return heed.FieldErrorf(heed.EInvalid, "name", "name is longer than %d characters", maxName)
	}
	return nil
}

// Slug turns a name into a key: "Store visits (NL)" → "store-visits-nl".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range heed.Fold(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

// normalizeSurvey fills defaults and validates s as an admin saved it.
func normalizeSurvey(s *heed.Survey) error {
	s.Name = strings.TrimSpace(s.Name)
	if s.Kind == "" {
		s.Kind = heed.SurveyNPS
	}
	if !s.Kind.Valid() {
		return heed.FieldErrorf(heed.EInvalid, "kind", "kind %q must be one of nps, csat, ces", s.Kind)
	}
	if err := CheckName(s.Name); err != nil {
		return err
	}
	if s.Key == "" {
		s.Key = Slug(s.Name)
	}
	if err := CheckObjectKey(s.Key); err != nil {
		return err
	}
	if s.Language == "" {
		s.Language = "en"
	}
	s.Language = baseLang(s.Language)
	if err := checkKey("language", s.Language); err != nil {
		return err
	}
	if s.Texts == nil {
		s.Texts = map[string]heed.SurveyText{}
	}
	if len(s.Texts) == 0 {
		// A new survey speaks every shipped language from the start.
		s.Texts = DefaultTexts(s.Kind)
	}
	if _, ok := s.Texts[s.Language]; !ok {
		s.Texts[s.Language] = withDefaults(heed.SurveyText{}, s.Kind, s.Language)
	}
	if err := checkQuestions(s.Questions); err != nil {
		return err
	}
	if err := checkTexts(s); err != nil {
		return err
	}
	if err := checkHidden(s.Hidden); err != nil {
		return err
	}
	return checkOrigins(s.Origins)
}

func checkQuestions(qs []heed.Question) error {
	if len(qs) > maxQuestions {
		return heed.FieldErrorf(heed.EInvalid, "questions", "at most %d extra questions", maxQuestions)
	}
	seen := map[string]bool{}
	for i, q := range qs {
		field := fmt.Sprintf("questions[%d]", i)
		if err := checkKey(field+".id", q.ID); err != nil {
			return err
		}
		if q.ID == "score" || q.ID == "reason" || seen[q.ID] {
			return heed.FieldErrorf(heed.EInvalid, field+".id", "question id %q is used twice or reserved (score, reason)", q.ID)
		}
		seen[q.ID] = true
		switch q.Type {
		case heed.QuestionSingle, heed.QuestionMultiple:
			if len(q.Options) < 2 || len(q.Options) > maxOptions {
				return heed.FieldErrorf(heed.EInvalid, field+".options", "a %s question needs 2–%d options", q.Type, maxOptions)
			}
			for j, o := range q.Options {
				if err := checkKey(fmt.Sprintf("%s.options[%d]", field, j), o); err != nil {
					return err
				}
				if slices.Index(q.Options, o) != j {
					return heed.FieldErrorf(heed.EInvalid, field+".options", "option %q is listed twice", o)
				}
			}
		case heed.QuestionText:
			if len(q.Options) > 0 {
				return heed.FieldErrorf(heed.EInvalid, field+".options", "a text question has no options")
			}
		default:
			return heed.FieldErrorf(heed.EInvalid, field+".type", "type %q must be single, multiple or text", q.Type)
		}
	}
	return nil
}

// oneLine are the texts that become email subjects.
var oneLine = map[string]bool{"subject": true, "reminder": true, "title": true}

func checkTexts(s *heed.Survey) error {
	for lang, t := range s.Texts {
		if err := checkKey("texts", lang); err != nil {
			return err
		}
		for name, v := range map[string]string{
			"title": t.Title, "score": t.Score, "low": t.Low, "high": t.High, "reason": t.Reason,
			"submit": t.Submit, "thanks": t.Thanks, "subject": t.Subject, "intro": t.Intro,
			"reminder": t.Reminder, "reward_txt": t.RewardTxt,
		} {
			if utf8.RuneCountInString(v) > maxText {
				return heed.FieldErrorf(heed.EInvalid, "texts."+lang+"."+name, "longer than %d characters", maxText)
			}
			if oneLine[name] && strings.ContainsAny(v, "\r\n") {
				return heed.FieldErrorf(heed.EInvalid, "texts."+lang+"."+name, "%s is an email subject line: no line breaks", name)
			}
			if p := heed.TextProblem(v); p != "" {
				return heed.FieldErrorf(heed.EInvalid, "texts."+lang+"."+name, "%s %s", name, p)
			}
		}
		for qid := range t.Questions {
			if !slices.ContainsFunc(s.Questions, func(q heed.Question) bool { return q.ID == qid }) {
				return heed.FieldErrorf(heed.EInvalid, "texts."+lang+".questions."+qid, "no question %q", qid)
			}
		}
	}
	return nil
}

func checkHidden(names []string) error {
	if len(names) > maxHidden {
		return heed.FieldErrorf(heed.EInvalid, "hidden", "at most %d hidden fields", maxHidden)
	}
	for i, n := range names {
		if err := checkKey(fmt.Sprintf("hidden[%d]", i), n); err != nil {
			return err
		}
	}
	return nil
}

// checkOrigins accepts exact browser origins: scheme, host and port only.
func checkOrigins(origins []string) error {
	for i, o := range origins {
		field := fmt.Sprintf("origins[%d]", i)
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return heed.FieldErrorf(heed.EInvalid, field, "origin %q must be like https://shop.example.com (scheme, host and optional port)", o)
		}
	}
	return nil
}

// Origin is the canonical form of an origin, as browsers send it.
func Origin(o string) string { return strings.TrimSuffix(strings.ToLower(o), "/") }

// Program defaults: the fatigue rules are sampling's (DESIGN.md: asked at
// most twice a year, and by no program more than once a month).
const (
	DefaultProgramDays  = sampling.DefaultProgramDays
	DefaultGlobalDays   = sampling.DefaultGlobalDays
	DefaultReminderDays = 3
	DefaultExpiryDays   = 30
)

// Service-level defaults of the cases a program's answers open, and of
// cases opened by answers that came through no program.
const (
	DefaultFirstContactHours = 48
	DefaultResolveDays       = 14
	DefaultResurveyDays      = 30
)

// normalizeProgram fills defaults and validates p.
func normalizeProgram(p *heed.Program) error {
	p.Name = strings.TrimSpace(p.Name)
	if err := CheckName(p.Name); err != nil {
		return err
	}
	if p.Key == "" {
		p.Key = Slug(p.Name)
	}
	if err := CheckObjectKey(p.Key); err != nil {
		return err
	}
	if p.Survey == "" {
		return heed.FieldErrorf(heed.EInvalid, "survey", "survey is required")
	}
	if p.Channel == "" {
		p.Channel = heed.ChannelEmail
	}
	if p.Channel != heed.ChannelEmail {
		return heed.FieldErrorf(heed.EInvalid, "channel", "channel %q: programs send by email", p.Channel)
	}
	if p.Period == "" {
		p.Period = "month"
	}
	if !sampling.Period(p.Period).Valid() {
		return heed.FieldErrorf(heed.EInvalid, "period", "period %q must be week, month or quarter", p.Period)
	}
	switch {
	case p.Margin < 0 || p.Margin > 100:
		return heed.FieldErrorf(heed.EInvalid, "margin", "margin must be between 0 and 100 points")
	case p.Margin == 0 && p.Target <= 0:
		return heed.FieldErrorf(heed.EInvalid, "target", "target (invitations per period) must be positive, or set a margin")
	case p.Target < 0 || p.Target > 10_000_000:
		return heed.FieldErrorf(heed.EInvalid, "target", "target must be between 1 and 10,000,000")
	}
	for _, d := range []struct {
		field string
		v     *int
		def   int
	}{
		{"program_days", &p.ProgramDays, DefaultProgramDays},
		{"global_days", &p.GlobalDays, DefaultGlobalDays},
		{"expiry_days", &p.ExpiryDays, DefaultExpiryDays},
		{"resolve_days", &p.ResolveDays, DefaultResolveDays},
		{"resurvey_days", &p.ResurveyDays, DefaultResurveyDays},
	} {
		if *d.v == 0 {
			*d.v = d.def
		}
		if *d.v < 0 || *d.v > 3660 {
			return heed.FieldErrorf(heed.EInvalid, d.field, "%s must be between 0 and 3660 days", d.field)
		}
	}
	if p.FirstContactHours == 0 {
		p.FirstContactHours = DefaultFirstContactHours
	}
	if p.FirstContactHours < 0 || p.FirstContactHours > 24*366 {
		return heed.FieldErrorf(heed.EInvalid, "first_contact_hours", "first_contact_hours must be between 1 and 8784")
	}
	if p.ReminderDays == 0 {
		p.ReminderDays = DefaultReminderDays
	}
	if p.ReminderDays > 60 {
		return heed.FieldErrorf(heed.EInvalid, "reminder_days", "reminder_days must be at most 60 (negative: no reminder)")
	}
	for i, u := range p.Units {
		if strings.TrimSpace(u) == "" {
			return heed.FieldErrorf(heed.EInvalid, fmt.Sprintf("units[%d]", i), "empty unit key")
		}
	}
	return checkFilterText(p)
}

// checkFilterText refuses segments and attributes no store could compare
// against (a run would fail on each of them).
func checkFilterText(p *heed.Program) error {
	for i, seg := range p.Segments {
		if prob := heed.TextProblem(seg); prob != "" {
			return heed.FieldErrorf(heed.EInvalid, fmt.Sprintf("segments[%d]", i), "segment %s", prob)
		}
	}
	for k, v := range p.Attributes {
		if prob := heed.TextProblem(k + v); prob != "" {
			return heed.FieldErrorf(heed.EInvalid, "attributes."+k, "attribute %s", prob)
		}
	}
	return nil
}
