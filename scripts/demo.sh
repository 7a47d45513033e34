#!/usr/bin/env bash
# The demo: a throwaway observability stack on 127.0.0.1 (a real Prometheus scraping itself, a Grafana SQLite
# database, a real PostgreSQL database, Loki- and Tempo-shaped data, configuration files) is backed up with one job,
# wiped, restored into its live locations with `restore --job` (plan first, then staged, verified, swapped in, the
# Prometheus restarted by the job's restore hook, readiness and post-restore checks), and proven: Prometheus answers
# the same query with the same samples, the Grafana database passes integrity_check with the same rows, the dropped
# PostgreSQL database is back with the same rows and checksum, every other file is byte-identical, and a restore drill
# of the job passes within its recovery-time targets.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
sv() { "$root/stackvault" "$@"; }
step() { printf '\n== %s\n' "$*"; }

work="$(mktemp -d /tmp/stackvault-demo.XXXXXX)"
pgroot="$(mktemp -d /tmp/stackvault-demo-pg.XXXXXX)"
pgbin=/usr/lib/postgresql/15/bin
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [[ -f "$work/prometheus.pid" ]] && kill "$(cat "$work/prometheus.pid")" 2>/dev/null || true
  [[ -f "$pgroot/data/postmaster.pid" ]] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgroot/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work" "$pgroot"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "not ready: $1" >&2; return 1; }
query() { curl -fs "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2" --data-urlencode "time=$3" | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'; }


step "starting a throwaway stack in $work"
port="$(free_port)"
cat >"$work/prometheus.yml" <<YAML
global: { scrape_interval: 1s }
scrape_configs: [{ job_name: self, static_configs: [{ targets: ["127.0.0.1:$port"] }] }]
YAML
# Prometheus is started and stopped by two small scripts, which the config's restore_hooks run around a live restore.
cat >"$work/prometheus-start.sh" <<SH
#!/bin/sh
setsid prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/live/prometheus" \
  --web.listen-address=127.0.0.1:$port --web.enable-admin-api >>"$work/prometheus.log" 2>&1 </dev/null &
echo \$! >"$work/prometheus.pid"
SH
cat >"$work/prometheus-stop.sh" <<SH
#!/bin/sh
[ -f "$work/prometheus.pid" ] || exit 0
pid=\$(cat "$work/prometheus.pid"); kill \$pid 2>/dev/null; while kill -0 \$pid 2>/dev/null; do sleep 0.1; done; rm -f "$work/prometheus.pid"
SH
chmod +x "$work/prometheus-start.sh" "$work/prometheus-stop.sh"
"$work/prometheus-start.sh"; wait_ready "http://127.0.0.1:$port/-/ready"
mkdir -p "$work/live/grafana" "$work/live/etc"
sqlite3 "$work/live/grafana/grafana.db" "PRAGMA journal_mode=WAL;
  CREATE TABLE dashboard (id INTEGER PRIMARY KEY, title TEXT, data TEXT);
  CREATE TABLE data_source (id INTEGER PRIMARY KEY, name TEXT, type TEXT);
  INSERT INTO data_source (name, type) VALUES ('Prometheus', 'prometheus'), ('Loki', 'loki');
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
  INSERT INTO dashboard (title, data) SELECT 'dashboard ' || i, printf('{\"panels\":%d}', i) FROM n;" >/dev/null
cp "$work/prometheus.yml" "$work/live/etc/"
python3 "$root/bench/gen/stackgen.py" --out "$work/gen" --size 20M --seed 7 >/dev/null
mv "$work/gen/loki" "$work/live/loki"; mv "$work/gen/tempo" "$work/live/tempo"
# A throwaway PostgreSQL cluster (as the postgres user, on a free port) with a shop database of 1000 orders.
pgport="$(free_port)"
chown postgres:postgres "$pgroot"
runuser -u postgres -- "$pgbin/initdb" -D "$pgroot/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgroot/data" -l "$pgroot/log" -o "-p $pgport -k $pgroot -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
psql_su() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$pgroot" -p "$pgport" -U postgres "$@"; }
pg_password="demo-pg-$RANDOM"
psql_su -d postgres -c "CREATE ROLE demo LOGIN CREATEDB PASSWORD '$pg_password'" -c "CREATE DATABASE shop OWNER demo"
psql_su -d shop -c "SET ROLE demo; CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, amount numeric(10,2));
  INSERT INTO orders (customer, amount) SELECT 'customer ' || (i % 97), i * 1.25 FROM generate_series(1, 1000) i;"
pg_sum() { psql_su -d shop -c "SELECT count(*) || ' ' || left(md5(string_agg(o::text, ',' ORDER BY o.id)), 12) FROM orders o"; }
pg_before="$(pg_sum)"
sleep 6  # a few scrapes
t0="$(date +%s)"
samples_before="$(query "$port" 'count_over_time(up[1h])' "$t0")"

export STACKVAULT_PASSWORD="demo-password-$RANDOM"
(umask 077; printf '%s\n' "$STACKVAULT_PASSWORD" >"$work/password"; printf '%s\n' "$pg_password" >"$work/pgpassword")
cat >"$work/stackvault.yaml" <<YAML
repositories:
  local: { url: $work/repo, password_file: $work/password }
components:
  prom:
    type: prometheus
    url: "http://127.0.0.1:$port"
    data_dir: $work/live/prometheus
    restore_hooks: { stop: [{ command: [$work/prometheus-stop.sh] }], start: [{ command: [$work/prometheus-start.sh] }] }
  grafana: { type: grafana, database: $work/live/grafana/grafana.db }
  stack:   { type: files, paths: [$work/live/loki, $work/live/tempo, $work/live/etc] }
  pg:      { type: postgres, dsn: "host=127.0.0.1 port=$pgport user=demo dbname=shop", password_file: $work/pgpassword }
jobs:
  critical: { repository: local, components: [prom, grafana, pg, stack], tags: [demo] }
YAML
sv config validate --config "$work/stackvault.yaml"

step "init, backup --job critical (Prometheus snapshot API, SQLite online backup, pg_dump, files), then again"
sv init --repo "$work/repo"
sv backup --job critical --config "$work/stackvault.yaml"
sv backup --job critical --config "$work/stackvault.yaml"
sv snapshots --repo "$work/repo"
files_before="$(cd "$work/live" && find loki tempo etc -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"

step "wiping the stack: Prometheus stopped, every data directory deleted, the shop database dropped"
"$work/prometheus-stop.sh"
rm -rf "$work/live"
runuser -u postgres -- "$pgbin/dropdb" -h "$pgroot" -p "$pgport" shop

step "the restore plan of job critical (nothing is changed by --dry-run)"
sv restore latest --job critical --config "$work/stackvault.yaml" --dry-run

step "restoring job critical into its live locations: staged, every chunk verified, swapped in, Prometheus restarted, checked"
sv restore latest --job critical --config "$work/stackvault.yaml" --yes

step "proving it"
wait_ready "http://127.0.0.1:$port/-/ready"
samples_after="$(query "$port" 'count_over_time(up[1h])' "$t0")"
rows_after="$(sqlite3 "$work/live/grafana/grafana.db" 'PRAGMA integrity_check; SELECT count(*) FROM dashboard; SELECT count(*) FROM data_source;' | tr '\n' ' ')"
pg_after="$(pg_sum)"
files_after="$(cd "$work/live" && find loki tempo etc -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
sv verify --repo "$work/repo" --read-data

step "a restore drill of job critical: every component restored into scratch space and checked by its engine"
drill_status=passed
sv drill --job critical --config "$work/stackvault.yaml" --report-dir "$work/drills" || drill_status=FAILED
drill_rto="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.1fs, %s" % (r["total_rto_seconds"], "RTO targets met" if all(c["rto_met"] for c in r["components"]) else "RTO TARGETS MISSED"))' "$(ls "$work"/drills/*.json)")"

step "summary"
printf '%-34s %-18s %-18s\n' "check" "before" "after restore"
printf '%-34s %-18s %-18s\n' "prometheus count_over_time(up[1h])" "$samples_before" "$samples_after"
printf '%-34s %-18s %-18s\n' "grafana integrity, dashboards, ds" "ok 500 2" "$rows_after"
printf '%-34s %-18s %-18s\n' "postgres shop.orders rows, md5" "$pg_before" "$pg_after"
printf '%-34s %-18s %-18s\n' "loki/tempo/etc content hash" "$files_before" "$files_after"
printf '%-34s %-18s %s\n' "restore drill of job critical" "-" "$drill_status, RTO $drill_rto"
printf '%-34s %s\n' "repository size" "$(du -sh "$work/repo" | cut -f1)"
if [[ "$samples_before" == "$samples_after" && "$samples_before" != "none" && "$rows_after" == "ok 500 2 " && "$files_before" == "$files_after" && "$pg_before" == "$pg_after" && "$pg_before" == 1000\ * && "$drill_status" == passed ]]; then
  echo "RESTORE PROVEN: same query answers, same rows, same database, identical files, drill passed"
else
  echo "RESTORE DIFFERS" >&2; exit 1
fi
