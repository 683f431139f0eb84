# The report tool: Allure 3 (npm, pinned in tools/report/package-lock.json), installed once.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rd_ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null || rd_apt_install nodejs npm
}

rd_ensure_report_tool() {
  rd_ensure_node
  local dir="$RD_ROOT/tools/report"
  [ -f "$dir/node_modules/allure/cli.js" ] && return 0
  rd_phase "installing the Allure report generator (npm ci)" \
    bash -c "cd '$dir' && npm ci --no-audit --no-fund --loglevel=error"
}

# rd_build_report <results-dir> <report-dir>: the HTML report, trend history kept in artifacts/history.
rd_build_report() {
  node "$RD_ROOT/tools/report/build-report.mjs" "$1" "$2" "${RESTOREDRILLS_HISTORY_FILE:-$RD_ARTIFACTS/history/allure-history.jsonl}"
}
