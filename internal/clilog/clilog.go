// Package clilog is the dxindex command line's logger and its settings,
// shared by package main and by the composite command, which starts before
// main (internal/compositecmd): one rule for both.
package clilog

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// New returns the logger for a --log-level and a --log-format, writing to w.
func New(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("invalid --log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("invalid --log-format %q: want text or json", format)
	}
}

// EnvOr is the environment variable key, trimmed, or def when it is empty:
// the default of a flag that the environment may set.
func EnvOr(getenv func(string) string, key, def string) string {
	if v := strings.TrimSpace(getenv(key)); v != "" {
		return v
	}
	return def
}
