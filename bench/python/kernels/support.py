"""What every Python kernel shares; mirrors Sources/KernelKit (SplitMix64.swift,
Chunks.swift, KernelResult.swift's FNV1a and hex16) and CSources/CKernels/support.c.

Python integers do not wrap, so every 64-bit step is masked with M64: that is
what Swift's `&+`/`&*` and C's uint64_t arithmetic do implicitly.
"""

M64 = (1 << 64) - 1
TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0  # 2**-53, exact


class SplitMix64:
    """SplitMix64 (Steele, Lea and Flood), bit-identical to KernelKit's and C's."""

    __slots__ = ("state",)

    def __init__(self, seed):
        self.state = seed & M64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def next_double(self):
        """A float in [0, 1) from the top 53 bits, as `nextDouble()`."""
        return (self.next() >> 11) * TWO_TO_MINUS_53

    def next_below(self, bound):
        """An integer in range(bound) by multiply-shift, as `next(below:)`."""
        return (self.next() * bound) >> 64


def chunk_range(index, count, total):
    """The index-th of count nearly equal contiguous pieces of range(total),
    the first total % count pieces one longer: KernelKit's `chunkRange`."""
    base, extra = divmod(total, count)
    lo = index * base + min(index, extra)
    return range(lo, lo + base + (1 if index < extra else 0))


FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x00000100000001B3


def fnv1a_bytes(data, h=FNV_OFFSET):
    """FNV-1a 64 over `data` (bytes-like or iterable of 0...255), from state h."""
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & M64
    return h


def fnv1a_word(word, h=FNV_OFFSET):
    """Mixes in the eight little-endian bytes of a 64-bit word (`combine(_ word:)`);
    negative ints are taken as their two's-complement bit pattern, as `combine(_ int:)`."""
    return fnv1a_bytes((word & M64).to_bytes(8, "little"), h)


def hex16(value):
    """`0x` and sixteen lower-case hex digits, as Swift's `UInt64.hex16`."""
    return "0x%016x" % (value & M64)


def fixed(x, places):
    """`x` with `places` decimals, as C's printf("%.*f") and Swift's formatFixed."""
    return "%.*f" % (places, x)


class SerialExecutor:
    """Runs every chunk on the calling thread, in order (Swift's SequentialExecutor)."""

    workers = 1

    def map(self, function, arguments):
        return [function(*args) for args in arguments]
