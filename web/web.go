// Package web is Heed's browser face: server-rendered HTML pages over the
// directory, accounts, jobs, survey and case services, with cookie
// sessions, CSRF protection and strict security headers. Templates and
// assets are embedded, so the binary needs no front-end build.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/assets"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// Config is everything the web UI needs; the serve command fills it.
type Config struct {
	Directory     *directory.Service
	Accounts      *accounts.Service
	Jobs          *jobs.Service
	Surveys       *survey.Service
	Logger        *slog.Logger
	SecureCookies bool // set Secure on cookies (when served over https)
	Version       string
	// Ping checks that the database answers (heed.Store's Ping); when set,
	// an unexpected error while it does not shows "unavailable" (503), not
	// "something went wrong" (500).
	Ping func(context.Context) error
	// Cases and Webhooks close the loop: the inbox, the case pages and
	// the loop's settings. Without Cases those pages are not served;
	// without Webhooks the webhook settings are not.
	Cases    *cases.Service
	Webhooks *webhooks.Service
	// Feedback is every customer's feedback from every source: the
	// explorer and its CSV export. Without it those pages are not served.
	Feedback *feedback.Service
	// Events profiles customers from what they did and said: the
	// profile on the customer page and the loyalty ladder page. Without
	// it neither is shown.
	Events *events.Service
	// LiveEvery is how often a live page (the inbox) asks the database
	// whether something changed; default 2s. Polling the shared database,
	// rather than listening in-process, sees what other processes did.
	LiveEvery time.Duration
	// Stop, when closed, ends the live pages' open event streams, so a
	// graceful shutdown need not wait for them (http.Server.Shutdown
	// waits for every open request); pass a channel closed by
	// http.Server.RegisterOnShutdown. Browsers reconnect by themselves.
	Stop <-chan struct{}
}

// server holds the dependencies shared by every handler.
type server struct {
	dir     *directory.Service
	acc     *accounts.Service
	jobs    *jobs.Service
	sv      *survey.Service
	log     *slog.Logger
	secure  bool
	version string
	ping    func(context.Context) error
	tmpl    *templates
	assets  *assets.Set
	cs      *cases.Service    // nil: no loop pages
	hooks   *webhooks.Service // nil: no webhook settings
	fb      *feedback.Service // nil: no feedback explorer
	ev      *events.Service   // nil: no profiles, no ladder
	every   time.Duration
	stop    <-chan struct{}
}

// New returns the web UI as one handler, to be mounted at "/".
func New(cfg Config) (http.Handler, error) {
	if cfg.Directory == nil || cfg.Accounts == nil || cfg.Jobs == nil || cfg.Surveys == nil {
		return nil, errors.New("web: Directory, Accounts, Jobs and Surveys services are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	tmpl, err := parseTemplates(as)
	if err != nil {
		return nil, err
	}
	if cfg.LiveEvery <= 0 {
		cfg.LiveEvery = 2 * time.Second
	}
	s := &server{
		dir:     cfg.Directory,
		acc:     cfg.Accounts,
		jobs:    cfg.Jobs,
		sv:      cfg.Surveys,
		log:     cfg.Logger,
		secure:  cfg.SecureCookies,
		ping:    cfg.Ping,
		version: cfg.Version,
		tmpl:    tmpl,
		assets:  as,
		cs:      cfg.Cases,
		hooks:   cfg.Webhooks,
		fb:      cfg.Feedback,
		ev:      cfg.Events,
		every:   cfg.LiveEvery,
		stop:    cfg.Stop,
	}
	return s.handler(), nil
}
