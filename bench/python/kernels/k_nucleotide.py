"""k-nucleotide in plain Python.

Mirrors Sources/Kernels/KNucleotide.swift (input, chunks, report, digest) and
Sources/Idiomatic/KNucleotide.swift (algorithm): count every k-mer of n
generated DNA letters for k = 1, 2, 3, 4, 6, 12, 18. The letters come from
SplitMix64(seed 0x6b6d6572), one next_below(1000) each (< 303 A, < 501 C,
< 699 G, else T). 7 k x 16 slices = 112 chunks, each counting the k-mers that
start in its slice into a dict of its own (string slices as keys, the way a
Python programmer counts); then one chunk per k merges its 16 dicts in order.

Result: the Benchmarks Game style report (1- and 2-mer percentages, counts of
GGT ... GGTATTTTAATTTATAGT), distinct k-mers per k, and an FNV-1a digest over,
for each k, k, the distinct count, then every (k-mer packed 2 bits a letter,
count) in key order; the digest is the checksum. Same text and checksum as Swift.
"""

from __future__ import annotations

from kernels.support import SplitMix64, chunk_range, fnv1a_bytes, hex16

NAME = "k-nucleotide"
SIZES = {"tiny": 10_000, "quick": 250_000, "full": 4_000_000}
KS = (1, 2, 3, 4, 6, 12, 18)
SLICES = 16
SEED = 0x6B6D6572  # "kmer"
SAMPLES = ("GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT")
PACK = str.maketrans("ACGT", "0123")


def validate(n):
    if not 1024 <= n <= 1 << 24:
        raise ValueError("n (sequence length) must be in 1024...16777216")


def sequence(n):
    random = SplitMix64(SEED)
    letters = []
    for _ in range(n):
        r = random.next_below(1000)
        letters.append("A" if r < 303 else "C" if r < 501 else "G" if r < 699 else "T")
    return "".join(letters)


def count(seq: str, k: int, lo: int, hi: int) -> dict[str, int]:
    """Counts of the k-mers starting at lo..<hi."""
    counts: dict[str, int] = {}
    for i in range(lo, hi):
        kmer = seq[i:i + k]
        counts[kmer] = counts.get(kmer, 0) + 1
    return counts


def merge(*tables: dict[str, int]) -> dict[str, int]:
    merged = dict(tables[0])
    for table in tables[1:]:
        for kmer, c in table.items():
            merged[kmer] = merged.get(kmer, 0) + c
    return merged


def prepare(n):
    seq = sequence(n)
    chunks = []
    for k in KS:
        for s in range(SLICES):
            starts = chunk_range(s, SLICES, n - k + 1)
            chunks.append((k, starts.start, starts.stop))
    return {"n": n, "sequence": seq, "chunks": chunks}


def run(state, ex):
    seq = state["sequence"]
    partials = ex.map(count, [(seq, k, lo, hi) for k, lo, hi in state["chunks"]])
    return ex.map(merge, [tuple(partials[i * SLICES:(i + 1) * SLICES]) for i in range(len(KS))])


def percent(c, total):
    """100 * c / total with three decimals, rounded half up, in integers."""
    thousandths = (c * 200_000 + total) // (2 * total)
    return "%d.%03d" % (thousandths // 1000, thousandths % 1000)


def result(state, tables):
    words = []  # the digest's 64-bit words, in order
    for k, table in zip(KS, tables):
        words += (k, len(table))
        for kmer in sorted(table):  # same-length strings over ACGT: alphabetical = packed order
            words += (int(kmer.translate(PACK), 4), table[kmer])
    digest = fnv1a_bytes(b"".join(w.to_bytes(8, "little") for w in words))
    lines = []
    for k, table in zip(KS, tables):
        if k > 2:
            continue
        total = sum(table.values())
        for kmer, c in sorted(table.items(), key=lambda pair: (-pair[1], pair[0])):
            lines.append("%s %s" % (kmer, percent(c, total)))
        lines.append("")
    for sample in SAMPLES:
        lines.append("%d\t%s" % (tables[KS.index(len(sample))].get(sample, 0), sample))
    lines.append("")
    lines.append("distinct " + " · ".join("k%d %d" % (k, len(t)) for k, t in zip(KS, tables)))
    lines.append("counts fnv1a " + hex16(digest))
    return "\n".join(lines), digest, []
