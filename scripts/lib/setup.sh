# Everything a drill or test run needs, installed or started only where missing (idempotent).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/docker-engine.sh"
source "$(dirname "${BASH_SOURCE[0]}")/images.sh"
source "$(dirname "${BASH_SOURCE[0]}")/report.sh"
source "$(dirname "${BASH_SOURCE[0]}")/dotnet.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cnpg-crds.sh"

rd_setup() {
  mkdir -p "$RD_ARTIFACTS"
  rd_ensure_dotnet || return 1
  rd_phase "docker engine" rd_ensure_docker || return 1
  # Testcontainers asks for a newer API than some engines speak (Debian's 20.10: 1.41): use the engine's own.
  export DOCKER_API_VERSION="${DOCKER_API_VERSION:-$(docker version --format '{{.Server.APIVersion}}')}"
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  rd_phase "drill images" rd_ensure_images || return 1
  rd_ensure_report_tool || return 1
  rd_ensure_cnpg_crds || return 1
  rd_find_cnpg_e2e_fixtures
  export RESTOREDRILLS_NODE="$RD_NODE"
}

# This script invocation's id: every container and network its drills start carries it (org.restoredrills.session),
# so the script sweeps and counts only its own, never another run's on the same engine.
export RESTOREDRILLS_SESSION="${RESTOREDRILLS_SESSION:-s$(date -u +%Y%m%d%H%M%S)-$$}"

rd_session_containers() { docker ps -aq --filter "label=org.restoredrills.session=$RESTOREDRILLS_SESSION"; }

# Removes every container, network and volume of this session (a run killed before its own cleanup).
rd_sweep_session() {
  local ids
  ids=$(rd_session_containers)
  [ -n "$ids" ] && docker rm -f -v $ids >/dev/null
  ids=$(docker network ls -q --filter "label=org.restoredrills.session=$RESTOREDRILLS_SESSION")
  [ -n "$ids" ] && docker network rm $ids >/dev/null
  ids=$(docker volume ls -q --filter "label=org.restoredrills.session=$RESTOREDRILLS_SESSION")
  [ -n "$ids" ] && docker volume rm $ids >/dev/null
  return 0
}
