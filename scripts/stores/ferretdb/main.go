// Command ferretdb-intelgraph runs an embedded FerretDB (SQLite handler) for
// local development and tests. It is built and started by scripts/stores.mjs;
// the pinned FerretDB version is in go.mod.
//
// Embedding via github.com/FerretDB/FerretDB/ferretdb avoids the panic of a
// plain `go install .../cmd/ferretdb` (missing build/version/version.txt).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP listen address (host:port)")
	dataDir := flag.String("data-dir", "", "directory for SQLite databases (required)")
	logLevel := flag.String("log-level", "info", "log level: debug, info, warn, error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "-data-dir is required")
		os.Exit(2)
	}
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		logger.Error("bad data dir", "err", err)
		os.Exit(1)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		logger.Error("cannot create data dir", "dir", dir, "err", err)
		os.Exit(1)
	}
	// SQLite handler wants a directory URI ending in "/".
	sqliteURL := "file:" + strings.TrimSuffix(filepath.ToSlash(dir), "/") + "/"

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		logger.Error("failed to start FerretDB", "err", err)
		os.Exit(1)
	}

	logger.Info("ferretdb-intelgraph listening", "uri", f.MongoDBURI(), "sqlite", sqliteURL, "pid", os.Getpid())

	if err = f.Run(ctx); err != nil {
		logger.Error("FerretDB stopped with error", "err", err)
		os.Exit(1)
	}
	logger.Info("ferretdb-intelgraph stopped")
}
