# The CloudNative-PG CRDs the CNPG tests and the API double validate manifests against: RESTOREDRILLS_CNPG_CRD_DIR,
# else ../shared/cnpg-crds beside the repository where it exists; else (a user's clone on a hosted runner) the same
# official files downloaded once, from the pinned upstream commits, into artifacts/cnpg-crds.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RD_CNPG_CRDS_COMMIT=a95a534dbe0854495b863bbc1b7651f74d310916      # cloudnative-pg, tags up to v1.30.0
RD_PLUGIN_CRDS_COMMIT=9967e2caabf20362a5ac5812fc320b25e1f43a2d    # plugin-barman-cloud

rd_has_crds() { ls "$1"/*.yaml >/dev/null 2>&1; }

rd_ensure_cnpg_crds() {
  if [ -n "${RESTOREDRILLS_CNPG_CRD_DIR:-}" ]; then
    rd_has_crds "$RESTOREDRILLS_CNPG_CRD_DIR" && return 0
    rd_log "error: RESTOREDRILLS_CNPG_CRD_DIR=$RESTOREDRILLS_CNPG_CRD_DIR holds no CRD (*.yaml)"; return 1
  fi
  if rd_has_crds "$RD_ROOT/../shared/cnpg-crds"; then export RESTOREDRILLS_CNPG_CRD_DIR="$(cd "$RD_ROOT/../shared/cnpg-crds" && pwd)"; return 0; fi
  local dir="$RD_ARTIFACTS/cnpg-crds"
  if ! rd_has_crds "$dir"; then
    rd_log "downloading the CloudNative-PG CRDs (cloudnative-pg@${RD_CNPG_CRDS_COMMIT:0:7}, plugin-barman-cloud@${RD_PLUGIN_CRDS_COMMIT:0:7}) into $dir"
    mkdir -p "$dir.tmp"
    local base="https://raw.githubusercontent.com/cloudnative-pg"
    for kind in clusters backups scheduledbackups; do
      curl -fsSL "$base/cloudnative-pg/$RD_CNPG_CRDS_COMMIT/config/crd/bases/postgresql.cnpg.io_$kind.yaml" \
        -o "$dir.tmp/postgresql.cnpg.io_$kind.yaml" || { rd_log "error: could not download the $kind CRD"; return 1; }
    done
    curl -fsSL "$base/plugin-barman-cloud/$RD_PLUGIN_CRDS_COMMIT/config/crd/bases/barmancloud.cnpg.io_objectstores.yaml" \
      -o "$dir.tmp/barmancloud.cnpg.io_objectstores.yaml" || { rd_log "error: could not download the ObjectStore CRD"; return 1; }
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  export RESTOREDRILLS_CNPG_CRD_DIR="$dir"
}

# CloudNative-PG's own e2e fixtures, which CnpgE2eFixtureTests validates against the CRDs: RESTOREDRILLS_CNPG_E2E_FIXTURES,
# else ../shared/cnpg-e2e-fixtures beside the repository where it exists (the project's CI); elsewhere the test says
# it was not given them.
rd_find_cnpg_e2e_fixtures() {
  [ -n "${RESTOREDRILLS_CNPG_E2E_FIXTURES:-}" ] && return 0
  [ -d "$RD_ROOT/../shared/cnpg-e2e-fixtures" ] && export RESTOREDRILLS_CNPG_E2E_FIXTURES="$(cd "$RD_ROOT/../shared/cnpg-e2e-fixtures" && pwd)"
  return 0
}
