package main

import (
	"context"
	"fmt"

	"github.com/heedhq/heed/mail/sink"
)

// mailsinkCmd is a local SMTP server for trying Heed's emails without a
// real mail provider: point heed serve --smtp at it.
type mailsinkCmd struct {
	Addr string `name:"addr" default:"127.0.0.1:2525" help:"Address to listen on."`
	Dir  string `name:"dir" help:"Also write each message as an .eml file into this folder."`
}

func (c *mailsinkCmd) Run(ctx context.Context, a *app) error {
	opts := []sink.Option{sink.Logger(a.log), sink.OnMessage(func(m sink.Received) {
		fmt.Fprintf(a.stdout, "\n--- %s  to %v\nSubject: %s\n\n%s\n", m.At.Local().Format("15:04:05"), m.To, m.Subject, m.Text)
	})}
	if c.Dir != "" {
		opts = append(opts, sink.Dir(c.Dir))
	}
	srv, err := sink.Start(c.Addr, opts...)
	if err != nil {
		return fmt.Errorf("mailsink: %w", err)
	}
	defer srv.Close()
	fmt.Fprintf(a.stdout, "mailsink listening; run heed serve --smtp %s\n", srv.URL())
	<-ctx.Done()
	return nil
}
