// Package setview is an indicator set version as stored, without the
// database: the shapes package setstore returns (Stored, SaveOutcome),
// apart from it so that the web
// layer can name them, and hold the set store as an interface of its own,
// without importing pgx.
package setview

import (
	"time"

	"github.com/dxindex/dxindex/indicators"
)

// Stored is a set version as kept in the database.
type Stored struct {
	ID          int64
	Code        string
	Version     string
	Name        indicators.Text
	Source      string
	Assessed    string
	Provisional bool
	// SHA256 is the hex digest of the set's canonical JSON when saved.
	SHA256   string
	LoadedAt time.Time
	// LockedAt is when a campaign first used this version; nil while it
	// may still change.
	LockedAt *time.Time
	// Set is the parsed set (nil in List).
	Set *indicators.Set
}

// SaveOutcome says what Save did.
type SaveOutcome string

// The outcomes of Save.
const (
	SaveCreated   SaveOutcome = "created"   // a new (code, version)
	SaveUpdated   SaveOutcome = "updated"   // new content for a version no campaign uses yet
	SaveUnchanged SaveOutcome = "unchanged" // the same content was already stored
)
