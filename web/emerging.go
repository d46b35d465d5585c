package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/textan"
)

// The emerging phrases on the themes settings page: what customers said
// this week that no theme covers, new or growing, for an admin to add
// to a theme, make a theme of, or ignore.

// emergingLimit is how many phrases the page lists.
const emergingLimit = 15

// emergingAction adds an emerging phrase to a theme (a new one, or one
// chosen), or ignores it.
func (s *server) emergingAction(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	ctx, p := r.Context(), viewerFrom(r.Context()).P
	phrase := strings.TrimSpace(r.PostForm.Get("phrase"))
	if phrase == "" {
		return heed.Errorf(heed.EBadRequest, "which phrase?")
	}
	if r.PostForm.Get("action") == "ignore" {
		if err := s.fb.IgnorePhrase(ctx, p, phrase); err != nil {
			return err
		}
		http.Redirect(w, r, "/settings/themes?done=ignored#emerging", http.StatusSeeOther)
		return nil
	}
	tax, err := s.fb.Taxonomy(ctx, p)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	themes := addPhrase(tax.Themes, phrase, r.PostForm.Get("theme"))
	if _, err := s.fb.SaveTaxonomy(ctx, p, themes, version); err != nil {
		return s.themeSettingsFailed(w, r, err, &themeSettingsBody{})
	}
	http.Redirect(w, r, "/settings/themes?done=saved", http.StatusSeeOther)
	return nil
}

// addPhrase is themes with phrase as a term of the theme with key, or,
// for key "", of a new theme named after it.
func addPhrase(themes []textan.Theme, phrase, key string) []textan.Theme {
	out := make([]textan.Theme, len(themes))
	for i, th := range themes {
		out[i] = textan.Theme{Key: th.Key, Name: th.Name, Terms: append([]string(nil), th.Terms...)}
		if th.Key == key {
			out[i].Terms = append(out[i].Terms, phrase)
		}
	}
	if key == "" {
		out = append(out, textan.Theme{Key: phraseKey(phrase), Name: capitalize(phrase), Terms: []string{phrase}})
	}
	return out
}

// phraseKey makes a theme key of a phrase: "ticket machine" → ticket_machine.
func phraseKey(phrase string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(phrase) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	k := strings.Trim(b.String(), "_")
	if len(k) > 40 {
		k = strings.Trim(k[:40], "_")
	}
	if k == "" {
		k = "new_theme"
	}
	return k
}

// emergingFor fills in the week's emerging phrases (up to emergingLimit).
func (s *server) emergingFor(r *http.Request, body *themeSettingsBody) error {
	list, err := s.fb.Emerging(r.Context(), viewerFrom(r.Context()).P, time.Time{})
	if err != nil {
		return err
	}
	body.Emerging = list[:min(len(list), emergingLimit)]
	body.EmergingMore = len(list) - len(body.Emerging)
	return nil
}
