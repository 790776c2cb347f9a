# nqueens in Mojo: count the placements of n non-attacking queens by
# backtracking over bitmasks of attacked columns and diagonals, one chunk per
# legal opening (c0, c1) of the first two rows (|c0 − c1| > 1, in
# lexicographic order: n² − 3n + 2 chunks), counts added in chunk order.
# Follows ck_nqueens_chunk (CSources/CKernels/nqueens.c). No SIMD variant.
# Output: the number of solutions.

from driver import *

comptime IntPtr = Pointer[Int, MutUntrackedOrigin]


def place(all: UInt32, cols: UInt32, left: UInt32, right: UInt32) -> Int:
    """Completions of a board whose rows so far attack `cols` and, in the next row,
    `left` and `right` (the diagonals, shifted one column a row); lowest column first."""
    if cols == all:
        return 1
    var solutions = 0
    var free = all & ~(cols | left | right)
    while free != 0:
        var bit = free & (0 - free)
        free ^= bit
        solutions += place(all, cols | bit, (left | bit) << 1, (right | bit) >> 1)
    return solutions


struct NQueens(Kernel):
    var n: Int
    var openings: IntPtr  # c0, c1 pairs
    var count: Int
    var solutions: IntPtr

    def __init__(out self, n: Int):
        self.n = n
        self.count = 0
        self.openings = alloc(Layout[Int](count=2 * n * n)).unsafe_leak()
        for c0 in range(n):
            for c1 in range(n):
                if abs(c0 - c1) > 1:
                    self.openings[unsafe_offset=2 * self.count] = c0
                    self.openings[unsafe_offset=2 * self.count + 1] = c1
                    self.count += 1
        self.solutions = alloc(Layout[Int](count=max(self.count, 1))).unsafe_leak()

    def chunk(self, c: Int):
        var all = UInt32((1 << self.n) - 1)
        var bit0 = UInt32(1) << UInt32(self.openings[unsafe_offset=2 * c])
        var bit1 = UInt32(1) << UInt32(self.openings[unsafe_offset=2 * c + 1])
        var left = ((bit0 << 1) | bit1) << 1
        var right = ((bit0 >> 1) | bit1) >> 1
        self.solutions[unsafe_offset=c] = place(all, bit0 | bit1, left, right)

    def run(self, pool: Pointer[Pool[NQueens], MutUntrackedOrigin]) -> Int:
        for_each(pool, self.count)
        var total = 0
        for c in range(self.count):
            total += self.solutions[unsafe_offset=c]
        return total


def main() raises:
    var args = Args()
    var began = perf_counter_ns()
    var kernel = NQueens(args.size)
    var pool = Pool[NQueens](Pointer(to=kernel).unsafe_origin_cast[MutUntrackedOrigin](), args.workers)
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
