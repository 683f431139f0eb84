# The Kubernetes API double served standalone (tests/RestoreDrills.KubernetesDouble): a real source on the containers
# platform behind a fake API server on 127.0.0.1. The nightly CNPG drills (CnpgLiveDrills) run against it through
# the kubeconfig it writes, exactly as they run against a production cluster.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RD_CNPG_DOUBLE_DIR="$RD_ARTIFACTS/cnpg-double"
RD_CNPG_DOUBLE_PID=""
RD_CNPG_DOUBLE_READY_SECONDS="${RD_CNPG_DOUBLE_READY_SECONDS:-300}"

# Starts it (the solution must be built) and exports the settings that point the live drills at it.
rd_cnpg_double_start() {
  rm -rf "$RD_CNPG_DOUBLE_DIR" && mkdir -p "$RD_CNPG_DOUBLE_DIR"
  dotnet "$RD_ROOT/tests/RestoreDrills.KubernetesDouble/bin/Debug/net10.0/RestoreDrills.KubernetesDouble.dll" \
    --out "$RD_CNPG_DOUBLE_DIR" --minutes 85 >"$RD_CNPG_DOUBLE_DIR/double.log" 2>&1 &
  RD_CNPG_DOUBLE_PID=$!
  local waited=0
  until [ -f "$RD_CNPG_DOUBLE_DIR/ready" ]; do
    if ! kill -0 "$RD_CNPG_DOUBLE_PID" 2>/dev/null; then
      rd_log "error: the CNPG API double exited before it was ready; its log:"
      tail -n 30 "$RD_CNPG_DOUBLE_DIR/double.log" >&2
      RD_CNPG_DOUBLE_PID=""
      return 1
    fi
    if [ "$waited" -ge "$RD_CNPG_DOUBLE_READY_SECONDS" ]; then
      rd_log "error: the CNPG API double was not ready within ${RD_CNPG_DOUBLE_READY_SECONDS} s; its log:"
      tail -n 30 "$RD_CNPG_DOUBLE_DIR/double.log" >&2
      rd_cnpg_double_stop
      return 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  cat "$RD_CNPG_DOUBLE_DIR/double.log" >&2
  # shellcheck disable=SC1091
  source "$RD_CNPG_DOUBLE_DIR/drills.env"
}

# Stops it (SIGTERM: it removes its source, the restored servers and its platform), bounded.
rd_cnpg_double_stop() {
  [ -n "$RD_CNPG_DOUBLE_PID" ] || return 0
  kill -TERM "$RD_CNPG_DOUBLE_PID" 2>/dev/null
  local waited=0
  while kill -0 "$RD_CNPG_DOUBLE_PID" 2>/dev/null && [ "$waited" -lt 120 ]; do sleep 1; waited=$((waited + 1)); done
  kill -KILL "$RD_CNPG_DOUBLE_PID" 2>/dev/null
  RD_CNPG_DOUBLE_PID=""
  return 0
}
