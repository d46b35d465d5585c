package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/textan"
)

// themeSettingsBody is the content of themesettings.html.
type themeSettingsBody struct {
	Taxonomy feedback.TaxonomyView
	Rows     []themeRow // the form: the themes, then an empty row to add one
	Version  int        // the version the form was read at
	CanEdit  bool
	Error    string
	Notice   string
	// The week's emerging phrases no theme covers (see emerging.go).
	Emerging     []feedback.EmergingPhrase
	EmergingMore int
}

// themeRow is one theme in the form, its terms one per line.
type themeRow struct {
	Index            int
	Key, Name, Terms string
}

// themeSettings shows the themes feedback is read with and how far the
// re-reading of past feedback has come; admins edit them here.
func (s *server) themeSettings(w http.ResponseWriter, r *http.Request) error {
	body := &themeSettingsBody{}
	switch r.URL.Query().Get("done") {
	case "saved":
		body.Notice = "Saved. Past feedback is being re-read with the new themes."
	case "reset":
		body.Notice = "Back to the default themes. Past feedback is being re-read with them."
	case "ignored":
		body.Notice = "Ignored: that phrase is not listed again."
	}
	return s.renderThemeSettings(w, r, http.StatusOK, body)
}

func (s *server) renderThemeSettings(w http.ResponseWriter, r *http.Request, status int, body *themeSettingsBody) error {
	v := viewerFrom(r.Context())
	tax, err := s.fb.Taxonomy(r.Context(), v.P)
	if err != nil {
		return err
	}
	body.Taxonomy, body.CanEdit = tax, v.P.IsAdmin()
	if err := s.emergingFor(r, body); err != nil {
		return err
	}
	if body.Rows == nil {
		body.Version = tax.Version
		for _, th := range tax.Themes {
			body.Rows = append(body.Rows, themeRow{Key: th.Key, Name: th.Name, Terms: strings.Join(th.Terms, "\n")})
		}
	}
	body.Rows = append(body.Rows, themeRow{})
	for i := range body.Rows {
		body.Rows[i].Index = i
	}
	return s.render(w, r, status, "themesettings", view{Title: "Themes", Section: "themesettings", Body: body})
}

// themeSettingsSave saves the form's themes over the version it was read
// at: rows ticked for removal and the empty one are left out.
func (s *server) themeSettingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	rows, themes := themesFromForm(r)
	_, err := s.fb.SaveTaxonomy(r.Context(), viewerFrom(r.Context()).P, themes, version)
	if err != nil {
		return s.themeSettingsFailed(w, r, err, &themeSettingsBody{Rows: rows, Version: version})
	}
	http.Redirect(w, r, "/settings/themes?done=saved", http.StatusSeeOther)
	return nil
}

// themeSettingsReset goes back to the default themes.
func (s *server) themeSettingsReset(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.fb.ResetTaxonomy(r.Context(), viewerFrom(r.Context()).P, version); err != nil {
		return s.themeSettingsFailed(w, r, err, &themeSettingsBody{})
	}
	http.Redirect(w, r, "/settings/themes?done=reset", http.StatusSeeOther)
	return nil
}

// themeSettingsFailed shows the form again with what was typed and why
// it was not saved; a stale version says so plainly.
func (s *server) themeSettingsFailed(w http.ResponseWriter, r *http.Request, err error, body *themeSettingsBody) error {
	status, ok := formStatus(err)
	if !ok {
		return err
	}
	body.Error = sentence(heed.ErrorMessage(err))
	if status == http.StatusConflict {
		body.Error = "Someone else saved the themes after you opened this page, so yours were not saved. " +
			"Open the page again to see theirs, then make your changes again."
	}
	return s.renderThemeSettings(w, r, status, body)
}

// themesFromForm reads the rows as typed and the themes they make.
func themesFromForm(r *http.Request) ([]themeRow, []textan.Theme) {
	f := r.PostForm
	keys, names, terms := f["key"], f["name"], f["terms"]
	removed := map[string]bool{}
	for _, i := range f["remove"] {
		removed[i] = true
	}
	rows := []themeRow{}
	var themes []textan.Theme
	for i, key := range keys {
		row := themeRow{Key: strings.TrimSpace(key), Name: strings.TrimSpace(at(names, i)), Terms: at(terms, i)}
		var list []string
		for _, line := range strings.Split(row.Terms, "\n") {
			if t := strings.TrimSpace(line); t != "" {
				list = append(list, t)
			}
		}
		if removed[strconv.Itoa(i)] || row.Key == "" && row.Name == "" && len(list) == 0 {
			continue
		}
		rows = append(rows, row)
		themes = append(themes, textan.Theme{Key: row.Key, Name: row.Name, Terms: list})
	}
	return rows, themes
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}
