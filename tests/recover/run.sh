#!/usr/bin/env bash
# Recovery without Stackvault: backs up an awkward tree with the Stackvault CLI into an encrypted and an
# unencrypted repository, restores it with `stackvault restore` and with tools/recover.py (which follows
# docs/design.md only), and compares the trees byte for byte and by metadata. Also hostile checks: a corrupted pack
# byte, an altered blob under a valid pack name, a wrong password, a non-empty target. Also every format version
# the code writes (config version 3 with BLAKE3, the default, and version 2 with SHA-256 from `init --hash sha256`;
# a pruned repository's index version 2), each BLAKE3 backend of recover.py (the blake3 module, b3sum, pure Python),
# configs with a missing or unknown hash, a copied repository, an rclone-synced one, and partial restores around a
# damaged pack (the hostile-snapshot corpus is tests/Stackvault.Tests/Hostile).
# Ends with exactly one line "recover: N passed, M failed" and exits non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/recover"
sv="$root/stackvault"
recover=(python3 "${RECOVER_PY:-$root/tools/recover.py}")   # RECOVER_PY: another restorer to hold to the same checks
work="$(mktemp -d "${TMPDIR:-/tmp}/sv-recover-test.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
finish() { echo "recover: $passed passed, $failed failed"; [[ $failed -eq 0 && $passed -gt 0 ]]; exit $?; }
# check NAME COMMAND...: one test, passing when the command succeeds; output shown only on failure
check() {
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then pass "$name"; else fail "$name"; printf '%s\n' "$out" | tail -n 25 | sed 's/^/     /'; fi
}
# expect_fail NAME PATTERN COMMAND...: passes when the command fails and its output matches PATTERN
expect_fail() {
  local name="$1" pattern="$2"; shift 2
  local out rc
  out="$("$@" 2>&1)"; rc=$?
  if [[ $rc -ne 0 ]] && grep -Eq -- "$pattern" <<<"$out"; then pass "$name"
  else fail "$name (rc $rc, wanted a failure matching /$pattern/)"; printf '%s\n' "$out" | tail -n 10 | sed 's/^/     /'; fi
}

for tool in zstd b3sum python3; do
  command -v "$tool" >/dev/null || { fail "prerequisite: $tool missing"; finish; }
done
export STACKVAULT_PASSWORD="correct horse ✓ battery"
export STACKVAULT_REPOSITORY=
export STACKVAULT_TEST_ALLOW_WEAK_KDF=1   # --kdf-iterations 1000 below: fast test keys (refused without it)
src="$work/src"
python3 "$here/make_tree.py" "$src" || { fail "make the source tree"; finish; }
rel="${src#/}"   # the root tree mirrors absolute paths (design.md 11.1)

check "recover.py --self-test (AES-256 GCM test cases 13-16, FIPS-197 C.3; both backends; BLAKE3: every available)" \
  "${recover[@]}" --self-test
# The blake3 Python module is not packaged for Debian: when it is not installed, a stand-in with its API
# (blake3(data, key=...).hexdigest()) over b3sum exercises recover.py's module backend (ModuleBlake3); the real module
# is used when present.
pymod="$work/pymod"
mkdir -p "$pymod"
if python3 -c "import blake3; blake3.blake3" >/dev/null 2>&1; then module_env=(env)
else
  module_env=(env PYTHONPATH="$pymod")
  cat >"$pymod/blake3.py" <<'PY'
"""A stand-in for the blake3 module (PyPI blake3: blake3(data, key=...) -> .hexdigest()), computed by b3sum."""
import subprocess, tempfile
class blake3:
    def __init__(self, data=b"", *, key=None, max_threads=1):
        self._data, self._key = bytearray(data), key
    def update(self, data):
        self._data += data
        return self
    def hexdigest(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(self._data)
            f.flush()
            cmd = ["b3sum", "--no-names"] + (["--keyed"] if self._key is not None else []) + [f.name]
            out = subprocess.run(cmd, input=self._key or b"", capture_output=True, check=True).stdout
            return out.split()[0].decode()
    def digest(self):
        return bytes.fromhex(self.hexdigest())
PY
fi
# self_test_backend B: --self-test --blake3 B passes and says it checked B (known answers: "", "abc", 100 KiB, keyed)
self_test_backend() {
  local out
  out="$("$@" 2>&1)" || { echo "$out"; return 1; }
  echo "$out"; grep -q "^BLAKE3 (${@: -1}): known-answer tests passed" <<<"$out"
}
check "recover.py --self-test --blake3 python (pure Python BLAKE3 against b3sum's answers)" \
  self_test_backend "${recover[@]}" --self-test --blake3 python
check "recover.py --self-test --blake3 b3sum" \
  self_test_backend "${recover[@]}" --self-test --blake3 b3sum
check "recover.py --self-test --blake3 module (the blake3 module, or its stand-in)" \
  self_test_backend "${module_env[@]}" "${recover[@]}" --self-test --blake3 module

# --- the repositories: encrypted and unencrypted with the default hash (BLAKE3, config version 3), and an encrypted
# SHA-256 one (`init --hash sha256`, config version 2) ----------------------------------------------------------------
for kind in enc plain sha; do
  repo="$work/repo-$kind"
  opts=(--kdf-iterations 1000)
  [[ $kind == plain ]] && opts=(--no-encryption)
  [[ $kind == sha ]] && opts+=(--hash sha256)
  if ! out="$("$sv" init -r "$repo" "${opts[@]}" --pack-size 4 2>&1)"; then
    fail "stackvault init ($kind)"; printf '%s\n' "$out" | sed 's/^/     /'; finish
  fi
  if ! out="$("$sv" backup -r "$repo" "$src" 2>&1)"; then
    fail "stackvault backup ($kind)"; printf '%s\n' "$out" | sed 's/^/     /'; finish
  fi
  "$sv" restore -r "$repo" latest -t "$work/sv-$kind" >/dev/null 2>&1 || fail "stackvault restore ($kind)"
done
# a second, small snapshot for the (slow) pure Python AES path
"$sv" backup -r "$work/repo-enc" "$src/small" >/dev/null 2>&1 || fail "stackvault backup small (enc)"
small_id="$("${recover[@]}" --repo "$work/repo-enc" --list 2>/dev/null | tail -n 1 | cut -d' ' -f1)"
"$sv" restore -r "$work/repo-enc" "$small_id" -t "$work/sv-small" >/dev/null 2>&1 || fail "stackvault restore small"

check "stackvault restore (encrypted) equals the source" \
  python3 "$here/compare.py" "$src" "$work/sv-enc/$rel" --no-dir-mtime
# What the checks below rely on: the default repositories are version 3 / BLAKE3 with packs named by b3sum, the
# --hash sha256 one version 2 without a hash field, its packs named by sha256sum (design.md 2, 4, 10).
check "repositories: default = config 3, hash blake3, packs named by b3sum; --hash sha256 = config 2, packs by sha256sum" \
  python3 - "$work" <<'PY'
import base64, glob, json, os, subprocess, sys
work = sys.argv[1]
for kind, version, hash_field, tool in (("enc", 3, "blake3", "b3sum"), ("plain", 3, "blake3", "b3sum"),
                                         ("sha", 2, None, "sha256sum")):
    outer = json.load(open(os.path.join(work, f"repo-{kind}", "config")))
    body = json.loads(base64.b64decode(outer["config"]))
    print(kind, outer["version"], body.get("hash"))
    if (outer["version"], body["version"], body.get("hash")) != (version, version, hash_field):
        sys.exit(f"repo-{kind}: config version {outer['version']}/{body['version']}, hash {body.get('hash')!r}")
    packs = glob.glob(os.path.join(work, f"repo-{kind}", "data", "*", "*"))
    out = subprocess.run([tool, *packs], capture_output=True, text=True, check=True).stdout
    names = [line.split(maxsplit=1)[0] for line in out.splitlines()]
    bad = [p for p, n in zip(packs, names) if os.path.basename(p) != n]
    if not packs or bad:
        sys.exit(f"repo-{kind}: {len(packs)} packs, {len(bad)} not named by {tool}: {bad[:3]}")
PY

# --- recover.py restores ---------------------------------------------------------------------------------------
snap_enc="$("${recover[@]}" --repo "$work/repo-enc" --list 2>/dev/null | head -n 1 | cut -d' ' -f1)"
check "recover.py --list (encrypted) shows two snapshots" \
  bash -c '[[ $("$@" --repo "'"$work/repo-enc"'" --list | wc -l) -eq 2 ]]' _ "${recover[@]}"
# clean PATTERN COMMAND...: the command succeeds, reports no pack as corrupt (a pack-name check with the wrong hash
# only warns: each blob is still checked on its own) and its output matches PATTERN (recover.py: its BLAKE3 backend)
clean() {
  local pattern="$1" out; shift
  out="$("$@" 2>&1)" || { echo "$out"; return 1; }
  echo "$out"
  if grep -q "corrupt" <<<"$out"; then echo "FAILED: a pack was reported corrupt"; return 1; fi
  grep -Eq -- "$pattern" <<<"$out" || { echo "FAILED: the output does not match /$pattern/"; return 1; }
}
check "recover.py restore (encrypted, BLAKE3, libcrypto AES-GCM)" \
  clean "recovered snapshot" "${recover[@]}" --repo "$work/repo-enc" --snapshot "$snap_enc" --target "$work/rc-enc"
check "encrypted: recover.py tree equals stackvault restore (content, modes, mtimes, owners, hard links)" \
  python3 "$here/compare.py" "$work/sv-enc" "$work/rc-enc"
check "recover.py restore (unencrypted, BLAKE3)" \
  clean "recovered snapshot" "${recover[@]}" --repo "$work/repo-plain" --snapshot latest --target "$work/rc-plain"
check "unencrypted: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-plain" "$work/rc-plain"
check "recover.py restore (encrypted, SHA-256: init --hash sha256, config version 2)" \
  clean "recovered snapshot" "${recover[@]}" --repo "$work/repo-sha" --snapshot latest --target "$work/rc-sha"
check "SHA-256 repository: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-sha" "$work/rc-sha"
check "recover.py restore (encrypted, --blake3 b3sum: pack names and keyed blob ids by b3sum)" \
  clean "BLAKE3 \(backend: b3sum\)" "${recover[@]}" --repo "$work/repo-enc" --snapshot "$snap_enc" --blake3 b3sum \
    --target "$work/rc-b3sum"
check "--blake3 b3sum: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-enc" "$work/rc-b3sum"
check "recover.py --scan-packs (no index files used, password from --password-file)" bash -c '
  printf "%s\n" "$STACKVAULT_PASSWORD" >"'"$work/pw"'"
  out="$(STACKVAULT_PASSWORD= "$@" --repo "'"$work/repo-enc"'" --snapshot "'"$snap_enc"'" --scan-packs \
    --password-file "'"$work/pw"'" --target "'"$work/rc-scan"'" 2>&1)" || { echo "$out"; exit 1; }
  ! grep -q corrupt <<<"$out" || { echo "a pack reported corrupt: $out"; exit 1; }
  python3 "'"$here/compare.py"'" "'"$work/sv-enc"'" "'"$work/rc-scan"'"' _ "${recover[@]}"
check "recover.py restore (encrypted, pure Python AES-GCM, small snapshot)" \
  "${recover[@]}" --repo "$work/repo-enc" --snapshot "$small_id" --aes python --target "$work/rc-small"
check "pure Python AES: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-small" "$work/rc-small"
check "recover.py restore (encrypted, pure Python BLAKE3 and AES-GCM: no dependency but zstd, small snapshot)" \
  clean "BLAKE3 \(backend: python\)" "${recover[@]}" --repo "$work/repo-enc" --snapshot "$small_id" --aes python \
    --blake3 python --target "$work/rc-small-py"
check "pure Python BLAKE3: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-small" "$work/rc-small-py"
check "recover.py restore (encrypted, --blake3 module, small snapshot)" \
  clean "BLAKE3 \(backend: module\)" "${module_env[@]}" "${recover[@]}" --repo "$work/repo-enc" --snapshot "$small_id" \
    --blake3 module --target "$work/rc-small-module"
check "--blake3 module: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-small" "$work/rc-small-module"
# Without b3sum (nor the module): --blake3 b3sum is a one-line error before anything is written; auto falls back to
# pure Python with one warning naming the fix.
nob3sum="$work/no-b3sum"
mkdir -p "$nob3sum" && ln -s "$(command -v zstd)" "$nob3sum/zstd"
py="$(python3 -c 'import sys; print(sys.executable)')"
check "no b3sum: --blake3 b3sum is a one-line error (no traceback, nothing written)" bash -c '
  out="$(env PATH="'"$nob3sum"'" "'"$py"'" "$@" --repo "'"$work/repo-plain"'" --blake3 b3sum --target "'"$work/rc-nob3sum"'" 2>&1)"; rc=$?
  echo "rc $rc: $out"
  [[ $rc -eq 1 && $(wc -l <<<"$out") -eq 1 ]] && grep -q "b3sum command is missing" <<<"$out" &&
  ! grep -q Traceback <<<"$out" && [[ ! -e "'"$work/rc-nob3sum"'" ]]' _ "${recover[@]:1}"
if python3 -c "import blake3" >/dev/null 2>&1; then
  pass "no b3sum: auto falls back (skipped: the blake3 module is installed, auto takes it)"
else
  check "no b3sum, no module: auto falls back to pure Python with one warning naming apt-get install b3sum" bash -c '
    out="$(env PATH="'"$nob3sum"'" "'"$py"'" "$@" --repo "'"$work/repo-plain"'" --list 2>&1)" || { echo "$out"; exit 1; }
    echo "$out"
    [[ $(grep -c "warning:.*slow.*apt-get install b3sum" <<<"$out") -eq 1 ]] && grep -q "backend: python" <<<"$out"' \
    _ "${recover[@]:1}"
fi
check "sparse file stays sparse (stackvault restore and recover.py allocate under half of its size)" bash -c '
  for f in "'"$src"'" "'"$work/sv-enc/$rel"'" "'"$work/rc-enc/$rel"'"; do
    s=$(stat -c %s "$f/sparse.img"); b=$(( $(stat -c %b "$f/sparse.img") * 512 )); echo "$f: $b of $s bytes allocated"
    [[ $b -lt $((s / 2)) ]] || exit 1
  done'

# --- every format version the code writes, and repositories that went through other tools (issue 18 item 2) ----
# Pruned: forget + prune deletes packs and writes an index file of version 2 (pending_orphans, design.md 8).
mkdir -p "$work/gone" && head -c 6000000 /dev/urandom >"$work/gone/random.bin"
repo="$work/repo-pruned"
if "$sv" init -r "$repo" --no-encryption --pack-size 4 >/dev/null 2>&1 &&
   "$sv" backup -r "$repo" "$work/gone" >/dev/null 2>&1 && "$sv" backup -r "$repo" "$src/small" >/dev/null 2>&1 &&
   "$sv" forget -r "$repo" --keep-last 1 --group-by host --prune >/dev/null 2>&1 &&
   "$sv" restore -r "$repo" latest -t "$work/sv-pruned" >/dev/null 2>&1; then pass "prepare a pruned repository"
else fail "prepare a pruned repository"; fi
check "the pruned repository holds an index file of version 2" python3 - "$repo/index" <<'PY'
import os, subprocess, sys
versions = []
for name in os.listdir(sys.argv[1]):
    raw = open(os.path.join(sys.argv[1], name), "rb").read()
    body = raw[1:] if raw[0] == 0 else subprocess.run(["zstd", "-d", "-c"], input=raw[9:], capture_output=True, check=True).stdout
    versions.append(body[4])
print("index versions:", versions)
sys.exit(0 if 2 in versions else 1)
PY
check "recover.py restores the pruned repository (index version 2) like stackvault" bash -c '
  "$@" --repo "'"$work/repo-pruned"'" --target "'"$work/rc-pruned"'" &&
  python3 "'"$here/compare.py"'" "'"$work/sv-pruned"'" "'"$work/rc-pruned"'"' _ "${recover[@]}"

# Copied: `stackvault copy` re-identifies every blob and tree under the destination's keys (design.md 19).
if "$sv" init -r "$work/repo-copy" --kdf-iterations 1000 --pack-size 4 >/dev/null 2>&1 &&
   STACKVAULT_FROM_PASSWORD="$STACKVAULT_PASSWORD" "$sv" copy --from-repo "$work/repo-enc" -r "$work/repo-copy" >/dev/null 2>&1
then pass "copy the encrypted repository's snapshots into a new repository"; else fail "stackvault copy"; fi
check "recover.py restores a copied snapshot like stackvault restores its source" bash -c '
  first="$("$@" --repo "'"$work/repo-copy"'" --list | head -n 1 | cut -d" " -f1)"
  "$@" --repo "'"$work/repo-copy"'" --snapshot "$first" --target "'"$work/rc-copy"'" &&
  python3 "'"$here/compare.py"'" "'"$work/sv-enc"'" "'"$work/rc-copy"'"' _ "${recover[@]}"

# Synced to another disk by rclone (local to local, as operators mirror a repository).
if command -v rclone >/dev/null; then
  check "recover.py restores a repository synced by rclone" bash -c '
    RCLONE_CONFIG=/dev/null rclone sync "'"$work/repo-enc"'" "'"$work/repo-rclone"'" &&
    RCLONE_CONFIG=/dev/null rclone sync "'"$work/repo-pruned"'" "'"$work/repo-pruned-rclone"'" &&
    "$@" --repo "'"$work/repo-rclone"'" --snapshot "'"$snap_enc"'" --target "'"$work/rc-rclone"'" &&
    python3 "'"$here/compare.py"'" "'"$work/sv-enc"'" "'"$work/rc-rclone"'" &&
    "$@" --repo "'"$work/repo-pruned-rclone"'" --target "'"$work/rc-pruned-rclone"'" &&
    python3 "'"$here/compare.py"'" "'"$work/sv-pruned"'" "'"$work/rc-pruned-rclone"'"' _ "${recover[@]}"
else
  fail "prerequisite: rclone missing (scripts/setup.sh installs it)"
fi

# --- damage costs only what depends on it (issue 14 item 4) -----------------------------------------------------
# One flipped byte in a pack header: the index still locates every blob, each blob authenticates on its own, so
# recover.py restores everything, as stackvault does (it rejected the whole pack before).
cp -a "$work/repo-enc" "$work/repo-hdr" && chmod -R u+w "$work/repo-hdr"
hdr_pack="$(ls -S "$work"/repo-hdr/data/*/* | head -n 1)"
python3 - "$hdr_pack" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
(n,) = struct.unpack_from("<I", b, len(b) - 4)
b[len(b) - 4 - n // 2] ^= 0x01  # the middle of the sealed header
open(p, "wb").write(b)
PY
check "pack header with one flipped byte: stackvault restores the snapshot" \
  "$sv" restore -r "$work/repo-hdr" "$snap_enc" -t "$work/sv-hdr"
check "pack header with one flipped byte: recover.py restores everything, warning about the pack" bash -c '
  out="$("$@" --repo "'"$work/repo-hdr"'" --snapshot "'"$snap_enc"'" --target "'"$work/rc-hdr"'" 2>&1)" || { echo "$out"; exit 1; }
  grep -q "$(basename "'"$hdr_pack"'"): corrupt: BLAKE3 of its" <<<"$out" || { echo "no warning naming the pack: $out"; exit 1; }
  python3 "'"$here/compare.py"'" "'"$work/sv-enc"'" "'"$work/rc-hdr"'"' _ "${recover[@]}"
# With --scan-packs the damaged pack's blobs are lost. Which blobs share a pack depends on the order the backup's
# files finished in, so the largest pack may hold the root tree (then nothing is restorable, correctly, but nothing
# partial is shown): the check takes the largest pack whose loss leaves a partial restore, among the four largest.
scan_packs_partial() {
  local candidate n=0 out rc
  for candidate in $(ls -S "$work"/repo-enc/data/*/* | head -n 4); do
    n=$((n + 1))
    rm -rf "$work/repo-scan" "$work/rc-hdr-scan"
    cp -a "$work/repo-enc" "$work/repo-scan" && chmod -R u+w "$work/repo-scan"
    python3 - "$work/repo-scan/${candidate#"$work"/repo-enc/}" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
(n,) = struct.unpack_from("<I", b, len(b) - 4)
b[len(b) - 4 - n // 2] ^= 0x01
open(p, "wb").write(b)
PY
    out="$("${recover[@]}" --repo "$work/repo-scan" --snapshot "$snap_enc" --scan-packs --target "$work/rc-hdr-scan" 2>&1)"; rc=$?
    local verdict ok=0
    verdict="$(python3 "$here/partial.py" "$work/sv-enc" "$work/rc-hdr-scan" <<<"$out")" || ok=1
    if [[ $rc -eq 1 && $ok -eq 0 ]]; then
      echo "pack $n by size: $verdict"; return 0
    fi
    # anything but "this pack held everything" is a failure
    grep -q "expected a partial restore: 0 files restored" <<<"$verdict" && [[ $rc -eq 1 ]] && continue
    echo "pack $n by size (rc $rc): $verdict"; echo "$out" | tail -n 5; return 1
  done
  echo "none of the four largest packs left a partial restore"; return 1
}
check "pack header flipped, --scan-packs: recover.py restores every file not in that pack, names the others, exits 1" \
  scan_packs_partial

# --- refusals and hostile repositories -------------------------------------------------------------------------
mkdir -p "$work/nonempty" && touch "$work/nonempty/x"
expect_fail "refuses a non-empty target" "not an empty directory" \
  "${recover[@]}" --repo "$work/repo-plain" --target "$work/nonempty"
check "wrong password: recover.py says so and exits 12" bash -c '
  out="$(STACKVAULT_PASSWORD=nope "$@" --repo "'"$work/repo-enc"'" --target "'"$work/rc-wrong"'" 2>&1)"; rc=$?
  echo "rc $rc: $out"; [[ $rc -eq 12 ]] && grep -q "wrong password" <<<"$out"' _ "${recover[@]}"

# A corrupted pack byte, in the BLAKE3 repository and in the SHA-256 one: the warning names the pack and its hash.
for kind in enc sha; do
  hash=BLAKE3; [[ $kind == sha ]] && hash=SHA-256
  cp -a "$work/repo-$kind" "$work/repo-bad-$kind"
  chmod -R u+w "$work/repo-bad-$kind"
  pack="$(ls -S "$work"/repo-bad-$kind/data/*/* | head -n 1)"
  python3 - "$pack" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 3] ^= 0x40
open(p, "wb").write(b)
PY
  snap="$snap_enc"; [[ $kind == sha ]] && snap=latest
  check "corrupted pack byte ($hash): recover.py names the pack and each file it cannot restore, restores the rest" bash -c '
    out="$("$@" --repo "'"$work/repo-bad-$kind"'" --snapshot "'"$snap"'" --target "'"$work/rc-bad-$kind"'" 2>&1)"; rc=$?
    echo "$out" | tail -n 5
    [[ $rc -eq 1 ]] && grep -q "data/../$(basename "'"$pack"'"): corrupt: '"$hash"' of its" <<<"$out" &&
    python3 "'"$here/partial.py"'" "'"$work/sv-$kind"'" "'"$work/rc-bad-$kind"'" <<<"$out"' _ "${recover[@]}"
done

# An altered blob under a valid name: flip a byte inside an uncompressed blob of the unencrypted repository, rename
# the pack to its new name (the repository's hash: BLAKE3, by b3sum) and rewrite the index to point there (index files
# stay SHA-256). Only the blob-id recomputation can catch it: the pack itself must not be reported corrupt.
cp -a "$work/repo-plain" "$work/repo-alt"
chmod -R u+w "$work/repo-alt"
check "prepare the altered-blob repository" python3 - "$work/repo-alt" <<'PY'
import hashlib, os, struct, subprocess, sys
repo = sys.argv[1]
idx_dir = os.path.join(repo, "index")
# A backup writes an index checkpoint every few packs, so there may be several index files: the first raw blob found
# in any of them is altered, and only the index file that names its pack is rewritten.
for idx_name in sorted(n for n in os.listdir(idx_dir) if len(n) == 64):
    raw = open(os.path.join(idx_dir, idx_name), "rb").read()
    body = raw[1:] if raw[0] == 0 else subprocess.run(["zstd", "-d", "-c"], input=raw[9:], capture_output=True, check=True).stdout
    pos = 8 + 4 + 32 * struct.unpack_from("<I", body, 8)[0]
    (n_packs,) = struct.unpack_from("<I", body, pos); pos += 4
    for _ in range(n_packs):
        pack_id = body[pos:pos + 32].hex(); (n,) = struct.unpack_from("<I", body, pos + 32); pos += 36
        for _ in range(n):
            btype, flags, _z, off, length, raw_len = struct.unpack_from("<BBHIII", body, pos); pos += 48
            if btype == 0 and not flags & 1 and length > 100:  # a raw (uncompressed) data blob
                path = os.path.join(repo, "data", pack_id[:2], pack_id)
                b = bytearray(open(path, "rb").read()); b[off + length // 2] ^= 1
                open(path, "wb").write(b)
                new = subprocess.run(["b3sum", "--no-names", path], capture_output=True, text=True,
                                     check=True).stdout.strip()
                os.makedirs(os.path.join(repo, "data", new[:2]), exist_ok=True)
                os.rename(path, os.path.join(repo, "data", new[:2], new))
                new_body = b"\0" + body.replace(bytes.fromhex(pack_id), bytes.fromhex(new))
                open(os.path.join(idx_dir, hashlib.sha256(new_body).hexdigest()), "wb").write(new_body)
                os.remove(os.path.join(idx_dir, idx_name))
                sys.exit(0)
sys.exit("no raw data blob found")
PY
check "altered blob under a valid pack name: recover.py fails naming the blob, the pack name verifies" bash -c '
  out="$("$@" --repo "'"$work/repo-alt"'" --target "'"$work/rc-alt"'" 2>&1)"; rc=$?
  echo "rc $rc: $out" | tail -n 8
  [[ $rc -eq 1 ]] && grep -Eq "blob [0-9a-f]{64}: content hashes to" <<<"$out" && ! grep -q "corrupt" <<<"$out"' \
  _ "${recover[@]}"

# --- configs: version 3 must name its hash, blake3 or sha256; versions 1 and 2 must not (design.md 10, 17) ---------
# Each is the unencrypted repository's config with its body rewritten and the envelope's sha256 recomputed, so what
# is refused is the field, not the checksum (the first, unchanged but rewritten, must still open).
craft_config() {  # craft_config NAME PYTHON-EXPRESSION-ON-(outer, body)
  mkdir -p "$work/cfg-$1" && python3 - "$work/repo-plain/config" "$work/cfg-$1/config" "$2" <<'PY'
import base64, hashlib, json, sys
outer = json.load(open(sys.argv[1]))
body = json.loads(base64.b64decode(outer["config"]))
exec(sys.argv[3])
raw = json.dumps(body, separators=(",", ":")).encode()
outer["config"] = base64.b64encode(raw).decode()
outer["sha256"] = hashlib.sha256(raw).hexdigest()
open(sys.argv[2], "w").write(json.dumps(outer, separators=(",", ":")))
PY
}
craft_config same 'pass'
craft_config nohash 'del body["hash"]'
craft_config md5 'body["hash"] = "md5"'
craft_config v2hash 'outer["version"] = body["version"] = 2; body["hash"] = "sha256"'
craft_config v4 'outer["version"] = body["version"] = 4'
check "config rewritten unchanged (sha256 recomputed): still opens" "${recover[@]}" --repo "$work/cfg-same" --list
expect_fail "config version 3 without hash: refused" "^recover: error: config: corrupt: .*needs a hash" \
  "${recover[@]}" --repo "$work/cfg-nohash" --list
expect_fail "config version 3 with hash md5: refused" "^recover: error: config: corrupt: hash 'md5' is neither" \
  "${recover[@]}" --repo "$work/cfg-md5" --list
expect_fail "config version 2 carrying a hash: refused" "^recover: error: config: corrupt: a version-2 config carries no" \
  "${recover[@]}" --repo "$work/cfg-v2hash" --list
expect_fail "config version 4: refused naming the versions it reads" "format version 4; recover.py reads up to version 3" \
  "${recover[@]}" --repo "$work/cfg-v4" --list

finish
