package feedback

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/textan"
)

// TaxonomyRefresh is how often a service re-reads the saved taxonomy:
// several processes share one database, so an admin's save in one
// reaches the others within this delay. The re-reading of past feedback
// a save queues waits as long before it starts, so that every item
// stored meanwhile by a process still on the old taxonomy is re-read.
const TaxonomyRefresh = 5 * time.Second

// TaxonomyView is the organisation's theme taxonomy as the faces show it.
type TaxonomyView struct {
	Themes []textan.Theme `json:"themes"`
	// Version is what a save must send back: 0 while the default was
	// never changed.
	Version   int        `json:"version"`
	Default   bool       `json:"default"` // the default taxonomy applies
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	// Reread is how far the re-reading of past feedback with this
	// taxonomy has come; nil before the first save.
	Reread *RereadProgress `json:"reread,omitempty"`
}

// RereadProgress is the progress of re-reading past feedback.
type RereadProgress struct {
	Done       int        `json:"done"`  // items re-read
	Total      int        `json:"total"` // items to re-read
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// Taxonomy returns the themes items are read with (any signed-in role).
func (s *Service) Taxonomy(ctx context.Context, p heed.Principal) (TaxonomyView, error) {
	if !p.Role.Valid() {
		return TaxonomyView{}, heed.Errorf(heed.EForbidden, "sign in to read the themes")
	}
	saved, err := s.store.GetTaxonomy(ctx)
	if heed.IsNotFound(err) {
		return TaxonomyView{Themes: textan.DefaultThemes(), Default: true}, nil
	}
	if err != nil {
		return TaxonomyView{}, err
	}
	tax, err := compileSaved(saved)
	if err != nil {
		return TaxonomyView{}, err
	}
	return viewOf(saved, tax), nil
}

// viewOf is a saved taxonomy, compiled as tax, as the faces show it.
func viewOf(saved heed.SavedTaxonomy, tax *textan.Taxonomy) TaxonomyView {
	return TaxonomyView{Themes: tax.Themes(), Version: saved.Version, Default: saved.Themes == "",
		UpdatedAt: &saved.UpdatedAt, UpdatedBy: saved.UpdatedBy,
		Reread: &RereadProgress{Done: saved.Reread.Done, Total: max(saved.Reread.Total, saved.Reread.Done),
			FinishedAt: saved.Reread.FinishedAt}}
}

// SaveTaxonomy replaces the organisation's themes (admins only), if
// version is still the stored one (EConflict otherwise: someone saved
// since it was read), and queues the re-reading of past feedback with
// them. Errors of the themes name the theme and term.
func (s *Service) SaveTaxonomy(ctx context.Context, p heed.Principal, themes []textan.Theme, version int) (TaxonomyView, error) {
	if !p.IsAdmin() {
		return TaxonomyView{}, heed.Errorf(heed.EForbidden, "only admins may change the themes")
	}
	if len(themes) == 0 {
		return TaxonomyView{}, heed.FieldErrorf(heed.EInvalid, "themes", "a taxonomy needs at least one theme (reset it to go back to the default)")
	}
	tax, err := textan.NewTaxonomy(themes)
	if err != nil {
		return TaxonomyView{}, heed.FieldErrorf(heed.EInvalid, "themes", "%v", err)
	}
	raw, err := json.Marshal(tax.Themes())
	if err != nil {
		return TaxonomyView{}, heed.Internal(err, "encode taxonomy")
	}
	return s.saveTaxonomy(ctx, p, string(raw), version)
}

// ResetTaxonomy goes back to the default themes (admins only), as
// SaveTaxonomy does.
func (s *Service) ResetTaxonomy(ctx context.Context, p heed.Principal, version int) (TaxonomyView, error) {
	return s.saveTaxonomy(ctx, p, "", version)
}

func (s *Service) saveTaxonomy(ctx context.Context, p heed.Principal, raw string, version int) (TaxonomyView, error) {
	if !p.IsAdmin() {
		return TaxonomyView{}, heed.Errorf(heed.EForbidden, "only admins may change the themes")
	}
	now := s.cfg.Now()
	var saved heed.SavedTaxonomy
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		var err error
		if saved, err = q.SaveTaxonomy(ctx, raw, version, p.Name, now); err != nil {
			return err
		}
		_, err = jobs.Enqueue(ctx, q, RereadJob, struct{}{}, now, jobs.RunAt(now.Add(TaxonomyRefresh)), jobs.Key("taxonomy"))
		return err
	})
	if err != nil {
		return TaxonomyView{}, err
	}
	// The row saved is the view: no need to read it back.
	tax, err := compileSaved(saved)
	if err != nil {
		return TaxonomyView{}, err
	}
	s.tax.set(tax, saved.Version)
	return viewOf(saved, tax), nil
}

// compileSaved compiles a stored taxonomy; "" is the default.
func compileSaved(saved heed.SavedTaxonomy) (*textan.Taxonomy, error) {
	if saved.Themes == "" {
		return textan.DefaultTaxonomy(), nil
	}
	var themes []textan.Theme
	if err := json.Unmarshal([]byte(saved.Themes), &themes); err != nil {
		return nil, heed.Internal(err, "decode taxonomy")
	}
	tax, err := textan.NewTaxonomy(themes)
	if err != nil {
		return nil, heed.Internal(err, fmt.Sprintf("compile taxonomy version %d", saved.Version))
	}
	return tax, nil
}

// taxCache holds the compiled taxonomy and when it was last checked.
type taxCache struct {
	mu      sync.Mutex
	tax     *textan.Taxonomy
	version int // -1 before the first read
	checked time.Time
}

func newTaxCache() *taxCache { return &taxCache{tax: textan.DefaultTaxonomy(), version: -1} }

func (c *taxCache) set(tax *textan.Taxonomy, version int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version >= c.version {
		c.tax, c.version, c.checked = tax, version, time.Now()
	}
}

// compiled is saved compiled: the cached taxonomy when it is of saved's
// version (the re-reading job asks once a page), else compiled now and
// cached.
func (c *taxCache) compiled(saved heed.SavedTaxonomy) (*textan.Taxonomy, error) {
	c.mu.Lock()
	tax, version := c.tax, c.version
	c.mu.Unlock()
	if version == saved.Version {
		return tax, nil
	}
	tax, err := compileSaved(saved)
	if err != nil {
		return nil, err
	}
	c.set(tax, saved.Version)
	return tax, nil
}

// current returns the cached taxonomy, re-reading the stored one through
// q when the last check is older than TaxonomyRefresh (real time, not
// the service's clock, which tests may stop). A failed read keeps the
// taxonomy read before: the write it is for most likely fails too. No
// lock is held while reading, so a caller inside a transaction never
// waits on one outside.
func (c *taxCache) current(ctx context.Context, q heed.TaxonomyQueries, log *slog.Logger) *textan.Taxonomy {
	c.mu.Lock()
	tax, version, fresh := c.tax, c.version, c.version >= 0 && time.Since(c.checked) < TaxonomyRefresh
	c.mu.Unlock()
	if fresh {
		return tax
	}
	saved, err := q.GetTaxonomy(ctx)
	switch {
	case heed.IsNotFound(err):
		tax, version = textan.DefaultTaxonomy(), 0
	case err != nil:
		log.Warn("reading the taxonomy failed: using the one read before", "err", err)
		return tax
	case saved.Version != version:
		if tax, err = compileSaved(saved); err != nil {
			log.Warn("the saved taxonomy does not compile: using the default", "err", err)
			tax = textan.DefaultTaxonomy()
		}
		version = saved.Version
	}
	c.set(tax, version)
	return tax
}
