package respond

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// The widget's endpoints are called from customers' sites, so they speak
// JSON and CORS instead of forms: only an origin the survey lists gets the
// Access-Control headers, and a post from any other origin is refused.
// They need no CSRF check of their own: that origin check is it.

// widgetSurvey is what GET /s/widget/{survey} tells widget.js.
type widgetSurvey struct {
	Language  string           `json:"language"`
	Title     string           `json:"title"`
	Question  string           `json:"question"`
	Low       string           `json:"low"`
	High      string           `json:"high"`
	Min       int              `json:"min"`
	Max       int              `json:"max"`
	Reason    string           `json:"reason"`
	Optional  string           `json:"optional"`
	Required  string           `json:"required"`
	Submit    string           `json:"submit"`
	Close     string           `json:"close"`
	Questions []widgetQuestion `json:"questions"`
	Hidden    []string         `json:"hidden"`
}

type widgetQuestion struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Label    string         `json:"label"`
	Required bool           `json:"required,omitempty"`
	Options  []widgetOption `json:"options,omitempty"`
}

type widgetOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// widgetAnswer is what widget.js posts.
type widgetAnswer struct {
	Score    *int              `json:"score"`
	Comment  *string           `json:"comment"`
	Answers  map[string]any    `json:"answers"`
	Hidden   map[string]string `json:"hidden"`
	Language string            `json:"language"`
}

// widgetReply answers a post: the thank-you, or what is wrong.
type widgetReply struct {
	Thanks    string `json:"thanks,omitempty"`
	RewardTxt string `json:"reward_txt,omitempty"`
	Reward    string `json:"reward,omitempty"`
	Error     string `json:"error,omitempty"`
	Field     string `json:"field,omitempty"`
}

// widgetOrigin checks the request's Origin against the survey and, when
// it is listed, sets the CORS headers for it. Vary: Origin always, so no
// cache hands one site's answer to another.
func (s *server) widgetOrigin(w http.ResponseWriter, r *http.Request) (heed.Survey, error) {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	sv, err := s.svc.OpenSurvey(r.Context(), r.PathValue("survey"), heed.ChannelWidget, origin)
	if err != nil {
		return sv, err
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	return sv, nil
}

// widgetConfig is GET /s/widget/{survey}: the survey in the browser's
// language.
func (s *server) widgetConfig(w http.ResponseWriter, r *http.Request) {
	sv, err := s.widgetOrigin(w, r)
	if err != nil {
		s.widgetError(w, r, sv, "", err)
		return
	}
	w.Header().Add("Vary", "Accept-Language")
	lang := survey.Language(sv, "", r.Header.Get("Accept-Language"))
	t, ui := survey.Texts(sv, lang), survey.UIText(lang)
	lo, hi := sv.Kind.Scale()
	ws := widgetSurvey{Language: lang, Title: t.Title, Question: t.Score, Low: t.Low, High: t.High, Min: lo, Max: hi,
		Reason: t.Reason, Optional: ui.Optional, Required: ui.Required, Submit: t.Submit, Close: wordsFor(lang).Close,
		Questions: []widgetQuestion{}, Hidden: sv.Hidden}
	if ws.Hidden == nil {
		ws.Hidden = []string{}
	}
	for _, q := range sv.Questions {
		wq := widgetQuestion{ID: q.ID, Type: string(q.Type), Label: survey.QuestionLabel(t, q), Required: q.Required}
		for _, o := range q.Options {
			wq.Options = append(wq.Options, widgetOption{o, survey.OptionLabel(t, q, o)})
		}
		ws.Questions = append(ws.Questions, wq)
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, ws)
}

// widgetPreflight is OPTIONS /s/widget/{survey}/responses: the browser
// asking whether the page's origin may post JSON.
func (s *server) widgetPreflight(w http.ResponseWriter, r *http.Request) {
	if _, err := s.widgetOrigin(w, r); err != nil {
		if c := heed.ErrorCode(err); c != heed.EForbidden && c != heed.ENotFound {
			s.log.Error("respond: widget preflight", "survey", r.PathValue("survey"), "err", err)
		}
		w.WriteHeader(http.StatusForbidden)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// widgetSubmit is POST /s/widget/{survey}/responses: one answer from a
// listed origin, limited per client address like the anonymous link.
func (s *server) widgetSubmit(w http.ResponseWriter, r *http.Request) {
	sv, err := s.widgetOrigin(w, r)
	if err != nil {
		s.widgetError(w, r, sv, "", err)
		return
	}
	lang := survey.Language(sv, "", r.Header.Get("Accept-Language"))
	if s.limited(w, r) {
		writeJSON(w, http.StatusTooManyRequests, widgetReply{Error: survey.UIText(lang).TooMany})
		return
	}
	var in widgetAnswer
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxForm))
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		var wrongType *json.UnmarshalTypeError
		switch {
		case errors.As(err, &wrongType) && wrongType.Field != "":
			// A field of the wrong type (a score as text): name the field,
			// which the widget's message then words for the respondent.
			err = heed.FieldErrorf(heed.EBadRequest, wrongType.Field, "%s has the wrong type (got a JSON %s)", wrongType.Field, wrongType.Value)
		case !errors.As(err, &tooBig):
			err = heed.Errorf(heed.EBadRequest, "the answer is not valid JSON: %v", err)
		}
		s.widgetError(w, r, sv, lang, err)
		return
	}
	if in.Language != "" {
		// The widget says which texts it showed; keep to the survey's.
		lang = survey.Language(sv, in.Language, r.Header.Get("Accept-Language"))
	}
	a := survey.Answer{Score: in.Score, Comment: in.Comment, Language: lang}
	if a.Answers, err = widgetAnswers(in.Answers); err == nil {
		err = checkRequired(sv, a.Answers)
	}
	var rc survey.Receipt
	if err == nil {
		rc, err = s.svc.AnswerOpen(r.Context(), sv.Key, heed.ChannelWidget, r.Header.Get("Origin"), in.Hidden, a)
	}
	if err != nil {
		s.widgetError(w, r, sv, lang, err)
		return
	}
	t := survey.Texts(sv, lang)
	reply := widgetReply{Thanks: t.Thanks, Reward: rc.Reward}
	if rc.Reward != "" {
		reply.RewardTxt = t.RewardTxt
	}
	writeJSON(w, http.StatusCreated, reply)
}

// widgetAnswers turns JSON answers (a string, or a list of strings) into
// the form the service takes.
func widgetAnswers(in map[string]any) (map[string][]string, error) {
	out := map[string][]string{}
	for id, v := range in {
		switch x := v.(type) {
		case string:
			out[id] = []string{x}
		case []any:
			out[id] = []string{}
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, heed.FieldErrorf(heed.EInvalid, "answers."+id, "answers must be strings")
				}
				out[id] = append(out[id], s)
			}
		default:
			return nil, heed.FieldErrorf(heed.EInvalid, "answers."+id, "an answer is a string or a list of strings")
		}
	}
	return out, nil
}

// widgetError answers in JSON; field errors in the respondent's language.
func (s *server) widgetError(w http.ResponseWriter, r *http.Request, sv heed.Survey, lang string, err error) {
	reply := widgetReply{Error: heed.ErrorMessage(err), Field: heed.ErrorField(err)}
	status := http.StatusInternalServerError
	switch heed.ErrorCode(err) {
	case heed.EForbidden:
		status = http.StatusForbidden
	case heed.ENotFound:
		status = http.StatusNotFound
	case heed.EBadRequest:
		status = http.StatusBadRequest
	case heed.ETooLarge:
		status = http.StatusRequestEntityTooLarge
	case heed.EInvalid:
		status = http.StatusUnprocessableEntity
		reply.Error = fieldMessage(sv, lang, err)
	default:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
			break
		}
		s.log.Error("respond: widget request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		reply.Error = "internal error"
	}
	writeJSON(w, status, reply)
}

// fieldMessage is the respondent's wording of a refused answer.
func fieldMessage(sv heed.Survey, lang string, err error) string {
	wd := wordsFor(lang)
	field := heed.ErrorField(err)
	switch {
	case field == "score":
		lo, hi := sv.Kind.Scale()
		return fmt.Sprintf(wd.BadScore, lo, hi)
	case field == "comment":
		return fmt.Sprintf(wd.TooLong, thousands(survey.MaxComment, lang))
	case strings.HasPrefix(field, "answers."):
		id := strings.TrimPrefix(field, "answers.")
		msg := questionProblem(sv, lang, id, err)
		if i := slices.IndexFunc(sv.Questions, func(q heed.Question) bool { return q.ID == id }); i >= 0 {
			msg = survey.QuestionLabel(survey.Texts(sv, lang), sv.Questions[i]) + ": " + msg
		}
		return msg
	}
	return heed.ErrorMessage(err)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
