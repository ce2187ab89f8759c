package web

import (
	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/survey"
	"github.com/jackc/pgx/v5/pgxpool"
)

// servicesOn builds the services over pool as cmd/dxindex does (serve.go
// webServices), for tests that start a server on a test database.
func servicesOn(pool *pgxpool.Pool) Services {
	svc := survey.NewService(pool)
	svc.OnPublish = dashboard.BuildReadModel
	return Services{
		Survey:    svc,
		Dashboard: dashboard.New(pool),
		Sets:      setstore.NewStore(pool),
		Exports:   dashboard.NewExporter(pool),
		Health:    postgres.NewHealth(pool),
	}
}
