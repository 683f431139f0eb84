# Makes sure the drill images exist. An image named by the user (RESTOREDRILLS_*_IMAGE set to a registry
# image) is pulled; the project's own tags (restoredrills/...) are built from fixtures/images/ on a Debian base
# that is pulled (debian:<suite>-slim) or debootstrapped (restoredrills/debian:<suite>): see rd_base_image.
# A build is redone when its build context or base changed (label restoredrills.context-hash), so an edited
# Dockerfile never runs stale.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RD_AZURITE_IMAGE="${RESTOREDRILLS_AZURITE_IMAGE:-restoredrills/azurite:3.35.0}"

# The PostgreSQL majors the project builds, each from the Debian suite that ships it with barman-cloud:
# 15 + barman-cloud 3.4 (bookworm), 17 + 3.13 (trixie), 18 + 3.20 (forky). The C# side's list is
# ExistingStoreSettings.ProjectMajors; PostgresMajorsTests keeps the two, and the pipelines' matrices, equal.
RD_POSTGRES_MAJORS=(15 17 18)
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

# After --postgres N (or RESTOREDRILLS_POSTGRES_MAJOR in the environment): N must be a major version, and the drills
# then read the image of it from RESTOREDRILLS_POSTGRES_IMAGE (they check it really runs that major).
rd_use_postgres_major() {
  [ -n "${RESTOREDRILLS_POSTGRES_MAJOR:-}" ] || return 0
  [[ "$RESTOREDRILLS_POSTGRES_MAJOR" =~ ^[0-9]+$ ]] || rd_die "--postgres '$RESTOREDRILLS_POSTGRES_MAJOR' is not a PostgreSQL major version (the project's: ${RD_POSTGRES_MAJORS[*]})"
  export RESTOREDRILLS_POSTGRES_IMAGE="$(rd_postgres_image)"
}

rd_context_hash() { # the build context's files, node_modules aside
  (cd "$1" && find . -path ./node_modules -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

rd_image_label() { docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null; }

rd_image_present() { docker image inspect "$1" >/dev/null 2>&1; }

# The base image a suite's images build FROM: two paths, one set of Dockerfiles (RESTOREDRILLS_BASE_IMAGES):
#   registry     debian:<suite>-slim, pulled when absent: a hosted runner or a laptop (no root, no sudo, no apt on the host)
#   debootstrap  restoredrills/debian:<suite>, debootstrapped from the machine's Debian mirror: no registry needed, root needed
#   auto         (default) whichever is present locally, the registry's name first; else debootstrap where this runs as
#                root (it works offline), else pull. Prints the image name; progress goes to stderr.
rd_base_image() {
  local suite="$1" registry="debian:$1-slim" debootstrapped="restoredrills/debian:$1"
  case "${RESTOREDRILLS_BASE_IMAGES:-auto}" in
    registry) rd_pull_base "$registry" >&2 && echo "$registry" ;;
    debootstrap) rd_debootstrap_base "$suite" >&2 && echo "$debootstrapped" ;;
    auto)
      if rd_image_present "$registry"; then echo "$registry"
      elif rd_image_present "$debootstrapped"; then echo "$debootstrapped"
      elif [ "$(id -u)" = 0 ]; then rd_debootstrap_base "$suite" >&2 && echo "$debootstrapped"
      else rd_pull_base "$registry" >&2 && echo "$registry"; fi ;;
    *) rd_log "error: RESTOREDRILLS_BASE_IMAGES=${RESTOREDRILLS_BASE_IMAGES} is not one of auto, registry, debootstrap"; return 1 ;;
  esac
}

rd_pull_base() {
  rd_image_present "$1" && return 0
  rd_phase "pulling base image $1" docker pull -q "$1" >/dev/null && return 0
  rd_log "error: cannot pull $1 (no registry reachable?): set RESTOREDRILLS_BASE_IMAGES=debootstrap to build it from Debian's mirror (needs root), or docker load it"
  return 1
}

# restoredrills/debian:<suite>, debootstrapped from Debian's mirror when missing.
rd_debootstrap_base() {
  local suite="$1" image="restoredrills/debian:$1"
  rd_image_present "$image" && return 0
  if [ "$(id -u)" != 0 ] && ! rd_has_sudo; then
    rd_log "error: building $image with debootstrap needs root, and $(id -un) has no password-less sudo: where a registry answers, use debian:$suite-slim (RESTOREDRILLS_BASE_IMAGES=registry, or auto)"
    return 1
  fi
  rd_apt_install debootstrap || return 1
  rd_phase "building base image $image (debootstrap $suite)" \
    rd_as_root "$RD_ROOT/fixtures/images/debian/build-rootfs.sh" "$image" "$suite"
}

# rd_ensure_image <image> <fixtures/images/<dir>> <suite> [prepare-function] [--build-arg K=V ...]
rd_ensure_image() {
  local image="$1" dir="$RD_ROOT/fixtures/images/$2" suite="$3" prepare="${4:-}"
  shift 4 2>/dev/null || shift $#
  case "$image" in
    restoredrills/*) ;;
    *) rd_image_present "$image" || rd_phase "pulling $image" docker pull -q "$image"; return $? ;;
  esac
  local base; base=$(rd_base_image "$suite") || return 1
  # The build context, and the suite, build arguments and base where they are not the defaults (bookworm, none, debootstrapped).
  local hash; hash=$(rd_context_hash "$dir")
  if [ "$suite" != bookworm ] || [ $# -gt 0 ]; then hash=$(printf '%s %s %s' "$hash" "$suite" "$*" | sha256sum | cut -c1-16); fi
  if [ "$base" != "restoredrills/debian:$suite" ]; then hash=$(printf '%s %s' "$hash" "$base" | sha256sum | cut -c1-16); fi
  [ "$(rd_image_label "$image" restoredrills.context-hash)" = "$hash" ] && return 0
  if [ -n "$prepare" ]; then "$prepare" "$dir" || return 1; fi
  rd_phase "building image $image on $base" docker build -q --network host \
    --build-arg "BASE_IMAGE=$base" "$@" --label "restoredrills.context-hash=$hash" --label "restoredrills.base-image=$base" \
    -t "$image" "$dir" >/dev/null
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
