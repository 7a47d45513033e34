#!/usr/bin/env python3
"""Checks a partial restore: usage partial.py FULL PARTIAL < recover.py's output.

Every file present in PARTIAL equals its counterpart in FULL (no wrong bytes restored); every regular file of FULL
missing from PARTIAL is named on a "not restored: PATH:" line of the output; at least one file was restored and at
least one was named. Exits 1 on any difference.
"""

from __future__ import annotations

import os
import re
import sys


def files(root: str) -> dict[str, bytes]:
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    out[os.path.relpath(path, root)] = f.read()
    return out


def main() -> int:
    full, partial = files(sys.argv[1]), files(sys.argv[2])
    output = sys.stdin.read()
    def is_named(path: str) -> bool:  # the file, or a directory above it whose listing was lost
        parts = path.split(os.sep)
        return any(f"not restored: {os.sep.join(parts[:i])}: " in output for i in range(1, len(parts) + 1))

    named = {p for p in full if is_named(p)}
    problems = [f"{p}: restored with other bytes" for p, data in partial.items() if full.get(p) != data]
    missing = sorted(set(full) - set(partial))
    problems += [f"{p}: missing but not named" for p in missing if p not in named]
    problems += [f"{p}: named but restored" for p in named if p in partial]
    if not re.search(r"not restored: ", output):
        problems.append("no 'not restored:' line in the output")
    if not partial or not missing:
        problems.append(f"expected a partial restore: {len(partial)} files restored, {len(missing)} missing")
    for p in problems:
        print(p)
    print(f"partial restore: {len(partial)} files intact, {len(missing)} named as not restored")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
