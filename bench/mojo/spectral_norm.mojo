# spectral-norm in Mojo: the Benchmarks Game's power method for the largest
# singular value of A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1): ten times
# v = AᵀA·u, u = AᵀA·v, then sqrt(u·v / v·v). Each of the four products an
# iteration runs min(64, n) chunks of rows. `scalar` follows
# CSources/CKernels/spectral_norm.c; `simd` follows Vector.spectralNormATimesU
# and friends (Sources/Vector/SpectralNorm.swift): eight columns a
# SIMD[float64, 8], denominators in double lanes (exact below 2⁵³), the index
# vector carried, lanes added pairwise. Output: the norm's bit pattern.

from driver import *
from std.math import sqrt
from std.memory import bitcast

comptime F8 = SIMD[DType.float64, 8]
comptime DoublePtr = Pointer[Float64, MutUntrackedOrigin]
comptime IntPtr = Pointer[Int, MutUntrackedOrigin]


def doubles(count: Int) -> DoublePtr:
    var p = alloc(Layout[Float64](count=max(count, 1))).unsafe_leak()
    for i in range(count):
        p[unsafe_offset=i] = 0.0
    return p


def load8(p: DoublePtr, j: Int, n: Int) -> F8:
    """Elements j..<j+8, zeros past n."""
    if j + 8 <= n:
        return p.unsafe_offset(j).unsafe_load[width=8]()
    var v = F8(0)
    for k in range(n - j):
        v[k] = p[unsafe_offset=j + k]
    return v


def pairwise(v: F8) -> Float64:
    """((v0+v4) + (v2+v6)) + ((v1+v5) + (v3+v7)), the order SN_SUM spells out."""
    var half = v.slice[4, offset=0]() + v.slice[4, offset=4]()
    var quarter = half.slice[2, offset=0]() + half.slice[2, offset=2]()
    return quarter[0] + quarter[1]


struct SpectralNorm(Kernel):
    var n: Int
    var simd: Bool
    var chunks: Int
    var u: DoublePtr
    var v: DoublePtr
    var tmp: DoublePtr
    # The product a chunk computes: 0 for A·src, 1 for Aᵀ·src; src and dst by index
    # (0 u, 1 v, 2 tmp), kept in memory the worker threads read.
    var phase: IntPtr

    def __init__(out self, n: Int, simd: Bool):
        self.n = n
        self.simd = simd
        self.chunks = min(64, n)
        self.u = doubles(n)
        self.v = doubles(n)
        self.tmp = doubles(n)
        self.phase = alloc(Layout[Int](count=3)).unsafe_leak()
        for i in range(3):
            self.phase[unsafe_offset=i] = 0

    def buffer(self, index: Int) -> DoublePtr:
        return self.u if index == 0 else (self.v if index == 1 else self.tmp)

    def chunk(self, c: Int):
        var lo = chunk_lo(c, self.chunks, self.n)
        var hi = chunk_hi(c, self.chunks, self.n)
        var transposed = self.phase[unsafe_offset=0] == 1
        var src = self.buffer(self.phase[unsafe_offset=1])
        var dst = self.buffer(self.phase[unsafe_offset=2])
        if self.simd:
            if transposed:
                self.at_times_u_simd(lo, hi, src, dst)
            else:
                self.a_times_u_simd(lo, hi, src, dst)
        else:
            self.times_u_scalar(lo, hi, src, dst, transposed)

    def times_u_scalar(self, lo: Int, hi: Int, u: DoublePtr, out_: DoublePtr, transposed: Bool):
        var n = self.n
        for i in range(lo, hi):
            var total = 0.0
            for j in range(n):
                var last = j + 1 if transposed else i + 1
                total += 1.0 / Float64((i + j) * (i + j + 1) // 2 + last) * u[unsafe_offset=j]
            out_[unsafe_offset=i] = total

    def a_times_u_simd(self, lo: Int, hi: Int, u: DoublePtr, out_: DoublePtr):
        var n = self.n
        var lane = F8(0, 1, 2, 3, 4, 5, 6, 7)
        for i in range(lo, hi):
            var row_term = F8(Float64(i + 1))
            var ij = F8(Float64(i)) + lane
            var total = F8(0)
            var j = 0
            while j < n:
                var entry = 1.0 / (ij * (ij + 1.0) * 0.5 + row_term)
                total += entry * load8(u, j, n)
                ij += 8.0
                j += 8
            out_[unsafe_offset=i] = pairwise(total)

    def at_times_u_simd(self, lo: Int, hi: Int, u: DoublePtr, out_: DoublePtr):
        var n = self.n
        var lane = F8(0, 1, 2, 3, 4, 5, 6, 7)
        for i in range(lo, hi):
            var column = lane
            var ij = F8(Float64(i)) + lane
            var total = F8(0)
            var j = 0
            while j < n:
                var entry = 1.0 / (ij * (ij + 1.0) * 0.5 + (column + 1.0))
                total += entry * load8(u, j, n)
                column += 8.0
                ij += 8.0
                j += 8
            out_[unsafe_offset=i] = pairwise(total)

    def dot(self, a: DoublePtr, b: DoublePtr) -> Float64:
        var n = self.n
        if not self.simd:
            var total = 0.0
            for i in range(n):
                total += a[unsafe_offset=i] * b[unsafe_offset=i]
            return total
        var lanes = F8(0)
        var i = 0
        while i < n:
            lanes += load8(a, i, n) * load8(b, i, n)
            i += 8
        return pairwise(lanes)

    def product(self, pool: Pointer[Pool[SpectralNorm], MutUntrackedOrigin], transposed: Int, src: Int, dst: Int):
        self.phase[unsafe_offset=0] = transposed
        self.phase[unsafe_offset=1] = src
        self.phase[unsafe_offset=2] = dst
        for_each(pool, self.chunks)

    def run(self, pool: Pointer[Pool[SpectralNorm], MutUntrackedOrigin]) -> Float64:
        for i in range(self.n):
            self.u[unsafe_offset=i] = 1.0
        for _ in range(10):
            self.product(pool, 0, 0, 2)  # tmp = A·u
            self.product(pool, 1, 2, 1)  # v = Aᵀ·tmp
            self.product(pool, 0, 1, 2)  # tmp = A·v
            self.product(pool, 1, 2, 0)  # u = Aᵀ·tmp
        return sqrt(self.dot(self.u, self.v) / self.dot(self.v, self.v))


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = SpectralNorm(args.size, args.simd())
    var pool = Pool[SpectralNorm](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
    var p = Pointer(to=pool).unsafe_origin_cast[MutUntrackedOrigin]()
    start(p)
    ready(began)
    while True:
        var runs = next_batch()
        if runs == 0:
            break
        var norm = 0.0
        var t0 = perf_counter_ns()
        for _ in range(runs):
            norm = kernel.run(p)
            clobber_memory()
        var elapsed = perf_counter_ns() - t0
        reply(elapsed, String(bitcast[DType.uint64](norm)))
    _ = pool.workers
    _ = kernel.n
