#!/usr/bin/env bash
# Installs Debian's PostgreSQL server and pg_virtualenv when missing; the tests start a throwaway cluster.
set -euo pipefail
if command -v pg_virtualenv >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing PostgreSQL from Debian packages..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-common >/dev/null
