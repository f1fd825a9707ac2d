#!/usr/bin/env bash
# Lays out one service for its image, from a workspace where the service is built and only its
# production dependencies are installed (pnpm install --prod --filter "@learner/<service>..."):
#   <out>/node_modules                   the shared store those dependencies link into
#   <out>/{packages,services}/<name>/    package.json, node_modules and dist of the service and of
#                                        each workspace package it depends on (the ones that install linked)
#   <out>/db/{shared,<service>}          its migrations (found by walking up from dist/)
# and, for the gateway, the built web app it serves at /.
#   scripts/docker/assemble-service.sh <service> <out>
set -euo pipefail
service=$1 out=$2
cd "$(dirname "$0")/../.."
[ -f "services/$service/package.json" ] || { echo "no service named '$service' under services/" >&2; exit 1; }
[ -d "services/$service/dist" ] || { echo "services/$service is not built" >&2; exit 1; }

mkdir -p "$out/db"
cp -a node_modules "$out/"
for dir in packages/* services/*; do
  [ -d "$dir/node_modules" ] || continue
  mkdir -p "$out/$dir"
  cp -a "$dir/package.json" "$dir/node_modules" "$out/$dir/"
  if [ -d "$dir/dist" ]; then cp -a "$dir/dist" "$out/$dir/"; fi
done
cp -a db/shared "db/$service" "$out/db/"
if [ "$service" = gateway ]; then
  mkdir -p "$out/packages/web" && cp -a packages/web/dist "$out/packages/web/"
fi
