package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/respond"
	"github.com/heedhq/heed/survey"
)

// surveysBody is the content of surveys.html.
type surveysBody struct {
	Surveys []surveyRow
	CanEdit bool
}

// surveyRow is one survey of the list.
type surveyRow struct {
	Survey    heed.Survey
	Kind      string
	Languages string
}

// surveyList shows every survey; admins may add one.
func (s *server) surveyList(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	list, err := s.sv.ListSurveys(r.Context(), v.P)
	if err != nil {
		return err
	}
	body := surveysBody{CanEdit: v.P.IsAdmin()}
	for _, sv := range sortedSurveys(list) {
		langs := surveyLanguages(heed.Survey{Texts: sv.Texts}, "")
		langs = slices.DeleteFunc(langs, func(l string) bool { _, ok := sv.Texts[l]; return !ok })
		body.Surveys = append(body.Surveys, surveyRow{Survey: sv, Kind: kindLabel(sv.Kind), Languages: strings.Join(langs, ", ")})
	}
	return s.render(w, r, http.StatusOK, "surveys", view{Title: "Surveys", Section: "surveys", Body: body})
}

// sortedSurveys orders surveys by name as people read it.
func sortedSurveys(list []heed.Survey) []heed.Survey {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b heed.Survey) int {
		return cmp.Or(strings.Compare(heed.Fold(a.Name), heed.Fold(b.Name)), strings.Compare(a.Key, b.Key))
	})
	return out
}

// kindLabel is how a survey kind is written on the pages.
func kindLabel(k heed.SurveyKind) string {
	switch k {
	case heed.SurveyNPS:
		return "NPS"
	case heed.SurveyCSAT:
		return "CSAT"
	case heed.SurveyCES:
		return "CES"
	}
	return string(k)
}

// surveyBody is the content of survey.html, the editor.
type surveyBody struct {
	New         bool
	CanEdit     bool
	Action      string // where the form posts
	Form        surveyForm
	KindLabel   string
	Kinds       []kindOption
	Error       string
	ErrorID     string // the element at fault, for aria-invalid and the link
	Notice      string
	Pool        survey.RewardPool
	OpenURL     string // the survey's anonymous link, when it is on
	PreviewURL  string // the iframe's first page
	PreviewLang string
	PreviewKey  string // "" for a new survey
	Dirty       bool   // the form shows unsaved changes: the preview must follow them
}

// kindOption is one kind of the new-survey form.
type kindOption struct {
	Kind     heed.SurveyKind
	Label    string
	Selected bool
}

// surveyNew shows the empty editor (admins).
func (s *server) surveyNew(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if !v.P.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may create surveys")
	}
	sv := heed.Survey{Kind: heed.SurveyNPS, Language: "en", Texts: map[string]heed.SurveyText{}}
	for _, l := range survey.ShippedLanguages() {
		sv.Texts[l] = heed.SurveyText{}
	}
	return s.renderSurvey(w, r, http.StatusOK, &surveyBody{New: true}, sv, "")
}

// surveyCreate saves the new survey, or shows the form again after a
// button that changes the form itself.
func (s *server) surveyCreate(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if !v.P.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may create surveys")
	}
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	sv, op := parseSurveyForm(r)
	body := &surveyBody{New: true}
	if extra, handled, err := applyOp(&sv, op, r); err != nil {
		return s.surveyFormError(w, r, body, sv, err)
	} else if handled {
		return s.renderSurvey(w, r, http.StatusOK, body, sv, extra)
	}
	clean := cleanSurvey(sv)
	if clean.Key == "" {
		clean.Key = survey.Slug(clean.Name)
	}
	saved, err := s.sv.CreateSurvey(r.Context(), v.P, clean)
	if err != nil {
		return s.surveyFormError(w, r, body, sv, err)
	}
	http.Redirect(w, r, "/surveys/"+url.PathEscape(saved.Key)+"?done=created", http.StatusSeeOther)
	return nil
}

// surveyEdit shows a survey: the editor for admins, read-only for others.
func (s *server) surveyEdit(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	sv, err := s.sv.GetSurvey(r.Context(), v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	body := &surveyBody{Notice: surveyNotice(r)}
	return s.renderSurvey(w, r, http.StatusOK, body, sv, "")
}

// surveyNotice confirms what the last button did, from known words only.
func surveyNotice(r *http.Request) string {
	q := r.URL.Query()
	switch q.Get("done") {
	case "created":
		return "Survey created."
	case "saved":
		return "Changes saved."
	case "codes":
		n, _ := strconv.Atoi(q.Get("added"))
		return fmt.Sprintf("%s added to the pool.", plural(max(n, 0), "new reward code", "new reward codes"))
	}
	return ""
}

// surveySave stores an admin's changes (or redraws the form for the
// add and remove buttons).
func (s *server) surveySave(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	old, err := s.sv.GetSurvey(ctx, v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	if !v.P.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may change surveys")
	}
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	sv, op := parseSurveyForm(r)
	sv.Key, sv.Kind, sv.ID = old.Key, old.Kind, old.ID // neither changes here
	body := &surveyBody{}
	if extra, handled, err := applyOp(&sv, op, r); err != nil {
		return s.surveyFormError(w, r, body, sv, err)
	} else if handled {
		return s.renderSurvey(w, r, http.StatusOK, body, sv, extra)
	}
	if _, err := s.sv.UpdateSurvey(ctx, v.P, cleanSurvey(sv)); err != nil {
		return s.surveyFormError(w, r, body, sv, err)
	}
	http.Redirect(w, r, "/surveys/"+url.PathEscape(sv.Key)+"?done=saved", http.StatusSeeOther)
	return nil
}

// surveyFormError shows the form again with what the service refused;
// errors that are not about the input go to the error page.
func (s *server) surveyFormError(w http.ResponseWriter, r *http.Request, body *surveyBody, sv heed.Survey, err error) error {
	status, ok := formStatus(err)
	if !ok {
		return err
	}
	body.Error, body.ErrorID = sentence(heed.ErrorMessage(err)), fieldID(heed.ErrorField(err))
	return s.renderSurvey(w, r, status, body, sv, "")
}

// formStatus is the status of an editor showing err beside the form: 400
// for input the person can fix, 409 for a clash (a key taken); ok is
// false for errors the form cannot help with, which get the error page.
func formStatus(err error) (status int, ok bool) {
	switch heed.ErrorCode(err) {
	case heed.EInvalid, heed.EBadRequest:
		return http.StatusBadRequest, true
	case heed.EConflict:
		return http.StatusConflict, true
	}
	return 0, false
}

// renderSurvey fills in the rest of the editor's content and renders it.
func (s *server) renderSurvey(w http.ResponseWriter, r *http.Request, status int, body *surveyBody, sv heed.Survey, extraLang string) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	body.CanEdit, body.Dirty = v.P.IsAdmin(), r.Method == http.MethodPost
	body.Form = formFromSurvey(sv, extraLang)
	body.Form.markInvalid(body.ErrorID)
	body.KindLabel = kindLabel(sv.Kind)
	body.PreviewLang = cmp.Or(sv.Language, "en")
	for _, k := range heed.SurveyKinds() {
		body.Kinds = append(body.Kinds, kindOption{Kind: k, Label: kindLabel(k) + kindHint(k), Selected: k == sv.Kind})
	}
	title := "New survey"
	if body.New {
		body.Action = "/surveys/new"
		body.PreviewURL = "/surveys/-/preview?" + url.Values{"kind": {string(sv.Kind)}, "preview_lang": {body.PreviewLang}}.Encode()
	} else {
		title = sv.Name
		body.Action = "/surveys/" + url.PathEscape(sv.Key)
		body.PreviewKey = sv.Key
		body.PreviewURL = body.Action + "/preview?lang=" + url.QueryEscape(body.PreviewLang)
		pool, err := s.sv.RewardCodes(ctx, v.P, sv.Key)
		if err != nil {
			return err
		}
		body.Pool = pool
		if sv.OpenLink {
			body.OpenURL = s.sv.PublicURL() + "/s/open/" + url.PathEscape(sv.Key)
		}
	}
	return s.render(w, r, status, "survey", view{Title: title, Section: "surveys", Body: body})
}

func kindHint(k heed.SurveyKind) string {
	lo, hi := k.Scale()
	return fmt.Sprintf(", %d–%d", lo, hi)
}

// surveyAddCodes adds the reward codes pasted into the textarea, one a
// line.
func (s *server) surveyAddCodes(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	key := r.PathValue("key")
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	codes := strings.Split(strings.ReplaceAll(r.PostForm.Get("codes"), "\r\n", "\n"), "\n")
	pool, err := s.sv.AddRewardCodes(r.Context(), v.P, key, codes)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/surveys/%s?done=codes&added=%d#reward", url.PathEscape(key), pool.Added), http.StatusSeeOther)
	return nil
}

// previewCSP is the policy of the respondent's page shown in the
// editor's iframe: it may be framed by this site only, and its form
// goes nowhere, so the preview cannot record an answer.
const previewCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// surveyPreview shows the saved survey as a respondent sees it (?lang=).
func (s *server) surveyPreview(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	sv, err := s.sv.GetSurvey(r.Context(), v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.writePreview(w, sv, r.URL.Query().Get("lang"))
}

// surveyDraftPreview shows the editor's form as typed, unsaved: the
// script posts it here as the admin types (GET, so the iframe's history
// is replaced rather than grown), and the Preview button without script.
func (s *server) surveyDraftPreview(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if !v.P.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may edit surveys")
	}
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	sv, _ := parseSurveyForm(r)
	if key := r.Form.Get("survey"); key != "" {
		// An existing survey keeps its kind, whatever the form says.
		old, err := s.sv.GetSurvey(r.Context(), v.P, key)
		if err != nil {
			return err
		}
		sv.Key, sv.Kind = old.Key, old.Kind
	}
	sv = cleanSurvey(sv)
	sv.Language = cmp.Or(sv.Language, "en")
	if !sv.Kind.Valid() {
		sv.Kind = heed.SurveyNPS
	}
	if len(sv.Texts) == 0 {
		sv.Texts = map[string]heed.SurveyText{sv.Language: {}}
	}
	return s.writePreview(w, sv, r.Form.Get("preview_lang"))
}

// writePreview renders the respondent's page of sv in lang (the
// survey's default when it does not speak lang) for the iframe.
func (s *server) writePreview(w http.ResponseWriter, sv heed.Survey, lang string) error {
	if _, ok := sv.Texts[lang]; !ok {
		lang = sv.Language
	}
	var buf bytes.Buffer
	if err := respond.Preview(&buf, sv, lang); err != nil {
		return fmt.Errorf("web: preview of survey %q: %w", sv.Key, err)
	}
	h := w.Header()
	h.Set("Content-Security-Policy", previewCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, err := w.Write(buf.Bytes())
	return err
}
