#!/bin/sh
# Runs a command under Firedrill's runtime: Node 24 LTS and installed node modules.
#
# The machines ship an older Node (20, past end of life). Rather than ask every user to manage
# Node versions, this provides Node 24 from the npm registry (the `node-linux-<arch>` package
# carries the official binary) in a cache shared by every clone, puts it first on PATH, and
# installs node modules when they are missing or older than the lockfile. Everything else the
# lab needs (Postgres, Redis, Prometheus, k6, Toxiproxy) is handled by `lab setup` in TypeScript.
set -eu

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
want_major=24
tools=${FIREDRILL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/firedrill}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major node)" -lt "$want_major" ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "firedrill: no Node $want_major package for $(uname -m); install Node $want_major yourself" >&2; exit 1 ;;
  esac
  pkg="node-linux-$arch"
  node_bin="$tools/node$want_major/node_modules/$pkg/bin"
  if [ ! -x "$node_bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { echo "firedrill: npm is missing; install Node.js and npm first" >&2; exit 1; }
    echo "firedrill: this machine has Node $(node -v 2>/dev/null || echo none); fetching Node $want_major from the npm registry (once)" >&2
    mkdir -p "$tools/node$want_major"
    npm install --prefix "$tools/node$want_major" --no-save --no-package-lock --loglevel=error "$pkg@$want_major" >&2 \
      || { echo "firedrill: could not install $pkg@$want_major from the npm registry; install Node $want_major (https://nodejs.org) and retry" >&2; exit 1; }
  fi
  PATH="$node_bin:$PATH"
  export PATH
fi

# Install node modules on a fresh clone, and again whenever the lockfile changed since.
stamp="$root/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ]; then
  echo "firedrill: installing node modules (npm ci)" >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

exec "$@"
