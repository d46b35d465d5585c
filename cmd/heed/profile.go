package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/loyalty"
)

// profileCmd prints what Heed makes of one customer's events and answers.
type profileCmd struct {
	LoopFlags
	Customer string `arg:"" placeholder:"EXTERNAL-ID" help:"The customer's external id."`
}

func (c *profileCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (events.Profile, error) {
		return l.events.Profile(ctx, heed.System(), c.Customer)
	}, printProfile)
}

// printProfile writes a profile for a person: the rung and the churn risk
// with every factor first, because they are what to act on.
func printProfile(w io.Writer, p events.Profile) error {
	fmt.Fprintf(w, "%s %s (unit %s), as of %s\n\n", p.Customer, p.Name, p.Unit, shortTime(p.At))
	if p.Rung == "" {
		fmt.Fprintf(w, "ladder:      -  %s\n", p.RungReason)
	} else {
		fmt.Fprintf(w, "ladder:      %s  %s\n", strings.ReplaceAll(string(p.Rung), "_", " "), p.RungReason)
	}
	fmt.Fprintf(w, "churn risk:  %d (%s)\n", p.Churn.Score, p.Churn.Level)
	for _, f := range p.Churn.Factors {
		fmt.Fprintf(w, "  %+4d  %s: %s\n", f.Points, f.Factor, f.Detail)
	}
	fmt.Fprintln(w, "\n"+rfmLine(p.RFM))
	s := p.Events
	var kinds []string
	for _, k := range heed.CustomerEventKinds() {
		if n := s.ByKind[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		}
	}
	fmt.Fprintf(w, "events:      %d", s.Total)
	if s.Total > 0 {
		fmt.Fprintf(w, " (%s), %s to %s", strings.Join(kinds, ", "), day(s.First), day(s.Last))
	}
	fmt.Fprintf(w, "; %s\n", plural(p.Answers, "survey answer"))
	if len(p.Recent) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nlatest events:")
	tw := newTable(w, "WHEN\tKIND\tAMOUNT\tSOURCE\tEXTERNAL ID")
	for _, e := range p.Recent {
		amount := "-"
		if e.Kind == heed.EventPurchase {
			amount = e.Amount.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shortTime(e.At), e.Kind, amount, orDash(e.Source), orDash(e.ExternalID))
	}
	return tw.Flush()
}

// rfmLine is recency, frequency and value in one line.
func rfmLine(r loyalty.RFM) string {
	if r.Recency == nil {
		return "purchases:   none"
	}
	return fmt.Sprintf("purchases:   last %s (%s ago); %d in the last 365 days, worth %s; first %s",
		day(r.LastPurchase), plural(*r.Recency, "day"), r.Frequency, r.Monetary, day(r.FirstPurchase))
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }
