# nbody in Mojo: direct-sum gravity over N bodies (the Benchmarks Game's sun and
# four planets, then asteroids from SplitMix64(0x6e626f6479), as the plain
# kernel builds them), 100 symplectic-Euler steps of dt 0.01, min(64, ⌈N/2⌉)
# chunks of bodies a step, then the position buffers swap. `scalar` follows
# ck_nbody_advance (CSources/CKernels/nbody.c); `simd` follows
# Vector.nbodyAdvance (Sources/Vector/NBody.swift): eight other bodies a
# SIMD[float64, 8], lanes added pairwise at the end, the body itself and lanes
# past N masked to 0. The energy is the scalar ck_nbody_energy in both.
# Output: the bit patterns of the energies before and after.

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


def load8(p: DoublePtr, j: Int) -> F8:
    return p.unsafe_offset(j).unsafe_load[width=8]()


def partial8(p: DoublePtr, j: Int, n: Int) -> F8:
    var v = F8(0)
    for k in range(n - j):
        v[k] = p[unsafe_offset=j + k]
    return v


def pairwise(v: F8) -> Float64:
    """((v0+v4) + (v2+v6)) + ((v1+v5) + (v3+v7)), the order NBODY_SUM spells out."""
    var half = v.slice[4, offset=0]() + v.slice[4, offset=4]()
    var quarter = half.slice[2, offset=0]() + half.slice[2, offset=2]()
    return quarter[0] + quarter[1]


struct NBody(Kernel):
    var n: Int
    var simd: Bool
    var chunks: Int
    var initial: DoublePtr  # x, y, z, then vx, vy, vz of the initial state
    var mass: DoublePtr
    var vel: DoublePtr
    var a: DoublePtr
    var b: DoublePtr
    var parity: IntPtr  # 0: positions in a, next in b; 1: the other way round

    def __init__(out self, n: Int, simd: Bool):
        self.n = n
        self.simd = simd
        self.chunks = min(64, (n + 1) // 2)
        self.initial = doubles(6 * n)
        self.mass = doubles(n)
        self.vel = doubles(3 * n)
        self.a = doubles(3 * n)
        self.b = doubles(3 * n)
        self.parity = alloc(Layout[Int](count=1)).unsafe_leak()
        self.parity[unsafe_offset=0] = 0
        # The plain kernel's initial_state, operation for operation.
        var pi: Float64 = 3.141592653589793
        var solar = 4.0 * pi * pi
        var days: Float64 = 365.24
        var planets: List[Float64] = [
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
            4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
            1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04,
            8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
            -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04,
            1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
            2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05,
            1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
            2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05,
        ]
        var count = 0
        while count < min(n, 5):
            for axis in range(3):
                self.initial[unsafe_offset=axis * n + count] = planets[7 * count + axis]
                self.initial[unsafe_offset=(3 + axis) * n + count] = (
                    planets[7 * count + 3 + axis] * days if count > 0 else 0.0
                )
            self.mass[unsafe_offset=count] = planets[7 * count + 6] * solar if count > 0 else solar
            count += 1
        var random = SplitMix64(0x6E626F6479)
        while count < n:
            var x = 100.0 * random.next_double() - 50.0
            var y = 100.0 * random.next_double() - 50.0
            var r = sqrt(x * x + y * y)
            if not (2.0 <= r and r <= 50.0):
                continue
            var z = 0.05 * r * (2.0 * random.next_double() - 1.0)
            var speed = sqrt(solar / r)
            self.initial[unsafe_offset=count] = x
            self.initial[unsafe_offset=n + count] = y
            self.initial[unsafe_offset=2 * n + count] = z
            self.initial[unsafe_offset=3 * n + count] = -speed * y / r
            self.initial[unsafe_offset=4 * n + count] = speed * x / r
            self.initial[unsafe_offset=5 * n + count] = 0.0
            self.mass[unsafe_offset=count] = solar * 1e-9 * (0.1 + 0.9 * random.next_double())
            count += 1
        var px = 0.0
        var py = 0.0
        var pz = 0.0
        for i in range(n):
            px += self.initial[unsafe_offset=3 * n + i] * self.mass[unsafe_offset=i]
            py += self.initial[unsafe_offset=4 * n + i] * self.mass[unsafe_offset=i]
            pz += self.initial[unsafe_offset=5 * n + i] * self.mass[unsafe_offset=i]
        self.initial[unsafe_offset=3 * n] = -px / solar
        self.initial[unsafe_offset=4 * n] = -py / solar
        self.initial[unsafe_offset=5 * n] = -pz / solar

    def positions(self) -> DoublePtr:
        return self.a if self.parity[unsafe_offset=0] == 0 else self.b

    def following(self) -> DoublePtr:
        return self.b if self.parity[unsafe_offset=0] == 0 else self.a

    def chunk(self, c: Int):
        var lo = chunk_lo(c, self.chunks, self.n)
        var hi = chunk_hi(c, self.chunks, self.n)
        if self.simd:
            self.advance_simd(lo, hi, 0.01)
        else:
            self.advance_scalar(lo, hi, 0.01)

    def advance_scalar(self, lo: Int, hi: Int, dt: Float64):
        var n = self.n
        var x = self.positions()
        var y = x.unsafe_offset(n)
        var z = x.unsafe_offset(2 * n)
        var vx = self.vel
        var vy = vx.unsafe_offset(n)
        var vz = vx.unsafe_offset(2 * n)
        var nx = self.following()
        var ny = nx.unsafe_offset(n)
        var nz = nx.unsafe_offset(2 * n)
        var mass = self.mass
        for i in range(lo, hi):
            var xi = x[unsafe_offset=i]
            var yi = y[unsafe_offset=i]
            var zi = z[unsafe_offset=i]
            var vxi = vx[unsafe_offset=i]
            var vyi = vy[unsafe_offset=i]
            var vzi = vz[unsafe_offset=i]
            for j in range(n):
                if j == i:
                    continue
                var dx = xi - x[unsafe_offset=j]
                var dy = yi - y[unsafe_offset=j]
                var dz = zi - z[unsafe_offset=j]
                var d2 = dx * dx + dy * dy + dz * dz
                var mag = dt / (d2 * sqrt(d2))
                vxi -= dx * mass[unsafe_offset=j] * mag
                vyi -= dy * mass[unsafe_offset=j] * mag
                vzi -= dz * mass[unsafe_offset=j] * mag
            vx[unsafe_offset=i] = vxi
            vy[unsafe_offset=i] = vyi
            vz[unsafe_offset=i] = vzi
            nx[unsafe_offset=i] = xi + dt * vxi
            ny[unsafe_offset=i] = yi + dt * vyi
            nz[unsafe_offset=i] = zi + dt * vzi

    def advance_simd(self, lo: Int, hi: Int, dt: Float64):
        var n = self.n
        var x = self.positions()
        var y = x.unsafe_offset(n)
        var z = x.unsafe_offset(2 * n)
        var vx = self.vel
        var vy = vx.unsafe_offset(n)
        var vz = vx.unsafe_offset(2 * n)
        var nx = self.following()
        var ny = nx.unsafe_offset(n)
        var nz = nx.unsafe_offset(2 * n)
        var mass = self.mass
        var lane = F8(0, 1, 2, 3, 4, 5, 6, 7)
        var count = Float64(n)
        for i in range(lo, hi):
            var xi = F8(x[unsafe_offset=i])
            var yi = F8(y[unsafe_offset=i])
            var zi = F8(z[unsafe_offset=i])
            var own = F8(Float64(i))
            var ax = F8(0)
            var ay = F8(0)
            var az = F8(0)
            var index = lane
            var j = 0
            while j + 8 <= n:
                var dx = xi - load8(x, j)
                var dy = yi - load8(y, j)
                var dz = zi - load8(z, j)
                var d2 = dx * dx + dy * dy + dz * dz
                var mag = index.ne(own).select(F8(dt) / (d2 * sqrt(d2)), F8(0))
                var mj = load8(mass, j)
                ax += dx * mj * mag
                ay += dy * mj * mag
                az += dz * mj * mag
                index += 8.0
                j += 8
            if j < n:
                var dx = xi - partial8(x, j, n)
                var dy = yi - partial8(y, j, n)
                var dz = zi - partial8(z, j, n)
                var d2 = dx * dx + dy * dy + dz * dz
                var other = index.ne(own) & index.lt(F8(count))
                var mag = other.select(F8(dt) / (d2 * sqrt(d2)), F8(0))
                var mj = partial8(mass, j, n)
                ax += dx * mj * mag
                ay += dy * mj * mag
                az += dz * mj * mag
            var vxi = vx[unsafe_offset=i] - pairwise(ax)
            var vyi = vy[unsafe_offset=i] - pairwise(ay)
            var vzi = vz[unsafe_offset=i] - pairwise(az)
            vx[unsafe_offset=i] = vxi
            vy[unsafe_offset=i] = vyi
            vz[unsafe_offset=i] = vzi
            nx[unsafe_offset=i] = x[unsafe_offset=i] + dt * vxi
            ny[unsafe_offset=i] = y[unsafe_offset=i] + dt * vyi
            nz[unsafe_offset=i] = z[unsafe_offset=i] + dt * vzi

    def energy(self) -> Float64:
        var n = self.n
        var x = self.positions()
        var y = x.unsafe_offset(n)
        var z = x.unsafe_offset(2 * n)
        var vx = self.vel
        var vy = vx.unsafe_offset(n)
        var vz = vx.unsafe_offset(2 * n)
        var mass = self.mass
        var e = 0.0
        for i in range(n):
            var v2 = vx[unsafe_offset=i] * vx[unsafe_offset=i] + vy[unsafe_offset=i] * vy[unsafe_offset=i]
            v2 = v2 + vz[unsafe_offset=i] * vz[unsafe_offset=i]
            e += 0.5 * mass[unsafe_offset=i] * v2
            for j in range(i + 1, n):
                var dx = x[unsafe_offset=i] - x[unsafe_offset=j]
                var dy = y[unsafe_offset=i] - y[unsafe_offset=j]
                var dz = z[unsafe_offset=i] - z[unsafe_offset=j]
                e -= mass[unsafe_offset=i] * mass[unsafe_offset=j] / sqrt(dx * dx + dy * dy + dz * dz)
        return e

    def run(self, pool: Pointer[Pool[NBody], MutUntrackedOrigin]) -> Tuple[Float64, Float64]:
        var n = self.n
        self.parity[unsafe_offset=0] = 0
        for i in range(3 * n):
            self.a[unsafe_offset=i] = self.initial[unsafe_offset=i]
            self.vel[unsafe_offset=i] = self.initial[unsafe_offset=3 * n + i]
        var before = self.energy()
        for _ in range(100):
            for_each(pool, self.chunks)
            self.parity[unsafe_offset=0] = 1 - self.parity[unsafe_offset=0]
        return (before, self.energy())


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = NBody(args.size, args.simd())
    var pool = Pool[NBody](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
    var p = Pointer(to=pool).unsafe_origin_cast[MutUntrackedOrigin]()
    start(p)
    ready(began)
    while True:
        var runs = next_batch()
        if runs == 0:
            break
        var energies = (0.0, 0.0)
        var t0 = perf_counter_ns()
        for _ in range(runs):
            energies = kernel.run(p)
            clobber_memory()
        var elapsed = perf_counter_ns() - t0
        reply(elapsed, String(bitcast[DType.uint64](energies[0])) + " " + String(bitcast[DType.uint64](energies[1])))
    _ = pool.workers
    _ = kernel.n
