package main

import (
	"io"
	"log/slog"
)

// newLogger returns the process's structured logger, writing to w as text
// (for a terminal) or JSON (for a log collector).
func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		lv = slog.LevelInfo // kong's enum has already refused anything else
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
