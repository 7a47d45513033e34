#!/usr/bin/env bash
# Builds Stackvault's image with every base image pinned by digest (OCI labels record the runtime base's digest).
#   deploy/docker/build.sh [-t stackvault:local] [extra docker build arguments...]
# Each FROM tag of deploy/docker/Dockerfile is resolved to its current digest once, here, and passed to the build
# as *_DIGEST: review the printed digests, or set them yourself (SDK_DIGEST=@sha256:... deploy/docker/build.sh) to
# rebuild exactly the same bases later.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dockerfile="$root/deploy/docker/Dockerfile"
arg() { sed -n "s/^ARG $1=\(.*\)$/\1/p" "$dockerfile" | head -n 1; }
dotnet_version="$(arg DOTNET_VERSION)"
digest() {
  # the manifest list's digest: the same pin for every architecture
  echo "@$(docker buildx imagetools inspect "$1" --format '{{json .Manifest.Digest}}' | tr -d '"')"
}
: "${SDK_DIGEST:=$(digest "mcr.microsoft.com/dotnet/sdk:${dotnet_version}-noble")}"
: "${RUNTIME_DIGEST:=$(digest "mcr.microsoft.com/dotnet/runtime:${dotnet_version}-noble")}"
: "${PROMETHEUS_DIGEST:=$(digest "prom/prometheus:$(arg PROMETHEUS_VERSION)")}"
: "${DOCKER_CLI_DIGEST:=$(digest "docker:$(arg DOCKER_CLI_VERSION)-cli")}"
for name in SDK_DIGEST RUNTIME_DIGEST PROMETHEUS_DIGEST DOCKER_CLI_DIGEST; do
  [[ "${!name}" =~ ^@sha256:[0-9a-f]{64}$ ]] || { echo "build.sh: $name is not @sha256:<64 hex>: '${!name}'" >&2; exit 2; }
  echo "$name=${!name}" >&2
done
exec docker build -f "$dockerfile" \
  --build-arg SDK_DIGEST="$SDK_DIGEST" --build-arg RUNTIME_DIGEST="$RUNTIME_DIGEST" \
  --build-arg PROMETHEUS_DIGEST="$PROMETHEUS_DIGEST" --build-arg DOCKER_CLI_DIGEST="$DOCKER_CLI_DIGEST" \
  --build-arg VERSION="$(git -C "$root" describe --tags --always 2>/dev/null || echo dev)" \
  --build-arg REVISION="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$@" "$root"
