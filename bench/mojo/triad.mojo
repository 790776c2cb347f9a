# triad in Mojo: STREAM's a[i] = b[i] + 3·c[i] over n doubles, b[i] = i % 1000,
# c[i] = i % 7, repeated max(1, (n >> 23)²) times, 64 equal index ranges a
# repetition. `scalar` follows ck_triad (CSources/CKernels/triad.c); `simd`
# follows Vector.triad (Sources/Vector/Triad.swift): eight doubles a
# SIMD[float64, 8] load and store, then a scalar tail. Output: the bit pattern
# of the sum of a (in index order) and the weighted sum Σ (i+1)·a[i] mod 2⁶⁴,
# which mojo_rung.py formats as the plain kernel's result does: n doubles do
# not travel through a pipe. The sums are taken after the timed runs, from
# the last run's a, outside the measured time (as result() is for every rung).

from driver import *
from std.memory import bitcast

comptime F8 = SIMD[DType.float64, 8]
comptime DoublePtr = Pointer[Float64, MutUntrackedOrigin]
comptime CHUNKS = 64


def doubles(count: Int) -> DoublePtr:
    var p = alloc(Layout[Float64](count=max(count, 1))).unsafe_leak()
    for i in range(count):
        p[unsafe_offset=i] = 0.0
    return p


struct Triad(Kernel):
    var n: Int
    var simd: Bool
    var a: DoublePtr
    var b: DoublePtr
    var c: DoublePtr

    def __init__(out self, n: Int, simd: Bool):
        self.n = n
        self.simd = simd
        self.a = doubles(n)
        self.b = doubles(n)
        self.c = doubles(n)
        for i in range(n):
            self.b[unsafe_offset=i] = Float64(i % 1000)
            self.c[unsafe_offset=i] = Float64(i % 7)

    def repetitions(self) -> Int:
        var blocks = self.n >> 23
        return max(1, blocks * blocks)

    def chunk(self, chunk: Int):
        var lo = chunk_lo(chunk, CHUNKS, self.n)
        var hi = chunk_hi(chunk, CHUNKS, self.n)
        var s: Float64 = 3.0
        var i = lo
        if self.simd:
            while i + 8 <= hi:
                var bi = self.b.unsafe_offset(i).unsafe_load[width=8]()
                var ci = self.c.unsafe_offset(i).unsafe_load[width=8]()
                self.a.unsafe_offset(i).unsafe_store(bi + s * ci)
                i += 8
        while i < hi:
            self.a[unsafe_offset=i] = self.b[unsafe_offset=i] + s * self.c[unsafe_offset=i]
            i += 1

    def run(self, pool: Pointer[Pool[Triad], MutUntrackedOrigin]):
        for _ in range(self.repetitions()):
            for_each(pool, CHUNKS)

    def output(self) -> String:
        var total = 0.0
        var weighted: UInt64 = 0
        for i in range(self.n):
            var value = self.a[unsafe_offset=i]
            total += value
            weighted = weighted + UInt64(i + 1) * UInt64(Int(value))
        return String(bitcast[DType.uint64](total)) + " " + String(weighted)


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = Triad(args.size, args.simd())
    var pool = Pool[Triad](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
    var p = Pointer(to=pool).unsafe_origin_cast[MutUntrackedOrigin]()
    start(p)
    ready(began)
    while True:
        var runs = next_batch()
        if runs == 0:
            break
        var t0 = perf_counter_ns()
        for _ in range(runs):
            kernel.run(p)
            clobber_memory()
        var elapsed = perf_counter_ns() - t0
        reply(elapsed, kernel.output())
    _ = pool.workers
    _ = kernel.n
