// Package importer reads CSV and JSONL files of units, employees, customers,
// survey responses, feedback and customer events into values, naming the
// line and field of every problem. It only parses: whether a row makes
// sense (required fields, references, email format, roles, scores) is the
// services' business.
package importer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
)

// Format is the layout of an import file.
type Format string

const (
	CSV   Format = "csv"   // a header row naming the fields, then one row per item
	JSONL Format = "jsonl" // one JSON object per line
)

// Limits that keep a broken or hostile file from exhausting memory.
const (
	maxRowBytes   = 1 << 20
	maxRows       = 5_000_000
	progressEvery = 10_000
	bufferSize    = 64 << 10
)

// FormatFor picks the format from the file name (.csv; .jsonl/.ndjson/.json)
// or, if unknown, from the first non-space byte of head ('{' → JSONL, else
// CSV).
func FormatFor(name string, head []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return CSV
	case ".jsonl", ".ndjson", ".json":
		return JSONL
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		return JSONL
	}
	return CSV
}

// Row is one item read from a file, with the line it starts on. A Bad
// row had values that could not be read (they are in the RowErrors and
// left zero in Item); it is returned anyway so that the checks of its
// other fields can run and every problem of a file is listed at once, but
// it must never be written.
type Row[T any] struct {
	Line int
	Item T
	Bad  bool
}

// Options tell the importer how to read a file and how to report.
type Options struct {
	File     string         // name used in errors (FILE:LINE: field: problem)
	Format   Format         // "" → CSV
	Progress func(rows int) // called every 10,000 rows and at the end; may be nil
	MaxRows  int            // a file with more rows is refused; 0 (or over 5,000,000) → 5,000,000
	// Columns maps the columns (JSONL: keys) of a file exported from
	// another tool, in any case, to the fields they hold: "Stars" →
	// "rating". A mapped field is read from its column only; a column
	// that merely bears its name is then not ours.
	Columns map[string]string
	// IgnoreUnknown skips the columns (keys) that are neither fields nor
	// mapped, instead of reporting each as a problem: exports carry many
	// columns an import has no use for.
	IgnoreUnknown bool
	// Ignored, if set, is told once, after a file is read, the columns
	// (keys) IgnoreUnknown skipped, as the file names them.
	Ignored func(columns []string)
}

// Units reads units (key, name, parent, responsible). Every problem is
// listed in the RowErrors, and rows with one are marked Bad (or, when not
// even their shape could be read, left out); the error is for I/O failures
// and files that cannot be read at all.
func Units(r io.Reader, o Options) ([]Row[heed.Unit], heed.RowErrors, error) {
	return read(r, o, unitSchema)
}

// Employees reads employees (email, name, role, unit), as Units does.
func Employees(r io.Reader, o Options) ([]Row[heed.Employee], heed.RowErrors, error) {
	return read(r, o, employeeSchema)
}

// Customers reads customers (external_id, name, email, phone, language,
// segment, value, owner, unit, attributes, consent), as Units does. In CSV,
// columns named attributes.KEY or attr.KEY add KEY to the attributes object.
func Customers(r io.Reader, o Options) ([]Row[heed.Customer], heed.RowErrors, error) {
	return read(r, o, customerSchema)
}

// parser collects the rows and problems of one file.
type parser[T any] struct {
	o     Options
	s     *schema[T]
	m     *mapping
	rows  []Row[T]
	errs  heed.RowErrors
	count int // rows seen, good or bad
	max   int // rows allowed
}

func read[T any](r io.Reader, o Options, s *schema[T]) ([]Row[T], heed.RowErrors, error) {
	m, err := newMapping(o.File, o.Columns, s)
	if err != nil {
		return nil, nil, err
	}
	p := &parser[T]{o: o, s: s, m: m, max: maxRows}
	if o.MaxRows > 0 && o.MaxRows < maxRows {
		p.max = o.MaxRows
	}
	switch o.Format {
	case CSV, "":
		err = p.readCSV(r)
	case JSONL:
		err = p.readJSONL(r)
	default:
		return nil, nil, heed.Errorf(heed.EInvalid, "%s: unknown format %q; want csv or jsonl", o.File, o.Format)
	}
	if err == nil && o.Format == JSONL {
		err = p.allFound()
	}
	if err != nil {
		return nil, p.errs, err
	}
	if o.Progress != nil {
		o.Progress(p.count)
	}
	if o.Ignored != nil && len(p.m.ignored) > 0 {
		o.Ignored(p.m.ignored)
	}
	return p.rows, p.errs, nil
}

// counted notes one more row, reports progress, and fails once the file
// has more rows than any import should.
func (p *parser[T]) counted() error {
	p.count++
	if p.count > p.max {
		return heed.Errorf(heed.ETooLarge, "%s: more than %s rows; split the file", p.o.File, thousands(p.max))
	}
	if p.o.Progress != nil && p.count%progressEvery == 0 {
		p.o.Progress(p.count)
	}
	return nil
}

// thousands writes n as 5,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (p *parser[T]) fail(line int, field, problem string) {
	p.errs = append(p.errs, heed.RowError{File: p.o.File, Line: line, Field: field, Problem: problem})
}

// set trims s, checks it is text a database will take, and stores it in
// item; it reports the problem and returns false otherwise.
func (p *parser[T]) set(item *T, f *field[T], s string, line int) bool {
	return p.setWith(item, f.name, f.set, s, line)
}

// setCell stores a CSV cell, or a JSONL string, as set does, read the
// way the field reads its cells (schema.cell).
func (p *parser[T]) setCell(item *T, f *field[T], s string, line int) bool {
	if read, ok := p.s.cell[f.name]; ok {
		return p.setWith(item, f.name, read, s, line)
	}
	return p.set(item, f, s, line)
}

func (p *parser[T]) setWith(item *T, name string, set func(*T, string) error, s string, line int) bool {
	s = strings.TrimSpace(s)
	if problem := textProblem(s); problem != "" {
		p.fail(line, name, problem)
		return false
	}
	if err := set(item, s); err != nil {
		p.fail(line, name, err.Error())
		return false
	}
	return true
}

var bom = []byte("\xEF\xBB\xBF")

// skipBOM drops the byte order mark some editors (Excel) put first.
func skipBOM(br *bufio.Reader) error {
	head, err := br.Peek(len(bom))
	if err != nil && err != io.EOF {
		return err
	}
	if bytes.Equal(head, bom) {
		_, _ = br.Discard(len(bom))
	}
	return nil
}

func emptyFile(file string) error {
	return heed.Errorf(heed.EInvalid, "%s: the file is empty", file)
}

func readError(file string, err error) error {
	return fmt.Errorf("read %s: %w", file, err)
}
