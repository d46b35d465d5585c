package events

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/importer"
)

// MaxImportRows bounds a file of events: it is checked whole and written
// in one transaction.
const MaxImportRows = 500_000

// File says how to read a file of customer events.
type File struct {
	Name  string // shown in errors: FILE:LINE: field: problem
	JSONL bool   // else CSV with a header row
	// Source is the system of every row without a source column of its
	// own ("" for none).
	Source string
	// Columns maps the file's columns (JSONL: keys), any case, to our
	// fields: "Order total" → "amount". Other columns are ignored.
	Columns  map[string]string
	Ignored  func(columns []string) // told once which columns were ignored; may be nil
	Progress func(rows int)         // told the rows read, every 10,000; may be nil
}

// Parse reads r as f says (see importer.Events for the columns), into
// inputs for RecordAll, each with its line. A file with any problem is
// refused whole, every problem listed by line and field.
func (f File) Parse(r io.Reader) ([]Input, error) {
	o := importer.Options{File: f.Name, Format: importer.CSV, MaxRows: MaxImportRows, Columns: f.Columns,
		IgnoreUnknown: true, Ignored: f.Ignored, Progress: f.Progress}
	if f.JSONL {
		o.Format = importer.JSONL
	}
	rows, errs, err := importer.Events(r, o)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, rejected(f.Name, errs)
	}
	if len(rows) == 0 {
		return nil, heed.Errorf(heed.EInvalid, "%s holds no events", f.Name)
	}
	out := make([]Input, len(rows))
	for i, row := range rows {
		x := row.Item
		out[i] = Input{Customer: x.Customer, Kind: x.Kind, Amount: x.Amount, Source: cmp.Or(x.Source, f.Source),
			ExternalID: x.ExternalID, Line: row.Line}
		if x.At != nil {
			out[i].At = *x.At
		}
	}
	return out, nil
}

func rejected(file string, errs heed.RowErrors) error {
	return &heed.Error{Code: heed.EInvalid, Message: fmt.Sprintf("%s: %d problems; nothing was written", file, len(errs)), Err: errs}
}

func sortByLine(errs heed.RowErrors) {
	slices.SortStableFunc(errs, func(a, b heed.RowError) int { return cmp.Compare(a.Line, b.Line) })
}

// RecordAll stores a whole file of events (admins only), as Record does a
// request: every input is checked first and every problem listed with
// its line; then all are written in one transaction, MaxBatch at a time,
// so a file lands whole or not at all however long it is. progress, if
// set, is told the stage ("check", "write"), the events done and their
// total.
func (s *Service) RecordAll(ctx context.Context, p heed.Principal, file string, in []Input,
	progress func(stage string, done, total int)) ([]heed.EventUpsert, error) {
	if !p.IsAdmin() {
		return nil, heed.Errorf(heed.EForbidden, "only admins may record customer events")
	}
	file = cmp.Or(file, "request")
	if len(in) > MaxImportRows {
		return nil, heed.Errorf(heed.ETooLarge, "%s: %d events: at most %d in one file; split it", file, len(in), MaxImportRows)
	}
	report := func(stage string, done int) {
		if progress != nil {
			progress(stage, done, len(in))
		}
	}
	now := s.now()
	events, err := s.checkAll(ctx, file, in, now, report)
	if err != nil {
		return nil, err
	}
	out := make([]heed.EventUpsert, 0, len(events))
	err = s.store.InTx(ctx, func(q heed.Queries) error {
		out = out[:0]
		for start := 0; start < len(events); start += MaxBatch {
			end := min(start+MaxBatch, len(events))
			res, err := q.UpsertEvents(ctx, events[start:end], now)
			if err != nil {
				return err
			}
			out = append(out, res...)
			report("write", end)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", file, err)
	}
	return out, nil
}

// checkAll checks the inputs MaxBatch at a time, to report progress, and
// gathers the problems of all of them.
func (s *Service) checkAll(ctx context.Context, file string, in []Input, now time.Time, report func(string, int)) ([]heed.CustomerEvent, error) {
	events := make([]heed.CustomerEvent, 0, len(in))
	errs := twice(file, in)
	custs := newCustomers(s.store)
	for start := 0; start < len(in); start += MaxBatch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := min(start+MaxBatch, len(in))
		batch := slices.Clone(in[start:end])
		for i := range batch {
			batch[i].Line = cmp.Or(batch[i].Line, start+i+1) // check counts lines from the batch's start
		}
		evs, bad, err := s.check(ctx, file, batch, custs, now)
		if err != nil {
			return nil, err
		}
		events, errs = append(events, evs...), append(errs, bad...)
		report("check", end)
	}
	if len(errs) > 0 {
		sortByLine(errs)
		return nil, rejected(file, errs)
	}
	return events, nil
}
