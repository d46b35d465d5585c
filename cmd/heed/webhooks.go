package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/heedhq/heed"
)

// The webhook commands: register, list, change and delete endpoints, read
// their deliveries and send one again.

// webhooksCmd groups the webhook commands.
type webhooksCmd struct {
	Add        webhooksAddCmd        `cmd:"" help:"Register a webhook and print its signing secret, shown only this once."`
	List       webhooksListCmd       `cmd:"" help:"List the webhooks."`
	Deliveries webhooksDeliveriesCmd `cmd:"" help:"List a webhook's deliveries, newest first."`
	Redeliver  webhooksRedeliverCmd  `cmd:"" help:"Send a delivery again, with the same message id, whatever became of it."`
	Update     webhooksUpdateCmd     `cmd:"" help:"Change a webhook's URL, events, format or description, or switch it off or on; the secret stays."`
	Delete     webhooksDeleteCmd     `cmd:"" help:"Delete a webhook and its deliveries (not one a rule sends to)."`
}

type webhooksAddCmd struct {
	LoopFlags
	URL         string   `arg:"" name:"url" help:"The receiver's http or https URL."`
	Events      []string `name:"event" placeholder:"EVENT" help:"An event to send (repeat or comma-separate): response.created, response.matched, case.opened, case.updated, case.escalated or case.closed. Default: none; rules' webhook actions still send response.matched."`
	Format      string   `name:"format" enum:"standard,slack" default:"standard" help:"standard (signed JSON, Standard Webhooks) or slack (a message for a Slack incoming webhook)."`
	Description string   `name:"description" help:"What the webhook is for, for whoever reads the list."`
	Inactive    bool     `name:"inactive" help:"Add it switched off: nothing is sent until it is switched on."`
}

func (c *webhooksAddCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Webhook, error) {
		w, err := l.webhooks.Create(ctx, heed.System(), heed.Webhook{URL: c.URL, Events: c.Events, Format: c.Format,
			Description: c.Description, Active: !c.Inactive})
		return w, flagError(err, map[string]string{"url": "", "format": "--format", "events[]": "--event"})
	}, func(out io.Writer, w heed.Webhook) error {
		events := "none"
		if len(w.Events) > 0 {
			events = strings.Join(w.Events, ", ")
		}
		fmt.Fprintf(out, "webhook %d added: %s (%s; events %s; active %v)\n", w.ID, w.URL, w.Format, events, w.Active)
		fmt.Fprintf(out, "secret: %s\n", w.Secret)
		_, err := fmt.Fprintln(out, "Keep the secret now: it signs every delivery and is not shown again.")
		return err
	})
}

type webhooksListCmd struct{ LoopFlags }

func (c *webhooksListCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.Webhook, error) {
		return l.webhooks.List(ctx, heed.System())
	}, func(out io.Writer, list []heed.Webhook) error {
		tw := newTable(out, "ID\tURL\tFORMAT\tACTIVE\tEVENTS\tDESCRIPTION")
		for _, w := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%s\t%s\n", w.ID, w.URL, w.Format, w.Active, orDash(strings.Join(w.Events, ",")),
				firstLine(w.Description, 40))
		}
		return tw.Flush()
	})
}

type webhooksDeliveriesCmd struct {
	LoopFlags
	ID    int64  `arg:"" help:"The webhook's id (see heed webhooks list)."`
	State string `name:"state" help:"Only deliveries in this state: pending, delivered or dead."`
	Limit int    `name:"limit" default:"50" help:"At most this many (1 to 1000)."`
}

func (c *webhooksDeliveriesCmd) Run(ctx context.Context, a *app) error {
	switch heed.DeliveryState(c.State) {
	case "", heed.DeliveryPending, heed.DeliveryDelivered, heed.DeliveryGivenUp:
	default:
		return heed.Errorf(heed.EInvalid, "--state %q must be pending, delivered or dead", c.State)
	}
	if c.Limit < 1 || c.Limit > 1000 {
		return heed.Errorf(heed.EInvalid, "--limit must be between 1 and 1000")
	}
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.WebhookDelivery, error) {
		// A webhook that does not exist has no deliveries; say so rather
		// than print an empty list.
		if _, err := l.webhooks.Get(ctx, heed.System(), c.ID); err != nil {
			return nil, err
		}
		return l.webhooks.Deliveries(ctx, heed.System(), heed.DeliveryFilter{WebhookID: c.ID,
			State: heed.DeliveryState(c.State), Limit: c.Limit})
	}, printDeliveries)
}

// printDeliveries writes deliveries as a table.
func printDeliveries(w io.Writer, list []heed.WebhookDelivery) error {
	tw := newTable(w, "ID\tCREATED\tEVENT\tCASE\tSTATE\tATTEMPTS\tNEXT\tSTATUS\tERROR")
	for _, d := range list {
		kase, status, next := "-", "-", "-"
		if d.CaseID != 0 {
			kase = fmt.Sprint(d.CaseID)
		}
		if d.LastStatus != 0 {
			status = fmt.Sprint(d.LastStatus)
		}
		if d.State == heed.DeliveryPending {
			next = shortTime(d.NextAt)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, shortTime(d.CreatedAt), d.Event, kase, d.State,
			d.Attempts, next, status, firstLine(d.LastError, 50))
	}
	return tw.Flush()
}

type webhooksRedeliverCmd struct {
	LoopFlags
	ID int64 `arg:"" name:"delivery-id" help:"The delivery's id (see heed webhooks deliveries)."`
}

func (c *webhooksRedeliverCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.WebhookDelivery, error) {
		return l.webhooks.Redeliver(ctx, heed.System(), c.ID)
	}, func(w io.Writer, d heed.WebhookDelivery) error {
		_, err := fmt.Fprintf(w, "delivery %d (%s, message %s) queued again; heed serve's workers send it\n", d.ID, d.Event, d.MessageID)
		return err
	})
}

type webhooksUpdateCmd struct {
	LoopFlags
	ID          int64     `arg:"" help:"The webhook's id (see heed webhooks list)."`
	URL         *string   `name:"url" help:"A new receiver URL."`
	Events      *[]string `name:"event" placeholder:"EVENT" help:"The events to send, replacing the old ones (repeat or comma-separate; an empty --event= sends none)."`
	Format      *string   `name:"format" enum:"standard,slack" help:"standard or slack."`
	Description *string   `name:"description" help:"A new description."`
	Active      *bool     `name:"active" negatable:"" help:"Switch it on (--active) or off (--no-active); switched on, what queued meanwhile goes out."`
}

func (c *webhooksUpdateCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Webhook, error) {
		w, err := l.webhooks.Get(ctx, heed.System(), c.ID)
		if err != nil {
			return w, err
		}
		if c.URL != nil {
			w.URL = *c.URL
		}
		if c.Events != nil {
			w.Events = nonEmpty(*c.Events)
		}
		if c.Format != nil {
			w.Format = *c.Format
		}
		if c.Description != nil {
			w.Description = *c.Description
		}
		if c.Active != nil {
			w.Active = *c.Active
		}
		w, err = l.webhooks.Update(ctx, heed.System(), w)
		return w, flagError(err, map[string]string{"url": "--url", "format": "--format", "events[]": "--event"})
	}, func(out io.Writer, w heed.Webhook) error {
		_, err := fmt.Fprintf(out, "webhook %d saved: %s (%s; events %s; active %v)\n", w.ID, w.URL, w.Format,
			orDash(strings.Join(w.Events, ", ")), w.Active)
		return err
	})
}

// nonEmpty drops the empty strings an empty --event= leaves.
func nonEmpty(list []string) []string {
	out := []string{}
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

type webhooksDeleteCmd struct {
	DBFlag
	ID int64 `arg:"" help:"The webhook's id (see heed webhooks list)."`
}

func (c *webhooksDeleteCmd) Run(ctx context.Context, a *app) error {
	return withLoop(ctx, a, c.DB, func(l loop) error {
		if err := l.webhooks.Delete(ctx, heed.System(), c.ID); err != nil {
			return err
		}
		_, err := fmt.Fprintf(a.stdout, "webhook %d deleted, with its deliveries\n", c.ID)
		return err
	})
}
