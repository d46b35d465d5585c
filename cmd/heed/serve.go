package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/api"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail"
	"github.com/heedhq/heed/respond"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/web"
)

// newMailer is the SMTP sender of --smtp, or one that only logs when no
// server is configured (a laptop trying Heed out).
func newMailer(f ServeFlags, log *slog.Logger) (mail.Sender, error) {
	if f.SMTP == "" {
		log.Warn("no --smtp server: survey emails are logged, not sent")
		return mail.Log{Logger: log}, nil
	}
	cfg, err := mail.ParseURL(f.SMTP)
	if err != nil {
		return nil, fmt.Errorf("--smtp: %w", err)
	}
	m, err := mail.NewSMTP(cfg, f.SMTPFrom)
	if err != nil {
		return nil, fmt.Errorf("--smtp-from: %w", err)
	}
	log.Info("survey emails go through SMTP", "smtp", cfg.String(), "from", f.SMTPFrom)
	return m, nil
}

// ServeFlags configure a serving heed; `heed serve` and `heed demo` share
// them.
type ServeFlags struct {
	Addr            string        `name:"addr" env:"HEED_ADDR" default:"127.0.0.1:8080" help:"Address to listen on (HOST:PORT); 0.0.0.0:8080 for every interface, port 0 for any free port."`
	PublicURL       string        `name:"public-url" env:"HEED_PUBLIC_URL" placeholder:"URL" help:"Address people reach Heed at, e.g. https://heed.example.com, when it differs from --addr (behind a proxy). Default: none, the address of --addr."`
	SecureCookies   *bool         `name:"secure-cookies" env:"HEED_SECURE_COOKIES" negatable:"" help:"Send cookies only over HTTPS. Default: on when --public-url starts with https://."`
	Workers         int           `name:"workers" env:"HEED_WORKERS" default:"4" help:"Job workers in this process; 0 runs none (a web-only process)."`
	ShutdownTimeout time.Duration `name:"shutdown-timeout" env:"HEED_SHUTDOWN_TIMEOUT" default:"15s" help:"On SIGINT or SIGTERM, how long open requests and then running jobs may take to finish."`
	JobBackoff      time.Duration `name:"job-backoff" env:"HEED_JOB_BACKOFF" default:"10s" help:"Longest wait before retrying a job after its first failure; it doubles with each failure (with jitter), up to an hour."`
	JobLease        time.Duration `name:"job-lease" env:"HEED_JOB_LEASE" default:"5m" help:"How long a worker owns a job it took; a job whose process died runs again after this."`
	JobPoll         time.Duration `name:"job-poll" env:"HEED_JOB_POLL" default:"250ms" help:"How often idle job workers look for new jobs; alerts and webhooks wait at most this long for a worker."`
	SMTP            string        `name:"smtp" env:"HEED_SMTP" placeholder:"URL" help:"SMTP server for survey emails: smtp://user:pass@host:port (STARTTLS when offered) or smtps://user:pass@host:port (implicit TLS); add ?tls=skip-verify for a self-signed test server. Default: none, emails are only logged."`
	SMTPFrom        string        `name:"smtp-from" env:"HEED_SMTP_FROM" default:"Heed <heed@localhost>" help:"From address of survey emails, e.g. 'Northwind <feedback@northwind.example>'."`
	SampleEvery     time.Duration `name:"sample-every" env:"HEED_SAMPLE_EVERY" default:"1h" help:"How often the scheduler runs the active programs (each run tops today's invitations up to the day's quota); 0 turns the scheduler off in this process."`
	DigestHour      int           `name:"digest-hour" env:"HEED_DIGEST_HOUR" default:"7" help:"Hour of the day (0 to 23, the server's time zone) when every manager is emailed the digest of the day before below them; -1 sends none. With several processes on one database, each digest goes out once."`
	TrustedProxies  []string      `name:"trusted-proxies" env:"HEED_TRUSTED_PROXIES" placeholder:"CIDR" help:"Addresses or CIDR prefixes of the reverse proxies in front of Heed, whose X-Forwarded-For is believed (for sign-in throttling and logs). Default: none, X-Forwarded-For is ignored."`
}

// check refuses flag values that cannot work, before anything starts.
func (f ServeFlags) check() error {
	if f.Workers < 0 {
		return heed.Errorf(heed.EInvalid, "--workers must be 0 or more, not %d", f.Workers)
	}
	if f.ShutdownTimeout <= 0 || f.JobBackoff <= 0 || f.JobPoll <= 0 || f.JobLease < time.Second {
		return heed.Errorf(heed.EInvalid, "--shutdown-timeout, --job-backoff and --job-poll must be more than zero, --job-lease at least 1s")
	}
	if f.DigestHour < -1 || f.DigestHour > 23 {
		return heed.Errorf(heed.EInvalid, "--digest-hour must be an hour from 0 to 23, or -1 for no digests, not %d", f.DigestHour)
	}
	if f.SampleEvery < 0 {
		return heed.Errorf(heed.EInvalid, "--sample-every must be 0 (off) or more")
	}
	if f.SMTP != "" {
		if _, err := mail.ParseURL(f.SMTP); err != nil {
			return heed.Errorf(heed.EInvalid, "--smtp: %v", err)
		}
	}
	if _, err := parseTrustedProxies(f.TrustedProxies); err != nil {
		return heed.Errorf(heed.EInvalid, "%v", err)
	}
	if f.PublicURL != "" {
		u, err := url.Parse(f.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return heed.Errorf(heed.EInvalid, "--public-url must be an http:// or https:// URL, not %q", f.PublicURL)
		}
	}
	return nil
}

// secureCookies is --secure-cookies, defaulting to whether Heed is reached
// over HTTPS.
func (f ServeFlags) secureCookies() bool {
	if f.SecureCookies != nil {
		return *f.SecureCookies
	}
	return strings.HasPrefix(f.PublicURL, "https://")
}

type serveCmd struct {
	DBFlag
	ServeFlags
}

func (c *serveCmd) Run(ctx context.Context, a *app) error {
	if err := c.check(); err != nil {
		return err
	}
	store, err := openStore(ctx, c.DB)
	if err != nil {
		return err
	}
	defer store.Close() // last: after the HTTP server and the job pool have stopped
	return serve(ctx, a, store, c.ServeFlags, nil)
}

// server is the wired program: every face over one set of services.
type server struct {
	handler     http.Handler
	pool        *jobs.Pool // nil with --workers 0
	accounts    *accounts.Service
	surveys     *survey.Service
	cases       *cases.Service
	sampleEvery time.Duration
	stopLive    func() // ends the live event streams; safe to call twice
}

// newServer builds the services, the faces and the job pool over store.
// The root mux keeps the API (tokens, JSON) and the browser UI (sessions,
// CSRF) apart, next to the operational endpoints.
func newServer(a *app, store heed.Store, f ServeFlags, publicURL string) (*server, error) {
	dir := directory.New(store, time.Now)
	acc := accounts.New(store, time.Now, accounts.Config{})
	js := jobs.NewService(store, time.Now)
	reg, m := newRegistry(js, a.log)
	mailer, err := newMailer(f, a.log)
	if err != nil {
		return nil, err
	}
	lp := newLoop(store, a.log, publicURL, mailer, f.DigestHour)
	sv := lp.surveys

	apiHandler, err := api.New(api.Config{Directory: dir, Accounts: acc, Jobs: js, Surveys: sv, Logger: a.log, Version: a.version,
		Ping: store.Ping, Cases: lp.cases, Webhooks: lp.webhooks, Feedback: lp.feedback, Events: lp.events})
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	// Live pages (the inbox's event stream) end when shutdown begins, so
	// they do not hold it up for the whole timeout.
	stopLive := make(chan struct{})
	webHandler, err := web.New(web.Config{Directory: dir, Accounts: acc, Jobs: js, Surveys: sv, Logger: a.log,
		SecureCookies: f.secureCookies(), Version: a.version,
		Ping: store.Ping, Cases: lp.cases, Webhooks: lp.webhooks, Feedback: lp.feedback, Events: lp.events, Stop: stopLive})
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", apiHandler)
	mux.Handle("GET /healthz", healthz(store, a.log))
	mux.Handle("GET /metrics", metricsHandler(reg))
	mux.Handle("/s/", respond.New(sv, respond.Config{Logger: a.log}))
	mux.Handle("/", webHandler)

	trusted, err := parseTrustedProxies(f.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s := &server{handler: trustProxies(instrument(mux, a.log, m), trusted), accounts: acc,
		surveys: sv, cases: lp.cases, sampleEvery: f.SampleEvery, stopLive: sync.OnceFunc(func() { close(stopLive) })}
	if f.Workers > 0 {
		s.pool = jobs.NewPool(store, jobs.PoolConfig{
			Workers:       f.Workers,
			PollInterval:  f.JobPoll,
			LeaseDuration: f.JobLease,
			DrainTimeout:  f.ShutdownTimeout,
			BackoffBase:   f.JobBackoff,
			Registerer:    reg,
		}, a.log)
		jobs.RegisterTestJob(s.pool)
		lp.register(s.pool)
	}
	return s, nil
}

// serve runs Heed on store until ctx ends, then shuts down in order: stop
// accepting connections and let open requests finish, then stop the job
// pool (which lets running jobs finish); the caller closes the store.
// ready, if set, is called with the URL once the port is open.
func serve(ctx context.Context, a *app, store heed.Store, f ServeFlags, ready func(url string)) error {
	if err := f.check(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.Addr, err)
	}
	publicURL := f.PublicURL
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	s, err := newServer(a, store, f, publicURL)
	if err != nil {
		ln.Close()
		return err
	}
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	hs.RegisterOnShutdown(s.stopLive)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	addr := "http://" + ln.Addr().String()
	fmt.Fprintf(a.stdout, "Heed listening on %s\n", addr)
	a.log.Info("serving", "addr", addr, "public_url", f.PublicURL, "engine", store.Engine(),
		"workers", f.Workers, "secure_cookies", f.secureCookies(), "version", a.version)
	if ready != nil {
		ready(addr)
	}

	// The background work outlives ctx until the HTTP server has stopped.
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	background := s.startBackground(bgCtx, a.log)

	var serveErr error
	select {
	case <-ctx.Done():
		a.log.Info("shutting down", "timeout", f.ShutdownTimeout)
	case serveErr = <-served:
		a.log.Error("HTTP server stopped", "error", serveErr)
	}
	shutdownErr := shutdownHTTP(hs, f.ShutdownTimeout)
	stopBackground()
	poolErr := <-background
	a.log.Info("stopped")
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return errors.Join(serveErr, shutdownErr, poolErr)
}

// shutdownHTTP stops accepting and waits up to timeout for open requests,
// then cuts the ones left.
func shutdownHTTP(hs *http.Server, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		hs.Close()
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// startBackground runs the job pool, the program scheduler, the keeper of
// the daily digests and the hourly clean-up of expired sessions until ctx
// ends; the channel yields the pool's error once all have stopped.
func (s *server) startBackground(ctx context.Context, log *slog.Logger) <-chan error {
	done := make(chan error, 1)
	go func() {
		cleaned := make(chan struct{})
		go func() { defer close(cleaned); s.cleanSessions(ctx, log) }()
		scheduled := make(chan struct{})
		go func() {
			defer close(scheduled)
			if s.sampleEvery > 0 {
				s.surveys.Schedule(ctx, s.sampleEvery)
			}
		}()
		digests := make(chan struct{})
		go func() {
			defer close(digests)
			// The digests' chain of jobs: joined, or started, by every
			// process that runs jobs, and mended hourly (see
			// cases.ScheduleDigests).
			if s.pool != nil {
				s.cases.ScheduleDigests(ctx)
			}
		}()
		var err error
		if s.pool != nil {
			err = s.pool.Run(ctx)
		}
		<-cleaned
		<-scheduled
		<-digests
		done <- err
	}()
	return done
}

// cleanSessions deletes expired sessions every hour, so the table does not
// grow with every sign-in ever made.
func (s *server) cleanSessions(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.accounts.CleanupSessions(ctx); err != nil {
				log.Warn("clean up sessions", "error", err)
			} else if n > 0 {
				log.Info("cleaned up expired sessions", "count", n)
			}
		}
	}
}
