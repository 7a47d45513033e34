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

TOOLS = [("stackvault", "Stackvault"), ("restic", "restic"), ("borg", "borg"), ("tarzstd", "tar+zstd")]
ANCHORS = [t for t in TOOLS if t[0] != "stackvault"]
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
    """{(tool, op): {metric: median, metric_min, metric_max, "runs": n}}"""
    groups = {}
    for r in rows:
        groups.setdefault((r["tool"], r["op"]), []).append(r)
    out = {}
    for k, g in groups.items():
        d = {"runs": len(g)}
        for m, _ in METRICS:
            vals = [r[m] for r in g]
            d[m], d[m + "_min"], d[m + "_max"] = statistics.median(vals), min(vals), max(vals)
        out[k] = d
    return out


def run_ratios(rows, op, metric, anchor):
    """Stackvault / anchor for each run in which both ran (the same run shares the machine's state): sorted list."""
    by = {(r["tool"], r["op"], r["run"]): r[metric] for r in rows}
    return sorted(by[("stackvault", op, run)] / by[(anchor, op, run)]
                  for (t, o, run) in by if t == "stackvault" and o == op
                  and (anchor, op, run) in by and by[(anchor, op, run)] > 0)


def ratio_cell(rows, op, metric, anchor):
    rs = run_ratios(rows, op, metric, anchor)
    if not rs:
        return "–"
    med = statistics.median(rs)
    return f"{med:.2f}×" if len(rs) == 1 else f"{med:.2f}× ({rs[0]:.2f}–{rs[-1]:.2f})"


def fmt(v):
    if v is None:
        return "–"
    return f"{v:.2f}" if v < 100 else f"{v:.0f}"


def cell(d, m):
    """Median, with the spread (min–max) when several runs disagree."""
    if not d or d.get(m) is None:
        return "–"
    text = fmt(d[m])
    if d["runs"] > 1 and m in ("wall_s", "cpu_s", "rss_mb") and d[m + "_max"] > d[m + "_min"]:
        text += f" ({fmt(d[m + '_min'])}–{fmt(d[m + '_max'])})"
    return text


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


GOALS = [
    # (what, op, metric, anchor, limit)
    ("full backup time", "full", "wall_s", "tarzstd", 0.8),
    ("no-change backup time", "nochange", "wall_s", "restic", 0.7),
    ("restore time", "restore", "wall_s", "tarzstd", 1.0),
    ("restore time", "restore", "wall_s", "restic", 0.7),
    ("repository size after the full backup", "full", "repo_mb", "tarzstd", 1.05),
]


def goals(rows, med):
    lines = ["", "Goals of issue #17 (ratios per run, median and range over the runs; below the limit is met):", "",
             "| goal | Stackvault / | limit | measured | met |", "|---|---|---:|---:|---|"]
    names = dict(TOOLS)
    for what, op, m, anchor, limit in GOALS:
        rs = run_ratios(rows, op, m, anchor)
        if not rs:
            continue
        med_r = statistics.median(rs)
        lines.append(f"| {what} | {names[anchor]} | {limit:.2f}× | {ratio_cell(rows, op, m, anchor)} | "
                     f"{'yes' if med_r <= limit else 'no'} |")
    peaks = [(op, d["rss_mb"]) for (t, op), d in med.items() if t == "stackvault"]
    if peaks:
        op, worst = max(peaks, key=lambda p: p[1])
        lines.append(f"| peak RSS of every operation | – | 150 MB | {worst:.0f} MB ({op}) | {'yes' if worst <= 150 else 'no'} |")
    return lines


def main_report(rows, meta):
    med = medians(rows)
    present = [(t, name) for t, name in TOOLS if any(k[0] == t for k in med)]
    anchors = [(t, name) for t, name in ANCHORS if any(k[0] == t for k in med)] if ("stackvault", "Stackvault") in present else []
    cols = [name for _, name in present] + [f"Stackvault / {name}" for _, name in anchors]
    lines = ["## Results", ""] + header(meta) + [
        "",
        "| operation | metric | " + " | ".join(cols) + " |",
        "|---|---|" + "---:|" * len(cols),
    ]
    for op, op_name in OPS:
        for m, m_name in METRICS:
            cells = []
            for t, _ in present:
                d = med.get((t, op))
                c = cell(d, m)
                if t == "tarzstd" and op in ("nochange", "grow") and d is not None:
                    c += " †"
                cells.append(c)
            cells += [ratio_cell(rows, op, m, t) for t, _ in anchors]
            lines.append(f"| {op_name} | {m_name} | " + " | ".join(cells) + " |")
    lines += goals(rows, med) if anchors else []
    lines += [
        "",
        "time s: wall-clock seconds; CPU s: user + system seconds; peak RSS MB: largest resident set of one process "
        "(GNU time `%M`; for tar+zstd the larger of tar and zstd); repo MB: `du -sb` of the repository after the "
        "operation. Figures are medians with (min–max) over the runs; ratios are taken per run (each operation "
        "measured for every tool back to back, the order reversed on even runs) and given as median (min–max). "
        "Ratios below 1 favour Stackvault.",
        "",
        "† tar+zstd has no incremental mode: every backup writes a new full archive, and its repository keeps all "
        "archives (as the other tools keep all snapshots); its verify tests every archive with `zstd -t`.",
    ]
    return lines


MEMORY_OPS = [("full", "full backup"), ("nochange", "no-change backup"), ("restore", "restore"),
              ("verify", "verify --read-data"), ("copy", "copy"), ("prune", "forget + prune")]


def memory_report(rows, metas):
    med = medians(rows)
    present = [(t, name) for t, name in TOOLS if any(k[0] == t for k in med)]
    sizes = [m["size"] for m in metas]
    lines = ["## Memory scaling", "", "Peak RSS (MB, median over the runs) of each operation as the data grows; "
             "a flat row is the goal (at most 150 MB, whatever the size).", ""]
    for t, name in present:
        lines += [f"{name}:", "", "| operation | " + " | ".join(sizes) + " |", "|---|" + "---:|" * len(sizes)]
        for op, op_name in MEMORY_OPS:
            cells = [fmt(med.get((t, f"{op}@{sz}"), {}).get("rss_mb")) for sz in sizes]
            if any(c != "–" for c in cells):
                lines.append(f"| {op_name} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["| data size | data MiB | files |", "|---|---:|---:|"]
    for meta in metas:
        total = next(r for r in meta["data"] if r["component"] == "total")
        lines.append(f"| {meta['size']} | {total['bytes'] / MiB:.0f} | {total['files']} |")
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
    old = path.read_text() if path.exists() else "# Benchmarks\n\nStackvault against restic, borg and tar+zstd; " \
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
    ap.add_argument("--section", help="marker name in --out (default: the mode); run.sh gives main-<size>, so each size keeps its own report")
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
        write_out(a.out, lines, a.section or a.mode)
        print(f"bench: wrote {a.out}", file=sys.stderr)
    print(f"bench: results in {a.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
