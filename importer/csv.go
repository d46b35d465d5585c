package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/heedhq/heed"
)

// column maps a CSV column to a field (by index) or a key of the
// schema's keyed columns.
type column struct {
	field  int    // index into schema.fields; -1 if none
	key    string // KEY of a PREFIX.KEY column
	header string // as written, for messages
}

// readCSV reads a header row (the first non-blank row) and then one item
// per record.
func (p *parser[T]) readCSV(r io.Reader) error {
	g := &guard{r: r, limit: maxRowBytes + bufferSize}
	br := bufio.NewReaderSize(g, bufferSize)
	if err := skipBOM(br); err != nil {
		return readError(p.o.File, err)
	}
	comma, err := delimiter(br)
	if err != nil {
		return readError(p.o.File, err)
	}
	// csv.NewReader reads from br itself (it does not wrap a big enough
	// bufio.Reader), so br.Buffered tells how far csv has really read.
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // counted here, to name the line and both counts
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true // so that `a, "b"` is not a bare quote
	cols, next, err := p.readHeader(cr, br)
	if err != nil {
		return err
	}
	for {
		// A row may take 1 MiB, plus what br reads ahead.
		g.limit = g.n - int64(br.Buffered()) + maxRowBytes + bufferSize
		skipped := blankAhead(br)
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err := p.csvError(err, next+skipped); err != nil {
			return err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			p.fail(pe.StartLine, "", parseProblem(pe))
			next = pe.Line + 1
			if err := p.counted(); err != nil {
				return err
			}
			continue
		}
		next = endLine(cr, rec) + 1
		if blank(rec) {
			continue // spreadsheets leave rows of empty cells at the end
		}
		if err := p.counted(); err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		p.csvRecord(rec, line, cols)
	}
}

// csvError turns what csv.Reader returns into the error that ends the
// import, or nil to go on (no error, or a problem of one record); line is
// where the record being read starts.
func (p *parser[T]) csvError(err error, line int) error {
	var pe *csv.ParseError
	switch {
	case err == nil, errors.As(err, &pe):
		return nil
	case errors.Is(err, errRowTooLong):
		return heed.Errorf(heed.ETooLarge, "%s:%d: row is longer than 1 MiB (is a quote left open?)", p.o.File, line)
	}
	return readError(p.o.File, err)
}

// readHeader reads the header row and returns the columns and the line
// after it.
func (p *parser[T]) readHeader(cr *csv.Reader, br *bufio.Reader) ([]column, int, error) {
	for next := 1; ; {
		skipped := blankAhead(br)
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, 0, emptyFile(p.o.File)
		}
		if err := p.csvError(err, next+skipped); err != nil {
			return nil, 0, err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, 0, heed.Errorf(heed.EInvalid, "%s:%d: cannot read the header row: %s", p.o.File, pe.StartLine, parseProblem(pe))
		}
		if blank(rec) {
			next = endLine(cr, rec) + 1
			continue
		}
		line, _ := cr.FieldPos(0)
		cols, err := p.header(rec, line)
		return cols, endLine(cr, rec) + 1, err
	}
}

// header maps the header row to columns. Unknown and unnamed columns are
// row problems on the header's line, so they are listed with all the
// others (or, with Options.IgnoreUnknown, skipped); a repeated column
// makes the file unusable (which one counts?), and so does a mapped
// column the file lacks.
func (p *parser[T]) header(rec []string, line int) ([]column, error) {
	cols := make([]column, len(rec))
	seen := make(map[string]bool, len(rec))
	for i, cell := range rec {
		name := strings.TrimSpace(cell)
		cols[i] = column{field: -1, header: name}
		id := strings.ToLower(name)
		key, isKeyed := p.s.keyed.key(name)
		f := p.fieldOf(name)
		switch {
		case name == "" && p.o.IgnoreUnknown:
			p.m.ignore(fmt.Sprintf("column %d (no name)", i+1))
			continue
		case name == "":
			p.fail(line, "", fmt.Sprintf("column %d has no name", i+1))
			continue
		case f >= 0:
			cols[i].field, id = f, p.s.fields[f].name
		case isKeyed && key == "":
			p.fail(line, name, "want a key after the dot, as in "+p.s.keyed.example)
			continue
		case isKeyed:
			cols[i].key, id = key, p.s.keyed.prefixes[0]+key
		case p.o.IgnoreUnknown:
			p.m.ignore(name)
			continue
		default:
			p.fail(line, name, "unknown column; want "+p.columnNames())
			continue
		}
		if seen[id] {
			return nil, heed.Errorf(heed.EInvalid, "%s:%d: column %q appears twice", p.o.File, line, name)
		}
		seen[id] = true
	}
	if miss := p.missing(); miss != "" {
		return nil, heed.Errorf(heed.EInvalid, "%s:%d: the file has no column %s; its columns are %s", p.o.File, line, miss, strings.Join(rec, ", "))
	}
	if len(seen) == 0 {
		p.errs = nil // they would all say the same
		if p.o.IgnoreUnknown {
			return nil, heed.Errorf(heed.EInvalid, "%s:%d: no column is one Heed reads; want columns named %s, or map yours to them", p.o.File, line, p.columnNames())
		}
		return nil, heed.Errorf(heed.EInvalid, "%s:%d: no header row; want columns named %s", p.o.File, line, p.columnNames())
	}
	return cols, nil
}

func (p *parser[T]) columnNames() string {
	if p.s.keyed != nil {
		return p.s.names + " or " + p.s.keyed.form
	}
	return p.s.names
}

// key recognises a PREFIX.KEY column and returns its KEY, which may be
// empty; a schema without keyed columns recognises none.
func (k *keyed[T]) key(name string) (string, bool) {
	if k == nil {
		return "", false
	}
	for _, prefix := range k.prefixes {
		if len(name) >= len(prefix) && strings.EqualFold(name[:len(prefix)], prefix) {
			key := strings.TrimSpace(name[len(prefix):])
			if k.fold {
				key = strings.ToLower(key)
			}
			return key, true
		}
	}
	return "", false
}

// csvRecord turns one record into an item, or into problems.
func (p *parser[T]) csvRecord(rec []string, line int, cols []column) {
	if len(rec) != len(cols) {
		p.fail(line, "", fmt.Sprintf("has %d fields but the header has %d", len(rec), len(cols)))
		return
	}
	var item T
	ok := true
	var pairs []pair
	for i, c := range cols {
		switch {
		case c.field >= 0:
			ok = p.setCell(&item, &p.s.fields[c.field], rec[i], line) && ok
		case c.key != "":
			v := strings.TrimSpace(rec[i])
			if problem := textProblem(v); problem != "" {
				p.fail(line, c.header, problem)
				ok = false
			} else if v != "" {
				pairs = append(pairs, pair{column: c.header, key: c.key, value: v})
			}
		}
	}
	if len(pairs) > 0 && ok {
		for _, pr := range p.s.keyed.merge(&item, pairs) {
			p.fail(line, pr.field, pr.text)
			ok = false
		}
	}
	p.rows = append(p.rows, Row[T]{Line: line, Item: item, Bad: !ok})
}

// parseProblem says what is wrong with the quotes in words a spreadsheet
// user knows, and where.
func parseProblem(pe *csv.ParseError) string {
	what := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		what = `a " in a field without quotes around it; quote the field and double the "`
	case errors.Is(pe.Err, csv.ErrQuote):
		what = `a quoted field is not closed, or holds a " that is not doubled`
	}
	if pe.Line != pe.StartLine {
		return fmt.Sprintf("%s (line %d, column %d)", what, pe.Line, pe.Column)
	}
	return fmt.Sprintf("%s (column %d)", what, pe.Column)
}

// endLine is the physical line the last record read ends on: quoted
// fields may hold newlines.
func endLine(cr *csv.Reader, rec []string) int {
	last := len(rec) - 1
	line, _ := cr.FieldPos(last)
	return line + strings.Count(rec[last], "\n")
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// delimiter guesses the separator from the header line: spreadsheets in
// much of Europe save "CSV" with semicolons, and some tools write tabs.
func delimiter(br *bufio.Reader) (rune, error) {
	head, err := br.Peek(bufferSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return 0, err
	}
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	var comma, semi, tab int
	quoted := false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			comma++
		case c == ';':
			semi++
		case c == '\t':
			tab++
		}
	}
	switch {
	case comma == 0 && semi > 0 && semi >= tab:
		return ';', nil
	case comma == 0 && tab > 0:
		return '\t', nil
	}
	return ',', nil
}

// blankAhead counts the empty lines csv.Reader will skip, unseen, before
// its next record, so that a row too long to read is still named by its
// own line. It looks further ahead only while the lines it sees are empty.
func blankAhead(br *bufio.Reader) int {
	n, i := 0, 0
	for size := 64; ; size *= 2 {
		head, _ := br.Peek(size) // an error is csv.Reader's to report
		for {
			if rest := head[i:]; bytes.HasPrefix(rest, []byte("\n")) {
				i++
			} else if bytes.HasPrefix(rest, []byte("\r\n")) {
				i += 2
			} else {
				break
			}
			n++
		}
		more := i == len(head) || i == len(head)-1 && head[i] == '\r'
		if !more || len(head) < size || size >= bufferSize {
			return n
		}
	}
}

var errRowTooLong = errors.New("row is longer than 1 MiB")

// guard fails reads past a limit that readCSV moves forward after every
// record, so that one endless row (an unclosed quote, a binary file) cannot
// fill memory: csv.Reader itself has no limit.
type guard struct {
	r     io.Reader
	n     int64 // bytes read so far
	limit int64
}

func (g *guard) Read(b []byte) (int, error) {
	if g.n > g.limit {
		return 0, errRowTooLong
	}
	n, err := g.r.Read(b)
	g.n += int64(n)
	return n, err
}
