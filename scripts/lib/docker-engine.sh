# Makes sure a Docker engine answers. Uses the one that runs; otherwise installs Debian's docker.io and
# starts dockerd detached. Published ports are bound to 127.0.0.1 only (--ip), and --iptables=false because
# this kind of sandbox has no iptables; containers still reach each other over the run's own bridge network.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rd_ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  command -v dockerd >/dev/null || rd_apt_install docker.io
  command -v dockerd >/dev/null || rd_die "dockerd not found after installing docker.io"
  mkdir -p "$RD_ARTIFACTS"
  rd_log "starting dockerd (log: $RD_ARTIFACTS/dockerd.log)"
  rd_as_root sh -c "nohup dockerd --iptables=false --ip=127.0.0.1 >'$RD_ARTIFACTS/dockerd.log' 2>&1 &"
  for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && return 0; sleep 0.2; done
  tail -20 "$RD_ARTIFACTS/dockerd.log" >&2
  rd_die "dockerd did not answer within 20 s"
}
