"""matmul in plain Python.

Mirrors Sources/Kernels/MatMul.swift (input, chunks, result) and
Sources/Idiomatic/MatMul.swift (algorithm): C = A·B for n x n matrices as lists
of rows, i-k-j loop order, min(8, n) chunks of rows of C joined in order.
Entries of A then B come from SplitMix64(seed 0x6d61746d756c), next_below(17) - 8
as floats, so every sum is an exact integer and any order gives the same C.

Result: text "sum S · fnv1a 0x…", checksum FNV-1a over C's entries as 64-bit
integers, row by row.
"""

from __future__ import annotations

from kernels.support import SplitMix64, chunk_range, fnv1a_bytes, hex16, M64

NAME = "matmul"
SIZES = {"tiny": 40, "quick": 320, "full": 1500}
SEED = 0x6D61746D756C  # "matmul"


def validate(n):
    if not 1 <= n <= 4096:
        raise ValueError("n (n×n matrices) must be in 1...4096")


def rows(lo: int, hi: int, a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    """Rows lo..<hi of A·B."""
    out = []
    for i in range(lo, hi):
        row = [0.0] * len(b[0])
        for aik, bk in zip(a[i], b):
            row = [cij + aik * bkj for cij, bkj in zip(row, bk)]
        out.append(row)
    return out


def prepare(n):
    random = SplitMix64(SEED)
    entries = [float(random.next_below(17) - 8) for _ in range(2 * n * n)]
    a = [entries[i * n:(i + 1) * n] for i in range(n)]
    b = [entries[(n + i) * n:(n + i + 1) * n] for i in range(n)]
    count = min(8, n)
    chunks = [(r.start, r.stop) for r in (chunk_range(c, count, n) for c in range(count))]
    return {"a": a, "b": b, "chunks": chunks}


def run(state, ex):
    a, b = state["a"], state["b"]
    return [row for part in ex.map(rows, [(lo, hi, a, b) for lo, hi in state["chunks"]]) for row in part]


def result(state, c):
    total = 0
    words = []
    for row in c:
        for entry in row:
            if entry != int(entry):
                return "non-integer entry %r" % entry, 0, []
            total += int(entry)
            words.append((int(entry) & M64).to_bytes(8, "little"))
    digest = fnv1a_bytes(b"".join(words))
    return "sum %d · fnv1a %s" % (total, hex16(digest)), digest, []
