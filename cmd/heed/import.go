package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/importer"
	"github.com/heedhq/heed/survey"
)

// importCmd loads a file of units, employees or customers. The file is
// checked whole before anything is written, so a bad file changes nothing.
type importCmd struct {
	DBFlag
	Kind        string `arg:"" enum:"units,employees,customers,responses" help:"What the file holds: units, employees, customers or responses (answers collected elsewhere)."`
	File        string `arg:"" help:"CSV file with a header row, or JSONL (one JSON object per line); - reads standard input."`
	Format      string `name:"format" enum:"auto,csv,jsonl" default:"auto" help:"File format: csv, jsonl, or auto (from the file name, else from the first character)."`
	SkipInvalid bool   `name:"skip-invalid" help:"Write the valid rows and list the invalid ones, instead of rejecting the whole file."`
}

func (c *importCmd) Run(ctx context.Context, a *app) error {
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
	if c.Kind == "responses" {
		return c.importResponses(ctx, a, store, body, format)
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
