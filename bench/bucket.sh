#!/usr/bin/env bash
# Bucket benchmark: `stackvault bucket backup/restore` against `rclone copy` on the same s3rver and the same data.
#
#   bench/bucket.sh [--size 200M] [--blocks 20] [--tsdb DIR] [--concurrency 8] [--runs 1]
#
# Starts s3rver (.build/node, from scripts/setup.sh) on a free 127.0.0.1 port, writes a Mimir-layout bucket of
# --blocks blocks (2 tenants; per block meta.json with thanos.files, index, chunks/00000N of up to 16 MiB of
# half-compressible bytes) totalling about --size, or with --tsdb the genuine Prometheus TSDB blocks found under DIR
# (a Prometheus data directory, or bench/run.sh's stackgen tree: blocks made by promtool) up to about --size, given
# Mimir's meta.json (thanos.labels, thanos.files) and spread over 2 tenants; uploads it with rclone (not measured),
# then measures wall time:
#   backup:  stackvault bucket backup (fresh local repository)   vs  rclone copy bucket -> local directory
#   restore: stackvault bucket restore (into an empty bucket)    vs  rclone copy local directory -> empty bucket
# (rclone with --fast-list: s3rver's delimiter listing omits prefixes holding only nested keys)
# and prints MiB/s, the ratio stackvault/rclone (above 1: Stackvault is faster), CPU seconds and peak RSS (GNU time)
# of each run, and the CPU seconds s3rver spent serving it (the server shares the machine's cores with the tool).
# With --runs N the four operations are repeated N times (fresh repository and buckets each run): medians, (min-max).
# A backup is done when its data is on disk: Stackvault fsyncs every pack before it returns, rclone leaves its files
# to the kernel's writeback. So each backup is followed by a timed `sync`, and a second backup row adds it to the wall
# time ("on disk"); the first row, the goal's ratio, is the tools' own wall time.
# See bench/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="200M"; blocks=20; concurrency=8; runs=1; tsdb=""
while (( $# )); do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --blocks) blocks="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --tsdb) tsdb="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/bucket: unknown option $1" >&2; exit 2 ;;
  esac
done

[[ -z "$tsdb" || -d "$tsdb" ]] || { echo "bench/bucket: --tsdb $tsdb is not a directory" >&2; exit 2; }
s3rver="$root/.build/node/node_modules/s3rver/bin/s3rver.js"
[[ -f "$s3rver" ]] || { echo "bench/bucket: $s3rver missing: run scripts/setup.sh" >&2; exit 1; }
work="$(mktemp -d "${BENCH_WORK:-/tmp}/sv-bucket-bench.XXXXXX")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/s3"
node --openssl-legacy-provider "$s3rver" -d "$work/s3" -a 127.0.0.1 -p "$port" --silent >/dev/null 2>&1 &
server=$!
trap 'rc=$?; kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"; exit $rc' EXIT  # `|| true`: under set -e the killed server's status would end the trap before the rm

export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_SV_TYPE=s3 RCLONE_CONFIG_SV_PROVIDER=Other \
  RCLONE_CONFIG_SV_ENDPOINT="http://127.0.0.1:$port" RCLONE_CONFIG_SV_ACCESS_KEY_ID=S3RVER \
  RCLONE_CONFIG_SV_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_SV_REGION=us-east-1 RCLONE_CONFIG_SV_FORCE_PATH_STYLE=true
unset AWS_CA_BUNDLE # rclone cannot combine a CA bundle with its transport; the endpoint is plain http
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER STACKVAULT_PASSWORD=bench-password
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
export STACKVAULT_BUILD="${STACKVAULT_BUILD-aot}" # the NativeAOT build the tests run (release: ReadyToRun); see ./stackvault
sv="$root/stackvault"
"$sv" --help >/dev/null # build before measuring

python3 - "$work/data" "$size" "$blocks" "$tsdb" <<'PY'
import json, os, random, shutil, sys
out, size, blocks, tsdb = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
total = int(float(size[:-1]) * units[size[-1].upper()]) if size[-1].upper() in units else int(size)
if tsdb:
    # Genuine blocks: every directory holding meta.json, index and chunks/ (oldest ULID first), until --size. The
    # files are linked (copied across file systems), never changed; meta.json is rewritten as Mimir's shipper and
    # compactor write it: the tenant in thanos.labels, and thanos.files naming every file with its size.
    found = sorted((os.path.join(d, "") for d, subdirs, names in os.walk(tsdb)
                    if "meta.json" in names and "index" in names and "chunks" in subdirs), key=lambda d: os.path.basename(d[:-1]))
    taken = count = 0
    for n, block in enumerate(found):
        if taken >= total:
            break
        count += 1
        meta = json.load(open(block + "meta.json"))
        tenant = f"tenant-{n % 2}"
        dest = os.path.join(out, tenant, meta["ulid"])
        os.makedirs(os.path.join(dest, "chunks"))
        files = []
        for rel in ["index"] + sorted("chunks/" + c for c in os.listdir(block + "chunks")):
            try:
                os.link(block + rel, os.path.join(dest, rel))
            except OSError:
                shutil.copyfile(block + rel, os.path.join(dest, rel))
            files.append({"rel_path": rel, "size_bytes": os.path.getsize(block + rel)})
            taken += files[-1]["size_bytes"]
        level = meta.get("compaction", {}).get("level", 1)
        meta["thanos"] = {"labels": {"__org_id__": tenant}, "downsample": {"resolution": 0},
                          "source": "ingester" if level == 1 else "compactor", "files": files}
        open(os.path.join(dest, "meta.json"), "w").write(json.dumps(meta))
    if taken == 0:
        sys.exit(f"bench/bucket: no TSDB block (meta.json, index, chunks/) under {tsdb}")
    print(f"bench/bucket: {count} TSDB block(s) of {len(found)} from {tsdb}, {taken / (1 << 20):.0f} MiB", file=sys.stderr)
    sys.exit(0)
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
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench/bucket: --runs must be a positive integer" >&2; exit 2; }
rclone mkdir sv:src
rclone copy --transfers "$concurrency" "$work/data" sv:src

# One line per measured operation in $work/cost: "run name wall cpu rss server_cpu" (GNU time for the tool; utime +
# stime of the s3rver process before and after, from /proc, for the server).
tick="$(getconf CLK_TCK)"
server_cpu() { awk -v t="$tick" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$server/stat"; }
measure() { local run="$1" name="$2" s e a b; shift 2; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  a=$(server_cpu); s=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  e=$(date +%s.%N); b=$(server_cpu)
  read -r u sy m < "$work/time"
  echo "$run $name $(echo "$e - $s" | bc) $(echo "$u + $sy" | bc) $m $(echo "$b - $a" | bc)" >> "$work/cost"; }
# settle RUN NAME: the time a `sync` takes right after NAME, the writeback it left behind
settle() { local s e; s=$(date +%s.%N); sync; e=$(date +%s.%N); echo "$1 $2 $(echo "$e - $s" | bc)" >> "$work/sync"; }
: > "$work/cost"; : > "$work/sync"; : > "$work/stored"
for run in $(seq "$runs"); do
  rm -rf "$work/repo" "$work/download"
  rclone purge sv:dst-sv >/dev/null 2>&1 || true; rclone purge sv:dst-rc >/dev/null 2>&1 || true
  rclone mkdir sv:dst-sv && rclone mkdir sv:dst-rc
  "$sv" init --repo "$work/repo" >/dev/null 2>&1
  measure "$run" b_sv "$sv" bucket backup --repo "$work/repo" --source "s3:http://127.0.0.1:$port/src" --layout mimir --concurrency "$concurrency" --quiet
  settle "$run" b_sv
  echo "$run $(du -sb "$work/repo" | cut -f1)" >> "$work/stored"
  measure "$run" b_rc rclone copy --fast-list --transfers "$concurrency" sv:src "$work/download"
  settle "$run" b_rc
  measure "$run" r_sv "$sv" bucket restore latest --repo "$work/repo" --target "s3:http://127.0.0.1:$port/dst-sv" --concurrency "$concurrency" --quiet
  measure "$run" r_rc rclone copy --transfers "$concurrency" "$work/download" sv:dst-rc
  rclone check --fast-list sv:src sv:dst-sv >/dev/null 2>&1 || { echo "bench/bucket: the restored bucket differs from the source" >&2; exit 1; }
done

python3 - "$work/cost" "$bytes" "$runs" "$work/sync" "$work/stored" "${tsdb:+TSDB blocks from $tsdb}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) == 6]
settled = {(l.split()[0], l.split()[1]): float(l.split()[2]) for l in open(sys.argv[4]) if len(l.split()) == 3}
size, runs = int(sys.argv[2]), int(sys.argv[3])
mib = size / (1 << 20)
def col(name, i): return [float(r[i]) for r in rows if r[1] == name]
def fmt(xs, f="{:.2f}"):
    m = f.format(statistics.median(xs))
    return m if len(xs) == 1 else f"{m} ({f.format(min(xs))}-{f.format(max(xs))})"
stored = [int(l.split()[1]) for l in open(sys.argv[5]) if len(l.split()) == 2]
data = sys.argv[6] or "synthetic blocks (half random, half zero bytes)"
print(f"{mib:.0f} MiB of {data}, {runs} run(s); repository after the backup: {statistics.median(stored) / (1 << 20):.0f} MiB "
      f"({statistics.median(stored) / size:.2f} of the bucket); ratio = rclone's wall time / Stackvault's (at least 1.00 is the goal), per run")
print()
print("| operation | Stackvault MiB/s | rclone copy MiB/s | ratio | CPU s Stackvault / rclone | s3rver CPU s (Stackvault / rclone) | peak RSS MB Stackvault / rclone |")
print("|---|---:|---:|---:|---:|---:|---:|")
for op, sv, rc in (("backup", "b_sv", "b_rc"), ("restore", "r_sv", "r_rc")):
    ws, wr = col(sv, 2), col(rc, 2)
    ratios = [r / s for s, r in zip(ws, wr)]
    print(f"| {op} | {fmt([mib / w for w in ws], '{:.1f}')} | {fmt([mib / w for w in wr], '{:.1f}')} | {fmt(ratios)} | "
          f"{fmt(col(sv, 3))} / {fmt(col(rc, 3))} | {fmt(col(sv, 5))} / {fmt(col(rc, 5))} | "
          f"{fmt([x / 1024 for x in col(sv, 4)], '{:.0f}')} / {fmt([x / 1024 for x in col(rc, 4)], '{:.0f}')} |")
ws = [float(r[2]) + settled.get((r[0], "b_sv"), 0) for r in rows if r[1] == "b_sv"]
wr = [float(r[2]) + settled.get((r[0], "b_rc"), 0) for r in rows if r[1] == "b_rc"]
sync_sv = [settled[k] for k in sorted(settled) if k[1] == "b_sv"]
sync_rc = [settled[k] for k in sorted(settled) if k[1] == "b_rc"]
print(f"| backup, on disk (then `sync`: {fmt(sync_sv)} s / {fmt(sync_rc)} s) | {fmt([mib / w for w in ws], '{:.1f}')} | "
      f"{fmt([mib / w for w in wr], '{:.1f}')} | {fmt([r / s for s, r in zip(ws, wr)])} | | | |")
PY
