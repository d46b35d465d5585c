package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// The feedback commands: list what customers said, from every source,
// and read the needs and drivers of a period. Importing is `heed import
// feedback`.

// feedbackCmd groups the feedback commands.
type feedbackCmd struct {
	List feedbackListCmd `cmd:"" help:"List feedback from every source, newest first: search and filter it."`
}

type feedbackListCmd struct {
	LoopFlags
	Kind      string `name:"kind" enum:",survey,review,ticket,transcript,social,complaint,interview,note" default:"" help:"Only this kind: survey, review, ticket, transcript, social, complaint, interview or note."`
	Source    string `name:"source" help:"Only from this system (google, zendesk, survey, …)."`
	Unit      string `name:"unit" placeholder:"KEY" help:"Only this unit and its subtree."`
	Theme     string `name:"theme" placeholder:"KEY" help:"Only items that speak of this theme (see heed themes)."`
	Sentiment string `name:"sentiment" enum:",negative,neutral,positive" default:"" help:"Only items read as negative, neutral or positive."`
	Query     string `name:"q" placeholder:"WORDS" help:"Only items whose text holds all these words, any case."`
	Limit     int    `name:"limit" default:"50" help:"At most this many (1 to 1000)."`
}

func (c *feedbackListCmd) Run(ctx context.Context, a *app) error {
	if c.Limit < 1 || c.Limit > 1000 {
		return heed.Errorf(heed.EInvalid, "--limit must be between 1 and 1000")
	}
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.FeedbackItem, error) {
		list, err := l.feedback.List(ctx, heed.System(), heed.FeedbackFilter{Kind: heed.FeedbackKind(c.Kind), Source: c.Source,
			Unit: c.Unit, Theme: c.Theme, Label: c.Sentiment, Query: c.Query, Limit: c.Limit})
		return list, flagError(err, map[string]string{"unit": "--unit", "kind": "--kind", "sentiment": "--sentiment"})
	}, printFeedback)
}

// printFeedback writes items as a table.
func printFeedback(w io.Writer, list []heed.FeedbackItem) error {
	tw := newTable(w, "ID\tSAID\tKIND\tSOURCE\tUNIT\tWHO\tRATING\tSENTIMENT\tTHEMES\tTEXT")
	for _, it := range list {
		rating, sentiment := "-", "-"
		if it.Rating != nil {
			rating = fmt.Sprintf("%d/5", *it.Rating)
		}
		if it.Sentiment != nil {
			sentiment = fmt.Sprintf("%+.2f %s", *it.Sentiment, it.Label)
		}
		var themes []string
		for _, th := range it.Themes {
			themes = append(themes, th.Theme)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, shortTime(it.At), it.Kind, it.Source,
			orDash(it.Unit), orDash(cmp.Or(it.Customer, it.Author)), rating, sentiment,
			orDash(strings.Join(themes, ",")), firstLine(it.Text, 60))
	}
	return tw.Flush()
}

// themesCmd prints the needs and drivers of a period.
type themesCmd struct {
	LoopFlags
	Survey string `name:"survey" placeholder:"KEY" help:"An NPS survey: adds each theme's effect on its NPS (the drivers)."`
	Unit   string `name:"unit" placeholder:"KEY" help:"Only this unit and its subtree."`
	Kind   string `name:"kind" enum:",survey,review,ticket,transcript,social,complaint,interview,note" default:"" help:"Only feedback of this kind."`
	Days   int    `name:"days" default:"90" help:"The period: this many days up to now (the trend compares the same length before)."`
	Min    int    `name:"min" default:"0" help:"Minimum answers on each side of a driver before it is judged (default 30)."`
}

func (c *themesCmd) Run(ctx context.Context, a *app) error {
	if c.Days < 1 {
		return heed.Errorf(heed.EInvalid, "--days must be 1 or more")
	}
	to := time.Now()
	return show(ctx, a, c.LoopFlags, func(l loop) (feedback.ThemeReport, error) {
		rep, err := l.feedback.Themes(ctx, heed.System(), feedback.ThemeQuery{Survey: c.Survey, Unit: c.Unit,
			Kind: heed.FeedbackKind(c.Kind), From: to.AddDate(0, 0, -c.Days), To: to, Min: c.Min})
		return rep, flagError(err, map[string]string{"survey": "--survey", "unit": "--unit", "kind": "--kind"})
	}, printThemes)
}

// printThemes writes a themes report: the costliest themes first.
func printThemes(w io.Writer, rep feedback.ThemeReport) error {
	if rep.Survey != "" {
		nps := "-"
		if rep.NPS != nil {
			nps = fmt.Sprintf("%+.0f", *rep.NPS)
		}
		fmt.Fprintf(w, "%s: %d answers, NPS %s, %s to %s\n\n", rep.Survey, rep.Responses, nps,
			rep.From.Local().Format(time.DateOnly), rep.To.Local().Format(time.DateOnly))
	}
	tw := newTable(w, "THEME\tITEMS\tSENTIMENT\tNEG\tPOS\tTREND\tNPS WITH\tWITHOUT\tIMPACT\tSIGNIFICANT")
	for _, r := range rep.Themes {
		sentiment := "-"
		if r.Sentiment != nil {
			sentiment = fmt.Sprintf("%+.2f", *r.Sentiment)
		}
		with, without, impact, sig := "-", "-", "-", "-"
		if d := r.Driver; d != nil {
			with, without, impact = fmt.Sprintf("%+.0f", d.NPSWith), fmt.Sprintf("%+.0f", d.NPSWithout), fmt.Sprintf("%+.1f", d.Impact)
			switch {
			case d.Insufficient:
				sig = "too few"
			case d.Significant:
				sig = fmt.Sprintf("yes (±%.0f)", d.MarginOfError)
			default:
				sig = fmt.Sprintf("no (±%.0f)", d.MarginOfError)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Items, sentiment, r.Negative, r.Positive,
			fmt.Sprintf("%s (%d before)", r.Trend, r.PreviousItems), with, without, impact, sig)
	}
	return tw.Flush()
}
