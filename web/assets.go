package web

import (
	"embed"
	"fmt"

	"github.com/heedhq/heed/internal/assets"
)

//go:embed static
var staticFS embed.FS

// loadAssets reads the UI's CSS and scripts, served under /static/ with
// versioned URLs (see package assets).
func loadAssets() (*assets.Set, error) {
	as, err := assets.Load(staticFS, "static", "/static/")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return as, nil
}
