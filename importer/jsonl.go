package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// readJSONL reads one JSON object per line; blank lines are skipped. Unlike
// CSV, a line that is too long can be skipped and reading goes on.
func (p *parser[T]) readJSONL(r io.Reader) error {
	br := bufio.NewReaderSize(r, bufferSize)
	if err := skipBOM(br); err != nil {
		return readError(p.o.File, err)
	}
	var buf []byte
	line := 0
	for {
		text, tooLong, err := readLine(br, buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			return readError(p.o.File, err)
		}
		buf = text[:0]
		line++
		text = bytes.TrimSpace(text)
		if len(text) == 0 && !tooLong {
			continue
		}
		if err := p.counted(); err != nil {
			return err
		}
		if tooLong {
			p.fail(line, "", "line is longer than 1 MiB")
			continue
		}
		p.jsonRecord(text, line)
	}
	if p.count == 0 {
		return emptyFile(p.o.File)
	}
	return nil
}

// readLine returns the next line, or io.EOF. A line over maxRowBytes is
// read to its end but not kept, and reported as too long.
func readLine(br *bufio.Reader, buf []byte) ([]byte, bool, error) {
	buf = buf[:0]
	tooLong := false
	read := 0
	for {
		chunk, err := br.ReadSlice('\n')
		read += len(chunk)
		if !tooLong && len(buf)+len(chunk) > maxRowBytes {
			tooLong, buf = true, buf[:0]
		}
		if !tooLong {
			buf = append(buf, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && read > 0 {
			err = nil // the last line has no newline; EOF comes next call
		}
		return buf, tooLong, err
	}
}

// jsonRecord turns one line into an item, or into problems. It walks the
// object's keys in order, so problems are listed as they appear and a key
// given twice is caught.
func (p *parser[T]) jsonRecord(b []byte, line int) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		p.fail(line, "", "want a JSON object")
		return
	}
	var item T
	ok := true
	var seen uint64 // bit i: field i was given
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			p.fail(line, "", jsonProblem(err))
			return
		}
		key, _ := tok.(string) // inside an object, Token gives keys as strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			p.fail(line, key, jsonProblem(err))
			return
		}
		ok = p.jsonField(&item, key, raw, line, &seen) && ok
	}
	if _, err := dec.Token(); err != nil {
		p.fail(line, "", jsonProblem(err))
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		p.fail(line, "", "unexpected text after the object")
		return
	}
	p.rows = append(p.rows, Row[T]{Line: line, Item: item, Bad: !ok})
}

// jsonField sets one key of a JSONL object, or reports why it cannot.
func (p *parser[T]) jsonField(item *T, key string, raw json.RawMessage, line int, seen *uint64) bool {
	i := p.fieldOf(key)
	switch {
	case i < 0 && p.o.IgnoreUnknown:
		p.m.ignore(key)
		return true
	case i < 0:
		p.fail(line, key, "unknown field; want "+p.s.names)
		return false
	}
	if *seen&(1<<i) != 0 {
		p.fail(line, key, "given twice")
		return false
	}
	*seen |= 1 << i
	f := &p.s.fields[i]
	s, problem := jsonText(raw, f.json)
	if problem != "" {
		p.fail(line, f.name, problem)
		return false
	}
	if len(raw) > 0 && raw[0] == '"' {
		return p.setCell(item, f, s, line) // a string holds what a CSV cell would
	}
	return p.set(item, f, s, line)
}

func jsonProblem(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the object is not closed (each object must be on one line)"
	}
	return "not valid JSON: " + err.Error()
}
