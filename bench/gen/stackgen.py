#!/usr/bin/env python3
"""Generates a realistic, deterministic observability-stack data tree for backup benchmarks.

    stackgen.py --out DIR --size 1G --seed 1     make a tree of about 1 GiB
    stackgen.py --grow DIR --seed 2              add about one hour of data (1-3 % of the tree)
    stackgen.py --stats DIR [--json]             file counts, bytes and zstd -3 ratio per component

Standard library only. Real tools are used where they exist on the machine: promtool makes the Prometheus
blocks, a throwaway PostgreSQL cluster makes the pg_dump, Python's sqlite3 makes grafana.db. Everything else
(Prometheus WAL and head chunks, Loki chunks/index/WAL, Tempo blocks) is written in the engines' on-disk layout
from generated or real-fixture content; bench/README.md says exactly what is real and what is imitated.
"""
import argparse
import base64
import gzip
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

# The fixtures live in ../shared beside the checkout (as in CI); STACKGEN_FIXTURES overrides.
_DEFAULT_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
FIXTURES = Path(os.environ.get("STACKGEN_FIXTURES", str(_DEFAULT_FIXTURES)))
TEMPO_FIXTURE = FIXTURES / "tempo" / "single-tenant" / "b27b0e53-66a0-4505-afd6-434ae3cd4a10"
PG_BIN = Path(os.environ.get("STACKGEN_PG_BIN", "/usr/lib/postgresql/15/bin"))
STATE_FILE = ".stackgen.json"

MiB = 1024 * 1024
HOUR = 3600
SCRAPE_S = 15
# End of the generated history: 2024-05-07T06:00:00Z, a multiple of 18 h so promtool's block ranges align.
END_TS = 1715061600
# Share of --size per part (sums to ~1.0). Sources and assumptions: bench/README.md.
SHARES = {
    "prom_blocks": 0.40, "prom_wal": 0.04, "prom_head": 0.01,
    "loki_chunks": 0.23, "loki_index": 0.012, "loki_wal": 0.008,
    "tempo_blocks": 0.19, "tempo_wal": 0.01,
    "grafana": 0.02, "postgres": 0.08,
}
# Measured bytes per sample of promtool blocks made from this generator's series (calibration, see README).
PROM_BYTES_PER_SAMPLE = 1.9


def log(msg):
    print(f"stackgen: {msg}", file=sys.stderr, flush=True)


def parse_size(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)i?B?", text.strip(), re.I)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {text!r} (use e.g. 20M, 200M, 1G)")
    mult = {"": 1, "K": 1024, "M": MiB, "G": 1024 * MiB, "T": 1024 ** 4}[m.group(2).upper()]
    return int(float(m.group(1)) * mult)


def rng_for(seed, *parts):
    """A random.Random seeded from the seed and a path of names, so every piece is independent and stable."""
    h = hashlib.sha256(repr((seed,) + parts).encode()).digest()
    return random.Random(int.from_bytes(h[:16], "big"))


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def varint(n):
    return uvarint((n << 1) ^ (n >> 63) if n < 0 else n << 1)


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def make_ulid(ms, rng):
    n = (ms << 80) | rng.getrandbits(80)
    return "".join(CROCKFORD[(n >> (5 * i)) & 31] for i in range(25, -1, -1))


def make_uuid(rng):
    b = bytearray(rng.getrandbits(128).to_bytes(16, "big"))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# ----------------------------------------------------------------------------------------------------------------
# Prometheus
# ----------------------------------------------------------------------------------------------------------------

CPU_MODES = [("idle", 0.62), ("user", 0.22), ("system", 0.08), ("iowait", 0.02), ("irq", 0.004),
             ("softirq", 0.01), ("steal", 0.002), ("nice", 0.0005)]
APPS = ["api-gateway", "checkout", "payments", "catalog", "search", "auth", "notifications", "orders",
        "inventory", "recommendations", "frontend", "billing-forwarder", "ingester", "distributor", "querier"]
NAMESPACES = ["prod", "platform", "monitoring", "billing", "loki", "tempo"]


def node_series(seed, node, period):
    """Series of one node: node_exporter metrics plus kube-state/cAdvisor series of the pods scheduled on it.

    Returns (labels_text, kind, params) tuples. Pod names change every period (6 h rollouts), as real churn does.
    kinds: const, counter (int), fcounter (2 decimals), gauge (int), fgauge (2 decimals), rare (rarely moving counter)
    """
    r = rng_for(seed, "node", node)
    inst = f"10.{20 + node // 250}.{node % 250}.{11 + node % 7}:9100"
    nname = f"ip-10-{20 + node // 250}-{node % 250}-{11 + node % 7}.eu-west-1.compute.internal"
    base = f'cluster="prod-eu-1",instance="{inst}",job="node-exporter",node="{nname}"'
    ncpu = 4 if node % 3 else 8
    mem_total = ncpu * 4 * 1024 ** 3
    out = []
    for c in range(ncpu):
        for mode, share in CPU_MODES:
            out.append((f'node_cpu_seconds_total{{{base},cpu="{c}",mode="{mode}"}}', "fcounter",
                        (r.randrange(10 ** 7, 10 ** 9), int(SCRAPE_S * 100 * share * r.uniform(0.5, 1.5)) + 1)))
    out.append((f'node_memory_MemTotal_bytes{{{base}}}', "const", (mem_total,)))
    for name, frac in [("MemFree", 0.2), ("MemAvailable", 0.45), ("Buffers", 0.02), ("Cached", 0.3),
                       ("Active", 0.4), ("Inactive", 0.2), ("Dirty", 0.0005), ("Slab", 0.03), ("Shmem", 0.01)]:
        out.append((f'node_memory_{name}_bytes{{{base}}}', "gauge",
                    (int(mem_total * frac), int(mem_total * frac * 0.05) + 4096, r.randrange(2000, 20000))))
    for w in ("1", "5", "15"):
        out.append((f'node_load{w}{{{base}}}', "fgauge", (int(ncpu * 40 * r.uniform(0.5, 1.2)), ncpu * 15,
                                                           r.randrange(300, 3000))))
    for dev in ("eth0", "lo", "cni0"):
        for d in ("receive", "transmit"):
            rate = r.randrange(10 ** 4, 10 ** 7)
            out.append((f'node_network_{d}_bytes_total{{{base},device="{dev}"}}', "counter",
                        (r.randrange(10 ** 9, 10 ** 12), rate)))
            out.append((f'node_network_{d}_packets_total{{{base},device="{dev}"}}', "counter",
                        (r.randrange(10 ** 6, 10 ** 9), rate // 900 + 1)))
            out.append((f'node_network_{d}_errs_total{{{base},device="{dev}"}}', "rare", (r.randrange(0, 50),)))
            out.append((f'node_network_{d}_drop_total{{{base},device="{dev}"}}', "rare", (r.randrange(0, 500),)))
    for dev, mnt, fs, size in [("/dev/nvme0n1p1", "/", "ext4", 100), ("/dev/nvme1n1", "/var/lib/kubelet", "xfs", 500),
                               ("tmpfs", "/run", "tmpfs", 8)]:
        lab = f'{base},device="{dev}",fstype="{fs}",mountpoint="{mnt}"'
        sz = size * 1024 ** 3
        out.append((f'node_filesystem_size_bytes{{{lab}}}', "const", (sz,)))
        used = int(sz * r.uniform(0.2, 0.7))
        out.append((f'node_filesystem_avail_bytes{{{lab}}}', "gauge", (sz - used, sz // 200, r.randrange(5000, 50000))))
        out.append((f'node_filesystem_free_bytes{{{lab}}}', "gauge", (sz - used + sz // 20, sz // 200,
                                                                       r.randrange(5000, 50000))))
    for dev in ("nvme0n1", "nvme1n1"):
        lab = f'{base},device="{dev}"'
        out.append((f'node_disk_read_bytes_total{{{lab}}}', "counter", (r.randrange(10 ** 9, 10 ** 12), r.randrange(10 ** 3, 10 ** 6))))
        out.append((f'node_disk_written_bytes_total{{{lab}}}', "counter", (r.randrange(10 ** 9, 10 ** 12), r.randrange(10 ** 4, 10 ** 7))))
        out.append((f'node_disk_io_time_seconds_total{{{lab}}}', "fcounter", (r.randrange(10 ** 6, 10 ** 8), r.randrange(5, 300))))
    for name, lo, hi in [("node_context_switches_total", 10 ** 4, 10 ** 6), ("node_intr_total", 10 ** 4, 10 ** 6),
                         ("node_forks_total", 10, 2000)]:
        out.append((f'{name}{{{base}}}', "counter", (r.randrange(10 ** 8, 10 ** 11), r.randrange(lo, hi))))
    for dev in ("eth0", "lo", "cni0"):
        for name, v in (("up", 1), ("mtu_bytes", 9001 if dev == "eth0" else 1500), ("speed_bytes", 3125000000),
                        ("carrier", 1), ("iface_id", 2 + len(dev)), ("flags", 4099)):
            out.append((f'node_network_{name}{{{base},device="{dev}"}}', "const", (v,)))
    for mnt in ("/", "/var/lib/kubelet", "/run"):
        for name, v in (("files", 6553600), ("readonly", 0), ("device_error", 0)):
            out.append((f'node_filesystem_{name}{{{base},mountpoint="{mnt}"}}', "const", (v,)))
    out.append((f'node_uname_info{{{base},machine="x86_64",release="6.1.0-21-cloud-amd64",sysname="Linux"}}', "const", (1,)))
    out.append((f'node_boot_time_seconds{{{base}}}', "const", (END_TS - r.randrange(86400, 90 * 86400),)))
    out.append((f'node_procs_running{{{base}}}', "gauge", (ncpu, ncpu, 40)))
    out.append((f'up{{{base}}}', "const", (1,)))
    out.append((f'scrape_duration_seconds{{{base}}}', "fgauge", (4, 2, 5)))
    out.append((f'scrape_samples_scraped{{{base}}}', "const", (1100,)))
    # Pods on this node; names change with the rollout period (series churn).
    for p in range(12):
        pr = rng_for(seed, "pod", node, p, period)
        app = APPS[(node * 12 + p) % len(APPS)]
        ns = NAMESPACES[(node + p) % len(NAMESPACES)]
        pod = f"{app}-{pr.getrandbits(40):010x}"[:len(app) + 11] + f"-{pr.getrandbits(25):05x}"[:6]
        uid = make_uuid(pr)
        kl = f'cluster="prod-eu-1",namespace="{ns}",pod="{pod}"'
        out.append((f'kube_pod_info{{{kl},created_by_kind="ReplicaSet",host_ip="{inst[:-5]}",node="{nname}",uid="{uid}"}}',
                    "const", (1,)))
        cl = f'{kl},container="{app}",node="{nname}"'
        out.append((f'kube_pod_container_status_restarts_total{{{cl},job="kube-state-metrics"}}', "rare", (pr.randrange(0, 3),)))
        out.append((f'container_cpu_usage_seconds_total{{{cl},job="cadvisor"}}', "fcounter",
                    (pr.randrange(10 ** 3, 10 ** 6), pr.randrange(10, 1500))))
        mem = pr.randrange(50, 4000) * MiB
        out.append((f'container_memory_working_set_bytes{{{cl},job="cadvisor"}}', "gauge", (mem, mem // 10, pr.randrange(500, 5000))))
        out.append((f'container_network_receive_bytes_total{{{cl},job="cadvisor"}}', "counter",
                    (pr.randrange(10 ** 6, 10 ** 10), pr.randrange(10 ** 3, 10 ** 6))))
        # kube-state-metrics: many series whose values hardly ever change (they compress to almost nothing)
        for phase in ("Pending", "Running", "Succeeded", "Failed", "Unknown"):
            out.append((f'kube_pod_status_phase{{{kl},phase="{phase}",job="kube-state-metrics"}}', "const",
                        (int(phase == "Running"),)))
        for cond in ("true", "false", "unknown"):
            out.append((f'kube_pod_status_ready{{{kl},condition="{cond}",job="kube-state-metrics"}}', "const",
                        (int(cond == "true"),)))
        for kind in ("requests", "limits"):
            out.append((f'kube_pod_container_resource_{kind}{{{cl},resource="cpu",unit="core"}}', "const", (0.25,)))
            out.append((f'kube_pod_container_resource_{kind}{{{cl},resource="memory",unit="byte"}}', "const", (mem * 2,)))
        out.append((f'kube_pod_owner{{{kl},owner_kind="ReplicaSet",owner_name="{pod[:-6]}"}}', "const", (1,)))
        out.append((f'kube_pod_container_status_ready{{{cl}}}', "const", (1,)))
    return out


def series_values(kind, params, k0, k1, r):
    """Values of one series at absolute scrape steps k0..k1-1 (closed form per step, so windows are independent)."""
    ks = range(k0, k1)
    if kind == "const":
        v = str(params[0])
        return [v] * (k1 - k0)
    if kind == "counter":
        base, rate = params
        return [str(base + rate * k + int(r.random() * rate * 0.3)) for k in ks]
    if kind == "fcounter":
        base, rate = params
        vals = [base + rate * k + int(r.random() * rate * 0.3) for k in ks]
        return [f"{v // 100}.{v % 100:02d}" for v in vals]
    if kind == "rare":
        base = params[0]
        return [str(base + k // 5000) for k in ks]
    if kind in ("gauge", "fgauge"):
        mid, amp, period = params
        # triangle wave plus noise: cheap and plausible (daily-ish swings, jitter)
        vals = [mid + (amp * abs((k % period) * 2 - period)) // period + int(r.random() * amp * 0.1) for k in ks]
        if kind == "gauge":
            return [str(v - v % 4096 if mid > 10 ** 6 else v) for v in vals]
        return [f"{v // 100}.{v % 100:02d}" for v in vals]
    raise ValueError(kind)


def prom_window_task(args):
    """One promtool block: OpenMetrics text for [t0, t1) of all series, then create-blocks-from openmetrics."""
    seed, nodes, t0, t1, dest, tmpdir = args
    r = rng_for(seed, "prom-window", t0)
    tmp = Path(tempfile.mkdtemp(prefix="prom-", dir=tmpdir))
    om = tmp / "data.om"
    period_len = 6 * HOUR
    with open(om, "w") as f:
        for node in range(nodes):
            # split the window at rollout boundaries (6 h), which always align with 2h/6h/18h windows
            for ps in range(t0 - t0 % period_len, t1, period_len):
                a, b = max(t0, ps), min(t1, ps + period_len)
                if a >= b:
                    continue
                k0, k1 = (a - END_TS) // SCRAPE_S, (b - END_TS) // SCRAPE_S
                tss = [f" {END_TS + k * SCRAPE_S}\n" for k in range(k0, k1)]
                for labels, kind, params in node_series(seed, node, ps // period_len):
                    vals = series_values(kind, params, k0, k1, r)
                    f.write("".join([labels + " " + v + t for v, t in zip(vals, tss)]))
        f.write("# EOF\n")
    out = tmp / "out"
    dur = f"{(t1 - t0) // HOUR}h"
    subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", f"--max-block-duration={dur}",
                    str(om), str(out)], check=True, stdout=subprocess.DEVNULL)
    om.unlink()
    blocks = sorted(out.iterdir())
    made = []
    for i, b in enumerate(blocks):
        ulid = make_ulid((t1 + 3 * 60) * 1000 + i, rng_for(seed, "ulid", t0, i))
        meta = json.loads((b / "meta.json").read_text())
        meta["ulid"] = ulid
        meta["compaction"]["sources"] = [ulid]
        (b / "meta.json").write_text(json.dumps(meta, indent="\t"))
        shutil.move(str(b), str(Path(dest) / ulid))
        made.append(ulid)
    shutil.rmtree(tmp)
    return made


def prom_plan(size):
    """(nodes, windows) for the Prometheus blocks: ~7.5 days of history whose bytes match the share of --size."""
    target = size * SHARES["prom_blocks"]
    nodes = max(2, round(size / (40 * MiB)))
    series = sum(len(node_series(0, n, 0)) for n in range(nodes))
    steps = target / PROM_BYTES_PER_SAMPLE / series
    hours = max(8, int(steps * SCRAPE_S / HOUR))
    # newest 6 h as three 2 h blocks, then two 6 h blocks, then 18 h blocks (like Prometheus' compaction levels).
    # promtool needs the OpenMetrics text as a regular file (~150 bytes a sample): with many series (large --size)
    # the older blocks are shorter so one window's text stays under ~8 GB.
    longest = next((h for h in (18, 6) if series * h * HOUR / SCRAPE_S * 150 <= 8e9), 2)
    windows, t = [], END_TS
    for length in [2, 2, 2] + [min(6, longest)] * 2 + [longest] * 10000:
        if END_TS - t + length * HOUR / 2 > hours * HOUR and windows:
            break
        windows.append((t - length * HOUR, t))
        t -= length * HOUR
    return nodes, windows


class WalWriter:
    """Prometheus WAL framing: 128 MiB segments of 32 KiB pages, 7-byte record headers (type, length, CRC32).

    The checksum is zlib's CRC-32 (IEEE), not Castagnoli as in Prometheus; records are uncompressed (as with
    --storage.tsdb.wal-compression=false)."""
    PAGE = 32 * 1024

    def __init__(self, directory, segment_size=128 * MiB):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.segment_size = segment_size
        segs = sorted(p for p in self.dir.iterdir() if p.is_file() and p.name.isdigit())
        if segs and segs[-1].stat().st_size < segment_size - self.PAGE:
            self.seg = int(segs[-1].name)
            self.f = open(segs[-1], "ab")
            self.pad_page()  # a restarted Prometheus continues on a fresh page
        else:
            self.seg = int(segs[-1].name) + 1 if segs else 0
            self.f = open(self.dir / f"{self.seg:08d}", "wb")

    def pad_page(self):
        pos = self.f.tell() % self.PAGE
        if pos:
            self.f.write(b"\0" * (self.PAGE - pos))

    def log(self, rec):
        if self.f.tell() + len(rec) + 7 * (len(rec) // self.PAGE + 2) > self.segment_size:
            self.pad_page()
            self.f.close()
            self.seg += 1
            self.f = open(self.dir / f"{self.seg:08d}", "wb")
        first = True
        while True:
            room = self.PAGE - self.f.tell() % self.PAGE
            if room <= 7:
                self.f.write(b"\0" * room)
                continue
            part, rec = rec[:room - 7], rec[room - 7:]
            typ = (1 if first else 4) if not rec else (2 if first else 3)
            self.f.write(struct.pack(">BHI", typ, len(part), zlib.crc32(part)) + part)
            first = False
            if not rec:
                return

    def close(self):
        self.f.close()


def wal_series_record(refs_labels):
    b = bytearray([1])
    for ref, labels in refs_labels:
        pairs = re.findall(r'(\w+)="([^"]*)"', labels)
        name = labels.split("{", 1)[0]
        pairs = [("__name__", name)] + pairs
        b += struct.pack(">Q", ref) + uvarint(len(pairs))
        for k, v in pairs:
            b += uvarint(len(k)) + k.encode() + uvarint(len(v)) + v.encode()
    return bytes(b)


def write_prom_wal(seed, nodes, wal_dir, budget, t_start, tag):
    """Series records, then one samples record per target scrape, until about `budget` bytes were written."""
    r = rng_for(seed, "prom-wal", tag)
    w = WalWriter(wal_dir)
    start_bytes = sum(p.stat().st_size for p in Path(wal_dir).iterdir() if p.is_file())
    per_node = [node_series(seed, n, t_start // (6 * HOUR)) for n in range(nodes)]
    ref0 = 1 + (t_start // HOUR) * 100000
    refs = []
    for n, ser in enumerate(per_node):
        refs.append([ref0 + n * 1000 + i for i in range(len(ser))])
        w.log(wal_series_record(list(zip(refs[-1], (s[0] for s in ser)))))
    k = (t_start - END_TS) // SCRAPE_S
    written = 0
    while written < budget:
        ts_ms = (END_TS + k * SCRAPE_S) * 1000
        for n, ser in enumerate(per_node):
            t = ts_ms + n * 37
            b = bytearray([2]) + struct.pack(">Qq", refs[n][0], t)
            for i, (labels, kind, params) in enumerate(ser):
                v = float(series_values(kind, params, k, k + 1, r)[0])
                b += uvarint(i << 1) + b"\0" + struct.pack(">d", v)
            w.log(bytes(b))
            written += len(b) + 7
        k += 1
    w.close()
    return written, k


def write_chunks_head(block_dirs, head_dir, budget, seed, name):
    """Head chunk file (magic 0x0130BC91) filled with real XOR chunks taken from the newest blocks' chunk files."""
    head_dir.mkdir(parents=True, exist_ok=True)
    r = rng_for(seed, "chunks-head", name)
    out = bytearray(struct.pack(">IB3x", 0x0130BC91, 1))
    ref = 1
    for bdir in block_dirs:
        data = (bdir / "chunks" / "000001").read_bytes()
        pos = 8
        while pos < len(data) and len(out) < budget:
            n, p = 0, pos
            shift = 0
            while True:
                byte = data[p]
                n |= (byte & 0x7F) << shift
                p += 1
                shift += 7
                if byte < 0x80:
                    break
            enc, chunk = data[p], data[p + 1:p + 1 + n]
            pos = p + 1 + n + 4
            mint = (END_TS + r.randrange(0, 2 * HOUR)) * 1000
            rec = struct.pack(">QqqB", ref, mint, mint + 30 * 60 * 1000, enc) + uvarint(n) + chunk
            out += rec + struct.pack(">I", zlib.crc32(rec))
            ref += 1
        if len(out) >= budget:
            break
    (head_dir / name).write_bytes(out)


# ----------------------------------------------------------------------------------------------------------------
# Loki
# ----------------------------------------------------------------------------------------------------------------

_CORPORA = None


def corpora():
    """Real log lines from the fixtures, pre-split around digit runs so numbers can be varied cheaply."""
    global _CORPORA
    if _CORPORA is None:
        _CORPORA = {}
        for p in sorted((FIXTURES / "loki-logs").glob("*.txt")):
            lines = [ln for ln in p.read_text(errors="replace").splitlines() if ln.strip()]
            _CORPORA[p.stem] = [re.split(r"(\d+)", ln) for ln in lines]
    return _CORPORA


def loki_streams(seed, n):
    names = sorted(corpora())
    out = []
    for i in range(n):
        r = rng_for(seed, "loki-stream", i)
        src = names[i % len(names)]
        app = APPS[i % len(APPS)]
        labels = (f'{{app="{app}",cluster="prod-eu-1",container="{app}",job="{NAMESPACES[i % 6]}/{app}",'
                  f'namespace="{NAMESPACES[i % 6]}",pod="{app}-{r.getrandbits(40):010x}-{r.getrandbits(20):05x}",'
                  f'source="{src}"}}')
        fp = int.from_bytes(hashlib.sha256(labels.encode()).digest()[:8], "big")
        out.append((labels, fp, src))
    return out


def snappy_literal(data):
    """Snappy block format with literals only (valid snappy, no matches): enough for Loki's chunk header."""
    out = bytearray(uvarint(len(data)))
    for i in range(0, len(data), 65536):
        part = data[i:i + 65536]
        out += bytes([61 << 2]) + struct.pack("<H", len(part) - 1) + part
    return bytes(out)


def loki_chunk(r, tenant, labels, fp, src, target, t_ms, vary=0.1):
    """A Loki chunk object: length-prefixed snappy JSON header, then a MemChunk (magic 0x012EE56A, v3, gzip)
    of 256 KiB gzip blocks of entries (varint ns timestamp, uvarint length, line) sampled from a real corpus."""
    lines = corpora()[src]
    rnd, choice, getbits = r.random, r.choice, r.getrandbits
    blocks, metas, offset = bytearray(), [], 6
    start_ms = t_ms
    ts_ns = t_ms * 1_000_000
    while len(blocks) < target:
        raw = bytearray()
        n = 0
        bmin = ts_ns
        while len(raw) < 256 * 1024:
            parts = choice(lines)
            if len(parts) > 1:
                parts = parts[:]
                for j in range(1, len(parts), 2):
                    if rnd() < vary:
                        d = len(parts[j])
                        parts[j] = str(getbits(4 * d) % (10 ** d)).zfill(d)
            line = "".join(parts).encode()
            ts_ns += int(rnd() * 40_000_000) + 1
            raw += uvarint(ts_ns) + uvarint(len(line)) + line
            n += 1
        comp = zlib.compressobj(6, zlib.DEFLATED, 31)
        data = comp.compress(bytes(raw)) + comp.flush()
        metas.append((n, bmin, ts_ns, offset, len(raw), len(data)))
        blocks += data + struct.pack(">I", zlib.crc32(data))
        offset += len(data) + 4
    meta_sec = bytearray(uvarint(len(metas)))
    for n, mn, mx, off, usz, ln in metas:
        meta_sec += uvarint(n) + varint(mn) + varint(mx) + uvarint(off) + uvarint(usz) + uvarint(ln)
    mem = (struct.pack(">IBB", 0x012EE56A, 3, 1) + bytes(blocks) + meta_sec
           + struct.pack(">I", zlib.crc32(meta_sec)) + struct.pack(">Q", offset))
    end_ms = ts_ns // 1_000_000
    header = json.dumps({"fingerprint": fp, "userID": tenant, "from": start_ms, "through": end_ms,
                         "metric": dict(re.findall(r'(\w+)="([^"]*)"', labels)), "encoding": 129}).encode()
    hs = snappy_literal(header)
    obj = struct.pack(">I", len(hs) + 4) + hs + struct.pack(">I", len(mem)) + mem
    name = f"{start_ms:x}:{end_ms:x}:{zlib.crc32(mem):x}"
    return name, obj, end_ms


def loki_task(args):
    """All chunks of some streams, from t_ms on, until each stream has its byte budget."""
    seed, tenant, streams, budget_each, t_ms, span_ms, root, tag = args
    made = []
    gap = span_ms // max(1, budget_each // (150 * 1024))  # spread each stream's chunks over the span
    for labels, fp, src in streams:
        r = rng_for(seed, "loki-chunks", tag, fp)
        d = Path(root) / "chunks" / tenant / f"{fp:016x}"
        d.mkdir(parents=True, exist_ok=True)
        used, t = 0, t_ms + r.randrange(0, 60000)
        while used < budget_each:
            target = int(min(500, max(50, r.lognormvariate(4.8, 0.6))) * 1024)
            name, obj, end = loki_chunk(r, tenant, labels, fp, src, target, t)
            (d / name).write_bytes(obj)
            made.append((fp, name, len(obj)))
            used += len(obj)
            t = max(end + 1000, t + gap)
    return made


def loki_index_file(path, seed, streams, chunk_list, budget, tag):
    """TSDB-shipper-like index file: gzip of a symbol table and per-series chunk refs (from, through, checksum)."""
    r = rng_for(seed, "loki-index", tag)
    syms = sorted({s for lab, _, _ in streams for kv in re.findall(r'(\w+)="([^"]*)"', lab) for s in kv})
    b = bytearray(struct.pack(">IB", 0xBAAAD700, 3))
    for s in syms:
        b += uvarint(len(s)) + s.encode()
    by_fp = {}
    for fp, name, ln in chunk_list:
        by_fp.setdefault(fp, []).append((name, ln))
    for labels, fp, _ in streams:
        b += struct.pack(">Q", fp)
        for name, ln in by_fp.get(fp, []):
            a, z, c = (int(x, 16) for x in name.split(":"))
            b += varint(a) + varint(z - a) + struct.pack(">I", c) + uvarint(ln // 1024) + uvarint(r.randrange(1000, 50000))
    # pad with postings-like sorted ids until the budget is reached
    ref = 0
    while len(b) < budget * 3:
        ref += r.randrange(1, 40)
        b += uvarint(ref)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(bytes(b), 6, mtime=0))


def write_loki_wal(seed, streams, wal_dir, budget, tag):
    """Loki ingester WAL: Prometheus WAL framing with series and entries records of raw (uncompressed) log lines."""
    r = rng_for(seed, "loki-wal", tag)
    w = WalWriter(wal_dir)
    w.log(wal_series_record([(i + 1, "stream" + lab) for i, (lab, _, _) in enumerate(streams)]))
    written, ts = 0, END_TS * 1_000_000_000
    lines = corpora()
    while written < budget:
        i = r.randrange(len(streams))
        b = bytearray([3]) + struct.pack(">Q", i + 1) + uvarint(50)
        for _ in range(50):
            parts = r.choice(lines[streams[i][2]])
            ts += r.randrange(1, 10 ** 7)
            line = "".join(parts).encode()
            b += varint(ts) + uvarint(len(line)) + line
        w.log(bytes(b))
        written += len(b)
    w.close()


# ----------------------------------------------------------------------------------------------------------------
# Tempo
# ----------------------------------------------------------------------------------------------------------------

def tempo_fixture():
    meta = json.loads((TEMPO_FIXTURE / "meta.json").read_text())
    data = (TEMPO_FIXTURE / "data.parquet").read_bytes()
    footer_len = meta["footerSize"]
    body = data[4:len(data) - 8 - footer_len]
    footer = data[len(data) - 8 - footer_len:]
    return meta, body, footer, (TEMPO_FIXTURE / "bloom-0").read_bytes()


def varied_parquet(r, size, body, footer):
    """'PAR1' + copies of the real block's column pages, each under a fresh byte permutation, + the real footer.

    A byte permutation keeps each copy exactly as compressible as the real pages while no two copies share a byte
    sequence, so neither compression nor deduplication is flattered by repetition."""
    parts = [b"PAR1"]
    n = 4 + len(footer)
    while n < size:
        perm = list(range(256))
        r.shuffle(perm)
        piece = body.translate(bytes(perm))
        cut = min(len(piece), size - n)
        parts.append(piece[:cut])
        n += cut
    parts.append(footer)
    return b"".join(parts)


def tempo_block(seed, root, tenant, index, size, start, fixture, tag):
    meta_fx, body, footer, bloom_fx = fixture
    r = rng_for(seed, "tempo-block", tag, index)
    block_id = make_uuid(r)
    d = Path(root) / tenant / block_id
    d.mkdir(parents=True, exist_ok=True)
    data = varied_parquet(r, size, body, footer)
    (d / "data.parquet").write_bytes(data)
    traces = max(1, size * meta_fx["totalObjects"] // (len(body) + len(footer)))
    # bloom filters sized for Tempo's default 1% false-positive rate, in shards of at most 100 KiB, ~50% bits set
    bloom_bytes = max(1024, int(traces * 9.6 / 8))
    shards = max(1, -(-bloom_bytes // (100 * 1024)))
    for s in range(shards):
        nbytes = min(100 * 1024, bloom_bytes - s * 100 * 1024) if s < shards - 1 else bloom_bytes - s * 100 * 1024
        nbytes = max(nbytes, 1024)
        m = nbytes * 8
        (d / f"bloom-{s}").write_bytes(struct.pack(">QQQ", m, 7, m // 64) + r.randbytes(nbytes))
    groups = max(1, size // (8 * MiB) + 1)
    ids = sorted(r.randbytes(16) for _ in range(groups))
    (d / "index").write_text(json.dumps({"rowGroups": [base64.b64encode(i).decode() for i in ids]}, separators=(",", ":")))
    meta = dict(meta_fx)
    end = start + r.randrange(300, 1800)
    meta.update({"blockID": block_id, "tenantID": tenant, "minID": base64.b64encode(ids[0]).decode(),
                 "maxID": base64.b64encode(ids[-1]).decode(),
                 "startTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start)),
                 "endTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(end)),
                 "totalObjects": traces, "size": len(data), "compactionLevel": 1 if size > 4 * MiB else 0,
                 "totalRecords": groups, "bloomShards": shards})
    (d / "meta.json").write_text(json.dumps(meta, separators=(",", ":")))
    return meta


def tempo_task(args):
    seed, root, tenant, index, size, start, tag = args
    return tempo_block(seed, root, tenant, index, size, start, tempo_fixture(), tag)


def write_tempo_tenant_index(root, tenant):
    metas = [json.loads(p.read_text()) for p in sorted((Path(root) / tenant).glob("*/meta.json"))]
    (Path(root) / tenant / "index.json.gz").write_bytes(
        gzip.compress(json.dumps({"created_at": "2024-05-07T06:00:00Z", "meta": metas}).encode(), 6, mtime=0))


# ----------------------------------------------------------------------------------------------------------------
# Grafana
# ----------------------------------------------------------------------------------------------------------------

GRAFANA_SCHEMA = """
CREATE TABLE org (id INTEGER PRIMARY KEY, version INTEGER, name TEXT UNIQUE, created TEXT, updated TEXT);
CREATE TABLE user (id INTEGER PRIMARY KEY, version INTEGER, email TEXT, name TEXT, login TEXT UNIQUE, password TEXT,
  salt TEXT, rands TEXT, org_id INTEGER, is_admin INTEGER, created TEXT, updated TEXT, last_seen_at TEXT);
CREATE TABLE data_source (id INTEGER PRIMARY KEY, org_id INTEGER, version INTEGER, type TEXT, name TEXT, access TEXT,
  url TEXT, json_data TEXT, secure_json_data TEXT, uid TEXT, is_default INTEGER, created TEXT, updated TEXT);
CREATE TABLE dashboard (id INTEGER PRIMARY KEY, version INTEGER, slug TEXT, title TEXT, data TEXT, org_id INTEGER,
  created TEXT, updated TEXT, updated_by INTEGER, created_by INTEGER, folder_id INTEGER, is_folder INTEGER, uid TEXT);
CREATE UNIQUE INDEX UQE_dashboard_org_id_uid ON dashboard (org_id, uid);
CREATE TABLE dashboard_version (id INTEGER PRIMARY KEY, dashboard_id INTEGER, parent_version INTEGER,
  restored_from INTEGER, version INTEGER, created TEXT, created_by INTEGER, message TEXT, data TEXT);
CREATE INDEX IDX_dashboard_version_dashboard_id ON dashboard_version (dashboard_id);
CREATE TABLE alert_rule (id INTEGER PRIMARY KEY, org_id INTEGER, title TEXT, condition TEXT, data TEXT, updated TEXT,
  interval_seconds INTEGER, version INTEGER, uid TEXT, namespace_uid TEXT, rule_group TEXT, no_data_state TEXT,
  exec_err_state TEXT, "for" INTEGER, annotations TEXT, labels TEXT);
CREATE TABLE annotation (id INTEGER PRIMARY KEY, org_id INTEGER, alert_id INTEGER, user_id INTEGER,
  dashboard_id INTEGER, panel_id INTEGER, type TEXT, title TEXT, text TEXT, metric TEXT, prev_state TEXT,
  new_state TEXT, data TEXT, epoch INTEGER, epoch_end INTEGER, created INTEGER, updated INTEGER, tags TEXT);
CREATE INDEX IDX_annotation_epoch ON annotation (org_id, epoch, epoch_end);
CREATE TABLE kv_store (id INTEGER PRIMARY KEY, org_id INTEGER, namespace TEXT, key TEXT, value TEXT, created TEXT,
  updated TEXT);
"""
PROMQL = ["sum by (namespace) (rate(container_cpu_usage_seconds_total{{cluster=\"{c}\"}}[5m]))",
          "1 - avg by (instance) (rate(node_cpu_seconds_total{{mode=\"idle\",cluster=\"{c}\"}}[5m]))",
          "node_memory_MemAvailable_bytes{{cluster=\"{c}\"}} / node_memory_MemTotal_bytes",
          "sum by (pod) (container_memory_working_set_bytes{{namespace=\"{ns}\"}})",
          "rate(node_network_receive_bytes_total{{device!=\"lo\",cluster=\"{c}\"}}[5m])",
          "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{namespace=\"{ns}\"}}[5m])))",
          "sum(rate({{namespace=\"{ns}\"}} |= \"error\" [5m])) by (app)",
          "increase(kube_pod_container_status_restarts_total{{namespace=\"{ns}\"}}[1h]) > 0"]


def dashboard_json(r, uid, title, version):
    panels = []
    for p in range(r.randrange(6, 24)):
        ns = r.choice(NAMESPACES)
        panels.append({
            "id": p + 1, "type": r.choice(["timeseries", "stat", "gauge", "table", "logs", "heatmap"]),
            "title": f"{r.choice(APPS)} {r.choice(['latency', 'errors', 'throughput', 'CPU', 'memory', 'restarts'])}",
            "gridPos": {"h": 8, "w": r.choice([6, 8, 12, 24]), "x": (p % 2) * 12, "y": p * 8},
            "datasource": {"type": r.choice(["prometheus", "loki", "tempo"]), "uid": r.choice(["prom", "loki", "tempo"])},
            "targets": [{"refId": chr(65 + t), "expr": r.choice(PROMQL).format(c="prod-eu-1", ns=ns),
                         "legendFormat": "{{" + r.choice(["pod", "instance", "namespace"]) + "}}"}
                        for t in range(r.randrange(1, 4))],
            "fieldConfig": {"defaults": {"unit": r.choice(["s", "bytes", "percentunit", "reqps", "short"]),
                                         "thresholds": {"mode": "absolute", "steps": [
                                             {"color": "green", "value": None},
                                             {"color": "red", "value": r.randrange(50, 1000)}]}},
                            "overrides": []},
            "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["mean", "max"]},
                        "tooltip": {"mode": "multi"}}})
    return json.dumps({"uid": uid, "title": title, "version": version, "schemaVersion": 39, "tags": [r.choice(NAMESPACES)],
                       "time": {"from": "now-6h", "to": "now"}, "refresh": "30s", "panels": panels,
                       "templating": {"list": [{"name": "namespace", "type": "query", "query": "label_values(namespace)"}]}})


def make_grafana(path, seed, budget):
    r = rng_for(seed, "grafana")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(GRAFANA_SCHEMA)
    now = "2024-05-07 06:00:00"
    db.execute("INSERT INTO org VALUES (1, 0, 'Main Org.', ?, ?)", (now, now))
    for i in range(40):
        salt = r.randbytes(5).hex()
        db.execute("INSERT INTO user VALUES (?,0,?,?,?,?,?,?,1,?,?,?,?)",
                   (i + 1, f"user{i}@example.com", f"User {i}", f"user{i}", r.randbytes(50).hex(), salt,
                    r.randbytes(5).hex(), int(i == 0), now, now, now))
    for i, (typ, url) in enumerate([("prometheus", "http://prometheus:9090"), ("loki", "http://loki:3100"),
                                    ("tempo", "http://tempo:3200"), ("grafana-postgresql-datasource", "postgres:5432")]):
        db.execute("INSERT INTO data_source VALUES (?,1,1,?,?,'proxy',?,?,?,?,?,?,?)",
                   (i + 1, typ, typ.split("-")[0].title(), url, json.dumps({"httpMethod": "POST", "timeInterval": "15s"}),
                    json.dumps({"basicAuthPassword": base64.b64encode(r.randbytes(48)).decode()}), typ[:4],
                    int(i == 0), now, now))
    for i in range(60):
        db.execute("INSERT INTO alert_rule VALUES (?,1,?,'C',?,?,60,1,?,?,?, 'NoData','Error',300,?,?)",
                   (i + 1, f"{r.choice(APPS)} {r.choice(['high error rate', 'pod crashlooping', 'disk filling', 'latency SLO burn'])}",
                    json.dumps([{"refId": "A", "model": {"expr": r.choice(PROMQL).format(c="prod-eu-1", ns=r.choice(NAMESPACES))}}]),
                    now, f"rule{i:04d}{r.getrandbits(32):08x}", "folder-alerts", f"group-{i % 6}",
                    json.dumps({"summary": "{{ $labels.pod }} is unhealthy", "runbook_url": "https://runbooks/" + str(i)}),
                    json.dumps({"severity": r.choice(["critical", "warning"]), "team": r.choice(NAMESPACES)})))
    dash_id = 0
    while path.stat().st_size < budget:
        dash_id += 1
        uid = f"{r.getrandbits(48):012x}"
        title = f"{r.choice(APPS).title()} / {r.choice(['Overview', 'SLOs', 'Resources', 'Logs', 'Traces'])} {dash_id}"
        versions = r.randrange(3, 30)
        for v in range(1, versions + 1):
            db.execute("INSERT INTO dashboard_version (dashboard_id, parent_version, restored_from, version, created, "
                       "created_by, message, data) VALUES (?,?,0,?,?,?,?,?)",
                       (dash_id, v - 1, v, now, r.randrange(1, 41), r.choice(["", "tweak thresholds", "add panel"]),
                        dashboard_json(rng_for(seed, "dash", dash_id, v), uid, title, v)))
        db.execute("INSERT INTO dashboard VALUES (?,?,?,?,?,1,?,?,1,1,0,0,?)",
                   (dash_id, versions, title.lower().replace(" ", "-"), title,
                    dashboard_json(rng_for(seed, "dash", dash_id, versions), uid, title, versions), now, now, uid))
        for _ in range(r.randrange(20, 80)):
            ep = (END_TS - r.randrange(0, 14 * 86400)) * 1000
            db.execute("INSERT INTO annotation (org_id, alert_id, user_id, dashboard_id, panel_id, type, title, text, "
                       "metric, prev_state, new_state, data, epoch, epoch_end, created, updated, tags) "
                       "VALUES (1,?,0,?,?, 'alert','',?,'', 'Normal','Alerting','{}',?,?,?,?,'[]')",
                       (r.randrange(1, 61), dash_id, r.randrange(1, 20),
                        f"{r.choice(APPS)} {r.choice(['deploy', 'alert firing', 'rollback'])} {r.getrandbits(32):08x}",
                        ep, ep + r.randrange(0, 3600000), ep, ep))
        db.commit()
    db.close()


def grow_grafana(path, seed, tag):
    r = rng_for(seed, "grafana-grow", tag)
    db = sqlite3.connect(path)
    ids = [row[0] for row in db.execute("SELECT id FROM dashboard ORDER BY id")]
    for dash_id in r.sample(ids, max(1, len(ids) // 20)):
        uid, title, version = db.execute("SELECT uid, title, version FROM dashboard WHERE id=?", (dash_id,)).fetchone()
        data = dashboard_json(rng_for(seed, "dash-grow", tag, dash_id), uid, title, version + 1)
        db.execute("UPDATE dashboard SET version=?, data=?, updated='2024-05-07 07:00:00' WHERE id=?",
                   (version + 1, data, dash_id))
        db.execute("INSERT INTO dashboard_version (dashboard_id, parent_version, restored_from, version, created, "
                   "created_by, message, data) VALUES (?,?,0,?,'2024-05-07 07:00:00',1,'grow',?)",
                   (dash_id, version, version + 1, data))
    for _ in range(200):
        ep = (END_TS + r.randrange(0, 3600)) * 1000
        db.execute("INSERT INTO annotation (org_id, dashboard_id, type, text, epoch, epoch_end, created, updated, tags) "
                   "VALUES (1,?,'alert',?,?,?,?,?,'[]')", (r.choice(ids), f"grow {r.getrandbits(32):08x}", ep, ep, ep, ep))
    db.execute("UPDATE user SET last_seen_at='2024-05-07 07:00:00' WHERE id % 3 = 0")
    db.commit()
    db.close()


# ----------------------------------------------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------------------------------------------

PG_SCHEMA = """
CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL, plan text, created_at timestamptz);
CREATE TABLE incidents (id bigserial PRIMARY KEY, tenant_id int REFERENCES tenants(id), opened_at timestamptz,
  resolved_at timestamptz, severity text, title text, labels jsonb);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, ts timestamptz NOT NULL, actor text, action text, target text,
  details jsonb);
CREATE INDEX audit_log_ts ON audit_log (ts);
"""
# dump bytes per audit_log row, measured (pg_dump -Fc default zlib); used to size the table from --size
PG_DUMP_BYTES_PER_ROW = 57


def pg_rows_sql(seed_frac, first, n):
    return f"""
SELECT setseed({seed_frac});
INSERT INTO audit_log (ts, actor, action, target, details)
SELECT timestamptz '2024-04-01 00:00:00+00' + i * interval '1.7 seconds',
       'user' || (random() * 400)::int || '@example.com',
       (ARRAY['login','dashboard.update','alert.create','alert.silence','datasource.query','user.invite',
              'apikey.rotate','folder.move'])[1 + (random() * 7)::int],
       'dash/' || substr(md5(i::text || '{seed_frac}'), 1, 12),
       jsonb_build_object('ip', '10.' || (random() * 255)::int || '.' || (random() * 255)::int || '.' || (random() * 255)::int,
                          'request_id', md5(i::text || 'req{seed_frac}'),
                          'duration_ms', (random() * 2500)::int,
                          'user_agent', (ARRAY['Mozilla/5.0 (X11; Linux x86_64)', 'Grafana/10.4.2', 'curl/8.5.0',
                                               'python-requests/2.31'])[1 + (random() * 3)::int],
                          'status', (ARRAY[200,200,200,201,204,400,403,500])[1 + (random() * 7)::int])
FROM generate_series({first}, {first + n - 1}) AS i;
"""


class PgCluster:
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1 and a free port, removed on exit."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="stackgen-pg-"))
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def __enter__(self):
        if self.run_as:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        q = dict(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
        subprocess.run(self.run_as + [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                      "--no-sync", "-E", "UTF8", "--locale=C"], **q)
        subprocess.run(self.run_as + [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"), "-w", "-o",
                                      f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                                      "-c synchronous_commit=off -c full_page_writes=off", "start"], **q)
        return self

    def psql(self, sql):
        subprocess.run([str(PG_BIN / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                        str(self.port), "-U", "postgres", "-d", "postgres"], input=sql.encode(), check=True,
                       stdout=subprocess.DEVNULL)

    def dump(self, path):
        subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-f", str(path), "postgres"], check=True)

    def restore(self, path):
        subprocess.run([str(PG_BIN / "pg_restore"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", "postgres", str(path)], check=True)

    def __exit__(self, *exc):
        subprocess.run(self.run_as + [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                                      "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def pg_fallback_dump(path, seed, rows):
    """Used only when no cluster can start: a gzip'd COPY-text of the same shape (not a pg_dump archive)."""
    r = rng_for(seed, "pg-fallback", rows)
    lines = []
    for i in range(rows):
        lines.append(f"{i}\t2024-04-01 00:00:{i % 60:02d}+00\tuser{r.randrange(400)}@example.com\tlogin\t"
                     f"dash/{r.getrandbits(48):012x}\t{{\"request_id\": \"{r.getrandbits(128):032x}\", "
                     f"\"duration_ms\": {r.randrange(2500)}}}\n")
    path.write_bytes(b"PGDMP-FALLBACK\n" + zlib.compress("".join(lines).encode(), 6))


def make_postgres(out_dir, seed, budget, state):
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = max(1000, int(budget / PG_DUMP_BYTES_PER_ROW))
    dump = out_dir / "stackdb.dump"
    try:
        with PgCluster() as pg:
            pg.psql(PG_SCHEMA + f"""
SELECT setseed(0.{seed % 1000:03d});
INSERT INTO tenants (name, plan, created_at) SELECT 'tenant-' || i, (ARRAY['free','team','enterprise'])[1 + i % 3],
  timestamptz '2023-01-01' + i * interval '1 day' FROM generate_series(1, 300) i;
INSERT INTO incidents (tenant_id, opened_at, resolved_at, severity, title, labels)
SELECT 1 + (random() * 299)::int, timestamptz '2024-01-01' + i * interval '17 minutes',
  timestamptz '2024-01-01' + i * interval '17 minutes' + (random() * 7200)::int * interval '1 second',
  (ARRAY['critical','warning','info'])[1 + (random() * 2)::int], 'Incident ' || md5(i::text),
  jsonb_build_object('team', 'team-' || (random() * 20)::int, 'service', 'svc-' || (random() * 80)::int)
FROM generate_series(1, {max(100, rows // 50)}) i;
""" + pg_rows_sql(f"0.{seed % 1000:03d}", 1, rows))
            pg.dump(dump)
        state["postgres"] = "pg_dump -Fc of a throwaway PostgreSQL 15 cluster"
    except (subprocess.CalledProcessError, OSError) as e:
        log("!" * 70)
        log(f"WARNING: PostgreSQL cluster failed ({e}); writing a FALLBACK dump that is NOT a pg_dump archive")
        log("!" * 70)
        pg_fallback_dump(dump, seed, rows)
        state["postgres"] = "FALLBACK: generated gzip'd COPY text, no PostgreSQL cluster could start"
    state["pg_rows"] = rows


def grow_postgres(out_dir, seed, state, tag):
    """Loads the latest dump into a fresh cluster, appends ~1.5% rows, resolves some incidents, dumps anew
    (rotation: the new dump replaces the old one, as a nightly pg_dump job with one generation would)."""
    dump = out_dir / "stackdb.dump"
    rows = state.get("pg_rows", 1000)
    extra = max(100, rows * 3 // 200)
    if state.get("postgres", "").startswith("FALLBACK"):
        pg_fallback_dump(dump, seed, rows + extra)
        state["pg_rows"] = rows + extra
        return
    with PgCluster() as pg:
        pg.restore(dump)
        pg.psql(pg_rows_sql(f"0.{(seed * 7 + tag) % 1000:03d}", rows + 1, extra)
                + f"UPDATE incidents SET resolved_at = opened_at + interval '1 hour' WHERE id % 97 = {tag % 97};")
        pg.dump(out_dir / "stackdb.dump.new")
    os.replace(out_dir / "stackdb.dump.new", dump)
    state["pg_rows"] = rows + extra


# ----------------------------------------------------------------------------------------------------------------
# Orchestration
# ----------------------------------------------------------------------------------------------------------------

def run_tasks(jobs, tasks):
    """tasks: list of (function, args). Runs them on `jobs` processes; returns results in task order."""
    if jobs <= 1:
        return [fn(a) for fn, a in tasks]
    with multiprocessing.Pool(jobs) as pool:
        handles = [pool.apply_async(fn, (a,)) for fn, a in tasks]
        return [h.get() for h in handles]


def generate(out, size, seed, jobs):
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        sys.exit(f"stackgen: {out} is not empty (use --force to replace it)")
    tmp = out / ".tmp"
    tmp.mkdir()
    b = {k: size * v for k, v in SHARES.items()}
    state = {"seed": seed, "size": size, "grows": 0, "created_by": "bench/gen/stackgen.py"}

    nodes, windows = prom_plan(size)
    prom = out / "prometheus"
    prom.mkdir()
    tasks = [(prom_window_task, (seed, nodes, t0, t1, str(prom), str(tmp))) for t0, t1 in windows]

    n_streams = max(6, int(b["loki_chunks"] / (2 * MiB)))
    streams = loki_streams(seed, n_streams)
    per_task = max(1, n_streams // (4 * jobs))
    loki_t0 = (END_TS - 7 * 86400) * 1000
    for i in range(0, n_streams, per_task):
        tasks.append((loki_task, (seed, "fake", streams[i:i + per_task], int(b["loki_chunks"] / n_streams), loki_t0, 7 * 86400 * 1000,
                                  str(out / "loki"), "base")))

    n_tempo = 12
    mean = b["tempo_blocks"] / n_tempo
    r = rng_for(seed, "tempo-sizes")
    for i in range(n_tempo):
        tasks.append((tempo_task, (seed, str(out / "tempo" / "blocks"), "single-tenant", i,
                                   int(mean * r.uniform(0.4, 1.6)), END_TS - (n_tempo - i) * 4 * HOUR, "base")))
    log(f"generating ~{size / MiB:.0f} MiB: {len(windows)} Prometheus blocks ({nodes} nodes), {n_streams} Loki "
        f"streams, {n_tempo} Tempo blocks on {jobs} processes")
    results = run_tasks(jobs, tasks)
    loki_chunks = [c for res in results if isinstance(res, list) and res and isinstance(res[0], tuple) for c in res]

    # Prometheus head: WAL after the newest block, head chunks from the newest blocks' real chunks
    write_prom_wal(seed, nodes, prom / "wal", b["prom_wal"], END_TS, "base")
    newest = sorted((p for p in prom.iterdir() if (p / "meta.json").exists()), reverse=True)
    write_chunks_head(newest, prom / "chunks_head", b["prom_head"], seed, "000001")
    (prom / "queries.active").write_bytes(b"\0" * 20001)
    (prom / "lock").write_bytes(b"")

    loki = out / "loki"
    day = END_TS // 86400
    for d in range(7):
        chunk_part = [c for c in loki_chunks if int(c[1].split(":")[0], 16) // 86400000 == day - 6 + d]
        loki_index_file(loki / "tsdb-index" / f"index_{day - 6 + d}" / "fake" /
                        f"{(day - 5 + d) * 86400}-loki-0-{1715000000 + d}.tsdb.gz",
                        seed, streams, chunk_part, b["loki_index"] / 7, f"base-{d}")
    write_loki_wal(seed, streams, loki / "wal", b["loki_wal"], "base")
    (loki / "wal" / "checkpoint.000000").mkdir()
    write_loki_wal(seed, streams[:3], loki / "wal" / "checkpoint.000000", 64 * 1024, "ckpt")
    comp = loki / "compactor" / "deletion" / "delete_requests"
    comp.mkdir(parents=True)
    (comp / "delete_requests").write_bytes(b"\0" * 16384 + rng_for(seed, "bolt").randbytes(4096) + b"\0" * 12288)
    (loki / "compactor" / "retention" / "markers").mkdir(parents=True)

    tempo_wal = out / "tempo" / "wal"
    fx = tempo_fixture()
    for i in range(2):
        wal_id = make_uuid(rng_for(seed, "tempo-wal", i))
        d = tempo_wal / f"{wal_id}+single-tenant+vParquet4"
        d.mkdir(parents=True)
        for j in range(3):
            (d / f"{j + 1:010d}").write_bytes(varied_parquet(rng_for(seed, "tempo-wal", i, j),
                                                             int(b["tempo_wal"] / 6), fx[1], fx[2]))
    write_tempo_tenant_index(out / "tempo" / "blocks", "single-tenant")

    make_grafana(out / "grafana" / "grafana.db", seed, min(b["grafana"], 32 * MiB))
    make_postgres(out / "postgres", seed, b["postgres"] + max(0, b["grafana"] - 32 * MiB), state)
    shutil.rmtree(tmp)
    (out / STATE_FILE).write_text(json.dumps(state, indent=1))
    log(f"done: {tree_bytes(out) / MiB:.1f} MiB in {sum(1 for _ in iter_files(out))} files")


def grow(out, seed, jobs):
    state = json.loads((out / STATE_FILE).read_text())
    g = state["grows"]
    size = state["size"]
    base_seed = state["seed"]
    tag = f"grow-{g}-{seed}"
    b = {k: size * v for k, v in SHARES.items()}
    tmp = out / ".tmp"
    tmp.mkdir(exist_ok=True)
    nodes, _ = prom_plan(size)
    prom = out / "prometheus"
    t0 = END_TS + g * 2 * HOUR
    tasks = [(prom_window_task, (base_seed, nodes, t0, t0 + 2 * HOUR, str(prom), str(tmp)))]
    n_streams = max(6, int(b["loki_chunks"] / (2 * MiB)))
    streams = loki_streams(base_seed, n_streams)
    # one hour of logs: ~1/100 of the week's chunks plus an hour-boundary flush of most streams
    # one hour of a week of logs (~0.6 %): chunks flushed by a handful of streams
    hour_bytes = b["loki_chunks"] / 168
    k = max(1, min(n_streams, int(hour_bytes // (150 * 1024))))
    flushed = rng_for(seed, "loki-grow", tag).sample(streams, k)
    tasks.append((loki_task, (seed, "fake", flushed, int(hour_bytes / k), (END_TS + g * HOUR) * 1000, HOUR * 1000,
                              str(out / "loki"), tag)))
    tasks.append((tempo_task, (seed, str(out / "tempo" / "blocks"), "single-tenant", 1000 + g,
                               int(b["tempo_blocks"] / 60), END_TS + g * HOUR, tag)))
    results = run_tasks(jobs, tasks)
    write_prom_wal(base_seed, nodes, prom / "wal", b["prom_wal"] / 8, END_TS + (g + 1) * HOUR, tag)
    newest = sorted((p for p in prom.iterdir() if (p / "meta.json").exists()), reverse=True)[:1]
    write_chunks_head(newest, prom / "chunks_head", b["prom_head"] / 4, seed, f"{g + 2:06d}")
    loki = out / "loki"
    loki_index_file(loki / "tsdb-index" / f"index_{END_TS // 86400 + 1}" / "fake" / f"{t0}-loki-0-{t0 + 900}.tsdb.gz",
                    seed, streams, results[1], b["loki_index"] / 60, tag)
    write_loki_wal(seed, streams, loki / "wal", b["loki_wal"] / 8, tag)
    write_tempo_tenant_index(out / "tempo" / "blocks", "single-tenant")
    grow_grafana(out / "grafana" / "grafana.db", seed, g)
    grow_postgres(out / "postgres", seed, state, g)
    shutil.rmtree(tmp)
    state["grows"] = g + 1
    (out / STATE_FILE).write_text(json.dumps(state, indent=1))
    log(f"grow {g + 1} done: tree is now {tree_bytes(out) / MiB:.1f} MiB")


def iter_files(root):
    for dirpath, _, files in os.walk(root):
        for f in files:
            yield Path(dirpath) / f


def tree_bytes(root):
    return sum(p.stat().st_size for p in iter_files(root))


def stats(root):
    """Per component: files, bytes, mean file size, and zstd -3 / gzip -6 compressed size of a tar of it."""
    rows = []
    for comp in sorted(p for p in root.iterdir() if p.is_dir()):
        files = list(iter_files(comp))
        nbytes = sum(p.stat().st_size for p in files)
        tar = subprocess.Popen(["tar", "-C", str(root), "-cf", "-", comp.name], stdout=subprocess.PIPE)
        z = subprocess.run(["zstd", "-3", "-T0", "-q", "-c"], stdin=tar.stdout, stdout=subprocess.PIPE, check=True)
        tar.wait()
        rows.append({"component": comp.name, "files": len(files), "bytes": nbytes,
                     "zstd3_bytes": len(z.stdout), "zstd3_ratio": round(nbytes / max(1, len(z.stdout)), 2)})
    total = {"component": "total", "files": sum(r["files"] for r in rows), "bytes": sum(r["bytes"] for r in rows),
             "zstd3_bytes": sum(r["zstd3_bytes"] for r in rows)}
    total["zstd3_ratio"] = round(total["bytes"] / max(1, total["zstd3_bytes"]), 2)
    return rows + [total]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", type=Path, help="directory to create the tree in")
    mode.add_argument("--grow", type=Path, help="existing tree to add an hour of data to")
    mode.add_argument("--stats", type=Path, help="print per-component statistics of a tree")
    ap.add_argument("--size", type=parse_size, default=parse_size("1G"), help="approximate tree size (20M, 200M, 1G, 5G)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="worker processes (default: all cores)")
    ap.add_argument("--force", action="store_true", help="with --out: delete an existing tree first")
    ap.add_argument("--json", action="store_true", help="with --stats: JSON instead of a table")
    a = ap.parse_args()
    if a.out:
        if a.force and a.out.exists():
            shutil.rmtree(a.out)
        generate(a.out, a.size, a.seed, a.jobs)
    elif a.grow:
        grow(a.grow, a.seed, a.jobs)
    else:
        rows = stats(a.stats)
        if a.json:
            print(json.dumps(rows, indent=1))
        else:
            print(f"{'component':<12}{'files':>8}{'MiB':>10}{'mean KiB':>10}{'zstd-3 MiB':>12}{'ratio':>7}")
            for r in rows:
                print(f"{r['component']:<12}{r['files']:>8}{r['bytes'] / MiB:>10.1f}"
                      f"{r['bytes'] / max(1, r['files']) / 1024:>10.1f}{r['zstd3_bytes'] / MiB:>12.1f}{r['zstd3_ratio']:>7}")


if __name__ == "__main__":
    main()
