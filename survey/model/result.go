package model

import (
	"encoding/json"
	"time"
)

// ResultChange is one value an evaluator changed (external evaluation),
// as the school's result view shows it: the old and new value, the reason,
// who and when, and the published revision that first carried it.
type ResultChange struct {
	Indicator string          `json:"indicator"`
	Old       json.RawMessage `json:"old_value"`
	New       json.RawMessage `json:"new_value"`
	Reason    string          `json:"reason"`
	By        string          `json:"by"`
	ByName    string          `json:"by_name"`
	At        time.Time       `json:"at"`
	// Revision is the first published revision holding this assessment
	// made after the change (0: not published since).
	Revision int `json:"revision"`
}

// ResultPublication is a published revision that holds the assessment,
// with the index and level it froze.
type ResultPublication struct {
	Revision    int       `json:"revision"`
	PublishedAt time.Time `json:"published_at"`
	Index       float64   `json:"index"`
	Level       int       `json:"level"`
}

// ValidatedVisible: who may read the validated result, the evaluator's
// changes and their reasons. Evaluators (and admins) of the scope always
// (they make them). The school from approval on: approval is the office's
// decision on that school, and the school must be able to read it (and
// query it) before it becomes public; while the review is under way the
// evaluator's values are work in progress, not a result to act on.
func (x *Assessment) ValidatedVisible(a *Actor) bool {
	if a.Role != RoleSchool && a.Role != RoleOffice {
		return true
	}
	return x.Status == StatusApproved
}
