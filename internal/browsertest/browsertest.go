// Package browsertest starts the headless Chromium the browser tests of
// the web UI and the respondents' pages drive: Debian's package, never a
// downloaded browser, with a fresh profile per test.
package browsertest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's Chromium (apt-get install chromium).
const ChromiumPath = "/usr/bin/chromium"

// Tab starts Chromium and returns a tab's context, closed when t ends.
// Without Chromium the test is skipped, unless HEED_REQUIRE_CHROMIUM=1
// makes that a failure (so CI cannot pass by silently not running the
// browser tests).
func Tab(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("HEED_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("HEED_REQUIRE_CHROMIUM=1 but %s is missing: %v", ChromiumPath, err)
		}
		t.Skipf("browser tests skipped: %s not found (apt-get install chromium)", ChromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	// A guard against a hung browser, not a speed assertion.
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 3*time.Minute)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelTab(); cancelAlloc(); cancelTimeout() })
	return tabCtx
}
