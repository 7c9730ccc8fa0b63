# Shared by scripts/run and scripts/test: builds the web client (web-client/ -> web-client/dist,
# which the server serves) and runs its tests. Sourced, not run.
#
#   quorum_web_build           npm ci (when needed) and vite build
#   quorum_web_install_chromium  Debian's chromium, for the browser tests
#   quorum_web_test BINARY     Vitest unit tests, then the end-to-end tests in Chromium against BINARY

QUORUM_WEB_DIR=web-client

_quorum_sudo() {
  if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi
}

_quorum_web_check_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "The web client needs Node.js 20.19 or newer, with npm; neither was found." >&2
    return 1
  fi
  local major minor
  IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    echo "The web client needs Node.js 20.19 or newer; this machine has $(node -v)." >&2
    return 1
  fi
}

# npm ci only when the lock file changed since the last install, so repeated runs stay quick.
_quorum_web_npm_ci() {
  local stamp=$QUORUM_WEB_DIR/node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ "$stamp" -nt "$QUORUM_WEB_DIR/package-lock.json" ]; then
    return 0
  fi
  echo "Installing the web client's packages (npm ci)"
  # No package may download a browser of its own: Chromium comes from Debian.
  (cd "$QUORUM_WEB_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

quorum_web_build() {
  _quorum_web_check_node
  _quorum_web_npm_ci
  echo "Building the web client"
  (cd "$QUORUM_WEB_DIR" && npm run --silent build -- --logLevel warn)
}

quorum_web_install_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  echo "Installing: chromium (for the web client's browser tests)"
  _quorum_sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _quorum_sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
}

# quorum_web_test QUORUM_BINARY
quorum_web_test() {
  local binary
  binary=$(realpath "$1")
  echo "Web client: unit tests (Vitest)"
  (cd "$QUORUM_WEB_DIR" && npx vitest run)
  echo "Web client: end-to-end tests in Chromium (screenshots in test-artifacts/web-client/)"
  (cd "$QUORUM_WEB_DIR" && QUORUM_BINARY="$binary" CHROMIUM=/usr/bin/chromium npx vitest run --config vitest.e2e.config.ts --reporter=verbose)
}
