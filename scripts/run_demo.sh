#!/usr/bin/env bash
# `make run`: the development server and, beside it, the task worker that runs the web imports (and the
# other background tasks) from the database queue. Ctrl-C stops both.
set -euo pipefail
BIN="${BIN:-.venv/bin}"
HOST="${HOST:-127.0.0.1:8000}"
export TASKS_BACKEND="${TASKS_BACKEND:-django_tasks_db.DatabaseBackend}"

"$BIN/yunghap" db_worker --interval 1 --no-reload &
worker=$!
# A background job of a script ignores Ctrl-C: stop the worker ourselves when the server ends.
stop_worker() {
	kill -TERM "$worker" 2>/dev/null || true
	wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT TERM
echo "Task worker started (pid $worker); server on http://$HOST/"
"$BIN/yunghap" runserver "$HOST"
