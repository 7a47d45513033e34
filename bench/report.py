#!/usr/bin/env python3
"""Turns bench/run.sh measurements (JSON lines) into medians, a JSON result file and a Markdown report.

    report.py main   --measurements M.jsonl --metas meta.json --json OUT.json [--out docs/benchmarks.md]
    report.py memory --measurements M.jsonl --metas meta-200M.json meta-1G.json --json OUT.json [--out FILE]

With --out, the report replaces the part of FILE between its begin/end markers (or the whole file when it has
none), so the Markdown file can carry hand-written text around the generated tables.
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

TOOLS = [("stackvault", "Stackvault"), ("restic", "restic"), ("tarzstd", "tar+zstd")]
OPS = [("full", "full backup"), ("nochange", "no-change backup"), ("grow", "backup after grow"),
       ("restore", "restore latest"), ("verify", "verify (read all data)")]
METRICS = [("wall_s", "time s"), ("cpu_s", "CPU s"), ("rss_mb", "peak RSS MB"), ("repo_mb", "repo MB")]
MiB = 1024 * 1024


def load(path):
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    for r in rows:
        r["cpu_s"] = r["user_s"] + r["sys_s"]
        r["rss_mb"] = r["rss_kb"] / 1024
        r["repo_mb"] = r["repo_bytes"] / MiB
    return rows


def medians(rows):
    """{(tool, op): {metric: median, "runs": n}}"""
    groups = {}
    for r in rows:
        groups.setdefault((r["tool"], r["op"]), []).append(r)
    return {k: dict({m: statistics.median(r[m] for r in g) for m, _ in METRICS}, runs=len(g))
            for k, g in groups.items()}


def fmt(v):
    if v is None:
        return "–"
    return f"{v:.2f}" if v < 100 else f"{v:.0f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def header(meta):
    d = meta["data"]
    total = next(r for r in d if r["component"] == "total")
    lines = [
        f"- Date: {meta['date']}",
        f"- Command: `{meta['command']}` (median of {meta['runs']} run(s), fresh repository per run)",
        f"- Machine: {meta['nproc']} CPUs (nproc), {meta['mem_bytes'] / 1024 ** 3:.1f} GiB RAM, {meta['os']}, "
        f"Linux {meta['kernel']}",
        f"- Data: `bench/gen/stackgen.py --size {meta['size']} --seed {meta['seed']}`: {total['bytes'] / MiB:.0f} MiB in "
        f"{total['files']} files (tar | zstd -3 ratio {total['zstd3_ratio']}); the grow step adds "
        f"{meta['grow_net_bytes'] / MiB:.1f} MiB ({100 * meta['grow_net_bytes'] / total['bytes']:.1f} %) and rewrites "
        f"or adds {meta['grow_files']} files holding {meta['grow_files_bytes'] / MiB:.1f} MiB",
        "- Page cache: " + ("dropped before every measured operation" if meta["page_cache_dropped"]
                            else "not dropped (no permission): every tool reads a warm cache"),
        "- Versions: " + "; ".join(f"{k}: {v}" for k, v in meta["versions"].items()),
        "",
        "| component | files | MiB | mean file KiB | tar \\| zstd -3 MiB | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in d:
        lines.append(f"| {r['component']} | {r['files']} | {r['bytes'] / MiB:.1f} | "
                     f"{r['bytes'] / max(1, r['files']) / 1024:.1f} | {r['zstd3_bytes'] / MiB:.1f} | {r['zstd3_ratio']} |")
    return lines


def main_report(rows, meta):
    med = medians(rows)
    present = [(t, name) for t, name in TOOLS if any(k[0] == t for k in med)]
    cols = [name for _, name in present] + ["Stackvault / restic", "Stackvault / tar+zstd"]
    lines = ["## Results", ""] + header(meta) + [
        "",
        "| operation | metric | " + " | ".join(cols) + " |",
        "|---|---|" + "---:|" * len(cols),
    ]
    for op, op_name in OPS:
        for m, m_name in METRICS:
            vals = {t: med.get((t, op), {}).get(m) for t, _ in TOOLS}
            cells = []
            for t, _ in present:
                cell = fmt(vals[t])
                if t == "tarzstd" and op in ("nochange", "grow") and vals[t] is not None:
                    cell += " †"
                cells.append(cell)
            cells += [ratio(vals["stackvault"], vals["restic"]), ratio(vals["stackvault"], vals["tarzstd"])]
            lines.append(f"| {op_name} | {m_name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "time s: wall-clock seconds; CPU s: user + system seconds; peak RSS MB: largest resident set of one process "
        "(GNU time `%M`; for tar+zstd the larger of tar and zstd); repo MB: `du -sb` of the repository after the "
        "operation. Ratios below 1 favour Stackvault.",
        "",
        "† tar+zstd has no incremental mode: every backup writes a new full archive, and its repository keeps all "
        "archives (as the other tools keep all snapshots); its verify tests every archive with `zstd -t`.",
    ]
    return lines


def memory_report(rows, metas):
    med = medians(rows)
    present = [(t, name) for t, name in TOOLS if any(k[0] == t for k in med)]
    lines = ["## Memory scaling", "", "Peak RSS (MB, median) of a full backup into an empty repository.", "",
             "| data size | data MiB | files | " + " | ".join(n for _, n in present) + " |",
             "|---|---:|---:|" + "---:|" * len(present)]
    for meta in metas:
        total = next(r for r in meta["data"] if r["component"] == "total")
        cells = [fmt(med.get((t, f"full@{meta['size']}"), {}).get("rss_mb")) for t, _ in present]
        lines.append(f"| {meta['size']} | {total['bytes'] / MiB:.0f} | {total['files']} | " + " | ".join(cells) + " |")
    m0 = metas[0]
    lines += ["", f"- Date: {m0['date']}; command: `{m0['command']}`; {m0['nproc']} CPUs, "
                  f"{m0['mem_bytes'] / 1024 ** 3:.1f} GiB RAM",
              "- Versions: " + "; ".join(f"{k}: {v}" for k, v in m0["versions"].items())]
    return lines


def write_out(path, lines, section):
    begin, end = f"<!-- bench:{section}:begin -->", f"<!-- bench:{section}:end -->"
    block = "\n".join([begin, "<!-- generated by bench/run.sh; edits inside these markers are overwritten -->"]
                      + lines + [end])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text() if path.exists() else "# Benchmarks\n\nStackvault against restic and tar+zstd; " \
                                                 "how to run and what is measured: bench/README.md.\n"
    if begin in old and end in old:
        new = old[:old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["main", "memory"])
    ap.add_argument("--measurements", required=True)
    ap.add_argument("--metas", nargs="+", required=True)
    ap.add_argument("--json", required=True, help="machine-readable result file to write")
    ap.add_argument("--out", help="Markdown file to write or update")
    a = ap.parse_args()
    rows = load(a.measurements)
    metas = [json.loads(Path(m).read_text()) for m in a.metas]
    if a.mode == "main":
        lines = main_report(rows, metas[0])
    else:
        lines = memory_report(rows, metas)
    med = medians(rows)
    Path(a.json).write_text(json.dumps({"meta": metas, "measurements": rows,
                                        "medians": [dict(tool=t, op=o, **v) for (t, o), v in sorted(med.items())]},
                                       indent=1))
    print("\n".join(lines))
    if a.out:
        write_out(a.out, lines, a.mode)
        print(f"bench: wrote {a.out}", file=sys.stderr)
    print(f"bench: results in {a.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
