package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// streamLife bounds one event stream: the browser reconnects by itself,
// and a reconnection signs in again, so a revoked session stops getting
// news within this time.
const streamLife = 2 * time.Minute

// keepAlive is how often a quiet stream sends a comment, so proxies do
// not take it for a dead connection.
const keepAlive = 20 * time.Second

// inboxEvents is the inbox's live stream (text/event-stream): every few
// seconds it asks the database what the inbox would show and sends an
// "inbox" event when that changed since the page (?since=) or the last
// event (Last-Event-ID, on a reconnection) — whichever process stored
// the change. It ends with the request, on shutdown (Config.Stop) and
// after streamLife.
func (s *server) inboxEvents(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	since := r.Header.Get("Last-Event-ID")
	if since == "" {
		since = r.URL.Query().Get("since")
	}
	// Read once before answering, so a broken session or database gets
	// an error status, not an empty stream.
	state, err := s.liveInboxState(r)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	// A server-wide write timeout would cut the stream; this one has none.
	_ = rc.SetWriteDeadline(time.Time{}) // not every writer supports it; then there is no timeout to lift
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
	w.WriteHeader(http.StatusOK)
	send := func(format string, args ...any) bool {
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: %d\n\n", (2 * s.every).Milliseconds()) {
		return nil
	}
	tick := time.NewTicker(s.every)
	defer tick.Stop()
	life := time.NewTimer(streamLife)
	defer life.Stop()
	quiet := time.Now()
	for {
		if state != since {
			if !send("id: %s\nevent: inbox\ndata: %s\n\n", state, state) {
				return nil
			}
			since, quiet = state, time.Now()
		} else if time.Since(quiet) >= keepAlive {
			if !send(": still here\n\n") {
				return nil
			}
			quiet = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.stop: // nil when not configured: never ready
			return nil
		case <-life.C:
			return nil
		case <-tick.C:
		}
		if state, err = s.liveInboxState(r); err != nil {
			// The status is sent: log, end the stream, let the browser retry.
			if ctx.Err() == nil {
				s.log.Warn("web: inbox stream", "err", err, "who", viewerFrom(ctx).Email)
			}
			return nil
		}
	}
}

// liveInboxState is inboxState read as the inbox reads it, without the
// sorting, the comments and the names: the viewer's open cases (one
// indexed query, owner then id) and the newest answer they may see.
func (s *server) liveInboxState(r *http.Request) (string, error) {
	ctx, v := r.Context(), viewerFrom(r.Context())
	var mine []heed.Case
	if v.P.EmployeeID != 0 { // as myOpenCases: nothing is owned otherwise
		var err error
		if mine, err = s.cs.List(ctx, v.P, cases.Filter{Owner: "me", Open: true, Limit: callListMax}); err != nil {
			return "", err
		}
	}
	answers, err := s.sv.ListResponses(ctx, v.P, "", heed.ResponseFilter{Limit: 1})
	if err != nil {
		return "", err
	}
	return inboxState(mine, answers), nil
}
