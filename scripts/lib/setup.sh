# Everything a drill or test run needs, installed or started only where missing (idempotent).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/docker-engine.sh"
source "$(dirname "${BASH_SOURCE[0]}")/images.sh"
source "$(dirname "${BASH_SOURCE[0]}")/report.sh"
source "$(dirname "${BASH_SOURCE[0]}")/dotnet.sh"

rd_setup() {
  mkdir -p "$RD_ARTIFACTS"
  rd_ensure_dotnet
  rd_phase "docker engine" rd_ensure_docker
  # Testcontainers asks for a newer API than some engines speak (Debian's 20.10: 1.41): use the engine's own.
  export DOCKER_API_VERSION="${DOCKER_API_VERSION:-$(docker version --format '{{.Server.APIVersion}}')}"
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  rd_phase "drill images" rd_ensure_images
  rd_ensure_report_tool
  export RESTOREDRILLS_NODE="$RD_NODE"
}

# Removes every container, network and volume a drill run left behind (a run killed before its own cleanup).
rd_sweep_leftovers() {
  local ids
  ids=$(docker ps -aq --filter label=org.restoredrills=true)
  [ -n "$ids" ] && docker rm -f -v $ids >/dev/null
  ids=$(docker network ls -q --filter label=org.restoredrills=true)
  [ -n "$ids" ] && docker network rm $ids >/dev/null
  return 0
}
