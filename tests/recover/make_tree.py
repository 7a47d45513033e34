#!/usr/bin/env python3
"""Builds an awkward source tree for tests/recover/run.sh: usage make_tree.py DIR (DIR must not exist).

Many small files, a 20 MB file (half random, half repeated text), a 40 MiB sparse file, empty files and
directories, relative, dangling and absolute symlinks, hard links (within and across directories), UTF-8 and odd
names (spaces, newline, quotes, backslash, leading dash), a 40-level deep path, a fifo, unusual modes (setuid,
setgid, sticky, read-only), nanosecond mtimes, and foreign owners when run as root. Deterministic (seeded
random data). A 'small/' subdirectory is kept modest for the pure Python AES path.
"""

from __future__ import annotations

import os
import random
import sys


def write(path: str, data: bytes, mode: int = 0o644) -> None:
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def main() -> int:
    root = sys.argv[1]
    rng = random.Random(20240607)
    os.makedirs(root)
    j = os.path.join

    # many small files, some sharing content (deduplicated blobs used by several files)
    os.makedirs(j(root, "many"))
    for i in range(400):
        body = (f"line {i}\n" * (i % 37)).encode() if i % 5 else b"shared content\n"
        write(j(root, "many", f"f{i:04d}.txt"), body)

    # a 20 MB file: 10 MB random (incompressible, stored raw) then 10 MB of text (compressible)
    big = rng.randbytes(10 << 20) + b"0123456789abcdef log line text\n" * ((10 << 20) // 32)
    write(j(root, "big.bin"), big)

    # sparse: 40 MiB: 1 MiB of data, a 38 MiB hole, 1 MiB of data. FastCDC cuts all-zero runs at chunk_max_size, so
    # the hole yields all-zero chunks (deduplicated to one blob) that a restore can skip with a seek.
    sp = j(root, "sparse.img")
    with open(sp, "wb") as f:
        f.write(rng.randbytes(1 << 20))
        f.seek(39 << 20)
        f.write(rng.randbytes(1 << 20))

    small = j(root, "small")
    os.makedirs(small)
    write(j(small, "empty"), b"")
    os.makedirs(j(small, "empty dir"))
    os.makedirs(j(small, "empty-700"), mode=0o700)
    os.chmod(j(small, "empty-700"), 0o700)
    names = ["with space", "new\nline", "quote\"double", "quote'single", "back\\slash", "-leading-dash",
             "ünïcødé-ñ", "日本語のファイル", "emoji-🙂", "tab\there", "#hash", "semi;colon", "star*", "q?"]
    for k, name in enumerate(names):
        write(j(small, name), f"content of {name!r}\n".encode() * (k + 1))
    write(j(small, "setuid"), b"#!/bin/sh\n", 0o4755)
    write(j(small, "readonly"), b"ro\n", 0o444)
    write(j(small, "exec"), b"x\n", 0o700)
    write(j(small, "odd-mode"), b"m\n", 0o6510)
    os.makedirs(j(small, "sticky"))
    os.chmod(j(small, "sticky"), 0o1777)
    os.makedirs(j(small, "setgid-dir"))
    os.chmod(j(small, "setgid-dir"), 0o2750)
    write(j(small, "setgid-dir", "inside"), b"in\n")
    os.symlink("with space", j(small, "link-relative"))
    os.symlink("does/not/exist", j(small, "link-dangling"))
    os.symlink("/etc/hostname", j(small, "link-absolute"))
    os.symlink("../small", j(small, "link-to-dir"))
    os.symlink("new\nline", j(small, "link-odd-target"))
    os.mkfifo(j(small, "fifo"))
    # hard links: a group of three in one dir, and a pair across directories
    write(j(small, "hl-a"), b"hard link group\n" * 100)
    os.link(j(small, "hl-a"), j(small, "hl-b"))
    os.makedirs(j(small, "hl-dir"))
    os.link(j(small, "hl-a"), j(small, "hl-dir", "hl-c"))
    write(j(small, "pair-1"), b"pair\n")
    os.link(j(small, "pair-1"), j(root, "pair-2"))
    # deep path
    deep = small
    for level in range(40):
        deep = j(deep, f"level-{level:02d}")
    os.makedirs(deep)
    write(j(deep, "bottom.txt"), b"bottom\n")
    if os.geteuid() == 0:
        os.chown(j(small, "with space"), 1234, 5678)
        os.lchown(j(small, "link-relative"), 4321, 8765)
        os.chown(j(small, "empty dir"), 42, 43)

    # nanosecond mtimes everywhere (files and symlinks first, directories last and deepest first)
    stamp = 1_600_000_000_123_456_789
    all_dirs = []
    for dirpath, dirnames, filenames in os.walk(root):
        all_dirs.append(dirpath)
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            stamp += 1_000_000_007
            os.utime(os.path.join(dirpath, name), ns=(stamp, stamp), follow_symlinks=False)
    for d in sorted(all_dirs, key=len, reverse=True):
        stamp += 999_999_937
        os.utime(d, ns=(stamp, stamp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
