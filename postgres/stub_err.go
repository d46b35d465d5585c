package postgres

import "github.com/heedhq/heed"

var errNotImplemented = heed.Errorf(heed.EInternal, "not implemented")
