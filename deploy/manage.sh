#!/bin/sh
# Run a `chapterhouse` command as the services do: with the env file's settings.
#   sudo -u chapterhouse /srv/chapterhouse/deploy/manage.sh migrate
# CHAPTERHOUSE_ENV names another env file (default /etc/chapterhouse/env).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
set -a
. "${CHAPTERHOUSE_ENV:-/etc/chapterhouse/env}"
set +a
exec "$here/.venv/bin/chapterhouse" "$@"
