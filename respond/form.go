package respond

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// The steps of a survey form.
const (
	// stepScore is the main question alone, each score a submit button:
	// one tap answers.
	stepScore = "score"
	// stepDetails is everything: the score as a radio group that can still
	// be changed, the reason and the extra questions, and a Send button.
	stepDetails = "details"
)

// form is a survey form as the "form" template shows it.
type form struct {
	Action     string
	Step       string
	Lang       string
	Text       heed.SurveyText
	UI         survey.UI
	Lo, Hi     int
	Scores     []point
	Comment    string
	CommentErr string
	ScoreErr   string
	MaxLen     int
	Questions  []question
	Hidden     []hiddenField
	Errors     []fieldError
	Notices    []string
	Confirm    string // where confirm.js posts the preselected score
	Inert      bool   // a preview: nothing can be touched or sent
}

// point is one score of the scale; the ends are described by their labels.
type point struct {
	Value    int
	ID       string
	Checked  bool
	Describe string
}

type question struct {
	ID       string
	Anchor   string // the id of its (first) input, for error links
	Type     string
	Label    string
	Marker   string // "optional" or "required"
	Required bool
	Options  []option
	Value    string // of a text question
	Err      string
}

type option struct {
	ID, Value, Label string
	Checked          bool
}

type hiddenField struct{ Name, Value string }

// fieldError is one line of the error summary; Anchor is the input it
// links to ("" when the field is not on the page).
type fieldError struct{ Anchor, Message string }

// values is what a form shows as answered: the respondent's last post,
// or the answer given before.
type values struct {
	Score   *int
	Comment string
	Answers map[string][]string
}

// valuesOf is what an earlier response prefills.
func valuesOf(r *heed.Response) values {
	if r == nil {
		return values{}
	}
	v := values{Score: &r.Score, Comment: r.Comment, Answers: map[string][]string{}}
	for id, a := range r.Answers {
		switch x := a.(type) {
		case string:
			v.Answers[id] = []string{x}
		case []string:
			v.Answers[id] = x
		case []any:
			for _, e := range x {
				if s, ok := e.(string); ok {
					v.Answers[id] = append(v.Answers[id], s)
				}
			}
		}
	}
	return v
}

// newForm builds the form of sv in lang at step, showing v.
func newForm(sv heed.Survey, lang, action, step string, v values) *form {
	t := survey.Texts(sv, lang)
	ui := survey.UIText(lang)
	f := &form{Action: action, Step: step, Lang: lang, Text: t, UI: ui, Comment: v.Comment, MaxLen: survey.MaxComment}
	f.Lo, f.Hi = sv.Kind.Scale()
	for n := f.Lo; n <= f.Hi; n++ {
		p := point{Value: n, ID: "score-" + strconv.Itoa(n), Checked: v.Score != nil && *v.Score == n}
		switch n {
		case f.Lo:
			p.Describe = step + "-lo"
		case f.Hi:
			p.Describe = step + "-hi"
		}
		f.Scores = append(f.Scores, p)
	}
	if step == stepDetails {
		for _, q := range sv.Questions {
			f.Questions = append(f.Questions, newQuestion(t, ui, q, v.Answers[q.ID]))
		}
	}
	return f
}

func newQuestion(t heed.SurveyText, ui survey.UI, q heed.Question, given []string) question {
	qv := question{ID: q.ID, Anchor: "q-" + q.ID, Type: string(q.Type), Label: survey.QuestionLabel(t, q),
		Marker: ui.Optional, Required: q.Required}
	if q.Required {
		qv.Marker = ui.Required
	}
	if q.Type == heed.QuestionText {
		if len(given) > 0 {
			qv.Value = given[0]
		}
		return qv
	}
	for i, o := range q.Options {
		id := qv.Anchor
		if i > 0 {
			id += "-" + strconv.Itoa(i)
		}
		qv.Options = append(qv.Options, option{ID: id, Value: o, Label: survey.OptionLabel(t, q, o),
			Checked: slices.Contains(given, o)})
	}
	return qv
}

// withError puts err on the form: in the summary and next to its field,
// in the form's language. Errors of fields the page does not have (a
// question that was never asked) keep the service's message.
func (f *form) withError(sv heed.Survey, err error) {
	w := wordsFor(f.Lang)
	field, msg := heed.ErrorField(err), heed.ErrorMessage(err)
	switch {
	case field == "score":
		msg = fmt.Sprintf(w.BadScore, f.Lo, f.Hi)
		f.ScoreErr = msg
		f.Errors = append(f.Errors, fieldError{f.scoreAnchor(), msg})
	case field == "comment":
		msg = fmt.Sprintf(w.TooLong, thousands(survey.MaxComment, f.Lang))
		f.CommentErr = msg
		f.Errors = append(f.Errors, fieldError{"comment", msg})
	case strings.HasPrefix(field, "answers."):
		f.questionError(sv, strings.TrimPrefix(field, "answers."), err)
	default:
		f.Errors = append(f.Errors, fieldError{"", msg})
	}
}

func (f *form) questionError(sv heed.Survey, id string, err error) {
	i := slices.IndexFunc(f.Questions, func(q question) bool { return q.ID == id })
	if i < 0 {
		f.Errors = append(f.Errors, fieldError{"", fmt.Sprintf(wordsFor(f.Lang).NoSuchQ, id)})
		return
	}
	q := &f.Questions[i]
	q.Err = questionProblem(sv, f.Lang, id, err)
	f.Errors = append(f.Errors, fieldError{q.Anchor, q.Label + ": " + q.Err})
}

// questionProblem words what is wrong with the answer to question id:
// left out though required, too long, or not one of its options.
func questionProblem(sv heed.Survey, lang, id string, err error) string {
	w := wordsFor(lang)
	i := slices.IndexFunc(sv.Questions, func(q heed.Question) bool { return q.ID == id })
	switch {
	case i < 0:
		return fmt.Sprintf(w.NoSuchQ, id)
	case errors.Is(err, errRequired):
		return w.Required
	case sv.Questions[i].Type == heed.QuestionText:
		return fmt.Sprintf(w.TooLong, thousands(survey.MaxComment, lang))
	}
	return w.BadOption
}

// scoreAnchor is where an error about the score links to: the first
// score button or radio.
func (f *form) scoreAnchor() string {
	if f.Step == stepScore {
		return "score"
	}
	return "score-" + strconv.Itoa(f.Lo)
}

// errRequired is the cause of the error about a required question left
// unanswered.
var errRequired = errors.New("required question not answered")

// posted is a survey form as the respondent sent it.
type posted struct {
	Step   string
	Answer survey.Answer
	Shown  values            // to show again if it is refused
	Hidden map[string]string // h.NAME fields of an anonymous link
}

// readForm reads a posted survey form. The details step sends every
// field, so an empty reason clears the reason and unticked boxes clear a
// multiple-choice answer; the score step sends only the score. A score
// that is not a number is refused here, everything else by the service.
func readForm(sv heed.Survey, pf url.Values) (posted, error) {
	p := posted{Step: pf.Get("step"), Hidden: map[string]string{}}
	if p.Step != stepScore {
		p.Step = stepDetails
	}
	p.Shown.Answers = map[string][]string{}
	p.Answer.Answers = map[string][]string{}
	for k, vs := range pf {
		if id, ok := strings.CutPrefix(k, "q."); ok {
			p.Answer.Answers[id] = vs
			p.Shown.Answers[id] = vs
		}
		if name, ok := strings.CutPrefix(k, "h."); ok && len(vs) > 0 {
			p.Hidden[name] = vs[0]
		}
	}
	if p.Step == stepDetails {
		c := pf.Get("comment")
		p.Answer.Comment, p.Shown.Comment = &c, c
		for _, q := range sv.Questions {
			if _, ok := p.Answer.Answers[q.ID]; !ok && q.Type == heed.QuestionMultiple {
				p.Answer.Answers[q.ID] = []string{}
			}
		}
	}
	if s := strings.TrimSpace(pf.Get("score")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return p, heed.FieldErrorf(heed.EInvalid, "score", "score %q is not a number", s)
		}
		p.Answer.Score, p.Shown.Score = &n, &n
	}
	if p.Step == stepDetails {
		return p, checkRequired(sv, p.Answer.Answers)
	}
	return p, nil
}

// checkRequired refuses a details form that leaves a required question
// unanswered. The service takes partial answers (the score comes first,
// alone), so only the face that shows the whole form can tell.
func checkRequired(sv heed.Survey, answers map[string][]string) error {
	for _, q := range sv.Questions {
		if q.Required && !slices.ContainsFunc(answers[q.ID], func(v string) bool { return strings.TrimSpace(v) != "" }) {
			return &heed.Error{Code: heed.EInvalid, Field: "answers." + q.ID,
				Message: fmt.Sprintf("question %q is required", q.ID), Err: errRequired}
		}
	}
	return nil
}

// scoreParam is the ?score=N of a link from an email, if it is a score
// of sv's scale.
func scoreParam(sv heed.Survey, q url.Values) *int {
	n, err := strconv.Atoi(q.Get("score"))
	lo, hi := sv.Kind.Scale()
	if err != nil || n < lo || n > hi {
		return nil
	}
	return &n
}

// maxForm bounds a posted form: the reason and twenty text answers of
// MaxComment characters, each up to 4 bytes percent-encoded, fit.
const maxForm = 2 << 20

// parseForm reads a posted form body of at most maxForm bytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return heed.Errorf(heed.ETooLarge, "the form is larger than %d bytes", maxForm)
		}
		return heed.Errorf(heed.EBadRequest, "the form could not be read: %v", err)
	}
	return nil
}

// strconvScore reads a posted score.
func strconvScore(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, heed.FieldErrorf(heed.EInvalid, "score", "score %q is not a number", s)
	}
	return n, nil
}
