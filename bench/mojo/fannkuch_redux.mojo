# fannkuch-redux in Mojo: for every permutation of 0..<n in the Benchmarks
# Game's order, count the prefix reversals that bring 0 to the front; sum the
# counts (+ for even permutation numbers, − for odd) and keep the largest.
# min(n!, 512) chunks of consecutive permutation numbers, each decoding its
# first number in the factorial number system; partials add in chunk order.
# Follows ck_fannkuch_redux_chunk (CSources/CKernels/fannkuch_redux.c).
# No SIMD variant (no Swift vector flavour). Output: "checksum max-flips".

from driver import *
from std.memory.alloc import dealloc

comptime IntPtr = Pointer[Int, MutUntrackedOrigin]


def ints(count: Int) -> IntPtr:
    var p = alloc(Layout[Int](count=max(count, 1))).unsafe_leak()
    for i in range(count):
        p[unsafe_offset=i] = 0
    return p


struct Fannkuch(Kernel):
    var n: Int
    var total: Int
    var chunks: Int
    var sums: IntPtr
    var most: IntPtr

    def __init__(out self, n: Int):
        self.n = n
        var total = 1
        for i in range(2, n + 1):
            total *= i
        self.total = total
        self.chunks = min(total, 512)
        self.sums = ints(self.chunks)
        self.most = ints(self.chunks)

    def chunk(self, c: Int):
        var n = self.n
        var lo = chunk_lo(c, self.chunks, self.total)
        var hi = chunk_hi(c, self.chunks, self.total)
        # Three arrays of n ≤ 16 entries, one allocation a chunk.
        var memory = alloc(Layout[Int](count=48))
        var perm = memory.unsafe_ptr()
        var count = perm.unsafe_offset(16)
        var flip = perm.unsafe_offset(32)
        var checksum = 0
        var most = 0
        var fact = 1
        for i in range(1, n):
            fact *= i
        for i in range(n):
            perm[unsafe_offset=i] = i
        var rest = lo
        var i = n - 1
        while i > 0:
            var d = rest // fact
            rest %= fact
            fact //= i
            count[unsafe_offset=i] = d
            for j in range(i + 1):
                flip[unsafe_offset=j] = perm[unsafe_offset=j]
            for j in range(i + 1):
                perm[unsafe_offset=j] = flip[unsafe_offset=j + d] if j + d <= i else flip[unsafe_offset=j + d - i - 1]
            i -= 1
        var index = lo
        while True:
            if perm[unsafe_offset=0] != 0:
                for j in range(n):
                    flip[unsafe_offset=j] = perm[unsafe_offset=j]
                var flips = 0
                var k = flip[unsafe_offset=0]
                while k != 0:
                    var a = 0
                    var b = k
                    while a < b:
                        var t = flip[unsafe_offset=a]
                        flip[unsafe_offset=a] = flip[unsafe_offset=b]
                        flip[unsafe_offset=b] = t
                        a += 1
                        b -= 1
                    flips += 1
                    k = flip[unsafe_offset=0]
                checksum += -flips if (index & 1) != 0 else flips
                if flips > most:
                    most = flips
            index += 1
            if index == hi:
                break
            var r = 1
            while True:
                var first = perm[unsafe_offset=0]
                for j in range(r):
                    perm[unsafe_offset=j] = perm[unsafe_offset=j + 1]
                perm[unsafe_offset=r] = first
                count[unsafe_offset=r] += 1
                if count[unsafe_offset=r] <= r:
                    break
                count[unsafe_offset=r] = 0
                r += 1
        dealloc(memory^)
        self.sums[unsafe_offset=c] = checksum
        self.most[unsafe_offset=c] = most

    def run(self, pool: Pointer[Pool[Fannkuch], MutUntrackedOrigin]) -> Tuple[Int, Int]:
        for_each(pool, self.chunks)
        var checksum = 0
        var most = 0
        for c in range(self.chunks):
            checksum += self.sums[unsafe_offset=c]
            most = max(most, self.most[unsafe_offset=c])
        return (checksum, most)


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = Fannkuch(args.size)
    var pool = Pool[Fannkuch](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
    var p = Pointer(to=pool).unsafe_origin_cast[MutUntrackedOrigin]()
    start(p)
    ready(began)
    while True:
        var runs = next_batch()
        if runs == 0:
            break
        var answer = (0, 0)
        var t0 = perf_counter_ns()
        for _ in range(runs):
            answer = kernel.run(p)
            clobber_memory()
        var elapsed = perf_counter_ns() - t0
        reply(elapsed, String(answer[0]) + " " + String(answer[1]))
    _ = pool.workers
    _ = kernel.n
