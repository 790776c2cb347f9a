# The shared part of the Mojo ports (bench/mojo/NAME.mojo): the thread pool
# that runs a kernel's chunks, the conversation with bench/python/rung.py, and
# what every kernel's input needs (SplitMix64, chunk ranges).
#
# Written for Mojo 1.2.0 (pip install mojo==1.2.0). That package's standard
# library has no `parallelize` (it lives in MAX's `max.algorithm`), and the task
# runtime under it (`std.runtime._asyncrt`) is private and marked experimental,
# so the pool here is plain POSIX threads through `external_call`: W − 1
# threads started once, woken for each parallel phase by a condition variable,
# claiming chunks from an atomic counter like the Swift harness's ThreadPool;
# the calling thread claims chunks too. With one worker there are no threads:
# the chunks run in order on the calling thread. The fields the threads share
# are atomics: with plain fields the compiler may keep a value in a register
# across the condition wait (the pool hung that way while it was written).
#
# The conversation (rung.py owns the timing protocol; PROTOCOL.md):
#   argv: scalar|simd WORKERS SIZE (the binary is the kernel: bench/.cache/mojo/NAME)
#   stdout "ready SETUP_NS" once the input is built (never timed);
#   then for each stdin line "run R": R runs back to back, timed by the
#   monotonic clock around all R, answered "NS OUTPUT" (the last run's output,
#   one line, in the form the kernel's Python `result` takes); "quit" ends it.

from std.atomic import Atomic
from std.time import perf_counter_ns
from std.ffi import external_call, c_int
from std.memory.alloc import alloc, Layout
from std.benchmark import clobber_memory
from std.sys import argv

comptime BytePtr = Pointer[UInt8, MutUntrackedOrigin]


trait Kernel:
    def chunk(self, c: Int):
        ...


struct Pool[K: Kernel]:
    var kernel: Pointer[Self.K, MutUntrackedOrigin]
    var workers: Int
    var mutex: BytePtr
    var go: BytePtr
    var done: BytePtr
    var generation: Atomic[Int64]
    var count: Int
    var next: Atomic[Int64]
    var finished: Atomic[Int64]
    var stop: Atomic[Int64]
    var tids: Pointer[UInt64, MutUntrackedOrigin]

    def __init__(out self, kernel: Pointer[Self.K, MutUntrackedOrigin], workers: Int):
        self.kernel = kernel
        self.workers = workers
        self.mutex = zeroed(64)
        self.go = zeroed(64)
        self.done = zeroed(64)
        self.generation = Atomic[Int64](0)
        self.count = 0
        self.next = Atomic[Int64](0)
        self.finished = Atomic[Int64](0)
        self.stop = Atomic[Int64](0)
        self.tids = alloc(Layout[UInt64](count=workers + 1)).unsafe_leak()


def zeroed(bytes: Int) -> BytePtr:
    var p = alloc(Layout[UInt8](count=bytes)).unsafe_leak()
    for i in range(bytes):
        p[unsafe_offset=i] = 0
    return p


def claim[K: Kernel](pool: Pointer[Pool[K], MutUntrackedOrigin]):
    while True:
        var c = Int(pool[].next.fetch_add(1))
        if c >= pool[].count:
            return
        pool[].kernel[].chunk(c)


def pool_thread[K: Kernel](arg: Pointer[Pool[K], MutUntrackedOrigin]) abi("C") -> Pointer[Pool[K], MutUntrackedOrigin]:
    var seen = 0
    while True:
        _ = external_call["pthread_mutex_lock", c_int](arg[].mutex)
        while Int(arg[].generation.load()) == seen and arg[].stop.load() == 0:
            _ = external_call["pthread_cond_wait", c_int](arg[].go, arg[].mutex)
        if arg[].stop.load() != 0:
            _ = external_call["pthread_mutex_unlock", c_int](arg[].mutex)
            return arg
        seen = Int(arg[].generation.load())
        _ = external_call["pthread_mutex_unlock", c_int](arg[].mutex)
        claim(arg)
        _ = external_call["pthread_mutex_lock", c_int](arg[].mutex)
        if Int(arg[].finished.fetch_add(1)) + 1 == arg[].workers - 1:
            _ = external_call["pthread_cond_signal", c_int](arg[].done)
        _ = external_call["pthread_mutex_unlock", c_int](arg[].mutex)


def start[K: Kernel](pool: Pointer[Pool[K], MutUntrackedOrigin]):
    for w in range(pool[].workers - 1):
        _ = external_call["pthread_create", c_int](pool[].tids.unsafe_offset(w), Int(0), pool_thread[K], pool)


def for_each[K: Kernel](pool: Pointer[Pool[K], MutUntrackedOrigin], count: Int):
    if pool[].workers == 1:
        for c in range(count):
            pool[].kernel[].chunk(c)
        return
    _ = external_call["pthread_mutex_lock", c_int](pool[].mutex)
    pool[].count = count
    pool[].next.store(0)
    pool[].finished.store(0)
    _ = pool[].generation.fetch_add(1)
    _ = external_call["pthread_cond_broadcast", c_int](pool[].go)
    _ = external_call["pthread_mutex_unlock", c_int](pool[].mutex)
    claim(pool)
    _ = external_call["pthread_mutex_lock", c_int](pool[].mutex)
    while Int(pool[].finished.load()) < pool[].workers - 1:
        _ = external_call["pthread_cond_wait", c_int](pool[].done, pool[].mutex)
    _ = external_call["pthread_mutex_unlock", c_int](pool[].mutex)


# MARK: - The conversation with rung.py


struct Args:
    var variant: String
    var workers: Int
    var size: Int

    def __init__(out self) raises:
        var args = argv()
        if len(args) != 4:
            raise Error("usage: NAME scalar|simd WORKERS SIZE")
        self.variant = String(args[1])
        self.workers = Int(args[2])
        self.size = Int(args[3])
        if self.variant != "scalar" and self.variant != "simd":
            raise Error("variant must be scalar or simd, not " + self.variant)
        if self.workers < 1:
            raise Error("workers must be at least 1")

    def simd(self) -> Bool:
        return self.variant == "simd"


def ready(began: Int):
    print("ready", perf_counter_ns() - began, flush=True)


def next_batch() raises -> Int:
    """Runs asked for by the next "run R" line on stdin; 0 for "quit" or the end
    of input. Read a byte at a time with read(2), so that nothing past the line
    is buffered away (the standard library's `input()` may read ahead)."""
    var byte = zeroed(1)
    var runs = 0
    var seen = 0
    while True:
        var got = external_call["read", Int](Int32(0), byte, Int(1))
        if got <= 0:
            return 0
        var c = Int(byte[unsafe_offset=0])
        if c == 10:
            break
        seen += 1
        if seen > 4 and c >= 48 and c <= 57:
            runs = runs * 10 + (c - 48)
        elif seen <= 4 and c != Int("run "[byte=seen - 1].as_bytes()[0]):
            return 0
    return runs


def reply(ns: Int, output: String):
    print(ns, output, flush=True)


# MARK: - Input


struct SplitMix64:
    """SplitMix64 (Steele, Lea and Flood), bit-identical to KernelKit's, C's and Python's."""

    var state: UInt64

    def __init__(out self, seed: UInt64):
        self.state = seed

    def next(mut self) -> UInt64:
        self.state = self.state + 0x9E3779B97F4A7C15
        var z = self.state
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB
        return z ^ (z >> 31)

    def next_double(mut self) -> Float64:
        """A double in [0, 1) from the top 53 bits."""
        return Float64(self.next() >> 11) * (1.0 / 9007199254740992.0)

    def next_below(mut self, bound: UInt64) -> UInt64:
        """An integer in 0..<bound by multiply-shift (the high word of the 128-bit product)."""
        return UInt64((UInt128(self.next()) * UInt128(bound)) >> 64)


def chunk_lo(index: Int, count: Int, total: Int) -> Int:
    """Start of the index-th of count nearly equal pieces of 0..<total (KernelKit's chunkRange)."""
    var base = total // count
    var extra = total % count
    return index * base + min(index, extra)


def chunk_hi(index: Int, count: Int, total: Int) -> Int:
    return chunk_lo(index + 1, count, total)


def hex_bytes(p: BytePtr, count: Int) -> String:
    """Lower-case hex of count bytes: how a bitmap travels to rung.py."""
    comptime digits = "0123456789abcdef"
    var out = String(capacity_bytes=2 * count)
    for i in range(count):
        var b = Int(p[unsafe_offset=i])
        out += digits[byte=b >> 4]
        out += digits[byte=b & 15]
    return out
