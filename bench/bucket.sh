#!/usr/bin/env bash
# Bucket benchmark: `stackvault bucket backup/restore` against `rclone copy` on the same s3rver and the same data.
#
#   bench/bucket.sh [--size 200M] [--blocks 20] [--concurrency 8]
#
# Starts s3rver (.build/node, from scripts/setup.sh) on a free 127.0.0.1 port, writes a Mimir-layout bucket of
# --blocks blocks (2 tenants; per block meta.json with thanos.files, index, chunks/00000N of up to 16 MiB of
# half-compressible bytes) totalling about --size, uploads it with rclone (not measured), then measures wall time:
#   backup:  stackvault bucket backup (fresh local repository)   vs  rclone copy bucket -> local directory
#   restore: stackvault bucket restore (into an empty bucket)    vs  rclone copy local directory -> empty bucket
# (rclone with --fast-list: s3rver's delimiter listing omits prefixes holding only nested keys)
# and prints MiB/s, the ratio stackvault/rclone (above 1: Stackvault is faster), CPU seconds and peak RSS (GNU time)
# of each run. See bench/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="200M"; blocks=20; concurrency=8
while (( $# )); do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --blocks) blocks="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/bucket: unknown option $1" >&2; exit 2 ;;
  esac
done

s3rver="$root/.build/node/node_modules/s3rver/bin/s3rver.js"
[[ -f "$s3rver" ]] || { echo "bench/bucket: $s3rver missing: run scripts/setup.sh" >&2; exit 1; }
work="$(mktemp -d "${BENCH_WORK:-/tmp}/sv-bucket-bench.XXXXXX")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/s3"
node --openssl-legacy-provider "$s3rver" -d "$work/s3" -a 127.0.0.1 -p "$port" --silent >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT

export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_SV_TYPE=s3 RCLONE_CONFIG_SV_PROVIDER=Other \
  RCLONE_CONFIG_SV_ENDPOINT="http://127.0.0.1:$port" RCLONE_CONFIG_SV_ACCESS_KEY_ID=S3RVER \
  RCLONE_CONFIG_SV_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_SV_REGION=us-east-1 RCLONE_CONFIG_SV_FORCE_PATH_STYLE=true
unset AWS_CA_BUNDLE # rclone cannot combine a CA bundle with its transport; the endpoint is plain http
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER STACKVAULT_PASSWORD=bench-password
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
export STACKVAULT_BUILD="${STACKVAULT_BUILD-release}" # the release build (ReadyToRun), as shipped; see ./stackvault
sv="$root/stackvault"
"$sv" --help >/dev/null # build before measuring

python3 - "$work/data" "$size" "$blocks" <<'PY'
import json, os, random, sys
out, size, blocks = sys.argv[1], sys.argv[2], int(sys.argv[3])
units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
total = int(float(size[:-1]) * units[size[-1].upper()]) if size[-1].upper() in units else int(size)
rng = random.Random(1)
per_block = max(1, total // blocks)
for b in range(blocks):
    ulid = "01J" + "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(23))
    d = os.path.join(out, f"tenant-{b % 2}", ulid)
    os.makedirs(os.path.join(d, "chunks"))
    files, left, n = [], per_block, 1
    while left > 0:
        part = min(left, 16 << 20)
        # half random, half repetitive: roughly what TSDB chunks compress to
        data = rng.randbytes(part // 2) + bytes(part - part // 2)
        name = f"chunks/{n:06d}"
        open(os.path.join(d, name), "wb").write(data)
        files.append({"rel_path": name, "size_bytes": part}); left -= part; n += 1
    index = rng.randbytes(64 << 10)
    open(os.path.join(d, "index"), "wb").write(index)
    files.append({"rel_path": "index", "size_bytes": len(index)})
    t0 = 1715040000000 + b * 7200000
    meta = {"ulid": ulid, "minTime": t0, "maxTime": t0 + 7200000, "version": 1,
            "thanos": {"labels": {}, "downsample": {"resolution": 0}, "source": "ingester", "files": files}}
    open(os.path.join(d, "meta.json"), "w").write(json.dumps(meta))
PY
bytes="$(du -sb "$work/data" | cut -f1)"
rclone mkdir sv:src && rclone mkdir sv:dst-sv && rclone mkdir sv:dst-rc
rclone copy --transfers "$concurrency" "$work/data" sv:src

# wall seconds on stdout; CPU seconds (user+sys) and peak RSS (KB) of the run appended to $work/cost as "name cpu rss"
seconds() { local name="$1" s e; shift; s=$(date +%s.%N)
  /usr/bin/time -f "$name %U %S %M" -a -o "$work/cost" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  e=$(date +%s.%N); echo "$e - $s" | bc; }
"$sv" init --repo "$work/repo" >/dev/null 2>&1
b_sv=$(seconds b_sv "$sv" bucket backup --repo "$work/repo" --source "s3:http://127.0.0.1:$port/src" --layout mimir --concurrency "$concurrency" --quiet)
b_rc=$(seconds b_rc rclone copy --fast-list --transfers "$concurrency" sv:src "$work/download")
r_sv=$(seconds r_sv "$sv" bucket restore latest --repo "$work/repo" --target "s3:http://127.0.0.1:$port/dst-sv" --concurrency "$concurrency" --quiet)
r_rc=$(seconds r_rc rclone copy --transfers "$concurrency" "$work/download" sv:dst-rc)
rclone check --fast-list sv:src sv:dst-sv >/dev/null 2>&1 || { echo "bench/bucket: the restored bucket differs from the source" >&2; exit 1; }

python3 - "$work/cost" "$bytes" "$b_sv" "$b_rc" "$r_sv" "$r_rc" <<'PY'
import sys
cost = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1]) if len(l.split()) == 4}
size, bsv, brc, rsv, rrc = int(sys.argv[2]), *map(float, sys.argv[3:])
mib = size / (1 << 20)
cpu = lambda n: float(cost[n][0]) + float(cost[n][1])
rss = lambda n: int(cost[n][2]) // 1024
print(f"| operation | stackvault MiB/s | rclone copy MiB/s | ratio (stackvault/rclone) | CPU s stackvault / rclone | peak RSS MB stackvault / rclone |")
print(f"|---|---|---|---|---|---|")
print(f"| backup ({mib:.0f} MiB) | {mib / bsv:.1f} | {mib / brc:.1f} | {brc / bsv:.2f} | {cpu('b_sv'):.2f} / {cpu('b_rc'):.2f} | {rss('b_sv')} / {rss('b_rc')} |")
print(f"| restore ({mib:.0f} MiB) | {mib / rsv:.1f} | {mib / rrc:.1f} | {rrc / rsv:.2f} | {cpu('r_sv'):.2f} / {cpu('r_rc'):.2f} | {rss('r_sv')} / {rss('r_rc')} |")
PY
