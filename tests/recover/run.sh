#!/usr/bin/env bash
# Recovery without Stackvault: backs up an awkward tree with the Stackvault CLI into an encrypted and an
# unencrypted repository, restores it with `stackvault restore` and with tools/recover.py (which follows
# docs/design.md only), and compares the trees byte for byte and by metadata. Also hostile checks: a corrupted pack
# byte, an altered blob under a valid pack name, a wrong password, a non-empty target.
# Ends with exactly one line "recover: N passed, M failed" and exits non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/recover"
sv="$root/stackvault"
recover=(python3 "$root/tools/recover.py")
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

for tool in zstd python3; do
  command -v "$tool" >/dev/null || { fail "prerequisite: $tool missing"; finish; }
done
export STACKVAULT_PASSWORD="correct horse ✓ battery"
export STACKVAULT_REPOSITORY=
export STACKVAULT_TEST_ALLOW_WEAK_KDF=1   # --kdf-iterations 1000 below: fast test keys (refused without it)
src="$work/src"
python3 "$here/make_tree.py" "$src" || { fail "make the source tree"; finish; }
rel="${src#/}"   # the root tree mirrors absolute paths (design.md 11.1)

check "recover.py --self-test (AES-256 GCM test cases 13-16, FIPS-197 C.3; both backends)" \
  "${recover[@]}" --self-test

# --- the two repositories --------------------------------------------------------------------------------------
for kind in enc plain; do
  repo="$work/repo-$kind"
  opts=(--kdf-iterations 1000); [[ $kind == plain ]] && opts=(--no-encryption)
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

# --- recover.py restores ---------------------------------------------------------------------------------------
snap_enc="$("${recover[@]}" --repo "$work/repo-enc" --list 2>/dev/null | head -n 1 | cut -d' ' -f1)"
check "recover.py --list (encrypted) shows two snapshots" \
  bash -c '[[ $("$@" --repo "'"$work/repo-enc"'" --list | wc -l) -eq 2 ]]' _ "${recover[@]}"
check "recover.py restore (encrypted, libcrypto AES-GCM)" \
  "${recover[@]}" --repo "$work/repo-enc" --snapshot "$snap_enc" --target "$work/rc-enc"
check "encrypted: recover.py tree equals stackvault restore (content, modes, mtimes, owners, hard links)" \
  python3 "$here/compare.py" "$work/sv-enc" "$work/rc-enc"
check "recover.py restore (unencrypted)" \
  "${recover[@]}" --repo "$work/repo-plain" --snapshot latest --target "$work/rc-plain"
check "unencrypted: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-plain" "$work/rc-plain"
check "recover.py --scan-packs (no index files used, password from --password-file)" bash -c '
  printf "%s\n" "$STACKVAULT_PASSWORD" >"'"$work/pw"'"
  STACKVAULT_PASSWORD= "$@" --repo "'"$work/repo-enc"'" --snapshot "'"$snap_enc"'" --scan-packs \
    --password-file "'"$work/pw"'" --target "'"$work/rc-scan"'" &&
  python3 "'"$here/compare.py"'" "'"$work/sv-enc"'" "'"$work/rc-scan"'"' _ "${recover[@]}"
check "recover.py restore (encrypted, pure Python AES-GCM, small snapshot)" \
  "${recover[@]}" --repo "$work/repo-enc" --snapshot "$small_id" --aes python --target "$work/rc-small"
check "pure Python AES: recover.py tree equals stackvault restore" \
  python3 "$here/compare.py" "$work/sv-small" "$work/rc-small"
check "sparse file stays sparse (stackvault restore and recover.py allocate under half of its size)" bash -c '
  for f in "'"$src"'" "'"$work/sv-enc/$rel"'" "'"$work/rc-enc/$rel"'"; do
    s=$(stat -c %s "$f/sparse.img"); b=$(( $(stat -c %b "$f/sparse.img") * 512 )); echo "$f: $b of $s bytes allocated"
    [[ $b -lt $((s / 2)) ]] || exit 1
  done'

# --- refusals and hostile repositories -------------------------------------------------------------------------
mkdir -p "$work/nonempty" && touch "$work/nonempty/x"
expect_fail "refuses a non-empty target" "not an empty directory" \
  "${recover[@]}" --repo "$work/repo-plain" --target "$work/nonempty"
check "wrong password: recover.py says so and exits 12" bash -c '
  out="$(STACKVAULT_PASSWORD=nope "$@" --repo "'"$work/repo-enc"'" --target "'"$work/rc-wrong"'" 2>&1)"; rc=$?
  echo "rc $rc: $out"; [[ $rc -eq 12 ]] && grep -q "wrong password" <<<"$out"' _ "${recover[@]}"

cp -a "$work/repo-enc" "$work/repo-bad"
chmod -R u+w "$work/repo-bad"
pack="$(ls -S "$work"/repo-bad/data/*/* | head -n 1)"
python3 - "$pack" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 3] ^= 0x40
open(p, "wb").write(b)
PY
expect_fail "corrupted pack byte: recover.py fails naming the pack" "data/../$(basename "$pack"): corrupt" \
  "${recover[@]}" --repo "$work/repo-bad" --snapshot "$snap_enc" --target "$work/rc-bad"

# An altered blob under a valid name: flip a byte inside an uncompressed blob of the unencrypted repository, rename
# the pack to its new SHA-256 and rewrite the index to point there. Only the blob-id recomputation can catch it.
cp -a "$work/repo-plain" "$work/repo-alt"
chmod -R u+w "$work/repo-alt"
check "prepare the altered-blob repository" python3 - "$work/repo-alt" <<'PY'
import hashlib, os, struct, subprocess, sys
repo = sys.argv[1]
idx_dir = os.path.join(repo, "index")
(idx_name,) = [n for n in os.listdir(idx_dir) if len(n) == 64]
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
            new = hashlib.sha256(b).hexdigest()
            os.makedirs(os.path.join(repo, "data", new[:2]), exist_ok=True)
            open(os.path.join(repo, "data", new[:2], new), "wb").write(b); os.remove(path)
            new_body = b"\0" + body.replace(bytes.fromhex(pack_id), bytes.fromhex(new))
            open(os.path.join(idx_dir, hashlib.sha256(new_body).hexdigest()), "wb").write(new_body)
            os.remove(os.path.join(idx_dir, idx_name))
            sys.exit(0)
sys.exit("no raw data blob found")
PY
expect_fail "altered blob under a valid pack name: recover.py fails naming the blob" "blob [0-9a-f]{64}: content hashes to" \
  "${recover[@]}" --repo "$work/repo-alt" --target "$work/rc-alt"

finish
