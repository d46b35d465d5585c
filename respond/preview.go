package respond

import (
	"fmt"
	"io"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// Preview writes the page a respondent of sv sees in lang — the score
// step and, below it, the reason step with the extra questions — for the
// survey editor's live preview. Both forms are inert: nothing can be
// focused or sent. The page links its stylesheet at /s/static/, so show
// it from the server that serves New's handler (an iframe's srcdoc will
// do).
func Preview(w io.Writer, sv heed.Survey, lang string) error {
	if lang == "" {
		lang = sv.Language
	}
	score := newForm(sv, lang, "", stepScore, values{})
	details := newForm(sv, lang, "", stepDetails, values{})
	score.Inert, details.Inert = true, true
	t := survey.Texts(sv, lang)
	p := page{Lang: lang, Title: t.Title, Heading: t.Title, Forms: []*form{score, details}}
	if err := pages.ExecuteTemplate(w, "page", p); err != nil {
		return fmt.Errorf("respond: preview %s: %w", sv.Key, err)
	}
	return nil
}
