#!/usr/bin/env python3
"""Recovery without Stackvault: restore a snapshot from a local repository directory using only docs/design.md.

This is the proof that the repository format is documented well enough for a second implementation. It uses the
Python 3.11 standard library, the `zstd` command (Debian package zstd), for AES-256-GCM either the system OpenSSL
library through ctypes or the pure Python AES/GCM below, and for BLAKE3 the `blake3` Python module, the `b3sum`
command (Debian package b3sum) or the pure Python BLAKE3 below. It follows docs/design.md:

- sections 2 and 4: objects are read whole and checked against their names: packs against the repository's hash
  (BLAKE3 or SHA-256), keys, index files and snapshots against SHA-256; blob ids are recomputed from every
  plaintext with the repository's hash, keyed with id_key when encrypted (BLAKE3's keyed mode, or HMAC-SHA-256);
- section 6: key files (PBKDF2-HMAC-SHA256, GCM-sealed master key), the envelope, blob compression, documents;
- sections 7 and 8: pack trailers and headers, index files of version 1 and 2 (a pruned repository's
  pending_orphans; superseded files ignored); --scan-packs rebuilds the blob locations from the pack headers alone;
- sections 10 and 17: config versions 1 to 3 (3 names the hash, blake3 or sha256; 1 and 2 are SHA-256), higher
  ones refused; section 11: snapshots, trees and nodes; section 15: restore safety (names checked before anything is
  written, O_EXCL|O_NOFOLLOW creation, symlinks verbatim, hard links only to restored files,
  all-zero 64 KiB segments left as holes, metadata set children first).

Damage costs only what depends on it: a pack that does not match its name is still read, each blob in it
authenticated and its id recomputed on its own; a file whose blob is lost or does not verify is removed and named
("not restored: PATH: reason"), a directory whose tree is lost is left empty and named; everything else is restored,
and the exit code is 1. Crafted input has bounded cost: no zstd frame may give more than its declared raw length
(the `zstd` process is killed there), trees are measured before planning (depth 1024, at most 1,000,000 paths or 64
times the distinct entries, as Stackvault's restore and export), and malformed values (a lone surrogate, uid 2^40,
NUL in a symlink target) are one-line errors before anything is written.

Usage:
    STACKVAULT_PASSWORD=... python3 tools/recover.py --repo DIR --list
    python3 tools/recover.py --repo DIR --snapshot ID|latest --target DIR [--password-file F] [--aes python]
        [--blake3 auto|module|b3sum|python] [--scan-packs]
    python3 tools/recover.py --self-test [--blake3 ...]

Restore layout (docs/design.md 11.1, 15): the root tree mirrors absolute paths, so a snapshot of /srv/a is
recovered as TARGET/srv/a. Device nodes and sockets are skipped with a warning, as Stackvault's restore does.

Exit codes: 0 ok, 1 failure (the message names the object at fault), 2 usage, 12 wrong password.

AES-256-GCM (docs/design.md 6.1) without third-party modules: two interchangeable backends, both returning the plaintext only when the 16-byte GCM tag verifies:

- ``LibcryptoGcm``: the system OpenSSL library (``libcrypto.so.3``, the one Python's own ``ssl`` module links)
  called through ``ctypes``. Fast (hundreds of MB/s) and the key never appears on a command line. The ``openssl``
  *command* cannot be used: ``openssl enc`` refuses AEAD ciphers ("enc: AEAD ciphers not supported"), and emulating
  GCM with ``openssl enc -aes-256-ctr`` would put the key in the process list (``-K`` is its only raw-key option).
- ``PythonGcm``: FIPS-197 AES-256 (encryption direction only, T-tables) in counter mode plus NIST SP 800-38D GHASH
  with 16-bit multiplication tables. Slow but dependency-free: about 0.75 MB/s of ciphertext on one core
  (measured on the 2-core development VM: 1 MiB in 1.36 s; GHASH alone 4.5 MB/s, AES is the bottleneck). Only
  what is stored is decrypted, so compressible data restores faster (a 60 MB test tree stored as 12 MB: 24 s).

``self_test()`` checks a backend against the AES-256 known-answer vectors of the GCM specification (McGrew and
Viega, "The Galois/Counter Mode of Operation", the specification NIST SP 800-38D adopted: test cases 13-16) and
FIPS-197 appendix C.3. Run it with `recover.py --self-test`.

BLAKE3 (docs/design.md 4, a repository whose config says "hash":"blake3"), three interchangeable backends chosen with
``--blake3`` (auto: the first available, in this order), each giving a pack's name and one pack's blob ids per call:

- ``ModuleBlake3``: the ``blake3`` Python module (the BLAKE3 team's Rust implementation), if it can be imported.
- ``B3sumBlake3``: the ``b3sum`` command (Debian package b3sum, the same Rust implementation): one process per pack
  name, and one per pack for its blob ids (the plaintexts written to a private temporary directory, removed
  afterwards; the 32-byte id_key on b3sum's standard input, never on its command line).
- ``PythonBlake3``: the BLAKE3 specification in pure Python, about 1.6 MB/s: a restore hashes every pack it reads
  whole, so auto warns when it falls back to it (``apt-get install b3sum`` makes it fast).

Any backend is used only after it gave a known keyed answer; ``--self-test`` checks the chosen one (auto: every one
available) against b3sum's answers for "", "abc" and 102400 bytes, plain and keyed.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import ctypes.util
import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from array import array
from typing import Iterator

NONCE_SIZE = 12
TAG_SIZE = 16
OVERHEAD = NONCE_SIZE + TAG_SIZE


class TagMismatch(Exception):
    """The GCM tag did not verify: wrong key, or the sealed bytes were altered."""


# ---------------------------------------------------------------------------------------------------------------
# Pure Python AES-256 (FIPS-197), encryption direction only: GCM never needs the inverse cipher.
# ---------------------------------------------------------------------------------------------------------------

def _xtime(b: int) -> int:
    b <<= 1
    return (b ^ 0x11B) if b & 0x100 else b


def _gf_mul(a: int, b: int) -> int:
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = _xtime(a)
        b >>= 1
    return r


def _build_sbox() -> list[int]:
    # Multiplicative inverse in GF(2^8) followed by the affine transform (FIPS-197 section 5.1.1): computed, not
    # typed in, so a transcription error cannot hide in a 256-entry table.
    inv = [0] * 256
    for a in range(1, 256):
        for b in range(1, 256):
            if _gf_mul(a, b) == 1:
                inv[a] = b
                break
    sbox = []
    for a in range(256):
        x = inv[a]
        s = x
        for shift in range(1, 5):
            s ^= ((x << shift) | (x >> (8 - shift))) & 0xFF
        sbox.append(s ^ 0x63)
    return sbox


SBOX = _build_sbox()
# T-tables: TE0[x] = (2*S[x], S[x], S[x], 3*S[x]) as a big-endian word; TE1..TE3 are byte rotations of TE0.
TE0 = [(_gf_mul(s, 2) << 24) | (s << 16) | (s << 8) | _gf_mul(s, 3) for s in SBOX]
TE1 = [((t >> 8) | (t << 24)) & 0xFFFFFFFF for t in TE0]
TE2 = [((t >> 16) | (t << 16)) & 0xFFFFFFFF for t in TE0]
TE3 = [((t >> 24) | (t << 8)) & 0xFFFFFFFF for t in TE0]


def aes256_expand_key(key: bytes) -> list[int]:
    """The 60 round-key words of AES-256 (FIPS-197 section 5.2)."""
    if len(key) != 32:
        raise ValueError("AES-256 needs a 32-byte key")
    w = [int.from_bytes(key[i:i + 4], "big") for i in range(0, 32, 4)]
    rcon = 1
    for i in range(8, 60):
        t = w[i - 1]
        if i % 8 == 0:
            t = ((t << 8) | (t >> 24)) & 0xFFFFFFFF
            t = (SBOX[t >> 24] << 24) | (SBOX[(t >> 16) & 255] << 16) | (SBOX[(t >> 8) & 255] << 8) | SBOX[t & 255]
            t ^= rcon << 24
            rcon = _xtime(rcon)
        elif i % 8 == 4:
            t = (SBOX[t >> 24] << 24) | (SBOX[(t >> 16) & 255] << 16) | (SBOX[(t >> 8) & 255] << 8) | SBOX[t & 255]
        w.append(w[i - 8] ^ t)
    return w


def aes256_encrypt_words(rk: list[int], s0: int, s1: int, s2: int, s3: int) -> tuple[int, int, int, int]:
    """Encrypts one block given as four big-endian words; returns four words."""
    t0, t1, t2, t3 = TE0, TE1, TE2, TE3
    s0 ^= rk[0]
    s1 ^= rk[1]
    s2 ^= rk[2]
    s3 ^= rk[3]
    for r in range(4, 56, 4):
        a0 = t0[s0 >> 24] ^ t1[(s1 >> 16) & 255] ^ t2[(s2 >> 8) & 255] ^ t3[s3 & 255] ^ rk[r]
        a1 = t0[s1 >> 24] ^ t1[(s2 >> 16) & 255] ^ t2[(s3 >> 8) & 255] ^ t3[s0 & 255] ^ rk[r + 1]
        a2 = t0[s2 >> 24] ^ t1[(s3 >> 16) & 255] ^ t2[(s0 >> 8) & 255] ^ t3[s1 & 255] ^ rk[r + 2]
        s3 = t0[s3 >> 24] ^ t1[(s0 >> 16) & 255] ^ t2[(s1 >> 8) & 255] ^ t3[s2 & 255] ^ rk[r + 3]
        s0, s1, s2 = a0, a1, a2
    sb = SBOX
    o0 = ((sb[s0 >> 24] << 24) | (sb[(s1 >> 16) & 255] << 16) | (sb[(s2 >> 8) & 255] << 8) | sb[s3 & 255]) ^ rk[56]
    o1 = ((sb[s1 >> 24] << 24) | (sb[(s2 >> 16) & 255] << 16) | (sb[(s3 >> 8) & 255] << 8) | sb[s0 & 255]) ^ rk[57]
    o2 = ((sb[s2 >> 24] << 24) | (sb[(s3 >> 16) & 255] << 16) | (sb[(s0 >> 8) & 255] << 8) | sb[s1 & 255]) ^ rk[58]
    o3 = ((sb[s3 >> 24] << 24) | (sb[(s0 >> 16) & 255] << 16) | (sb[(s1 >> 8) & 255] << 8) | sb[s2 & 255]) ^ rk[59]
    return o0, o1, o2, o3


def aes256_encrypt_block(key: bytes, block: bytes) -> bytes:
    rk = aes256_expand_key(key)
    words = [int.from_bytes(block[i:i + 4], "big") for i in range(0, 16, 4)]
    out = aes256_encrypt_words(rk, *words)
    return b"".join(w.to_bytes(4, "big") for w in out)


# ---------------------------------------------------------------------------------------------------------------
# GHASH (SP 800-38D section 6.4). A block is held as a big-endian int, so the first bit of the block (the
# coefficient of x^0) is the most significant bit; multiplying by x is a right shift with reduction by R.
# ---------------------------------------------------------------------------------------------------------------

_R = 0xE1 << 120
_M16 = 0xFFFF


class Ghash:
    """GHASH under a fixed subkey H, with eight 65536-entry tables (one per 16-bit word of the block)."""

    def __init__(self, h: int):
        basis = [0] * 128  # basis[k] = (int with only bit k set) * H
        v = h
        for i in range(128):
            basis[127 - i] = v
            v = (v >> 1) ^ _R if v & 1 else v >> 1
        self.tables: list[list[int]] = []
        for word in range(8):  # word 0 = most significant 16 bits
            low = 16 * (7 - word)
            table = [0] * 65536
            for bit in range(16):
                step = 1 << bit
                b = basis[low + bit]
                for j in range(step):
                    table[step + j] = table[j] ^ b
            self.tables.append(table)

    def digest(self, data: bytes, aad: bytes = b"") -> int:
        """GHASH of the zero-padded AAD, the zero-padded data, then the lengths block."""
        t0, t1, t2, t3, t4, t5, t6, t7 = self.tables
        m = _M16
        y = 0
        if aad:
            y = self._blocks(aad.ljust((len(aad) + 15) // 16 * 16, b"\0"))
        n = len(data)
        full = n - n % 16
        from_bytes = int.from_bytes
        y = self._blocks(data[:full], y)
        tail = [data[full:].ljust(16, b"\0")] if full != n else []
        tail.append((len(aad) * 8).to_bytes(8, "big") + (n * 8).to_bytes(8, "big"))
        for block in tail:
            z = y ^ from_bytes(block, "big")
            y = (t0[z >> 112] ^ t1[(z >> 96) & m] ^ t2[(z >> 80) & m] ^ t3[(z >> 64) & m]
                 ^ t4[(z >> 48) & m] ^ t5[(z >> 32) & m] ^ t6[(z >> 16) & m] ^ t7[z & m])
        return y

    def _blocks(self, data: bytes, y: int = 0) -> int:
        """Folds whole 16-byte blocks into the running GHASH value y."""
        t0, t1, t2, t3, t4, t5, t6, t7 = self.tables
        m = _M16
        from_bytes = int.from_bytes
        for i in range(0, len(data), 16):
            z = y ^ from_bytes(data[i:i + 16], "big")
            y = (t0[z >> 112] ^ t1[(z >> 96) & m] ^ t2[(z >> 80) & m] ^ t3[(z >> 64) & m]
                 ^ t4[(z >> 48) & m] ^ t5[(z >> 32) & m] ^ t6[(z >> 16) & m] ^ t7[z & m])
        return y


def _xor_bytes(a: bytes, b: bytes) -> bytes:
    n = len(a)
    return (int.from_bytes(a, "big") ^ int.from_bytes(b[:n], "big")).to_bytes(n, "big")


class PythonGcm:
    """AES-256-GCM open() in pure Python."""

    name = "python"

    def __init__(self, key: bytes):
        self.rk = aes256_expand_key(key)
        h = aes256_encrypt_words(self.rk, 0, 0, 0, 0)
        self.ghash = Ghash((h[0] << 96) | (h[1] << 64) | (h[2] << 32) | h[3])

    def _keystream(self, nonce: bytes, first_counter: int, nblocks: int) -> bytes:
        rk = self.rk
        n0 = int.from_bytes(nonce[0:4], "big")
        n1 = int.from_bytes(nonce[4:8], "big")
        n2 = int.from_bytes(nonce[8:12], "big")
        enc = aes256_encrypt_words
        out = array("I")
        for c in range(first_counter, first_counter + nblocks):
            out.extend(enc(rk, n0, n1, n2, c & 0xFFFFFFFF))  # inc32: only the low 32 bits count
        if _LITTLE:
            out.byteswap()  # the words are big-endian on the wire
        return out.tobytes()

    def open(self, envelope: bytes, aad: bytes = b"") -> bytes:
        if len(envelope) < OVERHEAD:
            raise TagMismatch("shorter than nonce and tag")
        nonce, ct, tag = envelope[:NONCE_SIZE], envelope[NONCE_SIZE:-TAG_SIZE], envelope[-TAG_SIZE:]
        ej0 = self._keystream(nonce, 1, 1)
        expected = (self.ghash.digest(ct, aad) ^ int.from_bytes(ej0, "big")).to_bytes(16, "big")
        if not hmac.compare_digest(expected, tag):
            raise TagMismatch("GCM tag mismatch")
        if not ct:
            return b""
        stream = self._keystream(nonce, 2, (len(ct) + 15) // 16)
        return _xor_bytes(ct, stream)


_LITTLE = array("I", [1]).tobytes()[0] == 1


# ---------------------------------------------------------------------------------------------------------------
# OpenSSL's libcrypto through ctypes.
# ---------------------------------------------------------------------------------------------------------------

_EVP_CTRL_GCM_SET_IVLEN = 0x9
_EVP_CTRL_GCM_SET_TAG = 0x11
_libcrypto = None


def _load_libcrypto():
    global _libcrypto
    if _libcrypto is None:
        path = ctypes.util.find_library("crypto")
        if path is None:
            raise OSError("libcrypto not found")
        lib = ctypes.CDLL(path)
        vp, ip, cp = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
        lib.EVP_CIPHER_CTX_new.restype = vp
        lib.EVP_CIPHER_CTX_new.argtypes = []
        lib.EVP_CIPHER_CTX_free.argtypes = [vp]
        lib.EVP_CIPHER_CTX_free.restype = None
        lib.EVP_aes_256_gcm.restype = vp
        lib.EVP_aes_256_gcm.argtypes = []
        lib.EVP_DecryptInit_ex.argtypes = [vp, vp, vp, cp, cp]
        lib.EVP_DecryptInit_ex.restype = ip
        lib.EVP_CIPHER_CTX_ctrl.argtypes = [vp, ip, ip, vp]
        lib.EVP_CIPHER_CTX_ctrl.restype = ip
        lib.EVP_DecryptUpdate.argtypes = [vp, vp, ctypes.POINTER(ip), cp, ip]
        lib.EVP_DecryptUpdate.restype = ip
        lib.EVP_DecryptFinal_ex.argtypes = [vp, vp, ctypes.POINTER(ip)]
        lib.EVP_DecryptFinal_ex.restype = ip
        _libcrypto = lib
    return _libcrypto


class LibcryptoGcm:
    """AES-256-GCM open() through libcrypto's EVP interface."""

    name = "libcrypto"

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("AES-256 needs a 32-byte key")
        self.lib = _load_libcrypto()
        self.key = key

    def open(self, envelope: bytes, aad: bytes = b"") -> bytes:
        if len(envelope) < OVERHEAD:
            raise TagMismatch("shorter than nonce and tag")
        lib = self.lib
        nonce, ct, tag = envelope[:NONCE_SIZE], envelope[NONCE_SIZE:-TAG_SIZE], envelope[-TAG_SIZE:]
        if len(ct) >= 2**31 - 64:
            raise ValueError("ciphertext too large for one EVP_DecryptUpdate call")
        ctx = lib.EVP_CIPHER_CTX_new()
        if not ctx:
            raise MemoryError("EVP_CIPHER_CTX_new failed")
        try:
            out = ctypes.create_string_buffer(len(ct) + 16)
            outl = ctypes.c_int(0)
            fin = ctypes.c_int(0)
            tag_buf = ctypes.create_string_buffer(tag, TAG_SIZE)
            if (lib.EVP_DecryptInit_ex(ctx, lib.EVP_aes_256_gcm(), None, None, None) != 1
                    or lib.EVP_CIPHER_CTX_ctrl(ctx, _EVP_CTRL_GCM_SET_IVLEN, NONCE_SIZE, None) != 1
                    or lib.EVP_DecryptInit_ex(ctx, None, None, self.key, nonce) != 1
                    or (aad and lib.EVP_DecryptUpdate(ctx, None, ctypes.byref(outl), aad, len(aad)) != 1)
                    or lib.EVP_DecryptUpdate(ctx, out, ctypes.byref(outl), ct, len(ct)) != 1
                    or lib.EVP_CIPHER_CTX_ctrl(ctx, _EVP_CTRL_GCM_SET_TAG, TAG_SIZE, tag_buf) != 1):
                raise RuntimeError("libcrypto AES-256-GCM setup failed")
            if lib.EVP_DecryptFinal_ex(ctx, ctypes.byref(out, outl.value), ctypes.byref(fin)) != 1:
                raise TagMismatch("GCM tag mismatch")
            return out.raw[:outl.value + fin.value]
        finally:
            lib.EVP_CIPHER_CTX_free(ctx)


# ---------------------------------------------------------------------------------------------------------------
# Known-answer tests.
# ---------------------------------------------------------------------------------------------------------------

# McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B, test cases 13-16 (AES-256).
_K0 = bytes(32)
_K1 = bytes.fromhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
_IV1 = bytes.fromhex("cafebabefacedbaddecaf888")
_P1 = bytes.fromhex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
    "b16aedf5aa0de657ba637b391aafd255")
_C1 = bytes.fromhex(
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
    "c5f61e6393ba7a0abcc9f662898015ad")
GCM_VECTORS: list[tuple[str, bytes, bytes, bytes, bytes, bytes, bytes]] = [
    # name, key, iv, additional data, plaintext, ciphertext, tag
    ("test case 13", _K0, bytes(12), b"", b"", b"", bytes.fromhex("530f8afbc74536b9a963b4f1c4cb738b")),
    ("test case 14", _K0, bytes(12), b"", bytes(16), bytes.fromhex("cea7403d4d606b6e074ec5d3baf39d18"),
     bytes.fromhex("d0d1c8a799996bf0265b98b5d48ab919")),
    ("test case 15", _K1, _IV1, b"", _P1, _C1, bytes.fromhex("b094dac5d93471bdec1a502270e3cc6c")),
    ("test case 16", _K1, _IV1, bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"), _P1[:60], _C1[:60],
     bytes.fromhex("76fc6ece0f4e1768cddf8853bb2d551b")),
]
# FIPS-197 appendix C.3: AES-256 of 00112233...ff under key 000102...1f.
FIPS197_C3 = (bytes(range(32)), bytes.fromhex("00112233445566778899aabbccddeeff"),
              bytes.fromhex("8ea2b7ca516745bfeafc49904b496089"))


def self_test(backend_class) -> None:
    """Raises AssertionError when a backend fails a known-answer vector."""
    for name, key, iv, aad, pt, ct, tag in GCM_VECTORS:
        got = backend_class(key).open(iv + ct + tag, aad)
        assert got == pt, f"{backend_class.name}: GCM {name}: wrong plaintext"
        bad = bytearray(iv + ct + tag)
        bad[-1] ^= 1
        try:
            backend_class(key).open(bytes(bad), aad)
        except TagMismatch:
            pass
        else:
            raise AssertionError(f"{backend_class.name}: GCM {name}: altered tag accepted")
    key, block, expected = FIPS197_C3
    assert aes256_encrypt_block(key, block) == expected, "FIPS-197 C.3 AES-256 block mismatch"


def make_gcm(key: bytes, backend: str = "auto"):
    """Returns an object with open(envelope) -> plaintext for the named backend ('auto' prefers libcrypto)."""
    if backend in ("auto", "libcrypto"):
        try:
            _load_libcrypto()
            return LibcryptoGcm(key)
        except OSError:
            if backend == "libcrypto":
                raise
    return PythonGcm(key)


# ---------------------------------------------------------------------------------------------------------------
# BLAKE3 (docs/design.md 4), 32-byte output, plain and keyed mode, after the BLAKE3 team's specification and
# reference implementation (reference_impl.rs). The input is cut into 1024-byte chunks of 64-byte blocks; each
# chunk is compressed block by block from the key words (the IV when not keyed) with the chunk index as counter,
# flagged CHUNK_START on its first block and CHUNK_END on its last. Chunk chaining values are merged pairwise into
# PARENT nodes: after the n-th chunk, once per trailing zero bit of n. The last chunk (full, or empty for empty
# input) stays buffered until the digest, whose final compression (the root) is flagged ROOT. Checked against
# b3sum and the official test vectors; about 1.6 MB/s on CPython 3.11.
# ---------------------------------------------------------------------------------------------------------------

_B3_BLOCK = 64
_B3_CHUNK = 1024
_B3_CHUNK_START, _B3_CHUNK_END, _B3_PARENT, _B3_ROOT, _B3_KEYED = 1, 2, 4, 8, 16
_B3_IV = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)
_b3_block_words = struct.Struct("<16I").unpack_from  # a 64-byte block as 16 little-endian words
_B3_WORDS8 = struct.Struct("<8I")  # a 32-byte key or digest as 8 little-endian words


def _b3_compress(cv, m, counter, block_len, flags):
    """The compression function, truncated to the 8 output words a 32-byte digest needs: 7 rounds of G over the
    columns, then the diagonals, of the 4x4 state (G inlined), the message words permuted between rounds."""
    v0, v1, v2, v3, v4, v5, v6, v7 = cv
    (m0, m1, m2, m3, m4, m5, m6, m7,
     m8, m9, m10, m11, m12, m13, m14, m15) = m
    v8, v9, v10, v11 = 0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A
    v12 = counter & 0xFFFFFFFF
    v13 = (counter >> 32) & 0xFFFFFFFF
    v14 = block_len
    v15 = flags
    for _ in range(7):
        # the columns
        # G(v0, v4, v8, v12, m0, m1)
        v0 = (v0 + v4 + m0) & 0xFFFFFFFF
        v12 ^= v0
        v12 = (v12 >> 16) | ((v12 << 16) & 0xFFFFFFFF)
        v8 = (v8 + v12) & 0xFFFFFFFF
        v4 ^= v8
        v4 = (v4 >> 12) | ((v4 << 20) & 0xFFFFFFFF)
        v0 = (v0 + v4 + m1) & 0xFFFFFFFF
        v12 ^= v0
        v12 = (v12 >> 8) | ((v12 << 24) & 0xFFFFFFFF)
        v8 = (v8 + v12) & 0xFFFFFFFF
        v4 ^= v8
        v4 = (v4 >> 7) | ((v4 << 25) & 0xFFFFFFFF)
        # G(v1, v5, v9, v13, m2, m3)
        v1 = (v1 + v5 + m2) & 0xFFFFFFFF
        v13 ^= v1
        v13 = (v13 >> 16) | ((v13 << 16) & 0xFFFFFFFF)
        v9 = (v9 + v13) & 0xFFFFFFFF
        v5 ^= v9
        v5 = (v5 >> 12) | ((v5 << 20) & 0xFFFFFFFF)
        v1 = (v1 + v5 + m3) & 0xFFFFFFFF
        v13 ^= v1
        v13 = (v13 >> 8) | ((v13 << 24) & 0xFFFFFFFF)
        v9 = (v9 + v13) & 0xFFFFFFFF
        v5 ^= v9
        v5 = (v5 >> 7) | ((v5 << 25) & 0xFFFFFFFF)
        # G(v2, v6, v10, v14, m4, m5)
        v2 = (v2 + v6 + m4) & 0xFFFFFFFF
        v14 ^= v2
        v14 = (v14 >> 16) | ((v14 << 16) & 0xFFFFFFFF)
        v10 = (v10 + v14) & 0xFFFFFFFF
        v6 ^= v10
        v6 = (v6 >> 12) | ((v6 << 20) & 0xFFFFFFFF)
        v2 = (v2 + v6 + m5) & 0xFFFFFFFF
        v14 ^= v2
        v14 = (v14 >> 8) | ((v14 << 24) & 0xFFFFFFFF)
        v10 = (v10 + v14) & 0xFFFFFFFF
        v6 ^= v10
        v6 = (v6 >> 7) | ((v6 << 25) & 0xFFFFFFFF)
        # G(v3, v7, v11, v15, m6, m7)
        v3 = (v3 + v7 + m6) & 0xFFFFFFFF
        v15 ^= v3
        v15 = (v15 >> 16) | ((v15 << 16) & 0xFFFFFFFF)
        v11 = (v11 + v15) & 0xFFFFFFFF
        v7 ^= v11
        v7 = (v7 >> 12) | ((v7 << 20) & 0xFFFFFFFF)
        v3 = (v3 + v7 + m7) & 0xFFFFFFFF
        v15 ^= v3
        v15 = (v15 >> 8) | ((v15 << 24) & 0xFFFFFFFF)
        v11 = (v11 + v15) & 0xFFFFFFFF
        v7 ^= v11
        v7 = (v7 >> 7) | ((v7 << 25) & 0xFFFFFFFF)
        # the diagonals
        # G(v0, v5, v10, v15, m8, m9)
        v0 = (v0 + v5 + m8) & 0xFFFFFFFF
        v15 ^= v0
        v15 = (v15 >> 16) | ((v15 << 16) & 0xFFFFFFFF)
        v10 = (v10 + v15) & 0xFFFFFFFF
        v5 ^= v10
        v5 = (v5 >> 12) | ((v5 << 20) & 0xFFFFFFFF)
        v0 = (v0 + v5 + m9) & 0xFFFFFFFF
        v15 ^= v0
        v15 = (v15 >> 8) | ((v15 << 24) & 0xFFFFFFFF)
        v10 = (v10 + v15) & 0xFFFFFFFF
        v5 ^= v10
        v5 = (v5 >> 7) | ((v5 << 25) & 0xFFFFFFFF)
        # G(v1, v6, v11, v12, m10, m11)
        v1 = (v1 + v6 + m10) & 0xFFFFFFFF
        v12 ^= v1
        v12 = (v12 >> 16) | ((v12 << 16) & 0xFFFFFFFF)
        v11 = (v11 + v12) & 0xFFFFFFFF
        v6 ^= v11
        v6 = (v6 >> 12) | ((v6 << 20) & 0xFFFFFFFF)
        v1 = (v1 + v6 + m11) & 0xFFFFFFFF
        v12 ^= v1
        v12 = (v12 >> 8) | ((v12 << 24) & 0xFFFFFFFF)
        v11 = (v11 + v12) & 0xFFFFFFFF
        v6 ^= v11
        v6 = (v6 >> 7) | ((v6 << 25) & 0xFFFFFFFF)
        # G(v2, v7, v8, v13, m12, m13)
        v2 = (v2 + v7 + m12) & 0xFFFFFFFF
        v13 ^= v2
        v13 = (v13 >> 16) | ((v13 << 16) & 0xFFFFFFFF)
        v8 = (v8 + v13) & 0xFFFFFFFF
        v7 ^= v8
        v7 = (v7 >> 12) | ((v7 << 20) & 0xFFFFFFFF)
        v2 = (v2 + v7 + m13) & 0xFFFFFFFF
        v13 ^= v2
        v13 = (v13 >> 8) | ((v13 << 24) & 0xFFFFFFFF)
        v8 = (v8 + v13) & 0xFFFFFFFF
        v7 ^= v8
        v7 = (v7 >> 7) | ((v7 << 25) & 0xFFFFFFFF)
        # G(v3, v4, v9, v14, m14, m15)
        v3 = (v3 + v4 + m14) & 0xFFFFFFFF
        v14 ^= v3
        v14 = (v14 >> 16) | ((v14 << 16) & 0xFFFFFFFF)
        v9 = (v9 + v14) & 0xFFFFFFFF
        v4 ^= v9
        v4 = (v4 >> 12) | ((v4 << 20) & 0xFFFFFFFF)
        v3 = (v3 + v4 + m15) & 0xFFFFFFFF
        v14 ^= v3
        v14 = (v14 >> 8) | ((v14 << 24) & 0xFFFFFFFF)
        v9 = (v9 + v14) & 0xFFFFFFFF
        v4 ^= v9
        v4 = (v4 >> 7) | ((v4 << 25) & 0xFFFFFFFF)
        # new m[i] = old m[(2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8)[i]]
        (m0, m1, m2, m3, m4, m5, m6, m7,
         m8, m9, m10, m11, m12, m13, m14, m15) = (
            m2, m6, m3, m10, m7, m0, m4, m13,
            m1, m11, m12, m5, m9, m14, m15, m8)
    return (v0 ^ v8, v1 ^ v9, v2 ^ v10, v3 ^ v11,
            v4 ^ v12, v5 ^ v13, v6 ^ v14, v7 ^ v15)


def _b3_chunk_cv(key_words, data, offset: int, counter: int, flags: int):
    """Chaining value of the whole 1024-byte chunk at data[offset:], one known not to be the last."""
    last = offset + _B3_CHUNK - _B3_BLOCK
    cv = _b3_compress(key_words, _b3_block_words(data, offset), counter, _B3_BLOCK, flags | _B3_CHUNK_START)
    for off in range(offset + _B3_BLOCK, last, _B3_BLOCK):
        cv = _b3_compress(cv, _b3_block_words(data, off), counter, _B3_BLOCK, flags)
    return _b3_compress(cv, _b3_block_words(data, last), counter, _B3_BLOCK, flags | _B3_CHUNK_END)


class Blake3:
    """Incremental BLAKE3 (32-byte digest); key=None is the plain hash, a 32-byte key the keyed mode."""

    def __init__(self, key: bytes | None = None):
        if key is None:
            self._key_words, self._flags = _B3_IV, 0
        else:
            if len(key) != 32:
                raise ValueError("the BLAKE3 key must be exactly 32 bytes")
            self._key_words, self._flags = _B3_WORDS8.unpack(bytes(key)), _B3_KEYED
        self._stack: list = []  # chaining values of completed subtrees, left to right
        self._counter = 0  # index of the buffered chunk
        self._buf = bytearray()  # the buffered (possibly last) chunk

    def _push_chunk(self, cv) -> None:
        """A completed chunk that is not the last: merge once per trailing zero bit of the completed count."""
        self._counter += 1
        total = self._counter
        while not total & 1:
            cv = _b3_compress(self._key_words, self._stack.pop() + cv, 0, _B3_BLOCK, self._flags | _B3_PARENT)
            total >>= 1
        self._stack.append(cv)

    def update(self, data) -> None:
        if not isinstance(data, (bytes, bytearray)):
            data = memoryview(data).cast("B")
        n, pos, buf = len(data), 0, self._buf
        if buf:
            take = min(_B3_CHUNK - len(buf), n)
            buf += data[:take]
            pos = take
            if pos == n:
                return  # a full buffer may still be the last chunk
            self._push_chunk(_b3_chunk_cv(self._key_words, buf, 0, self._counter, self._flags))
            buf.clear()
        while n - pos > _B3_CHUNK:  # whole chunks straight from the input, at least one byte left behind
            self._push_chunk(_b3_chunk_cv(self._key_words, data, pos, self._counter, self._flags))
            pos += _B3_CHUNK
        buf += data[pos:]

    def digest(self) -> bytes:
        key_words, flags, buf, counter = self._key_words, self._flags, self._buf, self._counter
        # The last chunk: every block but the final one (1..64 bytes, 0 for empty input, zero-padded), which is left
        # pending as the output that may become the root.
        n = len(buf)
        last_off = ((n - 1) // _B3_BLOCK) * _B3_BLOCK if n else 0
        cv = key_words
        block_flags = flags | _B3_CHUNK_START
        for off in range(0, last_off, _B3_BLOCK):
            cv = _b3_compress(cv, _b3_block_words(buf, off), counter, _B3_BLOCK, block_flags)
            block_flags = flags
        out_len = n - last_off
        out_cv, out_words = cv, _b3_block_words(bytes(buf[last_off:]) + bytes(_B3_BLOCK - out_len))
        out_counter, out_flags = counter, block_flags | _B3_CHUNK_END
        for left_cv in reversed(self._stack):  # fold the stack from the right: each step is a parent node
            right_cv = _b3_compress(out_cv, out_words, out_counter, out_len, out_flags)
            out_cv, out_words = key_words, left_cv + right_cv
            out_counter, out_len, out_flags = 0, _B3_BLOCK, flags | _B3_PARENT
        # the root: its counter is the output block index, 0 for the first 32 bytes
        return _B3_WORDS8.pack(*_b3_compress(out_cv, out_words, 0, out_len, out_flags | _B3_ROOT))

    def hexdigest(self) -> str:
        return self.digest().hex()


def blake3_digest(data, key: bytes | None = None) -> bytes:
    h = Blake3(key)
    h.update(data)
    return h.digest()


# ---------------------------------------------------------------------------------------------------------------
# BLAKE3 backends: hash_many(plaintexts, key) -> hex digests (blob ids, one call per pack) and hash_file(path, data)
# -> the hex digest of a pack file whose bytes are data. Chosen like the AES backends (--blake3).
# ---------------------------------------------------------------------------------------------------------------

class PythonBlake3:
    """The pure Python BLAKE3 above: dependency-free, about 1.6 MB/s."""

    name = "python"

    def hash_many(self, items: list[bytes], key: bytes | None = None) -> list[str]:
        return [blake3_digest(item, key).hex() for item in items]

    def hash_file(self, path: str, data: bytes) -> str:
        return blake3_digest(data).hex()


class ModuleBlake3:
    """The `blake3` Python module (the BLAKE3 team's Rust implementation, PyPI blake3), when it is installed."""

    name = "module"

    def __init__(self):
        import blake3 as module  # ImportError when absent
        self._new = module.blake3

    def hash_many(self, items: list[bytes], key: bytes | None = None) -> list[str]:
        if key is None:
            return [self._new(item).hexdigest() for item in items]
        return [self._new(item, key=key).hexdigest() for item in items]

    def hash_file(self, path: str, data: bytes) -> str:
        return self._new(data).hexdigest()


B3SUM_FILES = 4096  # files per b3sum process; their names are "0".."4095", so the command line stays short
B3SUM_BYTES = 256 << 20  # plaintext bytes per b3sum process (what its batch puts in the temporary directory)


class B3sumBlake3:
    """The `b3sum` command (Debian package b3sum, the BLAKE3 team's Rust implementation).

    A pack's name is `b3sum --no-names PACK`. Blob ids are hashed a pack at a time: the plaintexts are written to
    a private temporary directory (mkdtemp: mode 0700, files 0600; removed afterwards, also on error), and one
    `b3sum --no-names [--keyed] 0 1 2 ...` run there hashes them all, one digest per line in order. The keyed mode's
    32-byte key goes to b3sum's standard input, never on its command line (any user can read the process list;
    see the AES backends above)."""

    name = "b3sum"

    def __init__(self, exe: str):
        self.exe = exe

    def _run(self, files: list[str], key: bytes | None, cwd: str | None = None) -> list[str]:
        cmd = [self.exe, "--no-names"] + (["--keyed"] if key is not None else []) + ["--", *files]
        try:
            proc = subprocess.run(cmd, input=key if key is not None else None,
                                  stdin=None if key is not None else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        except OSError as e:
            raise RecoverError(f"b3sum cannot be run: {e}") from e
        if proc.returncode != 0:
            raise RecoverError(f"b3sum failed (exit code {proc.returncode}): "
                               f"{first_line(proc.stderr.decode(errors='replace').strip()) or 'no message'}")
        lines = proc.stdout.decode("ascii", errors="replace").splitlines()
        if len(lines) != len(files) or not all(HEX64.match(line) for line in lines):
            raise RecoverError(f"b3sum printed {len(lines)} lines for {len(files)} files, not one 64-hex-digit "
                               "digest each")
        return lines

    def hash_many(self, items: list[bytes], key: bytes | None = None) -> list[str]:
        if not items:
            return []
        out: list[str] = []
        tmp = tempfile.mkdtemp(prefix="recover-b3-")  # mode 0700
        try:
            for start, end in _batches([len(item) for item in items], B3SUM_BYTES):
                for first in range(start, end, B3SUM_FILES):
                    names = []
                    for i in range(first, min(end, first + B3SUM_FILES)):
                        name = str(i - first)
                        fd = os.open(os.path.join(tmp, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                                     | getattr(os, "O_CLOEXEC", 0), 0o600)
                        with os.fdopen(fd, "wb") as f:
                            f.write(items[i])
                        names.append(name)
                    out.extend(self._run(names, key, cwd=tmp))
                    for name in names:  # the next batch's files replace these: at most one batch on disk
                        os.unlink(os.path.join(tmp, name))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return out

    def hash_file(self, path: str, data: bytes) -> str:
        return self._run([os.path.abspath(path)], None)[0]


# BLAKE3 known answers (b3sum 1.2.0): the keyed ones under the key bytes 0x00..0x1f; P is 102400 bytes of i % 251.
_B3_KEY = bytes(range(32))
_B3_P = bytes(i % 251 for i in range(102400))
BLAKE3_VECTORS: list[tuple[str, bytes, bytes | None, str]] = [
    ('"abc"', b"abc", None, "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"),
    ('""', b"", None, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"),
    ('keyed "abc"', b"abc", _B3_KEY, "6da54495d8152f2bcba87bd7282df70901cdb66b4448ed5f4c7bd2852b8b5532"),
    ("102400 bytes", _B3_P, None, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085"),
    ("keyed 102400 bytes", _B3_P, _B3_KEY, "ab2ecf0478e816065ba6039d8ec583cbce8a2335efe903e2d7313c04ba5330d2"),
]


def blake3_self_test(backend) -> None:
    """Raises AssertionError when a BLAKE3 backend fails a known answer: blob ids (hash_many, plain and keyed, a
    batch of each) and a pack name (hash_file, of a file written to a private temporary directory)."""
    for key in (None, _B3_KEY):
        cases = [v for v in BLAKE3_VECTORS if v[2] == key]
        got = backend.hash_many([v[1] for v in cases], key)
        for (name, _data, _key, expected), digest in zip(cases, got, strict=True):
            assert digest == expected, f"BLAKE3 ({backend.name}): {name}: got {digest}, expected {expected}"
    tmp = tempfile.mkdtemp(prefix="recover-b3-")
    try:
        path = os.path.join(tmp, "pack")
        with open(path, "wb") as f:
            f.write(_B3_P)
        digest = backend.hash_file(path, _B3_P)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert digest == BLAKE3_VECTORS[3][3], f"BLAKE3 ({backend.name}): a file of 102400 bytes: got {digest}"


def make_blake3(choice: str = "auto", announce: bool = True):
    """The BLAKE3 backend: 'module', 'b3sum' or 'python', or 'auto' for the first available of these. A backend
    is used only after it gave the right keyed digest of "abc" (a stray module named blake3 is not BLAKE3)."""
    backend = None
    if choice in ("auto", "module"):
        try:
            backend = ModuleBlake3()
            _b3_quick_check(backend)
        except Exception as e:  # ImportError, or a module by that name that is something else
            backend = None
            if choice == "module":
                raise RecoverError(f"--blake3 module: the blake3 Python module cannot be used ({type(e).__name__}: "
                                   f"{first_line(str(e))})") from None
    if backend is None and choice in ("auto", "b3sum"):
        exe = shutil.which("b3sum")
        if exe is None and choice == "b3sum":
            raise RecoverError("--blake3 b3sum: the b3sum command is missing (Debian: apt-get install b3sum)")
        if exe is not None:
            backend = B3sumBlake3(exe)
            try:
                _b3_quick_check(backend)
            except (RecoverError, AssertionError, OSError) as e:
                if choice == "b3sum":
                    raise RecoverError(f"--blake3 b3sum: {first_line(str(e))}") from None
                log(f"warning: {exe} cannot be used ({first_line(str(e))}); trying the others")
                backend = None
    if backend is None:
        backend = PythonBlake3()
        if choice == "auto" and announce:
            log("warning: BLAKE3 in pure Python (no usable blake3 module or b3sum command): slow, about 1.6 MB/s "
                "of packs and blobs; `apt-get install b3sum` makes it fast")
    return backend


def _b3_quick_check(backend) -> None:
    name, data, key, expected = BLAKE3_VECTORS[2]
    got = backend.hash_many([data], key)
    if got != [expected]:
        raise AssertionError(f"BLAKE3 ({backend.name}): {name} gave {got}, expected {expected}")


# ---------------------------------------------------------------------------------------------------------------
# Errors and small helpers
# ---------------------------------------------------------------------------------------------------------------

class RecoverError(Exception):
    """A fatal problem; the message names the object (docs/design.md section 12: a failure names the object)."""

    exit_code = 1


class WrongPassword(RecoverError):
    exit_code = 12  # docs/design.md sections 6.3 and 18


def log(msg: str) -> None:
    print(f"recover: {msg}", file=sys.stderr, flush=True)


HEX64 = re.compile(r"^[0-9a-f]{64}$")


def parse_rfc3339(text: str) -> datetime.datetime:
    """RFC 3339 with any number of fraction digits (.NET writes 7) and Z or an offset."""
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$", text)
    if not m:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    frac = (m.group(2) or "0")[:6].ljust(6, "0")
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    return datetime.datetime.fromisoformat(f"{m.group(1)}.{frac}{zone}")


# ---------------------------------------------------------------------------------------------------------------
# The config object (section 10)
# ---------------------------------------------------------------------------------------------------------------

CONFIG_FIELDS = {"version", "id", "created", "encryption", "compression", "compression_level", "chunker",
                 "chunk_min_size", "chunk_avg_size", "chunk_max_size", "pack_size", "chunker_seed", "is_encrypted",
                 "hash"}
CONFIG_VERSION = 3  # the highest config version this file reads
HASHES = ("blake3", "sha256")  # section 4: the repository's hash (the config's "hash", version 3)


def read_config(root: str) -> tuple[dict, bytes | None, bytes | None]:
    """Section 10: version 3 or 2 (an envelope with the body's sha256 and, encrypted, its MAC; the body has the
    envelope's version, and in version 3 a required "hash", blake3 or sha256) or version 1 (plain). Versions 1 and 2
    carry no "hash": their hash is SHA-256, and the returned config says so. Returns (config, body, mac); the MAC is
    checked by check_config_mac once the master key is open. Unknown or malformed fields are errors, never
    defaults."""
    config_path = os.path.join(root, "config")
    if not os.path.isfile(config_path):
        raise RecoverError(f"{root}: no repository here (no config object)")
    with open(config_path, "rb") as f:
        stored = f.read()
    try:
        outer = json.loads(stored.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise RecoverError(f"config: corrupt: not valid JSON ({e})") from e
    if not isinstance(outer, dict) or not isinstance(outer.get("version"), int) or isinstance(outer.get("version"), bool):
        raise RecoverError("config: corrupt: no integer version")
    version = outer["version"]
    if version > CONFIG_VERSION:
        raise RecoverError(f"config: has format version {version}; recover.py reads up to version {CONFIG_VERSION}")
    body = mac = None
    if version >= 2:
        if set(outer) - {"version", "config", "sha256", "mac"} or "config" not in outer or "sha256" not in outer:
            raise RecoverError(f"config: corrupt: envelope fields {sorted(outer)}")
        try:
            body = base64.b64decode(outer["config"], validate=True)
        except (ValueError, TypeError) as e:
            raise RecoverError(f"config: corrupt: body is not base64 ({e})") from e
        if not isinstance(outer["sha256"], str) or not hmac.compare_digest(outer["sha256"], hashlib.sha256(body).hexdigest()):
            raise RecoverError("config: corrupt: checksum mismatch (the body does not match its sha256)")
        if "mac" in outer:
            if not isinstance(outer["mac"], str) or not HEX64.match(outer["mac"]):
                raise RecoverError("config: corrupt: mac is not 64 hex digits")
            mac = bytes.fromhex(outer["mac"])
        try:
            cfg = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise RecoverError(f"config: corrupt: body is not valid JSON ({e})") from e
    else:
        cfg = outer
    if not isinstance(cfg, dict) or cfg.get("version") != version:
        raise RecoverError(f"config: corrupt: body version {cfg.get('version') if isinstance(cfg, dict) else None} in a version-{version} config")
    unknown = set(cfg) - CONFIG_FIELDS
    if unknown:
        raise RecoverError(f"config: corrupt: unknown fields {sorted(unknown)}")
    if not isinstance(cfg.get("id"), str) or not HEX64.match(cfg["id"]):
        raise RecoverError("config: corrupt: id is not 64 hex digits")
    if cfg.get("encryption", "aes-256-gcm") not in ("aes-256-gcm", "none"):
        raise RecoverError(f"config: unknown encryption {cfg.get('encryption')!r}")
    cfg.setdefault("encryption", "aes-256-gcm")
    cfg.setdefault("compression", "zstd")
    if cfg.get("compression") != "zstd":
        raise RecoverError(f"config: unknown compression {cfg.get('compression')!r}")
    if version >= 3:
        if "hash" not in cfg:
            raise RecoverError(f"config: corrupt: a version-{version} config needs a hash (blake3 or sha256)")
        if cfg["hash"] not in HASHES:
            raise RecoverError(f"config: corrupt: hash {cfg['hash']!r} is neither blake3 nor sha256")
    elif "hash" in cfg:
        raise RecoverError(f"config: corrupt: a version-{version} config carries no hash (its hash is SHA-256; "
                           "hash came with version 3)")
    else:
        cfg["hash"] = "sha256"
    if version >= 2 and (cfg["encryption"] == "aes-256-gcm") != (mac is not None):
        raise RecoverError("config: corrupt: an encrypted config needs a mac, an unencrypted one has none")
    if cfg["encryption"] == "none" and not re.fullmatch(r"[0-9a-fA-F]{16}", str(cfg.get("chunker_seed", ""))):
        raise RecoverError("config: corrupt: chunker_seed is not 16 hex digits")
    return cfg, body, mac


def check_config_mac(body: bytes | None, mac: bytes | None, mac_key: bytes | None) -> None:
    """Section 10: HMAC-SHA256(HMAC-SHA256(encryption_key, "stackvault config mac"), body); version 1 has none."""
    if mac is None:
        return
    if mac_key is None or not hmac.compare_digest(mac, hmac.new(mac_key, body, hashlib.sha256).digest()):
        raise RecoverError("config: corrupt: its mac does not verify under the master key")


# ---------------------------------------------------------------------------------------------------------------
# Repository access (sections 2, 3, 6, 10)
# ---------------------------------------------------------------------------------------------------------------

class Repository:
    def __init__(self, root: str, password: str | None, backend: str, blake3_backend: str = "auto"):
        self.root = root
        self.backend = backend
        self.config, config_body, config_mac = read_config(root)
        cfg = self.config
        self.encrypted = cfg["encryption"] == "aes-256-gcm"
        # Section 4: blob ids and pack names use the repository's hash; every other object name is SHA-256.
        self.hash_name = "BLAKE3" if cfg["hash"] == "blake3" else "SHA-256"
        self.blake3 = make_blake3(blake3_backend) if cfg["hash"] == "blake3" else None
        if self.blake3 is not None:
            log(f"repository hash: BLAKE3 (backend: {self.blake3.name})")
        self.gcm = None
        self.id_key: bytes | None = None
        self.config_mac_key: bytes | None = None
        if self.encrypted:
            if password is None:
                raise RecoverError("the repository is encrypted: set STACKVAULT_PASSWORD or use --password-file")
            self._open_master_key(password)
            check_config_mac(config_body, config_mac, self.config_mac_key)

    # -- objects ------------------------------------------------------------------------------------------------

    def object_path(self, kind: str, name: str) -> str:
        if kind == "data":
            return os.path.join(self.root, "data", name[:2], name)
        return os.path.join(self.root, kind, name)

    def read_object(self, kind: str, name: str) -> bytes:
        """Reads a whole object and checks that its name is the SHA-256 of its bytes (section 2: keys, index files,
        snapshots; packs are read by read_pack)."""
        path = self.object_path(kind, name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise RecoverError(f"{kind}/{name}: cannot read: {e.strerror}") from e
        digest = hashlib.sha256(data).hexdigest()
        if digest != name:
            raise RecoverError(f"{self.rel(kind, name)}: corrupt: SHA-256 of its {len(data)} bytes is {digest}")
        return data

    def rel(self, kind: str, name: str) -> str:
        return f"data/{name[:2]}/{name}" if kind == "data" else f"{kind}/{name}"

    def list_objects(self, kind: str) -> list[str]:
        """Object names of a kind; names that are not 64 hex digits (temp files) are ignored (section 2)."""
        base = os.path.join(self.root, kind)
        if not os.path.isdir(base):
            return []
        if kind != "data":
            return sorted(n for n in os.listdir(base) if HEX64.match(n))
        names = []
        for sub in sorted(os.listdir(base)):
            d = os.path.join(base, sub)
            if os.path.isdir(d):
                names.extend(n for n in os.listdir(d) if HEX64.match(n) and n[:2] == sub)
        return sorted(names)

    # -- sealing (6.1) ------------------------------------------------------------------------------------------

    def open_sealed(self, sealed: bytes, what: str) -> bytes:
        if not self.encrypted:
            return sealed
        try:
            return self.gcm.open(sealed)
        except TagMismatch as e:
            raise RecoverError(f"{what}: does not authenticate ({e}): altered or not of this repository") from e

    def _open_master_key(self, password: str) -> None:
        """Section 6.3: the first key file whose GCM tag verifies under the password's wrapping key."""
        key_names = self.list_objects("keys")
        if not key_names:
            raise RecoverError("keys/: no key files; an encrypted repository cannot be opened without one")
        for name in key_names:
            doc = json.loads(self.read_object("keys", name).decode("utf-8"))
            if doc.get("version", 0) > 1:
                raise RecoverError(f"keys/{name}: key file version {doc['version']}; recover.py reads version 1")
            if doc.get("kdf") != "pbkdf2-sha256":
                raise RecoverError(f"keys/{name}: unknown kdf {doc.get('kdf')!r}")
            iterations = int(doc["iterations"])
            if iterations < 1000:
                raise RecoverError(f"keys/{name}: iterations {iterations} below the minimum of 1000")
            salt = base64.b64decode(doc["salt"], validate=True)
            wrapping = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, 32)
            try:
                plain = make_gcm(wrapping, self.backend).open(base64.b64decode(doc["data"], validate=True))
            except TagMismatch:
                continue
            master = json.loads(plain.decode("utf-8"))
            enc_key = base64.b64decode(master["encryption_key"], validate=True)
            id_key = base64.b64decode(master["id_key"], validate=True)
            if len(enc_key) != 32 or len(id_key) != 32:
                raise RecoverError(f"keys/{name}: master key has wrong key lengths")
            self.gcm = make_gcm(enc_key, self.backend)
            self.id_key = id_key
            self.config_mac_key = hmac.new(enc_key, b"stackvault config mac", hashlib.sha256).digest()
            log(f"opened key keys/{name[:8]} (AES-GCM backend: {self.gcm.name})")
            return
        raise WrongPassword("wrong password: no key file in keys/ opens with it")

    # -- ids (4) ------------------------------------------------------------------------------------------------

    def blob_ids(self, plaintexts: list[bytes]) -> list[str]:
        """The ids of some plaintexts (one pack's, in one call: the b3sum backend runs one process for them):
        keyed with id_key when encrypted (HMAC-SHA-256, or BLAKE3's keyed mode), the plain hash otherwise."""
        if self.blake3 is not None:
            return self.blake3.hash_many(plaintexts, self.id_key if self.encrypted else None)
        if self.encrypted:
            return [hmac.new(self.id_key, p, hashlib.sha256).hexdigest() for p in plaintexts]
        return [hashlib.sha256(p).hexdigest() for p in plaintexts]

    def pack_name(self, path: str, data: bytes) -> str:
        """The name a pack whose stored bytes are data (read from path) should have: the repository's hash."""
        if self.blake3 is not None:
            return self.blake3.hash_file(path, data)
        return hashlib.sha256(data).hexdigest()

    # -- documents (6.5) ----------------------------------------------------------------------------------------

    def read_document(self, kind: str, name: str) -> bytes:
        what = self.rel(kind, name)
        plain = self.open_sealed(self.read_object(kind, name), what)
        if not plain:
            raise RecoverError(f"{what}: empty document")
        encoding, body = plain[0], plain[1:]
        if encoding == 0:
            return body
        if encoding == 1:
            if len(body) < 8:
                raise RecoverError(f"{what}: truncated document")
            raw_length = struct.unpack_from("<Q", body)[0]
            if raw_length > MAX_RAW_LENGTH:
                raise RecoverError(f"{what}: raw length {raw_length} above 2^30")
            out, error = zstd_decompress([body[8:]], [raw_length])[0]
            if error is not None:
                raise RecoverError(f"{what}: {error}")
            return out
        raise RecoverError(f"{what}: unknown document encoding {encoding}")

    # -- index (8) ----------------------------------------------------------------------------------------------

    def load_index(self) -> dict[str, tuple[str, int, int, int, int, int]]:
        """blob id -> (pack id, offset, length, raw_length, type, flags), from every non-superseded index file."""
        files = {}
        superseded: set[str] = set()
        for name in self.list_objects("index"):
            what = f"index/{name}"
            try:
                body = self.read_document("index", name)
                sup, packs = parse_index(body)
            except (struct.error, ValueError) as e:
                raise RecoverError(f"{what}: malformed: {e} (--scan-packs does without index files)") from e
            except RecoverError as e:
                raise RecoverError(f"{e} (--scan-packs does without index files)") from e
            superseded.update(sup)
            files[name] = packs
        index: dict[str, tuple[str, int, int, int, int, int]] = {}
        for name, packs in files.items():
            if name in superseded:
                continue
            for pack_id, entries in packs:
                for (btype, flags, offset, length, raw_length, bid) in entries:
                    index.setdefault(bid, (pack_id, offset, length, raw_length, btype, flags))
        return index

    # -- packs (7) ----------------------------------------------------------------------------------------------

    def read_pack(self, pack_id: str) -> bytes:
        """A pack's bytes, its name checked with the repository's hash. A pack that does not match its name is still
        read: every blob in it is authenticated and its id recomputed on its own, so one damaged byte costs only the
        blob it is in (docs/design.md 12). A pack read again (one per tree level) is hashed again only if its file
        changed (the pure Python BLAKE3 is slow; the blobs are checked on every read anyway)."""
        path = self.object_path("data", pack_id)
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                data = f.read()
        except OSError as e:
            raise RecoverError(f"{self.rel('data', pack_id)}: cannot read: {e.strerror}") from e
        stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, len(data))
        checked = self.__dict__.setdefault("checked_packs", {})
        if checked.get(pack_id) != stamp:
            digest = self.pack_name(path, data)
            checked[pack_id] = stamp
            if digest != pack_id:
                log(f"warning: {self.rel('data', pack_id)}: corrupt: {self.hash_name} of its {len(data)} bytes is "
                    f"{digest}; checking each of its blobs on its own")
        return data

    def read_pack_header(self, pack_id: str, pack: bytes) -> list[tuple[int, int, int, int, int, str]]:
        """Parses and checks a pack's trailer and header: [(type, flags, offset, length, raw_length, id)]."""
        what = f"data/{pack_id[:2]}/{pack_id}"
        if len(pack) < 4:
            raise RecoverError(f"{what}: shorter than its trailer")
        header_length = struct.unpack_from("<I", pack, len(pack) - 4)[0]
        if header_length + 4 > len(pack):
            raise RecoverError(f"{what}: header length {header_length} does not fit in {len(pack)} bytes")
        header_start = len(pack) - 4 - header_length
        header = self.open_sealed(pack[header_start:len(pack) - 4], f"{what} (header)")
        if len(header) < 12 or header[:4] != b"SVPK":
            raise RecoverError(f"{what}: bad header magic")
        if header[4] != 1:
            raise RecoverError(f"{what}: pack version {header[4]}; recover.py reads version 1")
        count = struct.unpack_from("<I", header, 8)[0]
        if len(header) != 12 + 44 * count:
            raise RecoverError(f"{what}: header of {len(header)} bytes does not hold {count} entries")
        entries = []
        offset = 0
        overhead = OVERHEAD if self.encrypted else 0
        for i in range(count):
            btype, flags, _z, length, raw_length = struct.unpack_from("<BBHII", header, 12 + 44 * i)
            bid = header[12 + 44 * i + 12:12 + 44 * i + 44].hex()
            if btype not in (0, 1) or flags & ~1 or length < overhead:
                raise RecoverError(f"{what}: header entry {i} is malformed")
            entries.append((btype, flags, offset, length, raw_length, bid))
            offset += length
        if offset != header_start:
            raise RecoverError(f"{what}: blob lengths add up to {offset}, header starts at {header_start}")
        return entries

    def scan_packs(self) -> dict[str, tuple[str, int, int, int, int, int]]:
        """Rebuilds the index from the pack headers (used when index files miss a blob). A pack whose header cannot
        be read is skipped with a warning: its blobs are then in no index, and the files needing them are named."""
        index = {}
        for pack_id in self.list_objects("data"):
            try:
                entries = self.read_pack_header(pack_id, self.read_pack(pack_id))
            except RecoverError as e:
                log(f"warning: {e}: its blobs cannot be located without index files")
                continue
            for (btype, flags, offset, length, raw_length, bid) in entries:
                index.setdefault(bid, (pack_id, offset, length, raw_length, btype, flags))
        return index

    def load_blobs(self, ids: list[str], index: dict) -> "Iterator[tuple[str, bytes | None, str | None]]":
        """Yields (id, plaintext, None) for each intact blob and (id, None, reason) for each one that is not, a pack
        at a time; every blob is authenticated, its length checked and its id recomputed (docs/design.md 12)."""
        by_pack: dict[str, list[str]] = {}
        for bid in dict.fromkeys(ids):
            loc = index.get(bid)
            if loc is None:
                yield bid, None, f"blob {bid}: in no index file (try --scan-packs)"
                continue
            by_pack.setdefault(loc[0], []).append(bid)
        for pack_id, bids in by_pack.items():
            what = f"data/{pack_id[:2]}/{pack_id}"
            try:
                pack = self.read_pack(pack_id)
            except RecoverError as e:
                for bid in bids:
                    yield bid, None, str(e)
                continue
            payloads: list[bytes | None] = []
            errors: list[str | None] = []
            for bid in bids:
                _p, offset, length, raw_length, _t, flags = index[bid]
                payload, error = None, None
                if offset + length > len(pack):
                    error = f"{what}: blob {bid} at {offset}+{length} beyond the pack's {len(pack)} bytes"
                elif raw_length > MAX_RAW_LENGTH:
                    error = f"{what}: blob {bid}: raw length {raw_length} above 2^30"
                else:
                    try:
                        payload = self.open_sealed(pack[offset:offset + length], f"{what}: blob {bid}")
                    except RecoverError as e:
                        error = str(e)
                payloads.append(payload)
                errors.append(error)
            del pack
            # Compressed payloads go through zstd in batches of bounded output; no frame may give more bytes than
            # the index declares (a zstd bomb is cut off there), and every piece is checked against its id below.
            zi = [i for i, bid in enumerate(bids) if index[bid][5] & 1 and payloads[i] is not None]
            for start, end in _batches([index[bids[i]][3] for i in zi], ZSTD_BATCH):
                part = zi[start:end]
                outs = zstd_decompress([payloads[i] for i in part], [index[bids[i]][3] for i in part])
                for i, (out, error) in zip(part, outs):
                    payloads[i] = out
                    if error is not None:
                        errors[i] = f"{what}: blob {bids[i]}: {error}"
            for i, bid in enumerate(bids):
                if errors[i] is None and len(payloads[i]) != index[bid][3]:
                    errors[i] = f"{what}: blob {bid}: {len(payloads[i])} bytes, index says {index[bid][3]}"
            intact = [i for i in range(len(bids)) if errors[i] is None]
            for i, got in zip(intact, self.blob_ids([payloads[i] for i in intact]), strict=True):
                if got != bids[i]:
                    errors[i] = f"{what}: blob {bids[i]}: content hashes to {got}"
            for i, bid in enumerate(bids):
                plain, error = payloads[i], errors[i]
                payloads[i] = None
                yield (bid, None, error) if error is not None else (bid, plain, None)


def _batches(sizes: list[int], limit: int) -> Iterator[tuple[int, int]]:
    """[start, end) runs of consecutive items whose sizes add up to at most limit (at least one item each)."""
    start, total = 0, 0
    for i, n in enumerate(sizes):
        if i > start and total + n > limit:
            yield start, i
            start, total = i, 0
        total += n
    if start < len(sizes):
        yield start, len(sizes)


def parse_index(body: bytes) -> tuple[list[str], list[tuple[str, list]]]:
    """Section 8: version 1, or 2 with pending_orphans after the packs. Every count is checked against the bytes
    left before anything is allocated for it."""
    if body[:4] != b"SVIX":
        raise ValueError("bad magic")
    if len(body) < 12:
        raise ValueError("truncated header")
    version = body[4]
    if version not in (1, 2):
        raise ValueError(f"index version {version}; recover.py reads versions 1 and 2")

    def count(pos: int, item: int, what: str) -> int:
        if pos + 4 > len(body):
            raise ValueError(f"truncated before {what} count")
        (n,) = struct.unpack_from("<I", body, pos)
        if n * item > len(body) - pos - 4:
            raise ValueError(f"{what} count {n} does not fit in the {len(body) - pos - 4} bytes left")
        return n

    pos = 8
    n_sup = count(pos, 32, "supersedes")
    pos += 4
    sup = [body[pos + 32 * i:pos + 32 * i + 32].hex() for i in range(n_sup)]
    pos += 32 * n_sup
    n_packs = count(pos, 36, "pack")
    pos += 4
    packs = []
    for _ in range(n_packs):
        if pos + 36 > len(body):
            raise ValueError("truncated pack entry")
        pack_id = body[pos:pos + 32].hex()
        n_blobs = count(pos + 32, 48, "blob")
        pos += 36
        entries = []
        for _ in range(n_blobs):
            btype, flags, _z, offset, length, raw_length = struct.unpack_from("<BBHIII", body, pos)
            bid = body[pos + 16:pos + 48].hex()
            entries.append((btype, flags, offset, length, raw_length, bid))
            pos += 48
        packs.append((pack_id, entries))
    if version == 2:
        n_orphans = count(pos, 32, "pending_orphans")
        pos += 4 + 32 * n_orphans  # pack names only prune needs: a restorer reads past them
    if pos != len(body):
        raise ValueError(f"{len(body) - pos} trailing bytes")
    return sup, packs


MAX_RAW_LENGTH = 1 << 30  # documents (6.5) and, in practice, blobs: nothing this tool decodes is larger
ZSTD_BATCH = 64 << 20  # decompressed bytes per zstd process


def zstd_decompress(frames: list[bytes], raw_lengths: list[int]) -> list[tuple[bytes | None, str | None]]:
    """Decompresses zstd frames, each declared to give raw_lengths[i] bytes: [(bytes, None) | (None, reason)].

    One `zstd -d` process takes them all; its output is read in pieces and the process is killed as soon as it gives
    more than the declared total, so a frame that expands beyond its declared size (a zstd bomb) costs at most that
    size. When the batch fails, each frame is retried on its own to name the ones at fault."""
    total = sum(raw_lengths)
    out, error = _zstd_bounded(b"".join(frames), total)
    if error is None and len(out) != total:
        error = f"zstd gave {len(out)} bytes, declared {total}"
    if error is None:
        pieces, pos = [], 0
        for n in raw_lengths:
            pieces.append((out[pos:pos + n], None))
            pos += n
        return pieces
    if len(frames) == 1:
        return [(None, error)]
    return [zstd_decompress([f], [n])[0] for f, n in zip(frames, raw_lengths)]


def _zstd_bounded(data: bytes, limit: int) -> tuple[bytes | None, str | None]:
    import threading
    try:
        proc = subprocess.Popen(["zstd", "-d", "-q", "-c"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except FileNotFoundError as e:
        raise RecoverError("the zstd command is missing (Debian: apt-get install zstd)") from e

    def feed() -> None:
        try:
            proc.stdin.write(data)
        except (BrokenPipeError, OSError):
            pass
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out = bytearray()
    over = False
    while True:
        piece = proc.stdout.read1(1 << 20) if hasattr(proc.stdout, "read1") else proc.stdout.read(1 << 20)
        if not piece:
            break
        out += piece
        if len(out) > limit:
            over = True
            proc.kill()
            break
    proc.stdout.close()
    stderr = proc.stderr.read(4096)
    proc.stderr.close()
    proc.wait()
    writer.join()
    if over:
        return None, f"decompresses to more than the declared {limit} bytes: refused (zstd bomb?)"
    if proc.returncode != 0:
        return None, f"zstd failed: {first_line(stderr.decode(errors='replace').strip())}"
    return bytes(out), None


# ---------------------------------------------------------------------------------------------------------------
# Snapshots (11.2)
# ---------------------------------------------------------------------------------------------------------------

def load_snapshots(repo: Repository, wanted: str | None = None) -> list[tuple[str, dict]]:
    """Every readable snapshot. One that cannot be read costs only itself: a warning names it, unless it is the
    one asked for by a full id or prefix (then it is the error)."""
    snaps = []
    for name in repo.list_objects("snapshots"):
        try:
            doc = json.loads(repo.read_document("snapshots", name).decode("utf-8"))
            if not isinstance(doc, dict) or not isinstance(doc.get("tree"), str) or not isinstance(doc.get("time"), str):
                raise RecoverError(f"snapshots/{name}: not a snapshot manifest")
            if doc.get("version", 0) > 1:
                raise RecoverError(f"snapshots/{name}: snapshot version {doc['version']}; recover.py reads version 1")
            parse_rfc3339(doc["time"])
        except (RecoverError, ValueError, UnicodeDecodeError) as e:
            if wanted and wanted != "latest" and name.startswith(wanted.lower()):
                raise RecoverError(f"snapshots/{name}: unreadable: {e}") from e
            log(f"warning: snapshots/{name} skipped: {e}")
            continue
        snaps.append((name, doc))
    snaps.sort(key=lambda s: (parse_rfc3339(s[1]["time"]), s[0]))
    return snaps


def pick_snapshot(snaps: list[tuple[str, dict]], wanted: str) -> tuple[str, dict]:
    if not snaps:
        raise RecoverError("the repository has no readable snapshots")
    if wanted == "latest":
        return snaps[-1]
    if len(wanted) < 4:
        raise RecoverError(f"snapshot {wanted!r}: give 'latest' or at least 4 hex digits")
    matches = [s for s in snaps if s[0].startswith(wanted.lower())]
    if len(matches) != 1:
        raise RecoverError(f"snapshot {wanted!r}: {'no match' if not matches else 'ambiguous prefix'}")
    return matches[0]


# ---------------------------------------------------------------------------------------------------------------
# Trees and the restore plan (11.1, 15)
# ---------------------------------------------------------------------------------------------------------------

NODE_TYPES = {"file", "dir", "symlink", "fifo", "chardev", "blockdev", "socket"}
# Bounded cost on crafted trees, the numbers of Stackvault's restore and export (docs/design.md 15): at most MAX_DEPTH
# directory levels, paths of at most MAX_PATH_BYTES inside the target, and a snapshot may expand to at most
# MAX_EXPANDED_ENTRIES paths, or MAX_EXPANSION_RATIO times the entries of its distinct trees if that is more (31 trees
# that reference each other twice over expand to 2^31 paths). Measured over the distinct trees, before planning.
MAX_DEPTH = 1024
MAX_PATH_BYTES = 4000
MAX_EXPANDED_ENTRIES = 1_000_000
MAX_EXPANSION_RATIO = 64
_U32_ID_MAX = (1 << 32) - 2  # uid/gid: (uid_t)-1 means "leave unchanged" to chown
_NUMBER_RANGES = {"uid": (0, _U32_ID_MAX), "gid": (0, _U32_ID_MAX), "mode": (0, 0o7777),
                  "mtime_ns": (-(1 << 63), (1 << 63) - 1), "size": (0, (1 << 63) - 1), "inode": (0, (1 << 64) - 1),
                  "device": (0, (1 << 64) - 1), "links": (0, (1 << 63) - 1), "rdev": (0, (1 << 64) - 1)}


class Refused(RecoverError):
    """A crafted or damaged tree that restore refuses before writing anything."""


def utf8(text: object, where: str, what: str) -> bytes:
    """A JSON string as UTF-8 bytes; a lone surrogate (valid JSON, not Unicode) is refused with a clear message."""
    if not isinstance(text, str):
        raise Refused(f"{where}: {what} is not a string: restore refused before writing anything")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(f"{where}: {what} {text!r} is not valid Unicode (a lone surrogate): "
                      "restore refused before writing anything") from None


def check_name(name: object, where: str) -> bytes:
    """Section 15: a name is one path component. Returns it as file-system bytes (UTF-8)."""
    if not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\0" in name:
        raise Refused(f"{where}: unsafe name {name!r}: restore refused before writing anything")
    return utf8(name, where, "name")


def check_node(node: dict, where: str) -> None:
    """The fields restore uses, checked before anything is written: a crafted value is an error, not a traceback."""
    name = node["name"]
    for field, (low, high) in _NUMBER_RANGES.items():
        value = node.get(field, 0)
        if type(value) is not int or not low <= value <= high:
            raise Refused(f"{where}: {name!r}: {field} {value!r} out of range [{low}, {high}]: "
                          "restore refused before writing anything")
    kind = node["type"]
    if kind == "file":
        content = node.get("content") or []
        if not isinstance(content, list) or not all(isinstance(b, str) and HEX64.match(b) for b in content):
            raise Refused(f"{where}: {name!r}: content is not a list of blob ids: restore refused")
    elif kind == "dir":
        subtree = node.get("subtree")
        if subtree is not None and not (isinstance(subtree, str) and HEX64.match(subtree)):
            raise Refused(f"{where}: {name!r}: subtree {subtree!r} is not a tree id: restore refused")
    elif kind == "symlink":
        target = node.get("target")
        if not isinstance(target, str) or target == "":
            raise Refused(f"{where}: {name!r}: symlink without a target: restore refused before writing anything")
        if "\0" in target:
            raise Refused(f"{where}: {name!r}: symlink target {target!r} holds a NUL byte: "
                          "restore refused before writing anything")
        utf8(target, where, f"{name!r}: symlink target")


def parse_tree(tid: str, plain: bytes, where: str) -> list[dict]:
    """A tree blob's nodes, every field restore uses checked (section 11.1, 15): a crafted tree is refused here."""
    try:
        doc = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise Refused(f"{where}: not JSON: {first_line(str(e))}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes") or [], list):
        raise Refused(f"{where}: not a tree")
    if doc.get("version", 0) > 1:
        raise Refused(f"{where}: tree version {doc['version']}; recover.py reads version 1")
    nodes = doc.get("nodes") or []
    seen: set[str] = set()
    for node in nodes:
        if not isinstance(node, dict):
            raise Refused(f"{where}: a node is not a JSON object")
        name = node.get("name")
        check_name(name, where)
        if name in seen:
            raise Refused(f"{where}: name {name!r} appears twice: restore refused")
        seen.add(name)
        if node.get("type") not in NODE_TYPES:
            raise Refused(f"{where}: {name!r} has unknown type {node.get('type')!r}")
        check_node(node, where)
    return nodes


def load_trees(repo: Repository, root_tree: str, index: dict) -> tuple[dict[str, list[dict] | None], dict[str, str]]:
    """Every distinct tree the snapshot reaches, each read once (a level at a time, a pack at a time) and checked:
    tree id -> nodes, or None with the reason in problems when its blob cannot be read. Then the expansion and
    depth are measured over these distinct trees, before a single path is planned or written."""
    trees: dict[str, list[dict] | None] = {}
    problems: dict[str, str] = {}
    level = [root_tree]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH + 1:
            raise Refused(f"tree {level[0]}: directories nested deeper than {MAX_DEPTH} levels: "
                          "restore refused before writing anything")
        next_level: dict[str, None] = {}
        for tid, plain, error in repo.load_blobs(level, index):
            if error is not None:
                trees[tid] = None
                problems[tid] = error
                continue
            nodes = parse_tree(tid, plain, f"tree {tid}")
            trees[tid] = nodes
            for node in nodes:
                sub = node.get("subtree") if node["type"] == "dir" else None
                if sub and sub not in trees:
                    next_level[sub] = None
        level = [t for t in next_level if t not in trees]
    if root_tree in problems:
        raise RecoverError(f"the snapshot's root tree cannot be read: {problems[root_tree]}")

    distinct = sum(len(n) for n in trees.values() if n)
    limit = max(MAX_EXPANDED_ENTRIES, MAX_EXPANSION_RATIO * distinct)
    memo: dict[str, tuple[int, int]] = {}  # tree id -> (entries it expands to, capped; directory levels below it)

    def measure(tid: str, depth: int) -> tuple[int, int]:
        if tid in memo:
            expanded, height = memo[tid]
        else:
            if depth > MAX_DEPTH:
                raise Refused(f"tree {tid}: directories nested deeper than {MAX_DEPTH} levels: "
                              "restore refused before writing anything")
            memo[tid] = (limit + 1, MAX_DEPTH + 1)  # a cycle (impossible with hashed ids) reads as too big
            nodes = trees.get(tid) or []
            expanded, height = len(nodes), 0
            for node in nodes:
                sub = node.get("subtree") if node["type"] == "dir" else None
                if sub:
                    e, h = measure(sub, depth + 1)
                    expanded = min(limit + 1, expanded + e)
                    height = max(height, h + 1)
            memo[tid] = (expanded, height)
        if depth + height > MAX_DEPTH:
            raise Refused(f"tree {tid}: directories nested deeper than {MAX_DEPTH} levels: "
                          "restore refused before writing anything")
        return expanded, height

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 4 * MAX_DEPTH + 100))
    try:
        expanded, _height = measure(root_tree, 0)
    finally:
        sys.setrecursionlimit(old_limit)
    if expanded > limit:
        raise Refused(f"the snapshot's {len(trees)} distinct trees ({distinct} entries) expand to more than {limit} "
                      f"paths (the limit is {MAX_EXPANDED_ENTRIES} or {MAX_EXPANSION_RATIO}x the distinct entries; "
                      "trees referencing each other over and over): restore refused before writing anything")
    return trees, problems


class Entry:
    __slots__ = ("path", "node")

    def __init__(self, path: bytes, node: dict):
        self.path = path  # relative to the target, file-system bytes
        self.node = node


def build_plan(repo: Repository, root_tree: str, index: dict, damaged: list[tuple[str, str]]) -> list[Entry]:
    """The entries, parents before children, from the distinct trees (load_trees). A tree that cannot be read
    leaves its directory empty and is added to damaged; a crafted tree stops everything before anything is written."""
    trees, problems = load_trees(repo, root_tree, index)
    entries: list[Entry] = []
    stack: list[tuple[bytes, str]] = [(b"", root_tree)]  # (directory path, tree id)
    while stack:
        dir_path, tid = stack.pop()
        if tid in problems:
            damaged.append((os.fsdecode(dir_path), f"directory listing lost: {problems[tid]}"))
            continue
        below = []
        for node in trees[tid]:
            bname = node["name"].encode("utf-8")
            path = os.path.join(dir_path, bname) if dir_path else bname
            if len(path) > MAX_PATH_BYTES:
                raise Refused(f"tree {tid}: {os.fsdecode(path[:60])}...: a path longer than {MAX_PATH_BYTES} bytes: "
                              "restore refused before writing anything")
            entries.append(Entry(path, node))
            if node["type"] == "dir" and node.get("subtree"):
                below.append((path, node["subtree"]))
        stack.extend(reversed(below))
    return entries


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------

SPARSE_SEGMENT = 64 * 1024
_ZERO_SEGMENT = bytes(SPARSE_SEGMENT)


def nonzero_runs(data: bytes) -> list[tuple[int, int]]:
    """The [start, end) runs of data made of 64 KiB segments that are not all zero (section 15)."""
    runs: list[tuple[int, int]] = []
    view = memoryview(data)
    for pos in range(0, len(data), SPARSE_SEGMENT):
        seg = view[pos:pos + SPARSE_SEGMENT]
        if seg == _ZERO_SEGMENT[:len(seg)]:
            continue
        end = min(pos + SPARSE_SEGMENT, len(data))
        if runs and runs[-1][1] == pos:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((pos, end))
    return runs


def restore(repo: Repository, entries: list[Entry], index: dict, target: bytes,
            damaged: list[tuple[str, str]]) -> dict[str, int]:
    """Writes the plan. A file whose blob cannot be read or does not verify is removed (never left with wrong or
    missing bytes) and added to damaged, with the reason; everything else is restored."""
    stats = {"files": 0, "dirs": 0, "symlinks": 0, "other": 0, "bytes": 0, "hardlinks": 0}
    is_root = os.geteuid() == 0
    uses: dict[str, list[tuple[bytes, int]]] = {}  # blob id -> [(file path, offset)]
    file_sizes: dict[bytes, int] = {}
    links: dict[tuple[int, int], bytes] = {}
    link_paths: dict[bytes, list[bytes]] = {}  # first path of a hard-link group -> the other paths
    meta: list[Entry] = []
    lost: dict[bytes, str] = {}  # file path -> why its content is lost
    flags_new = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)

    def full(e: Entry) -> bytes:
        return os.path.join(target, e.path)

    # 1. the namespace: directories, empty files, hard links, symlinks, special files
    for e in entries:
        n = e.node
        kind = n["type"]
        p = full(e)
        if kind == "dir":
            os.mkdir(p, 0o700)
            stats["dirs"] += 1
        elif kind == "file":
            key = (n.get("device", 0), n.get("inode", 0))
            linked = n.get("links", 0) > 1 and n.get("inode", 0) != 0  # section 15: hard-link groups
            if linked and key in links:
                os.link(links[key], p, follow_symlinks=False)  # only to a file this restore wrote
                link_paths[links[key]].append(p)
                stats["hardlinks"] += 1
                continue
            if linked:
                links[key] = p
            link_paths[p] = []
            os.close(os.open(p, flags_new, 0o600))
            offset = 0
            for bid in n.get("content") or []:
                uses.setdefault(bid, []).append((p, offset))
                loc = index.get(bid)
                if loc is None:
                    lost.setdefault(p, f"blob {bid}: in no index file (try --scan-packs)")
                    continue
                offset += loc[3]
            if offset != n.get("size", 0) and p not in lost:
                log(f"warning: {os.fsdecode(e.path)}: content is {offset} bytes, tree says size {n.get('size', 0)}")
            file_sizes[p] = offset
            stats["files"] += 1
        elif kind == "symlink":
            os.symlink(n["target"].encode("utf-8"), p)  # verbatim, never followed
            stats["symlinks"] += 1
        elif kind == "fifo":
            os.mkfifo(p, 0o600)
            stats["other"] += 1
        else:  # section 15: device nodes and sockets are recorded but not restored (as Stackvault does)
            log(f"skipped {os.fsdecode(e.path)}: {kind} nodes are not restored")
            continue
        meta.append(e)

    # 2. contents, a pack at a time; all-zero 64 KiB segments are left as holes (sparse files stay sparse)
    wanted = [bid for bid in uses if bid in index]
    for bid, plain, error in repo.load_blobs(wanted, index):
        if error is not None:
            for p, _offset in uses[bid]:
                lost.setdefault(p, error)
            continue
        runs = nonzero_runs(plain)
        for p, offset in uses[bid]:
            if p in lost or not runs:
                continue
            fd = os.open(p, os.O_WRONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
            try:
                for start, end in runs:
                    os.pwrite(fd, plain[start:end], offset + start)
            finally:
                os.close(fd)
    for p, size in file_sizes.items():
        if p in lost:
            for q in [p, *link_paths[p]]:  # never leave a file with missing or wrong bytes that looks restored
                os.unlink(q)
                damaged.append((os.fsdecode(os.path.relpath(q, target)), lost[p]))
            stats["files"] -= 1
            stats["hardlinks"] -= len(link_paths[p])
            continue
        os.truncate(p, size)
        stats["bytes"] += size

    # 3. metadata, children before parents so directory mtimes and read-only modes stick
    for e in reversed(meta):
        n = e.node
        p = full(e)
        if p in lost:
            continue
        symlink = n["type"] == "symlink"
        if is_root:
            os.chown(p, n.get("uid", 0), n.get("gid", 0), follow_symlinks=False)
        if not symlink:
            os.chmod(p, n.get("mode", 0) & 0o7777)
        mtime = n.get("mtime_ns", 0)
        os.utime(p, ns=(mtime, mtime), follow_symlinks=False)
    return stats


# ---------------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------------

def first_line(text: str) -> str:
    return re.split(r"[\r\n]", text, maxsplit=1)[0]


def read_password(args: argparse.Namespace) -> str | None:
    """As the Stackvault CLI: --password-file, $STACKVAULT_PASSWORD_FILE, $STACKVAULT_PASSWORD_COMMAND (sh -c),
    $STACKVAULT_PASSWORD; from a file or command only the first line counts."""
    path = args.password_file or os.environ.get("STACKVAULT_PASSWORD_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            return first_line(f.read())
    command = os.environ.get("STACKVAULT_PASSWORD_COMMAND")
    if command:
        proc = subprocess.run(["/bin/sh", "-c", command], stdout=subprocess.PIPE)
        if proc.returncode != 0:
            raise RecoverError(f"STACKVAULT_PASSWORD_COMMAND exited with code {proc.returncode}")
        return first_line(proc.stdout.decode("utf-8"))
    return os.environ.get("STACKVAULT_PASSWORD")


def run_self_tests(blake3_choice: str) -> int:
    """--self-test: both AES-GCM backends, and the chosen BLAKE3 backend (auto: every available one)."""
    try:
        self_test(PythonGcm)
        print("pure Python AES-256-GCM: known-answer tests passed")
        try:
            _load_libcrypto()
        except OSError:
            print("libcrypto: not available")
        else:
            self_test(LibcryptoGcm)
            print("libcrypto AES-256-GCM: known-answer tests passed")
        if blake3_choice != "auto":
            backends = [make_blake3(blake3_choice)]
        else:
            backends = [PythonBlake3()]
            try:
                backends.append(ModuleBlake3())
            except Exception as e:  # ImportError, or a module by that name that is something else
                print(f"BLAKE3 (module): not available ({type(e).__name__}: {first_line(str(e))})")
            exe = shutil.which("b3sum")
            if exe is None:
                print("BLAKE3 (b3sum): not available (Debian: apt-get install b3sum)")
            else:
                backends.append(B3sumBlake3(exe))
        for backend in backends:
            blake3_self_test(backend)
            print(f"BLAKE3 ({backend.name}): known-answer tests passed")
        if blake3_choice == "auto":
            print(f"--blake3 auto uses: {make_blake3('auto', announce=False).name}")
    except AssertionError as e:
        log(f"error: self-test failed: {first_line(str(e))}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Restore a Stackvault snapshot from a local repository directory, following docs/design.md "
                    "only (no Stackvault code). Password: $STACKVAULT_PASSWORD or --password-file.")
    ap.add_argument("--repo", help="repository directory (required except with --self-test)")
    ap.add_argument("--snapshot", default="latest", help="snapshot id, unique id prefix, or 'latest' (by time)")
    ap.add_argument("--target", help="directory to restore into: must not exist or be empty")
    ap.add_argument("--list", action="store_true", help="list the snapshots and exit")
    ap.add_argument("--password-file", help="file holding the password (its first line)")
    ap.add_argument("--aes", choices=["auto", "libcrypto", "python"], default="auto",
                    help="AES-256-GCM implementation: libcrypto via ctypes (fast) or pure Python (about 0.5-1 MB/s); "
                         "auto prefers libcrypto")
    ap.add_argument("--blake3", choices=["auto", "module", "b3sum", "python"], default="auto",
                    help="BLAKE3 implementation for a BLAKE3 repository's blob ids and pack names: the blake3 Python "
                         "module, the b3sum command, or pure Python (about 1.6 MB/s); auto takes the first available "
                         "in that order")
    ap.add_argument("--scan-packs", action="store_true",
                    help="locate blobs by reading every pack header instead of the index files")
    ap.add_argument("--self-test", action="store_true",
                    help="run the AES-GCM known-answer tests (both backends) and the BLAKE3 ones (the --blake3 "
                         "backend; with auto every available one) and exit")
    args = ap.parse_args(argv)

    try:
        if args.self_test:
            return run_self_tests(args.blake3)
        if not args.repo:
            ap.error("--repo is required")
        repo = Repository(args.repo, read_password(args), args.aes, args.blake3)
        snaps = load_snapshots(repo, None if args.list else args.snapshot)
        if args.list:
            for name, doc in snaps:
                print(f"{name[:8]}  {doc.get('time', '?')}  {doc.get('hostname', '?')}  {doc.get('status', '?')}  "
                      f"{' '.join(str(p) for p in doc.get('paths') or [])}")
            return 0
        if not args.target:
            ap.error("--target is required unless --list or --self-test")
        target = os.fsencode(os.path.abspath(args.target))
        if os.path.lexists(target):
            if not os.path.isdir(target) or os.path.islink(target) or os.listdir(target):
                raise RecoverError(f"target {args.target}: exists and is not an empty directory: refused")
        name, snap = pick_snapshot(snaps, args.snapshot)
        if snap.get("status") == "partial":
            log(f"note: snapshot {name[:8]} is partial: {len(snap.get('errors') or [])} source items were unreadable")
        if not HEX64.match(snap["tree"]):
            raise RecoverError(f"snapshots/{name}: tree {snap['tree']!r} is not a tree id")
        started = time.monotonic()
        index = repo.scan_packs() if args.scan_packs else repo.load_index()
        damaged: list[tuple[str, str]] = []
        entries = build_plan(repo, snap["tree"], index, damaged)
        os.makedirs(target, exist_ok=True)
        stats = restore(repo, entries, index, target, damaged)
        elapsed = time.monotonic() - started
        print(f"recovered snapshot {name[:8]}: {stats['files']} files ({stats['bytes']} bytes), {stats['dirs']} dirs, "
              f"{stats['symlinks']} symlinks, {stats['hardlinks']} hard links, {stats['other']} other "
              f"into {args.target} in {elapsed:.1f}s")
        if damaged:
            for path, reason in damaged:
                log(f"not restored: {path}: {reason}")
            log(f"error: {len(damaged)} entries of snapshot {name[:8]} were not restored (named above); "
                "everything else was")
            return 1
        return 0
    except RecoverError as e:
        log(f"error: {e}")
        return e.exit_code
    except OSError as e:
        log(f"error: {e}")
        return 1
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError, MemoryError) as e:
        # A malformed object that slipped past the checks above: still one line, never a traceback.
        log(f"error: malformed repository data ({type(e).__name__}: {first_line(str(e))})")
        return 1


if __name__ == "__main__":
    sys.exit(main())
