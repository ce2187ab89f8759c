package survey

import (
	"strconv"

	"github.com/dxindex/dxindex/internal/postgres"
)

func itoa(n int) string { return strconv.Itoa(n) }

func isUnique(err error, constraint string) bool { return postgres.IsUniqueViolation(err, constraint) }
