package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// The survey editor's form names its fields after the survey's JSON:
// name, kind, language; q.N.id, q.N.type, q.N.required, q.N.options for
// question N; lang.TAG (offered) and t.TAG.FIELD for the texts in
// language TAG, t.TAG.q.N.label and t.TAG.q.N.o.OPTION for the wording
// of question N. A button's "op" says what else to do than save.

// surveyForm is the editor's content: the survey as the admin sees it.
type surveyForm struct {
	Key       string
	Name      string
	Kind      heed.SurveyKind
	Language  string // the default language
	Langs     []langSection
	Questions []questionRow
	Hidden    string // names, separated by commas
	Origins   string // one per line
	OpenLink  bool
	Reward    bool
}

// langSection is the texts of one language.
type langSection struct {
	Tag, Name string
	On        bool // offered to respondents
	Default   bool
	Page      []textInput // what the survey page shows
	Email     []textInput // what the emails say
	Questions []questionTexts
}

// textInput is one text of one language. Empty falls back to Default,
// the built-in wording, shown as the placeholder.
type textInput struct {
	Name    string // the form field
	ID      string // the element id
	Label   string
	Value   string
	Default string
	Long    bool // a textarea
	Invalid bool // the service refused it
}

// questionTexts is the wording of one extra question in one language.
type questionTexts struct {
	ID      string
	Label   textInput
	Options []textInput
}

// questionRow is one extra question of the form.
type questionRow struct {
	Index    int
	Number   int // Index+1, for people
	ID       string
	Type     heed.QuestionType
	Required bool
	Options  string // option keys, separated by commas
}

// markInvalid flags the text input with element id, if there is one.
func (f *surveyForm) markInvalid(id string) {
	for i := range f.Langs {
		for _, list := range [][]textInput{f.Langs[i].Page, f.Langs[i].Email} {
			for j := range list {
				list[j].Invalid = list[j].Invalid || list[j].ID == id
			}
		}
	}
}

// textField names one field of heed.SurveyText for the form.
type textField struct {
	key, label string
	long       bool
	get        func(*heed.SurveyText) *string
}

var pageFields = []textField{
	{"title", "Page title", false, func(t *heed.SurveyText) *string { return &t.Title }},
	{"score", "Score question", true, func(t *heed.SurveyText) *string { return &t.Score }},
	{"low", "Label of the lowest score", false, func(t *heed.SurveyText) *string { return &t.Low }},
	{"high", "Label of the highest score", false, func(t *heed.SurveyText) *string { return &t.High }},
	{"reason", "Reason question", true, func(t *heed.SurveyText) *string { return &t.Reason }},
	{"submit", "Send button", false, func(t *heed.SurveyText) *string { return &t.Submit }},
	{"thanks", "Thank-you message", true, func(t *heed.SurveyText) *string { return &t.Thanks }},
	{"reward_txt", "Above the reward code", false, func(t *heed.SurveyText) *string { return &t.RewardTxt }},
}

var emailFields = []textField{
	{"subject", "Invitation subject", false, func(t *heed.SurveyText) *string { return &t.Subject }},
	{"intro", "Invitation first paragraph", true, func(t *heed.SurveyText) *string { return &t.Intro }},
	{"reminder", "Reminder subject", false, func(t *heed.SurveyText) *string { return &t.Reminder }},
}

// languageNames are the names of the shipped languages, in English with
// their own name, so an admin recognises the section either way.
var languageNames = map[string]string{"en": "English", "nl": "Dutch (Nederlands)", "de": "German (Deutsch)"}

func languageName(tag string) string {
	if n, ok := languageNames[tag]; ok {
		return n
	}
	return tag
}

// surveyLanguages lists the shipped languages, then the survey's own
// others, then extra (a language being added), each once.
func surveyLanguages(sv heed.Survey, extra string) []string {
	langs := survey.ShippedLanguages()
	var more []string
	for l := range sv.Texts {
		if !slices.Contains(langs, l) {
			more = append(more, l)
		}
	}
	slices.Sort(more)
	langs = append(langs, more...)
	if extra != "" && !slices.Contains(langs, extra) {
		langs = append(langs, extra)
	}
	return langs
}

// formFromSurvey lays sv out for the editor; extra is a language being
// added, shown offered and empty.
func formFromSurvey(sv heed.Survey, extra string) surveyForm {
	f := surveyForm{
		Key: sv.Key, Name: sv.Name, Kind: sv.Kind, Language: sv.Language,
		Hidden: strings.Join(sv.Hidden, ", "), Origins: strings.Join(sv.Origins, "\n"),
		OpenLink: sv.OpenLink, Reward: sv.Reward,
	}
	for i, q := range sv.Questions {
		f.Questions = append(f.Questions, questionRow{Index: i, Number: i + 1, ID: q.ID, Type: q.Type, Required: q.Required,
			Options: strings.Join(q.Options, ", ")})
	}
	for _, lang := range surveyLanguages(sv, extra) {
		t, on := sv.Texts[lang]
		defaults := survey.Texts(heed.Survey{Kind: sv.Kind}, lang)
		sec := langSection{Tag: lang, Name: languageName(lang), On: on || lang == extra, Default: lang == sv.Language}
		sec.Page = textInputs(lang, pageFields, t, defaults)
		sec.Email = textInputs(lang, emailFields, t, defaults)
		for i, q := range sv.Questions {
			if q.ID == "" {
				continue
			}
			qt := questionTexts{ID: q.ID, Label: textInput{
				Name: fmt.Sprintf("t.%s.q.%d.label", lang, i), ID: fmt.Sprintf("t-%s-q-%d-label", lang, i),
				Label: "Wording", Value: t.Questions[q.ID]["label"], Default: q.ID,
			}}
			for _, o := range q.Options {
				qt.Options = append(qt.Options, textInput{
					Name: fmt.Sprintf("t.%s.q.%d.o.%s", lang, i, o), ID: fmt.Sprintf("t-%s-q-%d-o-%s", lang, i, o),
					Label: "Option " + o, Value: t.Questions[q.ID][o], Default: o,
				})
			}
			sec.Questions = append(sec.Questions, qt)
		}
		f.Langs = append(f.Langs, sec)
	}
	return f
}

func textInputs(lang string, fields []textField, t, defaults heed.SurveyText) []textInput {
	out := make([]textInput, 0, len(fields))
	for _, fd := range fields {
		out = append(out, textInput{
			Name: "t." + lang + "." + fd.key, ID: "t-" + lang + "-" + fd.key, Label: fd.label,
			Value: *fd.get(&t), Default: *fd.get(&defaults), Long: fd.long,
		})
	}
	return out
}

// langTag is a language tag as the form may add one: "fr", "pt-br".
var langTag = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})?$`)

// parseSurveyForm reads the editor's fields into a survey, keeping rows
// the admin left blank so the form shows them again; op is the button
// pressed ("" for Save).
func parseSurveyForm(r *http.Request) (sv heed.Survey, op string) {
	get := func(k string) string { return strings.TrimSpace(r.Form.Get(k)) }
	sv = heed.Survey{
		Key: get("key"), Name: get("name"), Kind: heed.SurveyKind(get("kind")), Language: get("language"),
		Hidden: splitList(r.Form.Get("hidden"), ","), Origins: splitList(r.Form.Get("origins"), "\n"),
		OpenLink: r.Form.Get("open_link") != "", Reward: r.Form.Get("reward") != "",
		Texts: map[string]heed.SurveyText{},
	}
	if sv.Kind == "" {
		sv.Kind = heed.SurveyNPS
	}
	for i := 0; r.Form.Has(fmt.Sprintf("q.%d.id", i)); i++ {
		p := fmt.Sprintf("q.%d.", i)
		q := heed.Question{ID: get(p + "id"), Type: heed.QuestionType(get(p + "type")), Required: r.Form.Get(p+"required") != ""}
		if q.Type != heed.QuestionText {
			q.Options = splitList(r.Form.Get(p+"options"), ",")
		}
		sv.Questions = append(sv.Questions, q)
	}
	for _, lang := range r.Form["langs"] {
		if r.Form.Get("lang."+lang) == "" && lang != sv.Language {
			continue // not offered: its texts are dropped
		}
		sv.Texts[lang] = parseTexts(r, lang, sv.Questions)
	}
	return sv, r.Form.Get("op")
}

func parseTexts(r *http.Request, lang string, qs []heed.Question) heed.SurveyText {
	var t heed.SurveyText
	for _, fd := range append(slices.Clip(pageFields), emailFields...) {
		*fd.get(&t) = strings.TrimSpace(r.Form.Get("t." + lang + "." + fd.key))
	}
	for i, q := range qs {
		if q.ID == "" {
			continue
		}
		p := fmt.Sprintf("t.%s.q.%d.", lang, i)
		words := map[string]string{}
		if l := strings.TrimSpace(r.Form.Get(p + "label")); l != "" {
			words["label"] = l
		}
		for _, o := range q.Options {
			if l := strings.TrimSpace(r.Form.Get(p + "o." + o)); l != "" {
				words[o] = l
			}
		}
		if len(words) > 0 {
			if t.Questions == nil {
				t.Questions = map[string]map[string]string{}
			}
			t.Questions[q.ID] = words
		}
	}
	return t
}

// splitList splits s at sep and drops blanks.
func splitList(s, sep string) []string {
	var out []string
	for _, x := range strings.Split(s, sep) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// applyOp does what a button other than Save asked for. It reports
// whether the button was one of these (the form is then shown again),
// and what was wrong with a language to add.
func applyOp(sv *heed.Survey, op string, r *http.Request) (extraLang string, handled bool, err error) {
	switch {
	case op == "add-question":
		sv.Questions = append(sv.Questions, heed.Question{Type: heed.QuestionSingle})
		return "", true, nil
	case strings.HasPrefix(op, "remove-question-"):
		i, err := strconv.Atoi(strings.TrimPrefix(op, "remove-question-"))
		if err == nil && i >= 0 && i < len(sv.Questions) {
			sv.Questions = slices.Delete(sv.Questions, i, i+1)
		}
		return "", true, nil
	case op == "add-language":
		tag := strings.ToLower(strings.TrimSpace(r.Form.Get("add_lang")))
		if !langTag.MatchString(tag) {
			return "", true, heed.FieldErrorf(heed.EInvalid, "add_lang",
				"%q is not a language code; use two or three letters, like fr or pt-br", tag)
		}
		if _, ok := sv.Texts[tag]; !ok {
			sv.Texts[tag] = heed.SurveyText{}
		}
		return tag, true, nil
	case op != "":
		return "", true, nil // "refresh" and unknown buttons: show the form again
	}
	return "", false, nil
}

// cleanSurvey drops the question rows left blank and the wording of
// questions and options that are gone, as the admin would expect a save
// or a preview to.
func cleanSurvey(sv heed.Survey) heed.Survey {
	sv.Questions = slices.DeleteFunc(slices.Clone(sv.Questions), func(q heed.Question) bool {
		return q.ID == "" && len(q.Options) == 0
	})
	texts := make(map[string]heed.SurveyText, len(sv.Texts))
	for lang, t := range sv.Texts {
		words := map[string]map[string]string{}
		for _, q := range sv.Questions {
			w := map[string]string{}
			for k, v := range t.Questions[q.ID] {
				if k == "label" || slices.Contains(q.Options, k) {
					w[k] = v
				}
			}
			if len(w) > 0 {
				words[q.ID] = w
			}
		}
		t.Questions = nil
		if len(words) > 0 {
			t.Questions = words
		}
		texts[lang] = t
	}
	sv.Texts = texts
	return sv
}

// fieldID is the element of the editor that a service error's field
// names: "questions[2].options" is q-2-options, "texts.nl.title" is
// t-nl-title.
func fieldID(field string) string {
	switch {
	case field == "":
		return ""
	case strings.HasPrefix(field, "questions["):
		rest := strings.TrimPrefix(field, "questions[")
		i, tail, _ := strings.Cut(rest, "]")
		tail = strings.TrimPrefix(tail, ".")
		tail, _, _ = strings.Cut(tail, "[")
		if tail == "" {
			tail = "id"
		}
		return "q-" + i + "-" + tail
	case strings.HasPrefix(field, "texts."):
		parts := strings.SplitN(strings.TrimPrefix(field, "texts."), ".", 2)
		if len(parts) == 2 && !strings.HasPrefix(parts[1], "questions") {
			return "t-" + parts[0] + "-" + parts[1]
		}
		return "texts"
	case strings.HasPrefix(field, "hidden"):
		return "hidden"
	case strings.HasPrefix(field, "origins"):
		return "origins"
	}
	return field
}
