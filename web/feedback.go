package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/textan"
)

// feedbackBody is the content of feedback.html.
type feedbackBody struct {
	feedbackForm
	Items    []feedbackRow
	Kinds    []feedbackKindOption
	Themes   []themeOption
	Units    []unitOption
	Filtered bool
	Paged    bool
	FirstURL string
	NextURL  string // "" on the last page
	CSVURL   string // the export of every item these filters select
	CSVMax   int
	// Sentiments are the labels to filter on.
	Sentiments []string
}

// feedbackForm is the explorer's filters as typed, kept as text so the
// form shows them back exactly.
type feedbackForm struct {
	Query, Kind, Source, Unit, Theme, Sentiment string
	MinRating, MaxRating                        string
	From, To                                    string // yyyy-mm-dd
	Sort                                        string // "priority": the page highest priority first; else newest first
}

type feedbackKindOption struct {
	Kind  heed.FeedbackKind
	Label string
}

type themeOption struct{ Key, Name string }

// feedbackRow is one item of the list, ready to show.
type feedbackRow struct {
	heed.FeedbackItem
	KindLabel string
	Title     string // a survey comment's: its survey's name
	Rated     int    // a review's rating, in stars
	Stars     []bool // the five stars, true for a filled one
	Score     string // the sentiment, −1…1, as shown
	Head      string // the text, or its start when it is long
	Rest      string // the rest of a long text, behind a <details>
	Tone      string // good, mid, bad: the item's sentiment; "" when not read
	Themes    []themeChip
	UnitName  string
	Case      int64 // the customer's open case; 0 when none (or not known)
	Priority  priorityView
}

// themeChip is a theme an item speaks of, coloured by what it says of it.
type themeChip struct {
	Name, Tone, Title string
}

// textHead is how many characters of a text show before "read more".
const textHead = 420

// feedbackList is the explorer: every item the viewer may see, from
// every source, newest first, filtered, a page at a time (?before=ID),
// each beside the customer who said it, their open case and the item's
// priority; ?sort=priority orders the page by it.
func (s *server) feedbackList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	form := readFeedbackForm(r.URL.Query())
	tax, err := s.fb.Taxonomy(ctx, v.P)
	if err != nil {
		return err
	}
	f, err := form.filter(tax.Themes)
	if err != nil {
		return err
	}
	if f.BeforeID, err = parseBefore(r.URL.Query().Get("before")); err != nil {
		return err
	}
	f.Limit = listPage + 1
	list, err := s.fb.List(ctx, v.P, f)
	if err != nil {
		return err
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	params := form.params()
	body := feedbackBody{feedbackForm: form, Kinds: feedbackKindOptions(), Themes: themeOptions(tax.Themes), Units: unitOptions(units),
		Filtered: len(params) > 0, Paged: f.BeforeID > 0, FirstURL: pageURL("/feedback", params, 0),
		CSVURL: pageURL("/feedback.csv", params, 0), CSVMax: csvMaxRows,
		Sentiments: []string{string(textan.Negative), string(textan.Neutral), string(textan.Positive)}}
	if len(list) > listPage {
		list = list[:listPage]
		body.NextURL = pageURL("/feedback", params, list[listPage-1].ID)
	}
	names, bySurvey, themes := unitNames(units), surveysByKey(surveys), themeNames(tax.Themes)
	for _, it := range list {
		body.Items = append(body.Items, newFeedbackRow(it, names, bySurvey, themes))
	}
	if err := s.openCases(ctx, v.P, body.Items); err != nil {
		return err
	}
	prioritized, err := s.fb.Prioritize(ctx, v.P, list, s.churn(v.P))
	if err != nil {
		return err
	}
	for i, it := range prioritized {
		body.Items[i].Priority = viewPriority(it.Priority)
	}
	if form.Sort == "priority" { // the store pages newest first, so only the page is sorted
		byPriority(body.Items, func(row feedbackRow) int { return row.Priority.Score })
	}
	return s.render(w, r, http.StatusOK, "feedback", view{Title: "Feedback explorer", Section: "feedback", Body: body})
}

// openCases marks each row whose customer has an open case: one look-up
// per distinct customer of the page, at most listPage, and none without
// the loop.
func (s *server) openCases(ctx context.Context, p heed.Principal, rows []feedbackRow) error {
	if s.cs == nil {
		return nil
	}
	open := map[string]int64{}
	for i, row := range rows {
		ext := row.Customer
		if ext == "" {
			continue
		}
		id, seen := open[ext]
		if !seen {
			list, err := s.cs.List(ctx, p, cases.Filter{Customer: ext, Open: true, Limit: 1})
			if err != nil {
				return err
			}
			if len(list) > 0 {
				id = list[0].ID
			}
			open[ext] = id
		}
		rows[i].Case = id
	}
	return nil
}

func readFeedbackForm(q url.Values) feedbackForm {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return feedbackForm{Query: get("q"), Kind: get("kind"), Source: get("source"), Unit: get("unit"), Theme: get("theme"),
		Sentiment: get("sentiment"), MinRating: get("min_rating"), MaxRating: get("max_rating"), From: get("from"), To: get("to"),
		Sort: get("sort")}
}

// filter turns the form into the service's filter; the service checks
// the kind and the sentiment, the form the rest.
func (b feedbackForm) filter(themes []textan.Theme) (heed.FeedbackFilter, error) {
	f := heed.FeedbackFilter{Query: b.Query, Kind: heed.FeedbackKind(b.Kind), Source: b.Source, Unit: b.Unit,
		Theme: b.Theme, Label: b.Sentiment}
	if _, ok := themeNames(themes)[b.Theme]; b.Theme != "" && !ok {
		return f, heed.FieldErrorf(heed.EInvalid, "theme", "there is no theme %q", b.Theme)
	}
	var err error
	if f.MinRating, err = ratingParam(b.MinRating, "lowest"); err != nil {
		return f, err
	}
	if f.MaxRating, err = ratingParam(b.MaxRating, "highest"); err != nil {
		return f, err
	}
	if f.From, err = dateParam(b.From, "from"); err != nil {
		return f, err
	}
	if f.To, err = dateParam(b.To, "to"); err != nil {
		return f, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the whole of the last day
	}
	return f, nil
}

// ratingParam reads a rating bound: nil when empty, else 1 to 5 stars.
func ratingParam(s, which string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 5 {
		return nil, heed.Errorf(heed.EInvalid, "the %s rating %q is not 1 to 5 stars", which, s)
	}
	return &n, nil
}

// dateParam reads a day of the form (UTC); zero when empty.
func dateParam(s, field string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, heed.FieldErrorf(heed.EInvalid, field, "the date %q is not a date like 2026-03-31", s)
	}
	return t, nil
}

// params are the filters in force, for the paging and export links.
func (b feedbackForm) params() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"q": b.Query, "kind": b.Kind, "source": b.Source, "unit": b.Unit, "theme": b.Theme,
		"sentiment": b.Sentiment, "min_rating": b.MinRating, "max_rating": b.MaxRating, "from": b.From, "to": b.To, "sort": b.Sort} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

func newFeedbackRow(it heed.FeedbackItem, unitNames map[string]string, surveys map[string]heed.Survey,
	themes map[string]string) feedbackRow {
	row := feedbackRow{FeedbackItem: it, KindLabel: feedbackKindLabel(it.Kind), Title: it.Title,
		UnitName: cmp.Or(unitNames[it.Unit], it.Unit), Tone: labelTone(it.Label)}
	if it.Kind == heed.FeedbackSurvey {
		row.Title = cmp.Or(surveys[it.Title].Name, it.Title)
	}
	if it.Rating != nil {
		row.Rated, row.Stars = *it.Rating, make([]bool, 5)
		for i := range row.Stars {
			row.Stars[i] = i < *it.Rating
		}
	}
	if it.Sentiment != nil {
		row.Score = sentimentText(*it.Sentiment)
	}
	row.Head, row.Rest = cutText(it.Text, textHead)
	for _, th := range it.Themes {
		row.Themes = append(row.Themes, newThemeChip(th, cmp.Or(themes[th.Theme], th.Theme)))
	}
	return row
}

func newThemeChip(th heed.FeedbackTheme, name string) themeChip {
	c := themeChip{Name: name, Tone: "none", Title: name + ": not read"}
	if th.Sentiment != nil {
		label := sentimentLabel(*th.Sentiment)
		c.Tone = labelTone(label)
		c.Title = name + ": " + label + " (" + sentimentText(*th.Sentiment) + ")"
	}
	return c
}

// sentimentText writes a sentiment with two decimals and a true minus sign.
func sentimentText(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 2, 64), "-", "−", 1)
}

// sentimentLabel is the label of a mean sentiment (a theme's, not an
// item's, which comes labelled), on the band textan labels items with.
func sentimentLabel(x float64) string {
	switch {
	case x >= textan.NeutralBand:
		return string(textan.Positive)
	case x <= -textan.NeutralBand:
		return string(textan.Negative)
	}
	return string(textan.Neutral)
}

// labelTone is how a sentiment label reads, in the colours of scores.
func labelTone(label string) string {
	switch textan.Label(label) {
	case textan.Positive:
		return "good"
	case textan.Negative:
		return "bad"
	case textan.Neutral:
		return "mid"
	}
	return ""
}

// cutText splits a long text after about n characters, at a space, so
// the list stays short; a text barely longer is not cut at all.
func cutText(s string, n int) (head, rest string) {
	if utf8.RuneCountInString(s) <= n+n/4 {
		return s, ""
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			break
		}
		count++
	}
	if j := strings.LastIndexFunc(s[:i], unicode.IsSpace); j > i/2 {
		i = j
	}
	return strings.TrimRightFunc(s[:i], unicode.IsSpace), strings.TrimLeftFunc(s[i:], unicode.IsSpace)
}

// feedbackKindLabel names a kind of feedback as people say it.
func feedbackKindLabel(k heed.FeedbackKind) string {
	switch k {
	case heed.FeedbackSurvey:
		return "Survey comment"
	case heed.FeedbackSocial:
		return "Social post"
	case heed.FeedbackInterview:
		return "Interview notes"
	}
	return capitalize(string(k))
}

func feedbackKindOptions() []feedbackKindOption {
	kinds := heed.FeedbackKinds()
	out := make([]feedbackKindOption, len(kinds))
	for i, k := range kinds {
		out[i] = feedbackKindOption{Kind: k, Label: feedbackKindLabel(k)}
	}
	return out
}

// themeOptions are the organisation's themes (the taxonomy items are
// read with), for the filter.
func themeOptions(themes []textan.Theme) []themeOption {
	out := make([]themeOption, len(themes))
	for i, th := range themes {
		out[i] = themeOption{Key: th.Key, Name: th.Name}
	}
	return out
}

// themeNames names the organisation's themes by key; a key it no longer
// has shows as it is.
func themeNames(themes []textan.Theme) map[string]string {
	m := make(map[string]string, len(themes))
	for _, th := range themes {
		m[th.Key] = th.Name
	}
	return m
}
