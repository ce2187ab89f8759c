package model

import (
	"encoding/json"
	"time"
)

// Kinds of trail entries.
const (
	TrailEvent       = "event"       // a transition or step of the history (Action names it)
	TrailChange      = "change"      // a value changed in the external evaluation
	TrailReversal    = "reversal"    // the school's value restored by a ruling
	TrailReply       = "reply"       // the school's reply to a change (Action: accept | contest)
	TrailRuling      = "ruling"      // a ruling on a contest (Action: uphold | reverse)
	TrailPublication = "publication" // a publication that carried the result (Revision)
)

// TrailEntry is one line of an assessment's trail.
type TrailEntry struct {
	At        time.Time       `json:"at"`
	Kind      string          `json:"kind"`
	Action    string          `json:"action,omitempty"`
	By        string          `json:"by"`
	Indicator string          `json:"indicator,omitempty"`
	Old       json.RawMessage `json:"old_value,omitempty"`
	New       json.RawMessage `json:"new_value,omitempty"`
	Text      string          `json:"text,omitempty"`
	Link      string          `json:"link,omitempty"`
	Revision  int             `json:"revision,omitempty"`
}
