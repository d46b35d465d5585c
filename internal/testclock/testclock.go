// Package testclock is the controlled clock of the service tests: fixed
// and moved by hand, or following the real time shifted by what was
// added, for tests where a job pool must see time pass.
package testclock

import (
	"sync"
	"time"
)

// Clock is safe for the goroutines of a job pool and a test.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	live bool
	off  time.Duration
}

// New returns a clock fixed at t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live {
		return time.Now().UTC().Add(c.off)
	}
	return c.t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.off += d
}

// Live makes the clock follow the real time from now on, still moved by
// whatever Add adds.
func (c *Clock) Live() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = true
}
