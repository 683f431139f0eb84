# The hosted-runner path, checked as a runner runs it (GitHub ubuntu-latest, Azure hosted agents): a user that is not
# root, is in the docker group and has no sudo builds the images from the Dockerfiles on debian:<suite>-slim and runs
# one drill, from its own copy of this checkout. Here no registry answers, so the debootstrapped base stands in under
# the registry's name, as a pull would have left it. Needs root to create that user; a run that is not root is
# itself on the runner path and skips this.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RD_RUNNER_USER="${RESTOREDRILLS_RUNNER_USER:-rdrunner}"
RD_RUNNER_DRILL="DR-PITR-LSN"

rd_runner_check() {
  if [ "$(id -u)" != 0 ]; then rd_log "not root: this run is itself the runner path (no separate check)"; return 0; fi
  id -u "$RD_RUNNER_USER" >/dev/null 2>&1 || useradd --create-home --groups docker "$RD_RUNNER_USER" || return 1
  id -nG "$RD_RUNNER_USER" | grep -qw docker || { rd_log "error: $RD_RUNNER_USER is not in the docker group"; return 1; }
  rd_image_present debian:bookworm-slim || docker tag restoredrills/debian:bookworm debian:bookworm-slim || return 1
  local home copy started
  home=$(getent passwd "$RD_RUNNER_USER" | cut -d: -f6)
  copy="$home/checkout"
  rm -rf "$copy" && mkdir -p "$copy/artifacts" || return 1
  (cd "$RD_ROOT" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -C "$copy" -xf - || return 1
  cp -r "$RESTOREDRILLS_CNPG_CRD_DIR" "$copy/artifacts/cnpg-crds" # a user's clone downloads them; this one has them
  chown -R "$RD_RUNNER_USER:" "$copy" || return 1
  # The runner builds them itself: the tags this run built go (the images stay while tagged otherwise or in use).
  local image
  for image in restoredrills/postgres:15 "$RD_AZURITE_IMAGE"; do
    rd_image_present "$image" && { docker rmi "$image" >/dev/null || return 1; }
  done
  started=$(date -u +%s)
  # A clean environment, as a runner's job starts: no variable of this run leaks in (Chromium is the runner's own).
  runuser -u "$RD_RUNNER_USER" -- env -i HOME="$home" PATH="$PATH" LANG=C.UTF-8 RESTOREDRILLS_CHROMIUM="${RESTOREDRILLS_CHROMIUM:-}" \
    bash -c 'cd ~/checkout || exit 1
             source scripts/lib/common.sh && if rd_has_sudo; then echo "the runner user must not have sudo" >&2; exit 1; fi
             ./scripts/drill --filter "Name~'"$RD_RUNNER_DRILL"'"' 2>&1 | sed -u 's/^/  [runner] /'
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || { rd_log "error: ./scripts/drill as $RD_RUNNER_USER exited $rc"; return 1; }
  local base built
  for image in restoredrills/postgres:15 "$RD_AZURITE_IMAGE"; do
    base=$(rd_image_label "$image" restoredrills.base-image)
    built=$(date -u -d "$(docker image inspect -f '{{.Created}}' "$image")" +%s)
    [ "$base" = debian:bookworm-slim ] && [ "$built" -ge "$started" ] \
      || { rd_log "error: $image was not built by $RD_RUNNER_USER on debian:bookworm-slim (base '$base')"; return 1; }
  done
  grep -qE '^ +Passed: 1$' "$copy/artifacts/drill.log" && ! grep -qE '^ +Failed: [1-9]' "$copy/artifacts/drill.log" \
    || { rd_log "error: the runner's drill did not pass: $(tail -3 "$copy/artifacts/drill.log")"; return 1; }
  rd_log "runner path: $RD_RUNNER_USER (not root, docker group, no sudo) built restoredrills/postgres:15 and $RD_AZURITE_IMAGE on debian:bookworm-slim and passed $RD_RUNNER_DRILL in $(( $(date -u +%s) - started )) s"
}
