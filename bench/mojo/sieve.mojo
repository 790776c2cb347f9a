# sieve in Mojo: count the primes <= N with a segmented sieve of Eratosthenes
# over the odd numbers: the odd base primes up to isqrt(N) first (inside the
# timed run), then one chunk a segment of 65,536 odd numbers, a bit each,
# crossed off from max(p², the segment's first) with step 2p and counted by
# popcount. Follows CSources/CKernels/sieve.c. No SIMD variant.
# Output: the number of primes.

from driver import *
from std.math import sqrt
from std.bit import pop_count
from std.memory.alloc import dealloc

comptime IntPtr = Pointer[Int, MutUntrackedOrigin]
comptime SEGMENT_ODDS = 65536


def isqrt(n: Int) -> Int:
    var r = Int(sqrt(Float64(n)))
    while r * r > n:
        r -= 1
    while (r + 1) * (r + 1) <= n:
        r += 1
    return r


struct Sieve(Kernel):
    var n: Int
    var segments: Int
    var composite: BytePtr  # the base sieve: composite[i] stands for 2i + 1
    var primes: IntPtr
    var count: IntPtr  # how many base primes the run found
    var found: IntPtr  # primes per segment

    def __init__(out self, n: Int):
        self.n = n
        self.segments = ((n + 1) // 2 + SEGMENT_ODDS - 1) // SEGMENT_ODDS
        var limit = isqrt(n)
        self.composite = zeroed((limit + 1) // 2 + 1)
        self.primes = alloc(Layout[Int](count=(limit + 1) // 2 + 1)).unsafe_leak()
        self.count = alloc(Layout[Int](count=1)).unsafe_leak()
        self.found = alloc(Layout[Int](count=max(self.segments, 1))).unsafe_leak()

    def base_primes(self):
        var limit = isqrt(self.n)
        var odds = (limit + 1) // 2
        for i in range(odds):
            self.composite[unsafe_offset=i] = 0
        var count = 0
        for i in range(1, odds):
            if self.composite[unsafe_offset=i] != 0:
                continue
            var p = 2 * i + 1
            self.primes[unsafe_offset=count] = p
            count += 1
            var j = (p * p - 1) // 2
            while j < odds:
                self.composite[unsafe_offset=j] = 1
                j += p
        self.count[unsafe_offset=0] = count

    def chunk(self, segment: Int):
        var memory = alloc(Layout[UInt64](count=SEGMENT_ODDS // 64))
        var bits = memory.unsafe_ptr()
        var odds = (self.n + 1) // 2
        var first = segment * SEGMENT_ODDS
        var size = min(odds - first, SEGMENT_ODDS)
        var low = 2 * first + 1
        var high = 2 * (first + size) - 1
        for w in range(SEGMENT_ODDS // 64):
            bits[unsafe_offset=w] = 0
        if segment == 0:
            bits[unsafe_offset=0] = 1
        for k in range(self.count[unsafe_offset=0]):
            var p = self.primes[unsafe_offset=k]
            if p * p > high:
                break
            var m = p * p
            if m < low:
                m = low + (p - low % p) % p
                if (m & 1) == 0:
                    m += p
            var j = (m - low) // 2
            while j < size:
                bits[unsafe_offset=j >> 6] |= UInt64(1) << UInt64(j & 63)
                j += p
        if size % 64 != 0:
            bits[unsafe_offset=size // 64] |= ~UInt64(0) << UInt64(size % 64)
        var here = 0
        for w in range((size + 63) // 64):
            here += 64 - Int(pop_count(bits[unsafe_offset=w]))
        dealloc(memory^)
        self.found[unsafe_offset=segment] = here

    def run(self, pool: Pointer[Pool[Sieve], MutUntrackedOrigin]) -> Int:
        self.base_primes()
        for_each(pool, self.segments)
        var total = 1  # the prime 2
        for s in range(self.segments):
            total += self.found[unsafe_offset=s]
        return total


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = Sieve(args.size)
    var pool = Pool[Sieve](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
    var p = Pointer(to=pool).unsafe_origin_cast[MutUntrackedOrigin]()
    start(p)
    ready(began)
    while True:
        var runs = next_batch()
        if runs == 0:
            break
        var answer = 0
        var t0 = perf_counter_ns()
        for _ in range(runs):
            answer = kernel.run(p)
            clobber_memory()
        var elapsed = perf_counter_ns() - t0
        reply(elapsed, String(answer))
    _ = pool.workers
    _ = kernel.n
