package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// csvMaxRows is the most items one export carries: enough for any
// analysis in a spreadsheet, few enough to keep a request bounded.
const csvMaxRows = 100_000

// csvPage is how many items the export reads from the service at a time
// (the most it serves at once).
const csvPage = 1000

var feedbackCSVHeader = []string{"id", "at", "kind", "source", "platform", "external_id", "customer", "customer_name",
	"author", "unit", "rating", "language", "sentiment", "label", "themes", "title", "text"}

// feedbackCSV exports every item the explorer's filters select that the
// viewer may see, newest first, streamed a page at a time.
func (s *server) feedbackCSV(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	tax, err := s.fb.Taxonomy(ctx, v.P)
	if err != nil {
		return err
	}
	f, err := readFeedbackForm(r.URL.Query()).filter(tax.Themes)
	if err != nil {
		return err
	}
	f.Limit = csvPage
	// The first page is read before anything is written, so a bad filter
	// or a refusal is still an error page.
	list, err := s.fb.List(ctx, v.P, f)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="heed-feedback-`+time.Now().UTC().Format(time.DateOnly)+`.csv"`)
	cw := csv.NewWriter(w)
	if err := cw.Write(feedbackCSVHeader); err != nil {
		return nil // the client went away
	}
	for rows := 0; ; {
		for _, it := range list[:min(len(list), csvMaxRows-rows)] {
			if err := cw.Write(feedbackRecord(it)); err != nil {
				return nil
			}
		}
		rows += len(list)
		if len(list) < csvPage || rows >= csvMaxRows {
			break
		}
		f.BeforeID = list[len(list)-1].ID
		if list, err = s.fb.List(ctx, v.P, f); err != nil {
			// Half a file must not pass for a whole one: break the
			// response off, so the download fails.
			s.log.Error("web: feedback export", "err", err, "rows", rows)
			panic(http.ErrAbortHandler)
		}
	}
	cw.Flush()
	return nil
}

// feedbackRecord is one item as a row of the export. Every text cell is
// escaped against formulas; the id, rating and sentiment are numbers
// written here, never a formula, and stay numbers (a negative sentiment
// escaped would be text to a spreadsheet).
func feedbackRecord(it heed.FeedbackItem) []string {
	rating, sentiment := "", ""
	if it.Rating != nil {
		rating = strconv.Itoa(*it.Rating)
	}
	if it.Sentiment != nil {
		sentiment = strconv.FormatFloat(*it.Sentiment, 'f', -1, 64)
	}
	themes := make([]string, len(it.Themes))
	for i, th := range it.Themes {
		themes[i] = th.Theme
	}
	return []string{strconv.FormatInt(it.ID, 10), csvSafe(it.At.UTC().Format(time.RFC3339)), csvSafe(string(it.Kind)),
		csvSafe(it.Source), csvSafe(it.Platform), csvSafe(it.ExternalID), csvSafe(it.Customer), csvSafe(it.CustomerName),
		csvSafe(it.Author), csvSafe(it.Unit), rating, csvSafe(it.Language), sentiment, csvSafe(it.Label),
		csvSafe(strings.Join(themes, ";")), csvSafe(it.Title), csvSafe(it.Text)}
}

// csvSafe defuses a cell a spreadsheet would run as a formula (one that
// starts with =, +, -, @, a tab or a carriage return) by starting it
// with an apostrophe, which spreadsheets show as text and hide.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
