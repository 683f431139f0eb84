# Makes sure the drill images exist. An image named by the user (RESTOREDRILLS_*_IMAGE set to a registry
# image) is pulled; the project's own tags (restoredrills/...) are built locally from fixtures/images/,
# because no registry may be reachable. A local build is redone when its build context changed
# (label restoredrills.context-hash), so an edited Dockerfile never runs stale.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RD_AZURITE_IMAGE="${RESTOREDRILLS_AZURITE_IMAGE:-restoredrills/azurite:3.35.0}"

# The PostgreSQL majors the project builds, each from the Debian suite that ships it with barman-cloud:
# 15 + barman-cloud 3.4 (bookworm), 17 + 3.13 (trixie), 18 + 3.20 (forky).
rd_suite_for_major() {
  case "$1" in
    15) echo bookworm ;;
    17) echo trixie ;;
    18) echo forky ;;
    *) return 1 ;;
  esac
}

# RESTOREDRILLS_POSTGRES_MAJOR (./scripts/drill --postgres N) picks the project's image of that major;
# RESTOREDRILLS_POSTGRES_IMAGE names any other (a registry image, a user's own), which the drill then checks.
rd_postgres_major() { echo "${RESTOREDRILLS_POSTGRES_MAJOR:-15}"; }
rd_postgres_image() { echo "${RESTOREDRILLS_POSTGRES_IMAGE:-restoredrills/postgres:$(rd_postgres_major)}"; }

rd_context_hash() { # the build context's files, node_modules aside
  (cd "$1" && find . -path ./node_modules -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

rd_image_label() { docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null; }

# rd_ensure_base_image <suite>: restoredrills/debian:<suite>, debootstrapped from Debian's mirror when missing.
rd_ensure_base_image() {
  local suite="$1" image="restoredrills/debian:$1"
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  rd_apt_install debootstrap
  rd_phase "building base image $image (debootstrap $suite)" \
    "$RD_ROOT/fixtures/images/debian/build-rootfs.sh" "$image" "$suite"
}

# rd_ensure_image <image> <fixtures/images/<dir>> <suite> [prepare-function] [--build-arg K=V ...]
rd_ensure_image() {
  local image="$1" dir="$RD_ROOT/fixtures/images/$2" suite="$3" prepare="${4:-}"
  shift 4 2>/dev/null || shift $#
  case "$image" in
    restoredrills/*) ;;
    *) docker image inspect "$image" >/dev/null 2>&1 || rd_phase "pulling $image" docker pull -q "$image"; return $? ;;
  esac
  # The build context, and the suite and build arguments where they are not the defaults (bookworm, none).
  local hash; hash=$(rd_context_hash "$dir")
  if [ "$suite" != bookworm ] || [ $# -gt 0 ]; then hash=$(printf '%s %s %s' "$hash" "$suite" "$*" | sha256sum | cut -c1-16); fi
  [ "$(rd_image_label "$image" restoredrills.context-hash)" = "$hash" ] && return 0
  rd_ensure_base_image "$suite" || return 1
  if [ -n "$prepare" ]; then "$prepare" "$dir" || return 1; fi
  rd_phase "building image $image" docker build -q --network host \
    --build-arg "BASE_IMAGE=restoredrills/debian:$suite" "$@" --label "restoredrills.context-hash=$hash" -t "$image" "$dir" >/dev/null
}

# rd_ensure_postgres_image [major]: the project's image of that major (default: the configured one), or the user's.
rd_ensure_postgres_image() {
  local major="${1:-$(rd_postgres_major)}" image suite
  if [ -n "${1:-}" ]; then image="restoredrills/postgres:$major"; else image=$(rd_postgres_image); fi
  case "$image" in
    restoredrills/postgres:*)
      suite=$(rd_suite_for_major "$major") \
        || rd_die "no Debian suite ships PostgreSQL $major with barman-cloud here (15, 17 and 18 do): set RESTOREDRILLS_POSTGRES_IMAGE to an image with PostgreSQL $major and barman-cloud"
      rd_ensure_image "$image" postgres "$suite" "" --build-arg "PG_MAJOR=$major" ;;
    *) rd_ensure_image "$image" postgres bookworm ;;
  esac
}

rd_prepare_azurite() { # pinned node_modules from the lock file, installed once
  local dir="$1"
  command -v npm >/dev/null || rd_apt_install nodejs npm
  (cd "$dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
}

rd_ensure_images() {
  rd_ensure_postgres_image || return 1
  rd_ensure_image "$RD_AZURITE_IMAGE" azurite bookworm rd_prepare_azurite || return 1
}
