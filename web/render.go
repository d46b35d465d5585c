package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/assets"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the templates in templates/, each rendered inside
// layout.html; the loop's pages (loopPages) are parsed with them and
// served only when the loop is wired (see routes).
var pageNames = []string{"login", "overview", "units", "unit", "employees", "customers", "customer", "jobs", "account", "error",
	"scores", "responses", "invitations", "surveys", "survey", "programs", "program", "feedback",
	"themes", "ladder", "themesettings"}

// templates holds one parsed set per page: the layout plus that page.
type templates struct {
	pages map[string]*template.Template
}

func parseTemplates(as *assets.Set) (*templates, error) {
	funcs := template.FuncMap{
		"asset":      as.URL,
		"pathEscape": url.PathEscape,
		"time":       formatTime,
		"roleLabel":  roleLabel,
		"plural":     plural,
		"decimal":    groupDigits,
		"count":      groupInt,
		"breakable":  breakable,
		// The loop's words.
		"stageLabel":   stageLabel,
		"outcomeLabel": outcomeLabel,
		"kindName":     kindName,
		"pct":          pct,
		"has":          has,
		"capitalize":   capitalize,
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range append(slices.Clone(pageNames), loopPages...) {
		p, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		t.pages[name] = p
	}
	return t, nil
}

// view is what every page template receives.
type view struct {
	Title   string
	Section string // the navigation item to mark as current
	Viewer  *viewer
	Version string
	Body    any
	// Explorer is whether the feedback service is wired, for the tabs
	// of its pages (the explorer and the themes).
	Explorer bool
	// Ladder is whether the events service is wired, for the tab of
	// the loyalty ladder.
	Ladder bool
}

// render writes the page with the given status. It renders into a buffer
// first, so a template error becomes a clean 500 rather than half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) error {
	t, ok := s.tmpl.pages[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	v.Viewer = viewerFrom(r.Context())
	v.Version = s.version
	v.Explorer = s.fb != nil
	v.Ladder = s.ev != nil
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// errorBody is the content of error.html.
type errorBody struct {
	Status  int
	Heading string
	Message string
}

// errorPage renders a friendly error page; if even that fails, plain text.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	err := s.render(w, r, status, "error", view{Title: heading, Body: errorBody{status, heading, msg}})
	if err != nil {
		s.log.Error("web: render error page", "err", err)
		http.Error(w, heading, status)
	}
}

// fail answers a handler's error: a page for what the visitor can act on,
// a bare 500 (with the cause in the log only) for everything else.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	err = heed.CheckOutage(r.Context(), err, s.ping)
	switch heed.ErrorCode(err) {
	case heed.EUnauthorized:
		s.toLogin(w, r)
	case heed.ENotFound:
		s.notFoundPage(w, r)
	case heed.EForbidden:
		s.errorPage(w, r, http.StatusForbidden, "Not allowed",
			"Your role does not give you access to this page. Ask an admin if you need it.")
	case heed.EInvalid, heed.EBadRequest:
		s.errorPage(w, r, http.StatusBadRequest, "That did not work", sentence(heed.ErrorMessage(err)))
	case heed.EConflict:
		s.errorPage(w, r, http.StatusConflict, "That did not work", sentence(heed.ErrorMessage(err)))
	case heed.ETooLarge:
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, "Too large", sentence(heed.ErrorMessage(err)))
	case heed.ERateLimited:
		s.retryAfter(w)
		s.errorPage(w, r, http.StatusTooManyRequests, "Too many requests", sentence(heed.ErrorMessage(err)))
	case heed.EUnavailable:
		s.log.Error("web: unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusServiceUnavailable, "Heed is unavailable",
			"The database cannot be reached right now. Please try again in a moment.")
	default:
		s.log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong",
			"Heed hit an unexpected problem. It has been logged; please try again in a moment.")
	}
}

// notFoundPage says the same for a missing page and one the visitor may
// not see; the advice matches the page's button (overview or sign in).
func (s *server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	msg := "There is nothing here, or it is not something your account can see. Check the address, or start again from the overview."
	if viewerFrom(r.Context()) == nil {
		msg = "There is nothing here, or it is not something you can see without signing in. Check the address, or sign in and start again from the overview."
	}
	s.errorPage(w, r, http.StatusNotFound, "Page not found", msg)
}

// notFound is the catch-all handler for unknown paths.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) error {
	s.notFoundPage(w, r)
	return nil
}

// sentence capitalises a service message for display on a page.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// capitalize starts s with a capital, for a label that starts a button
// or a sentence.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// breakable renders an email address (or another long token such as a
// domain) with <wbr> break opportunities after each "@" and before each
// "." inside the token, so that a value too long for its column wraps at
// a natural point (amelia_smith@ / post.example) instead of mid-word.
// Every part is HTML-escaped; only the <wbr> elements are markup. A dot
// next to a space or at either end ("Dr. Who") gets no break.
func breakable(s string) template.HTML {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '@' && i+1 < len(s) && s[i+1] != ' ':
			b.WriteString(template.HTMLEscapeString(s[last : i+1]))
			b.WriteString("<wbr>")
			last = i + 1
		case s[i] == '.' && i > 0 && i+1 < len(s) && s[i-1] != ' ' && s[i+1] != ' ':
			b.WriteString(template.HTMLEscapeString(s[last:i]))
			b.WriteString("<wbr>")
			last = i
		}
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String()) // safe: every byte of s went through HTMLEscapeString
}

func roleLabel(r heed.Role) string {
	switch r {
	case heed.RoleFrontline:
		return "Frontline"
	case heed.RoleManager:
		return "Manager"
	case heed.RoleAnalyst:
		return "Analyst"
	case heed.RoleAdmin:
		return "Admin"
	}
	return string(r)
}

// plural returns "1 customer" or "12,000 customers".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupInt(n) + " " + many
}

// groupInt is the template function "count": an integer with thousands
// separators, 12,000, the same comma as groupDigits uses for amounts.
func groupInt(n int) string { return groupNumber(strconv.Itoa(n)) }

// groupDigits shows a decimal with thousands separators: 1,234,567.5.
func groupDigits(d heed.Decimal) string { return groupNumber(d.String()) }

// groupNumber puts a comma between each group of three digits of the
// whole part of a number written in plain decimal digits.
func groupNumber(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}
