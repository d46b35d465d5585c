package respond

import (
	"net/http"

	"github.com/heedhq/heed/survey"
)

// unsubscribeForm is GET /s/{token}/unsubscribe: a question and a button.
// It changes nothing, because mail scanners fetch every link.
func (s *server) unsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	l, err := s.openLink(r, token)
	if err != nil {
		return err
	}
	ui := survey.UIText(l.Lang)
	if l.State == survey.LinkUnknown {
		s.linkMessage(w, l, http.StatusNotFound, ui.Unknown)
		return nil
	}
	return renderPage(w, http.StatusOK, page{Lang: ui.Lang, Title: ui.UnsubscribeQ, Heading: ui.UnsubscribeQ,
		Message: ui.SentBy, Unsub: &unsub{Action: linkPath(token) + "/unsubscribe", Button: ui.Unsubscribe}})
}

// unsubscribe is POST /s/{token}/unsubscribe: the page's button, or a
// mail provider's one-click unsubscribe (RFC 8058: the body
// List-Unsubscribe=One-Click, posted from the provider's servers with no
// Origin). A button press from another site is refused; the one-click
// body is accepted from anywhere, since the token alone authorises it.
func (s *server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	// PostFormValue reads url-encoded and multipart bodies alike; RFC 8058
	// allows both.
	oneClick := r.PostFormValue("List-Unsubscribe") == "One-Click"
	if !oneClick && s.cop.Check(r) != nil {
		s.log.Warn("respond: cross-origin unsubscribe refused", "origin", r.Header.Get("Origin"))
		lang := browserLang(r)
		s.message(w, http.StatusForbidden, lang, "", wordsFor(lang).CrossSite)
		return nil
	}
	l, err := s.svc.Unsubscribe(r.Context(), token)
	if err != nil {
		return err
	}
	if l.Lang == "" {
		l.Lang = browserLang(r)
	}
	ui := survey.UIText(l.Lang)
	if l.State == survey.LinkUnknown {
		s.linkMessage(w, l, http.StatusNotFound, ui.Unknown)
		return nil
	}
	return renderPage(w, http.StatusOK, page{Lang: ui.Lang, Title: ui.Unsubscribed, Heading: survey.Texts(l.Survey, l.Lang).Title,
		Message: ui.Unsubscribed})
}
