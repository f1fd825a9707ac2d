#!/usr/bin/env bash
# The tools the deployment tests run, installed under .infra/tools when missing:
#   helm                 go install from the Go module proxy (helm lint, helm template)
#   actionlint           go install from the Go module proxy (the CI workflows)
#   shellcheck           from apt: actionlint checks the workflows' shell steps with it
#   kubernetes-validate  from PyPI into the venv .infra/venv-deploy: validates objects against
#                        the Kubernetes JSON schemas it ships (strict: unknown fields are errors),
#                        so nothing is fetched while the tests run
# A tool already on PATH at the same version is used as it is. Binaries are kept between runs
# (a second run only checks their versions); the Go module and build caches live in .infra/go.
#
#   deploy-tools.sh            install what is missing, then print where each tool is
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"

TOOLS_BIN="$INFRA_DIR/tools/bin"
VENV="$INFRA_DIR/venv-deploy"
TOOLS_LOG="$LOG_DIR/deploy-tools.log"

# go_tool <name> <module path of the command> <version> <version output to expect> <version flag>
go_tool() {
  local name="$1" package="$2" version="$3" expect="$4" flag="$5" found
  found="$(command -v "$name" || true)"
  if [[ -n "$found" && "$found" != "$TOOLS_BIN/$name" ]] && "$found" "$flag" 2>/dev/null | grep -qF -- "$expect"; then
    ln -sf "$found" "$TOOLS_BIN/$name"
    return 0
  fi
  if [[ -x "$TOOLS_BIN/$name" ]] && "$TOOLS_BIN/$name" "$flag" 2>/dev/null | grep -qF -- "$expect"; then
    return 0
  fi
  command -v go >/dev/null || die "deploy tools: $name $version is built with Go, and go is not installed"
  log "deploy tools: go install $package@$version"
  rm -f "$TOOLS_BIN/$name"
  # -s -w: no symbol tables, a third smaller and faster to link. Helm prints the version it was
  # stamped with, so it is given the release tag as a release build would be.
  local ldflags="-s -w"
  [[ "$name" == helm ]] && ldflags+=" -X helm.sh/helm/v3/internal/version.version=$version"
  if ! GOBIN="$TOOLS_BIN" GOPATH="$INFRA_DIR/go" GOCACHE="$INFRA_DIR/go/cache" GOFLAGS=-modcacherw \
    CGO_ENABLED=0 go install -trimpath -ldflags "$ldflags" "$package@$version" >>"$TOOLS_LOG" 2>&1; then
    show_log_tail "$TOOLS_LOG"
    die "go install $package@$version failed"
  fi
}

kubernetes_validate() {
  local stamp="$VENV/.kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
  [[ -f "$stamp" && -x "$VENV/bin/kubernetes-validate" ]] && return 0
  apt_install_for moto # python3 + venv
  venv_install kubernetes-validate "$VENV" "$stamp" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
}

component_lock deploy-tools
mkdir -p "$TOOLS_BIN"
: >"$TOOLS_LOG"
# They run side by side; the two Go builds share the module cache, which is safe.
pids=()
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" "Version:\"$HELM_VERSION\"" version & pids+=($!)
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" "$ACTIONLINT_VERSION" -version & pids+=($!)
kubernetes_validate & pids+=($!)
{ command -v shellcheck >/dev/null || apt_install shellcheck; } & pids+=($!)
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
((failed == 0)) || die "deploy tools: an install failed (log: $TOOLS_LOG)"
ln -sf "$VENV/bin/kubernetes-validate" "$TOOLS_BIN/kubernetes-validate"
ln -sf "$(command -v shellcheck)" "$TOOLS_BIN/shellcheck"
log "deploy tools ready in $TOOLS_BIN: helm $HELM_VERSION, actionlint $ACTIONLINT_VERSION, kubernetes-validate $KUBERNETES_VALIDATE_VERSION, shellcheck"
