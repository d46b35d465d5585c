package respond

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/heedhq/heed/internal/assets"
	"github.com/heedhq/heed/survey"
)

// Config is what the respondent's pages need from the operator.
type Config struct {
	// Logger receives unexpected errors; nil: discarded.
	Logger *slog.Logger
	// Now is the rate limiter's clock; nil: time.Now.
	Now func() time.Time
	// RateLimit is how many answers one client address may post through
	// anonymous links and the widget per minute; 0 means 10.
	RateLimit int
}

// DefaultRateLimit is the answers per minute per client address when
// Config.RateLimit is 0: plenty for a family sharing one connection,
// too few to flood a survey.
const DefaultRateLimit = 10

// server holds what every handler shares.
type server struct {
	svc    *survey.Service
	log    *slog.Logger
	limit  *limiter
	assets *assets.Set
	cop    *http.CrossOriginProtection
}

// New returns the respondent's pages as one handler, to be mounted at
// "/s/". It panics only if the embedded templates or assets are broken,
// which the package's tests rule out.
func New(svc *survey.Service, cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	s := &server{
		svc:    svc,
		log:    cfg.Logger,
		limit:  newLimiter(cfg.RateLimit, time.Minute, cfg.Now),
		assets: loadedAssets,
		cop:    http.NewCrossOriginProtection(),
	}
	return s.routes()
}

// mustLoad turns a broken embedded file into a panic at start-up.
func mustLoad[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("respond: %v", err))
	}
	return v
}
