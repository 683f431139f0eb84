# Makes sure the drill images exist. An image named by the user (RESTOREDRILLS_*_IMAGE set to a registry
# image) is pulled; the project's own tags (restoredrills/...) are built locally from fixtures/images/,
# because no registry may be reachable. A local build is redone when its build context changed
# (label restoredrills.context-hash), so an edited Dockerfile never runs stale.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RD_BASE_IMAGE="restoredrills/debian:bookworm"
RD_POSTGRES_IMAGE="${RESTOREDRILLS_POSTGRES_IMAGE:-restoredrills/postgres:15}"
RD_AZURITE_IMAGE="${RESTOREDRILLS_AZURITE_IMAGE:-restoredrills/azurite:3.35.0}"

rd_context_hash() { # the build context's files, node_modules aside
  (cd "$1" && find . -path ./node_modules -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

rd_image_label() { docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null; }

rd_ensure_base_image() {
  docker image inspect "$RD_BASE_IMAGE" >/dev/null 2>&1 && return 0
  rd_apt_install debootstrap
  rd_phase "building base image $RD_BASE_IMAGE (debootstrap bookworm)" \
    "$RD_ROOT/fixtures/images/debian/build-rootfs.sh" "$RD_BASE_IMAGE"
}

# rd_ensure_image <image> <fixtures/images/<dir>> [prepare-function]
rd_ensure_image() {
  local image="$1" dir="$RD_ROOT/fixtures/images/$2" prepare="${3:-}"
  case "$image" in
    restoredrills/*) ;;
    *) docker image inspect "$image" >/dev/null 2>&1 || rd_phase "pulling $image" docker pull -q "$image"; return $? ;;
  esac
  local hash; hash=$(rd_context_hash "$dir")
  [ "$(rd_image_label "$image" restoredrills.context-hash)" = "$hash" ] && return 0
  rd_ensure_base_image || return 1
  if [ -n "$prepare" ]; then "$prepare" "$dir" || return 1; fi
  rd_phase "building image $image" docker build -q --network host \
    --build-arg "BASE_IMAGE=$RD_BASE_IMAGE" --label "restoredrills.context-hash=$hash" -t "$image" "$dir" >/dev/null
}

rd_prepare_azurite() { # pinned node_modules from the lock file, installed once
  local dir="$1"
  command -v npm >/dev/null || rd_apt_install nodejs npm
  (cd "$dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
}

rd_ensure_images() {
  rd_ensure_image "$RD_POSTGRES_IMAGE" postgres || return 1
  rd_ensure_image "$RD_AZURITE_IMAGE" azurite rd_prepare_azurite || return 1
}
