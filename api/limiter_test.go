package api_test

import (
	"testing"
	"time"

	"github.com/heedhq/heed/api"
)

func TestFailureLimiterWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := api.NewFailureLimiter(3, time.Minute, func() time.Time { return now })
	for range 2 {
		l.Fail("1.2.3.4")
	}
	if _, blocked := l.Blocked("1.2.3.4"); blocked {
		t.Fatal("blocked before the limit")
	}
	now = now.Add(10 * time.Second)
	l.Fail("1.2.3.4")
	wait, blocked := l.Blocked("1.2.3.4")
	if !blocked || wait != 50*time.Second {
		t.Fatalf("at the limit: blocked %v for %v, want 50s (the window opened at the first failure)", blocked, wait)
	}
	if _, blocked := l.Blocked("5.6.7.8"); blocked {
		t.Error("another address is blocked too")
	}
	now = now.Add(50 * time.Second)
	if _, blocked := l.Blocked("1.2.3.4"); blocked {
		t.Error("still blocked after the window")
	}
	l.Fail("1.2.3.4")
	if _, blocked := l.Blocked("1.2.3.4"); blocked {
		t.Error("a new window starts counting from zero")
	}
}
