package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/heedhq/heed"
	"github.com/prometheus/client_golang/prometheus"
)

// Handler does the work of one job. A returned error (or a panic) counts
// as a failed attempt; the job is retried later or parked dead. ctx ends
// a safety margin before the lease does, so a handler that respects it
// never outlives its lease and never runs alongside a second copy of
// itself. When shutdown cancels ctx instead, the attempt does not count
// and the job is queued to run again at once.
type Handler func(ctx context.Context, job heed.Job) error

// PoolConfig tunes a Pool; zero fields take the defaults noted.
type PoolConfig struct {
	Workers       int           // handlers run at once; default 4
	PollInterval  time.Duration // pause when the queue looks empty; default 1s
	LeaseDuration time.Duration // how long a worker owns a job; default 5m
	DrainTimeout  time.Duration // on shutdown, how long running handlers may finish; default 30s
	BackoffBase   time.Duration // retry delay bound after the first failure; default 10s
	BackoffMax    time.Duration // cap on the retry delay bound; default 1h
	// Retention is how long done jobs are kept before the pool deletes
	// them (dead jobs are kept for operators); default 7 days, < 0 keeps
	// them forever.
	Retention time.Duration
	// SweepInterval is how often the pool deletes done jobs older than
	// Retention, besides once when it starts; default 10m.
	SweepInterval time.Duration
	// Now is the clock for leases, run times and retries; default time.Now.
	Now func() time.Time
	// Registerer receives the pool's Prometheus metrics; nil for none.
	Registerer prometheus.Registerer
}

func (c PoolConfig) withDefaults() PoolConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	def(&c.PollInterval, time.Second)
	def(&c.LeaseDuration, 5*time.Minute)
	def(&c.DrainTimeout, 30*time.Second)
	def(&c.BackoffBase, 10*time.Second)
	def(&c.BackoffMax, time.Hour)
	if c.Retention == 0 {
		c.Retention = 7 * 24 * time.Hour
	}
	def(&c.SweepInterval, 10*time.Minute)
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

const (
	// storeTimeout bounds one bookkeeping call to the store, which runs
	// even during shutdown so a finished job is recorded as finished.
	storeTimeout = 30 * time.Second
	// cancelGrace is how long Run waits, after the drain timeout has
	// cancelled the handlers, for them to return and be recorded.
	cancelGrace = 5 * time.Second
	// maxErrorLen keeps last_error readable.
	maxErrorLen = 2000
	// sweepBatch is how many done jobs one retention delete removes.
	sweepBatch = 1000
	// maxLeaseMargin caps how long before its lease ends a handler's
	// context does.
	maxLeaseMargin = 30 * time.Second
)

// Pool leases jobs from the store and runs them with the registered
// handlers. Any number of pools, in any number of processes, may share a
// store: the lease makes sure each job runs once at a time.
type Pool struct {
	store   heed.Store
	cfg     PoolConfig
	log     *slog.Logger
	metrics *metrics
	host    string

	mu       sync.Mutex
	handlers map[string]Handler
	running  bool
}

// NewPool returns a pool over store. Register handlers with Handle, then
// call Run. A nil logger discards the logs.
func NewPool(store heed.Store, cfg PoolConfig, logger *slog.Logger) *Pool {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	cfg = cfg.withDefaults()
	return &Pool{
		store:    store,
		cfg:      cfg,
		log:      logger,
		metrics:  newMetrics(cfg.Registerer),
		host:     host,
		handlers: map[string]Handler{},
	}
}

// Handle registers the handler for a job kind. Registering a kind twice
// is a programming error and panics, like http.ServeMux.
func (p *Pool) Handle(kind string, h Handler) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.handlers[kind]; dup {
		panic(fmt.Sprintf("jobs: handler for %q registered twice", kind))
	}
	p.handlers[kind] = h
}

func (p *Pool) handler(kind string) Handler {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.handlers[kind]
}

// Run leases and runs jobs, and deletes done jobs older than Retention,
// until ctx ends. Then it stops leasing, lets running handlers finish for
// up to DrainTimeout, cancels the ones still running (their jobs are
// queued again at once, the attempt not counted) and returns. A job whose
// handler ignores the cancellation stays leased until its lease ends,
// when a worker somewhere runs it again.
func (p *Pool) Run(ctx context.Context) error {
	p.mu.Lock()
	if p.running {
		p.mu.Unlock()
		return errors.New("jobs: pool is already running")
	}
	p.running = true
	p.mu.Unlock()
	defer func() { p.mu.Lock(); p.running = false; p.mu.Unlock() }()

	// Handlers and bookkeeping outlive ctx: shutdown drains, it does not abort.
	base := context.WithoutCancel(ctx)
	handlerCtx, cancelHandlers := context.WithCancel(base)
	defer cancelHandlers()
	slots := make(chan struct{}, p.cfg.Workers)
	var wg sync.WaitGroup
	p.log.Info("jobs: pool started", "workers", p.cfg.Workers, "lease", p.cfg.LeaseDuration,
		"retention", p.cfg.Retention)
	if p.cfg.Retention > 0 {
		var sweeper sync.WaitGroup
		sweeper.Go(func() { p.sweepLoop(ctx, base) })
		defer sweeper.Wait()
	}
	p.poll(ctx, base, handlerCtx, slots, &wg)
	p.log.Info("jobs: pool stopping", "running", len(slots), "drain_timeout", p.cfg.DrainTimeout)
	return p.drain(&wg, slots, cancelHandlers)
}

// poll leases as many jobs as there are free slots and starts a handler
// for each, pausing PollInterval whenever the queue yields fewer.
func (p *Pool) poll(ctx, base, handlerCtx context.Context, slots chan struct{}, wg *sync.WaitGroup) {
	for {
		n := acquire(ctx, slots)
		if n == 0 {
			return
		}
		worker := p.workerID()
		jobs, err := p.lease(base, worker, n)
		for range n - len(jobs) {
			<-slots
		}
		for _, j := range jobs {
			wg.Go(func() {
				defer func() { <-slots }()
				p.work(base, handlerCtx, worker, j)
			})
		}
		if err != nil {
			p.log.Error("jobs: lease failed", "error", err)
		}
		if len(jobs) < n && !sleep(ctx, p.cfg.PollInterval) {
			return
		}
	}
}

// acquire blocks for one free slot, then takes every other free one; it
// returns how many it took, 0 once ctx has ended.
func acquire(ctx context.Context, slots chan struct{}) int {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	if ctx.Err() != nil { // both were ready and select chose the slot
		<-slots
		return 0
	}
	n := 1
	for n < cap(slots) {
		select {
		case slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

// sleep waits d or until ctx ends; it reports whether to go on.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// lease claims up to n jobs. It uses a context shutdown does not cancel:
// a lease cut off mid-way might be committed without the pool learning
// which jobs it got, leaving them idle until the lease ran out.
func (p *Pool) lease(base context.Context, worker string, n int) ([]heed.Job, error) {
	ctx, cancel := context.WithTimeout(base, storeTimeout)
	defer cancel()
	return p.store.LeaseJobs(ctx, worker, n, p.cfg.Now(), p.cfg.LeaseDuration)
}

// workerID names one lease: hostname:pid:random. The random part is new
// for every lease, so even inside one process a job whose lease ran out
// and was leased again has a different owner, and the stale run cannot
// complete it.
func (p *Pool) workerID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", p.host, os.Getpid(), hex.EncodeToString(b))
}

// drain waits for running handlers, cancelling them after DrainTimeout.
func (p *Pool) drain(wg *sync.WaitGroup, slots chan struct{}, cancelHandlers context.CancelFunc) error {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	if waitFor(done, p.cfg.DrainTimeout) {
		p.log.Info("jobs: pool stopped")
		return nil
	}
	p.log.Warn("jobs: drain timeout; cancelling running handlers", "running", len(slots))
	cancelHandlers()
	if waitFor(done, cancelGrace) {
		p.log.Info("jobs: pool stopped")
		return nil
	}
	return fmt.Errorf("jobs: %d handlers still running after the drain timeout; their jobs run again when their leases end", len(slots))
}

// waitFor reports whether done closed within d.
func waitFor(done <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}
