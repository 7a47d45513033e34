#!/usr/bin/env python3
"""Compares two directory trees byte for byte and by metadata; prints each difference, exits 1 if any.

Usage: compare.py A B [--no-owner] [--no-dir-mtime]

Per relative path: type, permission bits (07777), size, SHA-256 of file contents, symlink target, mtime in ns,
uid/gid, and hard-link groups (the sets of paths sharing an inode must be the same partition in both trees).
The two roots themselves are not compared, only what they contain.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import stat
import sys


def kind(st: os.stat_result) -> str:
    m = st.st_mode
    for test, name in ((stat.S_ISREG, "file"), (stat.S_ISDIR, "dir"), (stat.S_ISLNK, "symlink"),
                       (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "chardev"), (stat.S_ISBLK, "blockdev"),
                       (stat.S_ISSOCK, "socket")):
        if test(m):
            return name
    return "unknown"


def sha256_file(path: bytes) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def scan(root: bytes, owner: bool, dir_mtime: bool) -> tuple[dict[bytes, dict], list[frozenset[bytes]]]:
    items: dict[bytes, dict] = {}
    inodes: dict[tuple[int, int], set[bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            k = kind(st)
            rec = {"type": k, "mtime_ns": st.st_mtime_ns}
            if k == "dir" and not dir_mtime:
                del rec["mtime_ns"]
            if k != "symlink":
                rec["mode"] = oct(stat.S_IMODE(st.st_mode))
            if owner:
                rec["uid"], rec["gid"] = st.st_uid, st.st_gid
            if k == "file":
                rec["size"] = st.st_size
                rec["sha256"] = sha256_file(full)
                if st.st_nlink > 1:
                    inodes.setdefault((st.st_dev, st.st_ino), set()).add(rel)
            elif k == "symlink":
                rec["target"] = os.readlink(full)
            elif k in ("chardev", "blockdev"):
                rec["rdev"] = st.st_rdev
            items[rel] = rec
    groups = [frozenset(g) for g in inodes.values() if len(g) > 1]
    return items, groups


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--no-owner", action="store_true")
    ap.add_argument("--no-dir-mtime", action="store_true")
    args = ap.parse_args()
    a, ga = scan(os.fsencode(args.a), not args.no_owner, not args.no_dir_mtime)
    b, gb = scan(os.fsencode(args.b), not args.no_owner, not args.no_dir_mtime)
    diffs = []
    for rel in sorted(set(a) | set(b)):
        shown = os.fsdecode(rel)
        if rel not in a:
            diffs.append(f"only in B: {shown!r}")
        elif rel not in b:
            diffs.append(f"only in A: {shown!r}")
        elif a[rel] != b[rel]:
            fields = sorted(k for k in set(a[rel]) | set(b[rel]) if a[rel].get(k) != b[rel].get(k))
            diffs.append(f"{shown!r}: " + ", ".join(f"{k} {a[rel].get(k)!r} != {b[rel].get(k)!r}" for k in fields))
    if set(ga) != set(gb):
        diffs.append(f"hard-link groups differ: {sorted(map(sorted, ga))} != {sorted(map(sorted, gb))}")
    for d in diffs[:50]:
        print(f"  DIFF {d}")
    if len(diffs) > 50:
        print(f"  ... and {len(diffs) - 50} more")
    if not diffs:
        print(f"  same: {len(a)} entries, {len(ga)} hard-link groups")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
