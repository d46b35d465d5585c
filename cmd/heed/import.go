package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/importer"
	"github.com/heedhq/heed/survey"
)

// importCmd loads a file of units, employees, customers, responses,
// feedback or customer events. The file is checked whole before anything
// is written, so a bad file changes nothing.
type importCmd struct {
	DBFlag
	Kind        string   `arg:"" enum:"units,employees,customers,responses,feedback,events" help:"What the file holds: units, employees, customers, responses (answers collected elsewhere), feedback (reviews, tickets, transcripts…: give --source) or events (what customers did: purchases, visits, logins, support contacts, referrals, cancellations)."`
	File        string   `arg:"" help:"CSV file with a header row, or JSONL (one JSON object per line); - reads standard input."`
	Format      string   `name:"format" enum:"auto,csv,jsonl" default:"auto" help:"File format: csv, jsonl, or auto (from the file name, else from the first character)."`
	SkipInvalid bool     `name:"skip-invalid" help:"Write the valid rows and list the invalid ones, instead of rejecting the whole file."`
	Source      string   `name:"source" placeholder:"KIND" help:"Feedback only, and required: what the items are: review, ticket, transcript, social, complaint, interview or note (a kind column overrides it row by row)."`
	System      string   `name:"system" placeholder:"NAME" help:"Feedback and events only: the system the file comes from (google, zendesk, shop…), for rows without a source column. Default: the kind for feedback, none for events."`
	Map         []string `name:"map" placeholder:"FIELD=COLUMN" sep:"none" help:"Feedback and events only: read FIELD from the file's column (or JSON key) COLUMN, in any case; repeat it, as in --map text=Review --map rating=Stars. Columns neither ours nor mapped are ignored."`
}

func (c *importCmd) Run(ctx context.Context, a *app) error {
	kind, columns, err := c.feedbackFlags()
	if err != nil {
		return err
	}
	body, closeBody, err := c.open(a)
	if err != nil {
		return err
	}
	defer closeBody()
	format := importer.Format(c.Format)
	if c.Format == "auto" {
		head, _ := body.Peek(512) // a short file is no error here; the importer reports it
		format = importer.FormatFor(c.File, head)
	}
	store, err := openStore(ctx, c.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	switch c.Kind {
	case "responses":
		return c.importResponses(ctx, a, store, body, format)
	case "feedback":
		return c.importFeedback(ctx, a, store, body, format == importer.JSONL, kind, columns)
	case "events":
		return c.importEvents(ctx, a, store, body, format == importer.JSONL, columns)
	}
	progress := newProgress(a.stderr, c.File)
	rep, err := directory.New(store, time.Now).Import(ctx, heed.System(), directory.ImportRequest{
		Kind:        directory.ImportKind(c.Kind),
		File:        c.File,
		Format:      format,
		Body:        body,
		SkipInvalid: c.SkipInvalid,
		Progress:    progress.report,
	})
	progress.done()
	if err != nil {
		return err
	}
	return c.summarise(a, rep)
}

// open opens the file, or standard input for "-".
func (c *importCmd) open(a *app) (*bufio.Reader, func(), error) {
	if c.File == "-" {
		return bufio.NewReaderSize(a.stdin, 64<<10), func() {}, nil
	}
	f, err := os.Open(c.File)
	if err != nil {
		return nil, nil, heed.Errorf(heed.EInvalid, "cannot read %s: %v", c.File, unwrapPathError(err))
	}
	return bufio.NewReaderSize(f, 64<<10), func() { f.Close() }, nil
}

// unwrapPathError drops the "open NAME:" prefix the message already has.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// summarise prints what the import did, and with --skip-invalid every
// problem of the rows left out.
func (c *importCmd) summarise(a *app, rep directory.ImportReport) error {
	r := rep.Result
	line := fmt.Sprintf("%s: %d created, %d updated, %d unchanged", c.Kind, r.Created, r.Updated, r.Unchanged)
	if len(rep.Rejected) > 0 {
		line += fmt.Sprintf(", %s skipped", plural(distinctLines(rep.Rejected), "invalid row"))
		fmt.Fprintf(a.stderr, "skipped (not imported):\n")
		for _, e := range rep.Rejected {
			fmt.Fprintln(a.stderr, e.String())
		}
	}
	_, err := fmt.Fprintln(a.stdout, line)
	return err
}

// distinctLines counts the rows (lines) that have at least one problem.
func distinctLines(errs heed.RowErrors) int {
	seen := map[int]bool{}
	for _, e := range errs {
		seen[e.Line] = true
	}
	return len(seen)
}

// importResponses records a file of answers collected elsewhere: checked
// whole, written in one transaction, re-imports update by external_id.
func (c *importCmd) importResponses(ctx context.Context, a *app, store heed.Store, body *bufio.Reader, format importer.Format) error {
	if c.SkipInvalid {
		return heed.Errorf(heed.EInvalid, "--skip-invalid is not available for responses: fix the file and import it again")
	}
	in, err := survey.ParseResponses(c.File, body, format == importer.JSONL)
	if err != nil {
		return err
	}
	svc := newLoop(store, a.log, "", nil, -1).surveys
	recs, err := svc.RecordResponses(ctx, heed.System(), c.File, heed.ChannelImport, in)
	if err != nil {
		return err
	}
	created := 0
	for _, r := range recs {
		if r.Created {
			created++
		}
	}
	_, err = fmt.Fprintf(a.stdout, "%s: %d responses created, %d updated\n", c.File, created, len(recs)-created)
	return err
}

// feedbackFlags checks the flags only feedback (and events) files take,
// and returns the kind --source names and the mapping --map gives (file
// column → field).
func (c *importCmd) feedbackFlags() (heed.FeedbackKind, map[string]string, error) {
	if c.Kind == "events" {
		columns, err := c.eventFlags()
		return "", columns, err
	}
	if c.Kind != "feedback" {
		var given []string
		for _, f := range []struct {
			name string
			set  bool
		}{{"--source", c.Source != ""}, {"--system", c.System != ""}, {"--map", len(c.Map) > 0}} {
			if f.set {
				given = append(given, f.name)
			}
		}
		if len(given) > 0 {
			return "", nil, heed.Errorf(heed.EInvalid, "%s: only for feedback files (heed import feedback --source KIND FILE); --system and --map for events files too", strings.Join(given, ", "))
		}
		return "", nil, nil
	}
	kinds := "review, ticket, transcript, social, complaint, interview or note"
	kind := heed.FeedbackKind(strings.ToLower(strings.TrimSpace(c.Source)))
	switch {
	case kind == "":
		return "", nil, heed.Errorf(heed.EInvalid, "importing feedback needs --source KIND: %s", kinds)
	case !kind.Valid() || kind == heed.FeedbackSurvey:
		return "", nil, heed.Errorf(heed.EInvalid, "--source %q must be one of %s", c.Source, kinds)
	case c.SkipInvalid:
		return "", nil, heed.Errorf(heed.EInvalid, "--skip-invalid is not available for feedback: fix the file and import it again")
	}
	columns, err := columnMap(c.Map)
	return kind, columns, err
}

// columnMap turns --map FIELD=COLUMN flags into the importer's mapping,
// file column → field. Whether FIELD is ours and COLUMN is in the file
// is the importer's to say: it knows both.
func columnMap(flags []string) (map[string]string, error) {
	columns := make(map[string]string, len(flags))
	fields, lower := map[string]bool{}, map[string]bool{}
	for _, m := range flags {
		field, column, ok := strings.Cut(m, "=")
		field, column = strings.ToLower(strings.TrimSpace(field)), strings.TrimSpace(column)
		switch {
		case !ok || field == "" || column == "":
			return nil, heed.Errorf(heed.EInvalid, "--map %q: want FIELD=COLUMN, as in --map text=Review", m)
		case fields[field]:
			return nil, heed.Errorf(heed.EInvalid, "--map %s= is given twice", field)
		case lower[strings.ToLower(column)]:
			return nil, heed.Errorf(heed.EInvalid, "--map: column %q is mapped twice", column)
		}
		fields[field], lower[strings.ToLower(column)], columns[column] = true, true, field
	}
	return columns, nil
}

// importFeedback records a file of reviews, tickets, transcripts… from
// another tool: read and checked whole, then written in one transaction
// however long it is; re-imports update by source and external_id.
func (c *importCmd) importFeedback(ctx context.Context, a *app, store heed.Store, body *bufio.Reader, jsonl bool,
	kind heed.FeedbackKind, columns map[string]string) error {
	progress := newProgress(a.stderr, c.File)
	defer progress.done()
	in, err := feedback.File{
		Name: c.File, JSONL: jsonl, Kind: kind, Source: strings.TrimSpace(c.System), Columns: columns,
		Ignored:  c.ignoredColumns(a, progress),
		Progress: func(rows int) { progress.report("read", rows, 0) },
	}.Parse(body)
	if err != nil {
		return err
	}
	recs, err := newLoop(store, a.log, "", nil, -1).feedback.RecordAll(ctx, heed.System(), c.File, in, progress.report)
	progress.done()
	if err != nil {
		return err
	}
	return printTally(a, c.File, "feedback item", recs, func(r feedback.Recorded) (bool, bool) { return r.Created, r.Changed })
}

// ignoredColumns tells on stderr which columns of the file nothing reads
// (feedback and events files, whose columns may be anyone's).
func (c *importCmd) ignoredColumns(a *app, progress *progress) func(names []string) {
	return func(names []string) {
		progress.done()
		fmt.Fprintf(a.stderr, "%s: ignored columns: %s\n", c.File, strings.Join(names, ", "))
	}
}

// printTally says what recording the file did to its rows (nouns), each
// of which state says was created or changed.
func printTally[T any](a *app, file, noun string, rows []T, state func(T) (created, changed bool)) error {
	var created, updated int
	for _, r := range rows {
		switch isNew, changed := state(r); {
		case isNew:
			created++
		case changed:
			updated++
		}
	}
	_, err := fmt.Fprintf(a.stdout, "%s: %s created, %d updated, %d unchanged\n",
		file, plural(created, noun), updated, len(rows)-created-updated)
	return err
}
