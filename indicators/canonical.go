package indicators

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/dxindex/dxindex/internal/errkind"
)

// ErrImmutable is returned when saving different content under a (code,
// version) that a campaign uses; it matches errkind.Conflict.
var ErrImmutable error = &kindError{"indicators: set version is used by a campaign and cannot change", errkind.Conflict}

// Canonical returns a set's canonical JSON (the struct's field order, map
// keys sorted, zero values left out) and the hex SHA-256 of those bytes.
func Canonical(set *Set) ([]byte, string, error) {
	b, err := json.Marshal(set)
	if err != nil {
		return nil, "", fmt.Errorf("indicators: encode %s %s: %w", set.Code, set.Version, err)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// Check validates the set without keeping what it compiles (safe for
// concurrent callers; Validate keeps it).
func (s *Set) Check() error {
	_, err := s.compiled()
	return err
}
