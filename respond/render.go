package respond

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/assets"
	"github.com/heedhq/heed/survey"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages is the parsed template set; "page" is the document every page is.
var pages = mustLoad(template.New("").Funcs(template.FuncMap{
	"asset": loadedAssets.URL,
}).ParseFS(templateFS, "templates/*.html"))

// page is what the "page" template receives: a form, a thank-you, the
// unsubscribe question, or a heading and a message.
type page struct {
	Lang    string
	Title   string
	Script  bool // load confirm.js (a form opened from a score in an email)
	Heading string
	Message string
	Forms   []*form
	Thanks  *thanks
	Unsub   *unsub
}

type thanks struct {
	Text      string
	RewardTxt string
	Reward    string
	Change    string // the "change your answer" link, while it may be changed
	ChangeTxt string
}

type unsub struct{ Action, Button string }

// renderPage writes p with status. It renders into a buffer first, so a
// template error becomes a clean error page rather than half a page.
func renderPage(w http.ResponseWriter, status int, p page) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, "page", p); err != nil {
		return fmt.Errorf("respond: render page: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages may show a customer's own answer: never keep them in a cache.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// handler is a page handler that returns its error for fail to answer.
type handler func(w http.ResponseWriter, r *http.Request) error

// page adapts a handler; errors it returns are answered in the browser's
// language (a handler that knows the survey's answers them itself).
func (s *server) page(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, browserLang(r), err)
		}
	})
}

// message renders a page with a heading (default: the generic title) and
// one message, in lang.
func (s *server) message(w http.ResponseWriter, status int, lang, heading, msg string) {
	if heading == "" {
		heading = wordsFor(lang).Title
	}
	p := page{Lang: survey.UIText(lang).Lang, Title: heading, Heading: heading, Message: msg}
	if err := renderPage(w, status, p); err != nil {
		s.log.Error("respond: render message page", "err", err)
		http.Error(w, msg, status)
	}
}

// oops is the page for a failure that is ours, not the respondent's.
func (s *server) oops(w http.ResponseWriter, lang string) {
	wd := wordsFor(lang)
	s.message(w, http.StatusInternalServerError, lang, wd.Oops, wd.OopsMsg)
}

// fail answers an error with a friendly page in lang; the cause of an
// unexpected one goes to the log only.
func (s *server) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	ui := survey.UIText(lang)
	switch heed.ErrorCode(err) {
	case heed.ENotFound, heed.EForbidden:
		s.message(w, http.StatusNotFound, lang, "", ui.Unknown)
	case heed.ETooLarge:
		s.message(w, http.StatusRequestEntityTooLarge, lang, "", fmt.Sprintf(wordsFor(lang).TooLong, thousands(survey.MaxComment, lang)))
	case heed.EInvalid, heed.EBadRequest:
		s.message(w, http.StatusUnprocessableEntity, lang, "", ui.FixErrors+" "+heed.ErrorMessage(err))
	default:
		s.log.Error("respond: request failed", "method", r.Method, "path", logPath(r), "err", err)
		s.oops(w, lang)
	}
}

// linkMessage is the page of a personal link that takes no answer (any
// more), with its status.
func (s *server) linkMessage(w http.ResponseWriter, l survey.Link, status int, msg string) {
	title := ""
	if l.State != survey.LinkUnknown {
		title = survey.Texts(l.Survey, l.Lang).Title
	}
	s.message(w, status, l.Lang, title, msg)
}

// notFound is the catch-all: an unknown path under /s/.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) error {
	lang := browserLang(r)
	s.message(w, http.StatusNotFound, lang, "", survey.UIText(lang).Unknown)
	return nil
}

// logPath is LogPath of the request's path.
func logPath(r *http.Request) string { return LogPath(r.URL.Path) }

// LogPath is a path with a personal link's token masked (/s/{token}/…):
// whoever reads the logs must not be able to answer in a customer's
// name. Any other path comes back as it is. Every log of a request path
// that may be a link goes through it, the access log included.
func LogPath(p string) string {
	if isFixed(p) {
		return p
	}
	rest := strings.TrimPrefix(p, "/s/")
	_, tail, _ := strings.Cut(rest, "/")
	if tail != "" {
		tail = "/" + tail
	}
	return "/s/{token}" + tail
}

//go:embed static
var staticFS embed.FS

// loadedAssets are the pages' CSS and scripts, served under /s/static/.
var loadedAssets = mustLoad(assets.Load(staticFS, "static", "/s/static/"))
