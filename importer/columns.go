package importer

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/heedhq/heed"
)

// mapping is Options.Columns checked against the schema, and what a file
// turned out to hold: files exported from other tools name our fields
// their own way ("Stars" for rating) and carry columns we do not read.
type mapping struct {
	from    map[string]int    // a mapped column (lower case) → field index
	names   map[string]string // a mapped column (lower case) → as the caller wrote it
	mapped  map[int]bool      // fields read from a mapped column
	found   map[string]bool   // mapped columns the file has
	ignored []string          // columns skipped, as the file names them
	skipped map[string]bool   // … by lower-case name, to list each once
}

// newMapping checks that every column is mapped to a field of s, and to
// one no other column is mapped to (which of them would count?).
func newMapping[T any](file string, cols map[string]string, s *schema[T]) (*mapping, error) {
	m := &mapping{from: map[string]int{}, names: map[string]string{}, mapped: map[int]bool{},
		found: map[string]bool{}, skipped: map[string]bool{}}
	by := map[int]string{} // field → the column mapped to it
	// Sorted, so that the messages do not change from run to run.
	for _, col := range slices.Sorted(maps.Keys(cols)) {
		name, to := strings.TrimSpace(col), strings.TrimSpace(cols[col])
		id, i := strings.ToLower(name), s.index(strings.ToLower(to))
		switch {
		case name == "":
			return nil, heed.Errorf(heed.EInvalid, "%s: a column mapped to %q has no name", file, to)
		case i < 0:
			return nil, heed.Errorf(heed.EInvalid, "%s: column %q is mapped to %q, which is not a field; want one of %s", file, name, to, s.names)
		case by[i] != "":
			return nil, heed.Errorf(heed.EInvalid, "%s: columns %q and %q are both mapped to %s", file, by[i], name, s.fields[i].name)
		case m.names[id] != "":
			return nil, heed.Errorf(heed.EInvalid, "%s: column %q is mapped twice", file, name)
		}
		m.from[id], m.names[id], m.mapped[i], by[i] = i, name, true, name
	}
	return m, nil
}

// fieldOf returns the field a column (or key) gives, or -1: the field it
// is mapped to, else the field of its name unless another column is
// mapped to that field.
func (p *parser[T]) fieldOf(name string) int {
	id := strings.ToLower(name)
	if i, ok := p.m.from[id]; ok {
		p.m.found[id] = true
		return i
	}
	if i := p.s.index(id); i >= 0 && !p.m.mapped[i] {
		return i
	}
	return -1
}

// ignore notes a column skipped by Options.IgnoreUnknown.
func (m *mapping) ignore(name string) {
	if id := strings.ToLower(name); !m.skipped[id] {
		m.skipped[id] = true
		m.ignored = append(m.ignored, name)
	}
}

// missing names the mapped columns the file does not have, with the
// field each was for: a misspelt mapping must not pass for an empty
// column.
func (p *parser[T]) missing() string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(p.m.names)) {
		if !p.m.found[id] {
			out = append(out, fmt.Sprintf("%q (for %s)", p.m.names[id], p.s.fields[p.m.from[id]].name))
		}
	}
	return strings.Join(out, ", ")
}

// allFound fails a JSONL file none of whose lines has a mapped key.
func (p *parser[T]) allFound() error {
	if miss := p.missing(); miss != "" {
		return heed.Errorf(heed.EInvalid, "%s: no line has the key %s", p.o.File, miss)
	}
	return nil
}
