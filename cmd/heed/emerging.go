package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// emergingCmd groups the emerging-theme commands: phrases of the last
// week that no theme covers, for an admin to name (heed taxonomy set) or
// ignore.
type emergingCmd struct {
	List   emergingListCmd   `cmd:"" default:"withargs" help:"List the phrases of a week's feedback that no theme covers and that are new or growing."`
	Ignore emergingIgnoreCmd `cmd:"" help:"Ignore a phrase: it is not listed again."`
}

type emergingListCmd struct {
	LoopFlags
	WeekEnding string `name:"week-ending" placeholder:"YYYY-MM-DD" help:"The last day of the week (default: today)."`
}

func (c *emergingListCmd) Run(ctx context.Context, a *app) error {
	var end time.Time
	if c.WeekEnding != "" {
		d, err := time.ParseInLocation(time.DateOnly, c.WeekEnding, time.Local)
		if err != nil {
			return heed.Errorf(heed.EInvalid, "--week-ending %q is not a date like 2026-03-01", c.WeekEnding)
		}
		end = d.AddDate(0, 0, 1) // the day itself is part of the week
	}
	return show(ctx, a, c.LoopFlags, func(l loop) ([]feedback.EmergingPhrase, error) {
		return l.feedback.Emerging(ctx, heed.System(), end)
	}, func(w io.Writer, list []feedback.EmergingPhrase) error {
		if len(list) == 0 {
			_, err := fmt.Fprintln(w, "No new or growing phrase that no theme covers this week.")
			return err
		}
		tw := newTable(w, "PHRASE\tITEMS\tBEFORE (4 WEEKS)\tSTATUS\tEXAMPLES")
		for _, p := range list {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%v\n", p.Phrase, p.Count, p.Previous, p.Status, p.Examples)
		}
		return tw.Flush()
	})
}

type emergingIgnoreCmd struct {
	DBFlag
	Phrase string `arg:"" help:"The phrase, as heed emerging lists it."`
}

func (c *emergingIgnoreCmd) Run(ctx context.Context, a *app) error {
	return withLoop(ctx, a, c.DB, func(l loop) error {
		if err := l.feedback.IgnorePhrase(ctx, heed.System(), c.Phrase); err != nil {
			return err
		}
		_, err := fmt.Fprintf(a.stdout, "%q is ignored: heed emerging no longer lists it\n", c.Phrase)
		return err
	})
}
