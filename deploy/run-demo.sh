#!/bin/sh
# `make demo`: the site with its task worker and scheduler beside it (docs/tasks.md).
# Stopping the server (Ctrl-C) stops the other two. Usage: deploy/run-demo.sh [ADDRESS:PORT]
set -eu
BIN=${BIN:-.venv/bin}

"$BIN/chapterhouse" db_worker --no-reload --interval 1 &
worker=$!
"$BIN/chapterhouse" scheduler &
scheduler=$!
# Background processes of a script ignore Ctrl-C, so they are stopped here (SIGTERM: the
# worker finishes the task in hand, then exits).
trap 'kill "$worker" "$scheduler" 2>/dev/null || true; wait' EXIT
trap 'exit 130' INT TERM

"$BIN/chapterhouse" runserver "${1:-127.0.0.1:8000}"
