package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
)

// ladderCmd prints the loyalty ladder, month by month.
type ladderCmd struct {
	LoopFlags
	Unit   string `name:"unit" placeholder:"KEY" help:"Only the customers of this unit and its subtree."`
	Months int    `name:"months" default:"12" help:"How many months, this one included: the ladder at the end of each (this month's: now)."`
}

func (c *ladderCmd) Run(ctx context.Context, a *app) error {
	if c.Months < 1 || c.Months > events.MaxPoints {
		return heed.Errorf(heed.EInvalid, "--months must be between 1 and %d", events.MaxPoints)
	}
	now := time.Now().UTC()
	from := time.Date(now.Year(), now.Month()-time.Month(c.Months-1), 1, 0, 0, 0, 0, time.UTC)
	return show(ctx, a, c.LoopFlags, func(l loop) (events.Ladder, error) {
		lad, err := l.events.Ladder(ctx, heed.System(), c.Unit, from, time.Time{}, events.EveryMonth)
		return lad, flagError(err, map[string]string{"unit": "--unit"})
	}, printLadder)
}

// printLadder writes one row per point, the rungs from the bottom up.
func printLadder(w io.Writer, l events.Ladder) error {
	header := []string{"AT"}
	for _, r := range l.Rungs {
		header = append(header, strings.ToUpper(strings.ReplaceAll(string(r), "_", " ")))
	}
	tw := newTable(w, strings.Join(append(header, "KNOWN"), "\t"))
	for _, p := range l.Points {
		row := []string{day(p.At)}
		for _, r := range l.Rungs {
			row = append(row, fmt.Sprint(p.Counts[r]))
		}
		fmt.Fprintln(tw, strings.Join(append(row, fmt.Sprint(p.Known)), "\t"))
	}
	return tw.Flush()
}
