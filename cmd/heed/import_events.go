package main

import (
	"bufio"
	"context"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
)

// eventFlags checks the flags of an events file and returns the mapping
// --map gives (file column → field).
func (c *importCmd) eventFlags() (map[string]string, error) {
	switch {
	case c.Source != "":
		return nil, heed.Errorf(heed.EInvalid, "--source: only for feedback files; the system events come from is --system NAME")
	case c.SkipInvalid:
		return nil, heed.Errorf(heed.EInvalid, "--skip-invalid is not available for events: fix the file and import it again")
	}
	return columnMap(c.Map)
}

// importEvents records a file of what customers did (purchases, visits…):
// read and checked whole, then written in one transaction however long
// it is; re-imports update by source and external_id and add nothing for
// events without one.
func (c *importCmd) importEvents(ctx context.Context, a *app, store heed.Store, body *bufio.Reader, jsonl bool, columns map[string]string) error {
	progress := newProgress(a.stderr, c.File)
	defer progress.done()
	in, err := events.File{
		Name: c.File, JSONL: jsonl, Source: strings.TrimSpace(c.System), Columns: columns,
		Ignored:  c.ignoredColumns(a, progress),
		Progress: func(rows int) { progress.report("read", rows, 0) },
	}.Parse(body)
	if err != nil {
		return err
	}
	res, err := newLoop(store, a.log, "", nil, -1).events.RecordAll(ctx, heed.System(), c.File, in, progress.report)
	progress.done()
	if err != nil {
		return err
	}
	return printTally(a, c.File, "event", res, func(r heed.EventUpsert) (bool, bool) { return r.Created, r.Changed })
}
