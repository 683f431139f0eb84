# Shared helpers for the project's shell scripts. Sourced, never run.
# Every install step here is idempotent: it checks first and does nothing when the thing is already there.

RD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RD_ARTIFACTS="${RD_ARTIFACTS:-$RD_ROOT/artifacts}"

rd_log() { printf '[restoredrills %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
rd_die() { rd_log "error: $*"; exit 1; }

# Runs a named phase and prints how long it took, so a CI log shows where time goes.
rd_phase() {
  local name="$1"; shift
  local start=$SECONDS
  rd_log "▶ $name"
  "$@"
  local rc=$?
  rd_log "◀ $name ($((SECONDS - start)) s, exit $rc)"
  return $rc
}

rd_has_sudo() { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }

# Root where a step needs it: as root, or through password-less sudo; otherwise one line saying what needed it.
rd_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif rd_has_sudo; then sudo "$@"
  else rd_log "error: '$*' needs root, and $(id -un) has no password-less sudo: install what it installs by hand, or run as root"; return 1; fi
}

RD_APT_UPDATED=""
rd_apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || rd_die "missing packages ${missing[*]} and no apt-get: install them by hand"
  if [ -z "$RD_APT_UPDATED" ]; then rd_as_root apt-get update -qq || return 1; RD_APT_UPDATED=1; fi
  rd_log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive rd_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# One run per checkout: ./scripts/drill, ./scripts/test and ./scripts/stability clear and write artifacts/, so a second
# one started while one runs stops at once with one line instead of deleting the first run's results under it.
# The lock is held by a small watcher, not by this shell: a process this shell starts and that outlives it (a compiler
# server, dockerd) must not keep the checkout locked. The watcher lets go within a fifth of a second of this shell's
# end; a run that finds the lock held by the watcher of a run whose shell has ended waits for it (at most a few seconds),
# so `./scripts/drill && ./scripts/test` runs the second right after the first.
RD_CHECKOUT_RELEASE_WAIT=5
rd_hold_checkout() {
  local what="$1" lock="$RD_ARTIFACTS/.run.lock" held="$RD_ARTIFACTS/.run.held.$$"
  mkdir -p "$RD_ARTIFACTS" && rm -f "$held"
  (
    if ! flock -n 9; then
      local owner; owner=$(cat "$RD_ARTIFACTS/.run.pid" 2>/dev/null)
      # A live owner is another run: refuse. An ended one's watcher is letting go: wait for it.
      if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then exit 1; fi
      flock -w "$RD_CHECKOUT_RELEASE_WAIT" 9 || exit 1
    fi
    echo "$what (pid $$, since $(date -u +%H:%M:%S) UTC)" > "$RD_ARTIFACTS/.run.owner"
    echo "$$" > "$RD_ARTIFACTS/.run.pid"
    : > "$held"
    while kill -0 $$ 2>/dev/null; do sleep 0.2; done
  ) 9>"$lock" &
  local watcher=$!
  for _ in $(seq 1 $((RD_CHECKOUT_RELEASE_WAIT * 20 + 100))); do
    [ -e "$held" ] && { rm -f "$held"; return 0; }
    kill -0 "$watcher" 2>/dev/null || break
    sleep 0.05
  done
  rd_die "another run holds this checkout ($(cat "$RD_ARTIFACTS/.run.owner" 2>/dev/null || echo 'owner unknown')): $what would clear its artifacts/; wait for it to end"
}
