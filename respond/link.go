package respond

import (
	"errors"
	"net/http"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// linkPath is the address of token's survey page.
func linkPath(token string) string { return "/s/" + token }

// linkForm is GET /s/{token}.
func (s *server) linkForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	l, err := s.openLink(r, token)
	if err != nil {
		return err
	}
	if s.unanswerable(w, l, http.StatusOK) {
		return nil
	}
	ui, wd := survey.UIText(l.Lang), wordsFor(l.Lang)
	var f *form
	var p page
	switch n := scoreParam(l.Survey, r.URL.Query()); {
	case n != nil:
		// From a score in the email: nothing is recorded until the
		// respondent acts (see the package comment).
		v := valuesOf(l.Response)
		v.Score = n
		f = newForm(l.Survey, l.Lang, linkPath(token), stepDetails, v)
		if l.Response == nil {
			// Only a first answer is confirmed in the background: on a link
			// answered already, a touch must not overwrite the answer
			// with the email's score; Send does that.
			f.Confirm = linkPath(token) + "/confirm"
			p.Script = true
		} else {
			f.Notices = []string{ui.ChangeAnswer}
		}
	case l.Response != nil:
		f = newForm(l.Survey, l.Lang, linkPath(token), stepDetails, valuesOf(l.Response))
		f.Notices = []string{wd.Saved + " " + ui.ChangeAnswer}
	default:
		f = newForm(l.Survey, l.Lang, linkPath(token), stepScore, values{})
	}
	return renderPage(w, http.StatusOK, formPage(p, f))
}

// openLink looks token's link up; an unknown link speaks the browser's
// language.
func (s *server) openLink(r *http.Request, token string) (survey.Link, error) {
	l, err := s.svc.OpenLink(r.Context(), token, r.Header.Get("Accept-Language"))
	if l.Lang == "" {
		l.Lang = browserLang(r)
	}
	return l, err
}

// formPage completes a page that shows f.
func formPage(p page, f *form) page {
	// The page's language is the survey's: its texts are most of it.
	p.Lang, p.Title, p.Heading = f.Lang, f.Text.Title, f.Text.Title
	p.Forms = []*form{f}
	if len(f.Errors) > 0 {
		p.Title = f.UI.FixErrors + " " + p.Title
	}
	return p
}

// unanswerable shows the page of a link that takes no answer (any more)
// and reports whether it did. A closed link is no error: the respondent
// answered; status says how a closed link is reported.
func (s *server) unanswerable(w http.ResponseWriter, l survey.Link, closedStatus int) bool {
	ui := survey.UIText(l.Lang)
	switch l.State {
	case survey.LinkUnknown:
		s.linkMessage(w, l, http.StatusNotFound, ui.Unknown)
	case survey.LinkExpired:
		s.linkMessage(w, l, http.StatusGone, ui.Expired)
	case survey.LinkClosed:
		s.linkMessage(w, l, closedStatus, ui.Closed)
	default:
		return false
	}
	return true
}

// linkSubmit is POST /s/{token}: the score step or the whole form.
func (s *server) linkSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	l, err := s.openLink(r, token)
	if err != nil {
		return err
	}
	if s.unanswerable(w, l, http.StatusConflict) {
		return nil
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := readForm(l.Survey, r.PostForm)
	if err == nil {
		p.Answer.Language = l.Lang
		_, err = s.svc.AnswerLink(r.Context(), token, p.Answer)
	}
	switch {
	case err == nil && p.Step == stepScore:
		// Recorded; now the reason, on the page of the answered link.
		http.Redirect(w, r, linkPath(token), http.StatusSeeOther)
		return nil
	case err == nil:
		http.Redirect(w, r, linkPath(token)+"/thanks", http.StatusSeeOther)
		return nil
	case heed.ErrorCode(err) == heed.EInvalid:
		f := newForm(l.Survey, l.Lang, linkPath(token), p.Step, p.Shown)
		f.withError(l.Survey, err)
		return renderPage(w, http.StatusUnprocessableEntity, formPage(page{}, f))
	}
	return s.answerFailed(w, r, l, err)
}

// answerFailed answers an error of AnswerLink: the link may have expired
// or closed since the page was shown.
func (s *server) answerFailed(w http.ResponseWriter, r *http.Request, l survey.Link, err error) error {
	switch {
	case errors.Is(err, survey.ErrExpired):
		l.State = survey.LinkExpired
	case errors.Is(err, survey.ErrClosed):
		l.State = survey.LinkClosed
	case errors.Is(err, survey.ErrUnknown):
		l.State = survey.LinkUnknown
	default:
		s.fail(w, r, l.Lang, err)
		return nil
	}
	s.unanswerable(w, l, http.StatusConflict)
	return nil
}

// linkConfirm is POST /s/{token}/confirm: confirm.js recording the score
// the email's link preselected. It answers with a status only.
func (s *server) linkConfirm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := parseForm(w, r); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	n, err := strconvScore(r.PostForm.Get("score"))
	if err == nil {
		_, err = s.svc.AnswerLink(r.Context(), token, survey.Answer{Score: &n})
	}
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case errors.Is(err, survey.ErrUnknown):
		http.Error(w, "no such survey link", http.StatusNotFound)
	case errors.Is(err, survey.ErrExpired):
		http.Error(w, "this survey link has expired", http.StatusGone)
	case errors.Is(err, survey.ErrClosed):
		http.Error(w, "this answer can no longer be changed", http.StatusConflict)
	case heed.ErrorCode(err) == heed.EInvalid:
		http.Error(w, heed.ErrorMessage(err), http.StatusUnprocessableEntity)
	default:
		s.log.Error("respond: confirm failed", "path", logPath(r), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// linkThanks is GET /s/{token}/thanks.
func (s *server) linkThanks(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	l, err := s.openLink(r, token)
	if err != nil {
		return err
	}
	switch {
	case l.State == survey.LinkUnknown || l.State == survey.LinkExpired:
		s.unanswerable(w, l, http.StatusOK)
		return nil
	case l.Response == nil:
		// Nothing answered yet: the survey, not a thank-you.
		http.Redirect(w, r, linkPath(token), http.StatusSeeOther)
		return nil
	}
	reward, err := s.svc.RewardFor(r.Context(), l)
	if err != nil {
		return err
	}
	t := survey.Texts(l.Survey, l.Lang)
	ui := survey.UIText(l.Lang)
	th := &thanks{Text: t.Thanks, RewardTxt: t.RewardTxt, Reward: reward}
	if l.State == survey.LinkOpen {
		th.Change, th.ChangeTxt = linkPath(token), ui.ChangeAnswer
	}
	return renderPage(w, http.StatusOK, page{Lang: l.Lang, Title: t.Title, Heading: t.Title, Thanks: th})
}
