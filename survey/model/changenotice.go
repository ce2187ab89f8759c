package model

import (
	"strings"
)

// Items are the lines a notice lists (the changes of a review session,
// "indicator: reason"); nil for the other notices.
func (n *Notification) Items() []string {
	if n.Params["items"] == "" {
		return nil
	}
	return strings.Split(n.Params["items"], "\n")
}
