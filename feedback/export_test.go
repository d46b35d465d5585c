package feedback

import "context"

// RereadOnePage re-reads one page, as a run cut short after it would
// have, and reports whether none is left.
func (s *Service) RereadOnePage(ctx context.Context) (bool, error) { return s.rereadPage(ctx) }
