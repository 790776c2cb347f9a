# matmul in Mojo: C = A·B for n×n doubles, row-major, min(8, n) chunks of rows
# of C. Entries of A then B come from SplitMix64(0x6d61746d756c),
# next_below(17) − 8, so every sum is an exact integer and any order gives the
# same C. `scalar` follows ck_matmul_rows (CSources/CKernels/matmul.c: i-k-j
# order); `simd` follows the Swift vector flavour as it was before its
# register-blocked micro-kernel (Sources/Vector/MatMul.swift at b0e0503):
# panels of 256 rows of B, each strip of 8 columns packed when a chunk has
# two or more blocks of 4 rows, blocks of 4, 2 and 1 rows × 8 columns kept in
# SIMD[float64, 8] accumulators, the last n % 8 columns scalar. Porting the
# micro-kernel (packed A, m_r rows of fused multiply-adds) is still to do.
# Output: C's entries as integers, row by row.

from driver import *
from std.memory.alloc import dealloc

comptime F8 = SIMD[DType.float64, 8]
comptime DoublePtr = Pointer[Float64, MutUntrackedOrigin]
comptime PANEL_ROWS = 256


def doubles(count: Int) -> DoublePtr:
    var p = alloc(Layout[Float64](count=max(count, 1))).unsafe_leak()
    for i in range(count):
        p[unsafe_offset=i] = 0.0
    return p


def load8(p: DoublePtr) -> F8:
    return p.unsafe_load[width=8]()


def store8(v: F8, p: DoublePtr):
    p.unsafe_store(v)


struct MatMul(Kernel):
    var n: Int
    var simd: Bool
    var chunks: Int
    var a: DoublePtr
    var b: DoublePtr
    var c: DoublePtr

    def __init__(out self, n: Int, simd: Bool):
        self.n = n
        self.simd = simd
        self.chunks = min(8, n)
        self.a = doubles(n * n)
        self.b = doubles(n * n)
        self.c = doubles(n * n)
        var random = SplitMix64(0x6D61746D756C)
        for i in range(n * n):
            self.a[unsafe_offset=i] = Float64(Int(random.next_below(17)) - 8)
        for i in range(n * n):
            self.b[unsafe_offset=i] = Float64(Int(random.next_below(17)) - 8)

    def chunk(self, chunk: Int):
        var lo = chunk_lo(chunk, self.chunks, self.n)
        var hi = chunk_hi(chunk, self.chunks, self.n)
        if self.simd:
            self.rows_simd(lo, hi)
        else:
            self.rows_scalar(lo, hi)

    def rows_scalar(self, lo: Int, hi: Int):
        var n = self.n
        for i in range(lo, hi):
            var ai = self.a.unsafe_offset(i * n)
            var ci = self.c.unsafe_offset(i * n)
            for j in range(n):
                ci[unsafe_offset=j] = 0.0
            for k in range(n):
                var aik = ai[unsafe_offset=k]
                var bk = self.b.unsafe_offset(k * n)
                for j in range(n):
                    ci[unsafe_offset=j] += aik * bk[unsafe_offset=j]

    def rows_simd(self, lo: Int, hi: Int):
        var n = self.n
        var a = self.a
        var b = self.b
        var c = self.c
        var n8 = n - n % 8
        var packs = hi - lo >= 8
        var memory = alloc(Layout[Float64](count=PANEL_ROWS * 8))
        var packed = memory.unsafe_ptr().unsafe_origin_cast[MutUntrackedOrigin]()
        var k0 = 0
        while k0 < n:
            var kc = min(PANEL_ROWS, n - k0)
            var j = 0
            while j < n8:
                var panel = b.unsafe_offset(k0 * n + j)
                var ld = n
                if packs:
                    for k in range(kc):
                        store8(load8(panel.unsafe_offset(k * n)), packed.unsafe_offset(k * 8))
                    panel = packed
                    ld = 8
                var i = lo
                while i + 4 <= hi:
                    var a0 = a.unsafe_offset(i * n + k0)
                    var a1 = a0.unsafe_offset(n)
                    var a2 = a1.unsafe_offset(n)
                    var a3 = a2.unsafe_offset(n)
                    var c0p = c.unsafe_offset(i * n + j)
                    var c1p = c0p.unsafe_offset(n)
                    var c2p = c1p.unsafe_offset(n)
                    var c3p = c2p.unsafe_offset(n)
                    var c0 = F8(0) if k0 == 0 else load8(c0p)
                    var c1 = F8(0) if k0 == 0 else load8(c1p)
                    var c2 = F8(0) if k0 == 0 else load8(c2p)
                    var c3 = F8(0) if k0 == 0 else load8(c3p)
                    for k in range(kc):
                        var bk = load8(panel.unsafe_offset(k * ld))
                        c0 = c0 + a0[unsafe_offset=k] * bk
                        c1 = c1 + a1[unsafe_offset=k] * bk
                        c2 = c2 + a2[unsafe_offset=k] * bk
                        c3 = c3 + a3[unsafe_offset=k] * bk
                    store8(c0, c0p)
                    store8(c1, c1p)
                    store8(c2, c2p)
                    store8(c3, c3p)
                    i += 4
                while i + 2 <= hi:
                    var a0 = a.unsafe_offset(i * n + k0)
                    var a1 = a0.unsafe_offset(n)
                    var c0p = c.unsafe_offset(i * n + j)
                    var c1p = c0p.unsafe_offset(n)
                    var c0 = F8(0) if k0 == 0 else load8(c0p)
                    var c1 = F8(0) if k0 == 0 else load8(c1p)
                    for k in range(kc):
                        var bk = load8(panel.unsafe_offset(k * ld))
                        c0 = c0 + a0[unsafe_offset=k] * bk
                        c1 = c1 + a1[unsafe_offset=k] * bk
                    store8(c0, c0p)
                    store8(c1, c1p)
                    i += 2
                while i < hi:
                    var a0 = a.unsafe_offset(i * n + k0)
                    var c0p = c.unsafe_offset(i * n + j)
                    var c0 = F8(0) if k0 == 0 else load8(c0p)
                    for k in range(kc):
                        c0 = c0 + a0[unsafe_offset=k] * load8(panel.unsafe_offset(k * ld))
                    store8(c0, c0p)
                    i += 1
                j += 8
            k0 += kc
        dealloc(memory^)
        for i in range(lo, hi):
            for j in range(n8, n):
                var total = 0.0
                for k in range(n):
                    total = total + a[unsafe_offset=i * n + k] * b[unsafe_offset=k * n + j]
                c[unsafe_offset=i * n + j] = total

    def run(self, pool: Pointer[Pool[MatMul], MutUntrackedOrigin]):
        for_each(pool, self.chunks)

    def output(self) -> String:
        var out = String(capacity_bytes=4 * self.n * self.n)
        for i in range(self.n * self.n):
            if i > 0:
                out += " "
            out += String(Int(self.c[unsafe_offset=i]))
        return out


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = MatMul(args.size, args.simd())
    var pool = Pool[MatMul](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
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
