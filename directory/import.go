package directory

import (
	"context"
	"fmt"
	"io"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/importer"
)

// ImportKind names what a file holds.
type ImportKind string

const (
	ImportUnits     ImportKind = "units"
	ImportEmployees ImportKind = "employees"
	ImportCustomers ImportKind = "customers"
)

// ImportRequest is one file to import.
type ImportRequest struct {
	Kind        ImportKind
	File        string          // name shown in errors: FILE:LINE: field: problem
	Format      importer.Format // "" → CSV
	Body        io.Reader
	SkipInvalid bool // write the valid rows and report the rest, instead of rejecting the file
	// Progress, if set, is told what the import is doing: stage "read",
	// "check" or "write", with rows done so far and the total when known.
	Progress func(stage string, done, total int)
}

// ImportReport says what an import did.
type ImportReport struct {
	Kind     ImportKind        `json:"kind"`
	File     string            `json:"file"`
	Rows     int               `json:"rows"` // data rows read
	Result   heed.UpsertResult `json:"result"`
	Rejected heed.RowErrors    `json:"rejected,omitempty"` // with SkipInvalid: the rows not written
}

// Import reads a CSV or JSONL file of units, employees or customers and
// upserts it (admins only). The whole file is read and checked before
// anything is written; a file with any problem is rejected with every
// problem listed (a heed.RowErrors) and nothing written, unless
// SkipInvalid is set, in which case the valid rows are written and the
// others reported in ImportReport.Rejected. The writing happens in one
// transaction, so it lands whole or not at all.
func (s *Service) Import(ctx context.Context, p heed.Principal, req ImportRequest) (ImportReport, error) {
	rep := ImportReport{Kind: req.Kind, File: req.File}
	if err := requireAdmin(p, "import "+string(req.Kind)); err != nil {
		return rep, err
	}
	opts := importer.Options{File: req.File, Format: req.Format}
	if req.Progress != nil {
		opts.Progress = func(n int) { req.Progress("read", n, 0) }
	}
	switch req.Kind {
	case ImportUnits:
		return importRows(ctx, s, req, rep, opts, importer.Units, s.checkUnits, s.writeUnits)
	case ImportEmployees:
		return importRows(ctx, s, req, rep, opts, importer.Employees, s.checkEmployees, s.writeEmployees)
	case ImportCustomers:
		return importRows(ctx, s, req, rep, opts, importer.Customers, s.checkCustomers, s.writeCustomers)
	}
	return rep, heed.FieldErrorf(heed.EInvalid, "kind", "cannot import %q: want units, employees or customers", req.Kind)
}

// importRows is the read → check → write pipeline shared by every kind.
func importRows[T any](ctx context.Context, s *Service, req ImportRequest, rep ImportReport, opts importer.Options,
	read func(io.Reader, importer.Options) ([]importer.Row[T], heed.RowErrors, error),
	check func(context.Context, string, []row[T]) ([]row[T], heed.RowErrors, error),
	write func(context.Context, []row[T], progressFunc) (heed.UpsertResult, error),
) (ImportReport, error) {
	parsed, parseErrs, err := read(req.Body, opts)
	if err != nil {
		if heed.ErrorCode(err) != heed.EInternal {
			return rep, err // the importer's own errors name the file already
		}
		return rep, heed.FieldErrorf(heed.EInvalid, "file", "%v", err) // reading failed: "read FILE: …"
	}
	rows := make([]row[T], len(parsed))
	for i, r := range parsed {
		rows[i] = row[T]{line: r.Line, item: r.Item, bad: r.Bad}
	}
	rep.Rows = countRows(parsed, parseErrs, opts.Format != importer.JSONL)
	if req.Progress != nil {
		req.Progress("check", 0, len(rows))
	}
	valid, checkErrs, err := check(ctx, req.File, rows)
	if err != nil {
		return rep, err
	}
	errs := sortErrors(append(parseErrs, notReported(checkErrs, parseErrs)...))
	if len(errs) > 0 && !req.SkipInvalid {
		return rep, errs
	}
	rep.Rejected = errs
	var progress progressFunc
	if req.Progress != nil {
		progress = func(done, total int) { req.Progress("write", done, total) }
	}
	rep.Result, err = write(ctx, valid, progress)
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", req.File, err)
	}
	return rep, nil
}

// countRows counts every data row read, valid or not: the rows parsed
// and the lines whose shape could not even be read (a CSV header's line 1
// excluded).
func countRows[T any](parsed []importer.Row[T], errs heed.RowErrors, csvHeader bool) int {
	seen := make(map[int]bool, len(parsed))
	for _, r := range parsed {
		seen[r.Line] = true
	}
	for _, e := range errs {
		if e.Line > 1 || !csvHeader {
			seen[e.Line] = true
		}
	}
	return len(seen)
}

// notReported drops the checks' problems with a field that could not be
// read in the first place: "unit: is required" says nothing new after
// "unit: contains a NUL character".
func notReported(checked, parsed heed.RowErrors) heed.RowErrors {
	type at struct {
		line  int
		field string
	}
	seen := make(map[at]bool, len(parsed))
	for _, e := range parsed {
		seen[at{e.Line, e.Field}] = true
	}
	out := checked[:0:0]
	for _, e := range checked {
		if !seen[at{e.Line, e.Field}] {
			out = append(out, e)
		}
	}
	return out
}
