#!/usr/bin/env bash
# The demo: a throwaway tree shaped like an observability stack's data is backed up, wiped, restored and proven
# identical, and the repository is verified. Everything lives in a temp dir removed at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
sv() { "$root/stackvault" "$@"; }

work="$(mktemp -d /tmp/stackvault-demo.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export STACKVAULT_REPOSITORY="$work/repo" STACKVAULT_PASSWORD="demo-password-$RANDOM"
src="$work/stack"

step() { printf '\n== %s\n' "$*"; }

step "making a throwaway stack in $src"
if [[ -f "$root/bench/gen/stackgen.py" ]]; then
  python3 "$root/bench/gen/stackgen.py" --out "$src" --size 60M --seed 7 >/dev/null
else
  mkdir -p "$src/prometheus/wal" "$src/grafana" "$src/loki/chunks"
  head -c 20000000 /dev/urandom > "$src/prometheus/wal/00000001"
  for i in $(seq 1 200); do seq 1 2000 | sed "s/^/level=info msg=line-$i-/" > "$src/loki/chunks/c$i"; done
  sqlite3 "$src/grafana/grafana.db" "create table dashboard(id integer primary key, data text); insert into dashboard(data) values ('{\"title\":\"demo\"}');"
fi
du -sh "$src" | cut -f1 | sed 's/^/size: /'
before="$(cd "$src" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"

step "init, full backup, no-change backup"
sv init
sv backup "$src" --tag demo
sv backup "$src" --tag demo
sv snapshots

step "wiping the stack"
rm -rf "$src"

step "restoring latest, verifying each file against the snapshot"
sv restore latest --target "$work/restore" --verify
after="$(cd "$work/restore$src" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"

step "verifying the repository, reading all data"
sv verify --read-data

step "summary"
printf '%-28s %s\n' "content hash before" "$before" "content hash after restore" "$after" "repository size" "$(du -sh "$STACKVAULT_REPOSITORY" | cut -f1)"
if [[ "$before" == "$after" ]]; then echo "RESTORE PROVEN: identical"; else echo "RESTORE DIFFERS" >&2; exit 1; fi
