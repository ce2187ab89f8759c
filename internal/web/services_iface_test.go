package web

import (
	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/internal/setstore"
)

// The concrete services cmd/dxindex hands to web satisfy web's interfaces.
var (
	_ Dashboard = (*dashboard.Store)(nil)
	_ Sets      = (*setstore.Store)(nil)
	_ Exports   = (*dashboard.Exporter)(nil)
)
