# mandelbrot in Mojo: the Benchmarks Game's n×n escape-time bitmap, one row a
# chunk (n chunks). `scalar` follows ck_mandelbrot_rows (CSources/CKernels/
# mandelbrot.c) operation for operation; `simd` follows Vector.mandelbrotRows
# (Sources/Vector/Mandelbrot.swift): eight pixels a SIMD[float64, 8], one output
# byte, escape tested every 5 iterations, 10 blocks. Output: the bitmap in hex.

from driver import *

comptime F8 = SIMD[DType.float64, 8]
comptime I8 = SIMD[DType.int64, 8]


struct Mandelbrot(Kernel):
    var n: Int
    var simd: Bool
    var bitmap: BytePtr

    def __init__(out self, n: Int, simd: Bool):
        self.n = n
        self.simd = simd
        self.bitmap = zeroed(n * ((n + 7) // 8))

    def chunk(self, c: Int):
        if self.simd:
            self.row_simd(c)
        else:
            self.row_scalar(c)

    def row_scalar(self, y: Int):
        var n = self.n
        var row = self.bitmap.unsafe_offset(y * ((n + 7) // 8))
        var ci = 2.0 * Float64(y) / Float64(n) - 1.0
        var byte = 0
        for x in range(n):
            var cr = 2.0 * Float64(x) / Float64(n) - 1.5
            var zr = 0.0
            var zi = 0.0
            var tr = 0.0
            var ti = 0.0
            var i = 0
            while i < 50 and tr + ti <= 4.0:
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                i += 1
            byte = (byte << 1) | (1 if tr + ti <= 4.0 else 0)
            if (x & 7) == 7:
                row[unsafe_offset=x >> 3] = UInt8(byte)
                byte = 0
        if (n & 7) != 0:
            row[unsafe_offset=n >> 3] = UInt8((byte << (8 - (n & 7))) & 0xFF)

    def row_simd(self, y: Int):
        var n = self.n
        var row_bytes = (n + 7) // 8
        var row = self.bitmap.unsafe_offset(y * row_bytes)
        var size = Float64(n)
        var lane = F8(0, 1, 2, 3, 4, 5, 6, 7)
        var weight = I8(128, 64, 32, 16, 8, 4, 2, 1)
        var last_mask = 0xFF if (n & 7) == 0 else (0xFF << (8 - (n & 7))) & 0xFF
        var ci = F8(2.0 * Float64(y) / size - 1.0)
        for byte in range(row_bytes):
            var x = F8(Float64(byte * 8)) + lane
            var cr = 2.0 * x / size - 1.5
            var zr = F8(0)
            var zi = F8(0)
            var tr = F8(0)
            var ti = F8(0)
            for _ in range(10):
                for _ in range(5):
                    zi = 2.0 * zr * zi + ci
                    zr = tr - ti + cr
                    tr = zr * zr
                    ti = zi * zi
                if not (tr + ti).le(F8(4.0)).reduce_or():
                    break
            var inside = (tr + ti).le(F8(4.0))
            var bits = Int(inside.select(weight, I8(0)).reduce_add())
            var mask = last_mask if byte == row_bytes - 1 else 0xFF
            row[unsafe_offset=byte] = UInt8(bits & mask)

    def run(self, pool: Pointer[Pool[Mandelbrot], MutUntrackedOrigin]):
        for_each(pool, self.n)

    def output(self) -> String:
        return hex_bytes(self.bitmap, self.n * ((self.n + 7) // 8))


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = Mandelbrot(args.size, args.simd())
    var pool = Pool[Mandelbrot](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
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
