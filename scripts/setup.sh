#!/usr/bin/env bash
# Installs everything Stackvault's demo, tests and benchmarks need. Idempotent: a second run changes nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages: the system libraries Stackvault binds (libzstd, libsqlite3), the engines the tests start for real,
# and the tools the benchmark compares against.
packages=(zstd b3sum libzstd1 sqlite3 libsqlite3-0 restic borgbackup prometheus postgresql rclone python3 procps time diffutils util-linux nodejs
  prometheus-alertmanager prometheus-pushgateway prometheus-node-exporter python3-aiosmtpd
  gcc libc6-dev zlib1g-dev) # the C toolchain that links the NativeAOT build the tests run (./stackvault, STACKVAULT_BUILD=aot)
# npm comes with some nodejs builds (NodeSource) and is a separate Debian package otherwise.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# kubectl renders the kustomize base in the tests (`kubectl kustomize`, offline); Debian ships it as kubernetes-client.
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} > 0 )); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Alertmanager, Pushgateway and node_exporter: the notification and metrics tests start their own copies on free ports
# of 127.0.0.1 (so does the email test with aiosmtpd, a real SMTP server, run as `/usr/bin/python3 -m aiosmtpd`).
# Debian's packages enable system services on the default ports (9093, 9091, 9100): right after installing them, stop
# and disable those services, so a machine set up for the tests runs no exporter or alert receiver nobody asked for.
for service in prometheus-alertmanager prometheus-pushgateway prometheus-node-exporter; do
  [[ " ${missing[*]} " == *" $service "* ]] || continue
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    "${sudo_cmd[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
  elif command -v service >/dev/null 2>&1; then
    "${sudo_cmd[@]}" service "$service" stop >/dev/null 2>&1 || true
  fi
done

# s3rver: the local S3 server the S3 backend's tests start (project-local, never global).
s3rver_version=3.7.1
s3rver_dir="$root/.build/node"
if ! grep -qs "\"version\": \"$s3rver_version\"" "$s3rver_dir/node_modules/s3rver/package.json"; then
  echo "setup: installing s3rver@$s3rver_version into $s3rver_dir" >&2
  npm install --prefix "$s3rver_dir" "s3rver@$s3rver_version" --no-audit --no-fund --loglevel=error >/dev/null
fi

# Azurite: the local Azure Blob Storage server the Azure backend's tests start (project-local, never global).
azurite_version=3.35.0
if ! grep -qs "\"version\": \"$azurite_version\"" "$s3rver_dir/node_modules/azurite/package.json"; then
  echo "setup: installing azurite@$azurite_version into $s3rver_dir" >&2
  npm install --prefix "$s3rver_dir" "azurite@$azurite_version" --no-audit --no-fund --loglevel=error >/dev/null
fi

# The official Kubernetes schemas (kubernetes-models, and the Prometheus Operator's CRDs) and a YAML parser, for
# tests/k8s-validate/validate.mjs, which checks every generated manifest (project-local, never global).
k8s_models_version=5.1.0
prometheus_operator_models_version=6.0.0
yaml_version=2.8.1
if ! grep -qs "\"version\": \"$k8s_models_version\"" "$s3rver_dir/node_modules/kubernetes-models/package.json" \
  || ! grep -qs "\"version\": \"$prometheus_operator_models_version\"" "$s3rver_dir/node_modules/@kubernetes-models/prometheus-operator/package.json" \
  || ! grep -qs "\"version\": \"$yaml_version\"" "$s3rver_dir/node_modules/yaml/package.json"; then
  echo "setup: installing kubernetes-models@$k8s_models_version, @kubernetes-models/prometheus-operator@$prometheus_operator_models_version, yaml@$yaml_version into $s3rver_dir" >&2
  npm install --prefix "$s3rver_dir" "kubernetes-models@$k8s_models_version" "@kubernetes-models/prometheus-operator@$prometheus_operator_models_version" \
    "yaml@$yaml_version" --no-audit --no-fund --loglevel=error >/dev/null
fi

# The official Compose Specification schema (dclint ships compose-spec's compose_spec.json, with ajv and yaml), for
# tests/compose-validate/validate.mjs, which checks deploy/compose/compose.yaml (project-local, never global).
dclint_version=3.1.0
if ! grep -qs "\"version\": \"$dclint_version\"" "$s3rver_dir/node_modules/dclint/package.json"; then
  echo "setup: installing dclint@$dclint_version into $s3rver_dir" >&2
  npm install --prefix "$s3rver_dir" "dclint@$dclint_version" --no-audit --no-fund --loglevel=error >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore "$root/Stackvault.slnx" -v:quiet >/dev/null
dotnet build "$root/src/Stackvault.Cli/Stackvault.Cli.csproj" -c Release -o "$root/.build/cli" -nologo -clp:ErrorsOnly -v:quiet
