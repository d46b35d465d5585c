package respond

import (
	"net/http"
	"net/url"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// The anonymous link /s/open/{survey} (receipts, QR codes, kiosks) has no
// response to change between steps, so its page is the whole form at
// once and one post is one answer. Query parameters that name the
// survey's hidden fields (?store=ams-1&order=123) ride along as hidden
// inputs.

// openPath is the address of a survey's anonymous link.
func openPath(key string) string { return "/s/open/" + url.PathEscape(key) }

// openForm is GET /s/open/{survey}.
func (s *server) openForm(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("survey")
	sv, err := s.svc.OpenSurvey(r.Context(), key, heed.ChannelOpen, "")
	if err != nil {
		return err
	}
	lang := survey.Language(sv, "", r.Header.Get("Accept-Language"))
	q := r.URL.Query()
	f := newForm(sv, lang, openPath(key), stepDetails, values{Score: scoreParam(sv, q)})
	for _, h := range sv.Hidden {
		if q.Has(h) {
			f.Hidden = append(f.Hidden, hiddenField{h, q.Get(h)})
		}
	}
	return renderPage(w, http.StatusOK, formPage(page{}, f))
}

// openSubmit is POST /s/open/{survey}: one anonymous answer, limited per
// client address, thanked on the spot.
func (s *server) openSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.limited(w, r) {
		lang := browserLang(r)
		s.message(w, http.StatusTooManyRequests, lang, "", survey.UIText(lang).TooMany)
		return nil
	}
	key := r.PathValue("survey")
	sv, err := s.svc.OpenSurvey(r.Context(), key, heed.ChannelOpen, "")
	if err != nil {
		return err
	}
	lang := survey.Language(sv, "", r.Header.Get("Accept-Language"))
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := readForm(sv, r.PostForm)
	var rc survey.Receipt
	if err == nil {
		p.Answer.Language = lang
		rc, err = s.svc.AnswerOpen(r.Context(), key, heed.ChannelOpen, "", p.Hidden, p.Answer)
	}
	if heed.ErrorCode(err) == heed.EInvalid {
		f := newForm(sv, lang, openPath(key), stepDetails, p.Shown)
		for _, h := range sv.Hidden {
			if v, ok := p.Hidden[h]; ok {
				f.Hidden = append(f.Hidden, hiddenField{h, v})
			}
		}
		f.withError(sv, err)
		return renderPage(w, http.StatusUnprocessableEntity, formPage(page{}, f))
	}
	if err != nil {
		s.fail(w, r, lang, err)
		return nil
	}
	t := survey.Texts(sv, lang)
	return renderPage(w, http.StatusOK, page{Lang: lang, Title: t.Title, Heading: t.Title,
		Thanks: &thanks{Text: t.Thanks, RewardTxt: t.RewardTxt, Reward: rc.Reward}})
}
