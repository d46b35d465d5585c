package feedback

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/importer"
)

// MaxImportRows bounds a feedback file: it is checked whole and written
// in one transaction.
const MaxImportRows = 200_000

// File says how to read a file of feedback items exported from another
// tool.
type File struct {
	Name  string // shown in errors: FILE:LINE: field: problem
	JSONL bool   // else CSV with a header row
	// Kind is that of every row without a kind column of its own.
	Kind heed.FeedbackKind
	// Source is the system of every row without a source column; "" is
	// the item's kind.
	Source string
	// Columns maps the file's columns (JSONL: keys), any case, to our
	// fields: "Stars" → "rating". Other columns are ignored.
	Columns  map[string]string
	Ignored  func(columns []string) // told once which columns were ignored; may be nil
	Progress func(rows int)         // told the rows read, every 10,000; may be nil
}

// ParseFile reads a file of feedback items of one kind from one system:
// see File and importer.Feedback for the columns. Columns the file has
// that are neither ours nor mapped are ignored. A file with any problem
// is refused whole, every problem listed by line and field.
func ParseFile(file string, r io.Reader, jsonl bool, kind heed.FeedbackKind, source string, columns map[string]string) ([]Input, error) {
	return File{Name: file, JSONL: jsonl, Kind: kind, Source: source, Columns: columns}.Parse(r)
}

// Parse reads r as f says, into inputs for RecordAll, each with its line.
func (f File) Parse(r io.Reader) ([]Input, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, heed.FieldErrorf(heed.EInvalid, "kind", "unknown kind %q", f.Kind)
	}
	o := importer.Options{File: f.Name, Format: importer.CSV, MaxRows: MaxImportRows, Columns: f.Columns,
		IgnoreUnknown: true, Ignored: f.Ignored, Progress: f.Progress}
	if f.JSONL {
		o.Format = importer.JSONL
	}
	rows, errs, err := importer.Feedback(r, o)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, rejected(f.Name, errs)
	}
	if len(rows) == 0 {
		return nil, heed.Errorf(heed.EInvalid, "%s holds no feedback items", f.Name)
	}
	out := make([]Input, len(rows))
	for i, row := range rows {
		x := row.Item
		kind := cmp.Or(x.Kind, f.Kind)
		out[i] = Input{
			Kind: kind, Source: cmp.Or(x.Source, f.Source, string(kind)), ExternalID: x.ExternalID, Title: x.Title,
			Text: x.Text, Turns: x.Turns, Rating: x.Rating, Platform: x.Platform, At: x.At, Language: x.Language,
			Customer: x.Customer, Email: x.Email, Author: x.Author, Unit: x.Unit, Line: row.Line,
		}
	}
	return out, nil
}

func rejected(file string, errs heed.RowErrors) error {
	return &heed.Error{Code: heed.EInvalid, Message: fmt.Sprintf("%s: %d problems; nothing was written", file, len(errs)), Err: errs}
}

// RecordAll stores a whole file of items (admins only), as Record does a
// request: every input is checked first and every problem listed with
// its line, and an item given twice in one file is a problem (which of
// the two is right?); then all are written in one transaction, MaxBatch
// at a time, so a file lands whole or not at all however long it is.
// progress, if set, is told the stage ("check", "write"), the items done
// and their total.
func (s *Service) RecordAll(ctx context.Context, p heed.Principal, file string, in []Input, progress func(stage string, done, total int)) ([]Recorded, error) {
	if !p.IsAdmin() {
		return nil, heed.Errorf(heed.EForbidden, "only admins may record feedback")
	}
	file = cmp.Or(file, "request")
	if len(in) > MaxImportRows {
		return nil, heed.Errorf(heed.ETooLarge, "%s: %d items: at most %d in one file; split it", file, len(in), MaxImportRows)
	}
	report := func(stage string, done int) {
		if progress != nil {
			progress(stage, done, len(in))
		}
	}
	now := s.cfg.Now()
	items, recs, err := s.checkAll(ctx, file, in, now, report)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(q heed.Queries) error {
		for start := 0; start < len(items); start += MaxBatch {
			end := min(start+MaxBatch, len(items))
			if err := s.write(ctx, q, items[start:end], recs[start:end], now); err != nil {
				return err
			}
			report("write", end)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", file, err)
	}
	return recs, nil
}

// checkAll checks the inputs MaxBatch at a time, to report progress, and
// gathers the problems of all of them.
func (s *Service) checkAll(ctx context.Context, file string, in []Input, now time.Time, report func(string, int)) ([]heed.FeedbackItem, []Recorded, error) {
	items := make([]heed.FeedbackItem, 0, len(in))
	recs := make([]Recorded, 0, len(in))
	rowErrs := twice(file, in)
	for start := 0; start < len(in); start += MaxBatch {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		end := min(start+MaxBatch, len(in))
		batch := slices.Clone(in[start:end])
		for i := range batch {
			batch[i].Line = cmp.Or(batch[i].Line, start+i+1) // check counts lines from the batch's start
		}
		its, rs, err := s.check(ctx, file, batch, now)
		var errs heed.RowErrors
		switch {
		case errors.As(err, &errs):
			rowErrs = append(rowErrs, errs...)
		case err != nil:
			return nil, nil, err
		}
		items, recs = append(items, its...), append(recs, rs...)
		report("check", end)
	}
	if len(rowErrs) > 0 {
		slices.SortStableFunc(rowErrs, func(a, b heed.RowError) int { return cmp.Compare(a.Line, b.Line) })
		return nil, nil, rejected(file, rowErrs)
	}
	return items, recs, nil
}

// twice lists the inputs that name an item (source and external id) an
// earlier input named already.
func twice(file string, in []Input) heed.RowErrors {
	var errs heed.RowErrors
	first := make(map[[2]string]int, len(in))
	for i, x := range in {
		key := [2]string{strings.TrimSpace(x.Source), strings.TrimSpace(x.ExternalID)}
		line := cmp.Or(x.Line, i+1)
		if key[1] == "" {
			continue // check says it is missing
		}
		if at, ok := first[key]; ok {
			errs = append(errs, heed.RowError{File: file, Line: line, Field: "external_id",
				Problem: fmt.Sprintf("%q appears twice (first on line %d)", key[1], at)})
			continue
		}
		first[key] = line
	}
	return errs
}
