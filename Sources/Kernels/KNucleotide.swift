// k-nucleotide: hashing and Dictionary.

import CKernels
import IdiomaticKernels
import KernelKit
import UnsafeKernels

/// The Benchmarks Game's k-nucleotide on a generated sequence: count every
/// k-mer (substring of length k) for k = 1, 2, 3, 4, 6, 12, 18.
///
/// - Bottleneck: hash-table inserts and lookups. For k ≤ 6 the tables stay in
///   L1/L2 and the cost is hashing; for k = 12 and 18 almost every k-mer of a
///   random sequence is new, the tables grow to tens of megabytes and every
///   insert is a cache miss.
/// - Input: n letters from `SplitMix64(seed: 0x6b6d_6572)` ("kmer"), one
///   `next(below: 1000)` a letter: below 303 → A, below 501 → C, below 699 → G,
///   else T — the Benchmarks Game's Homo sapiens frequencies (30.3 %, 19.8 %,
///   19.8 %, 30.1 %) in thousandths, so the frequency table has the familiar
///   shape. The sequence is ASCII bytes; the idiomatic flavour turns it into a
///   `String`.
/// - Chunks: 7 k × 16 slices of start positions = 112 chunks. A chunk counts the
///   k-mers that start in its slice (they may run past the slice's end into the
///   sequence) into a table of its own. A second phase merges, for each k, the
///   16 tables in slice order: 7 chunks, of which k = 12 and 18 dominate.
/// - Result: the Benchmarks Game's report (percentages of the 1- and 2-mers,
///   counts of GGT, GGTA, GGTATT, GGTATTTTAATT, GGTATTTTAATTTATAGT), the
///   number of distinct k-mers for every k, and an FNV-1a digest of every
///   (k-mer, count) pair: for each k, k and the distinct count, then the pairs
///   sorted by k-mer, each k-mer packed two bits a letter (A 0, C 1, G 2, T 3,
///   first letter most significant, so numeric order is alphabetical order).
///   The digest at tiny, quick and full size was reproduced by an independent
///   Python program (`collections.Counter` over string slices); `verify` checks
///   it.
/// - Memory: the unsafe and C flavours allocate all their tables when the
///   workload is made (about 512 MiB at full size, mostly k = 12 and 18), so a
///   run only clears and fills them.
struct KNucleotide: Kernel {
  let name = "k-nucleotide"
  let bottleneck = "hashing, Dictionary"
  let summary = "Benchmarks Game k-mer counts, k = 1, 2, 3, 4, 6, 12, 18, over n random DNA letters"
  let parameter = "n (sequence length)"
  let sizes = KernelSizes(tiny: 10_000, quick: 250_000, full: 4_000_000)
  let notes = KernelNotes(
    debug: "The hashing and Dictionary code lives in the optimised standard library, so debug pays only for the loop around it, and the compiler step is small.",
    idiomatic: "`[Substring: Int]`: every k-mer is a Substring of one String. Each lookup hashes the k-mer's bytes with SipHash-1-3 (seeded, resistant to flooding, several times the work of a multiply-shift), compares Substrings through String's Unicode-aware equality, retains and releases the String's storage, and the Dictionary grows by rehashing everything when it fills; merging the slices hashes every key again. Taken apart one change at a time, the costs are resizing (`reserveCapacity` removes it), String keys (packed UInt64 keys remove them) and then SipHash, generic Dictionary code and its probing, which the unsafe flavour's open-addressing table removes; docs/FINDINGS.md has the measured steps.",
    unsafe: "Packs a k-mer into a UInt64, two bits a letter, updated by one shift per position; an open-addressing table of (key, count) pairs sized in advance from the bound min(4^k, slice length), a Fibonacci (multiply-shift) hash and linear probing. No resizing, no ARC, no bounds checks; it relies on the caller's sizes being right and would loop forever on a full table.",
    c: "The same packing, table and probing in C; the two compile to nearly the same loop.",
    parallel: "112 counting chunks balance well; the merge phase has only 7 chunks and k = 12 and 18 do most of its work, so it limits scaling. The idiomatic flavour's threads also share one String, whose reference count they may contend on.",
    vector: Self.noVectors,
    native: "Not measured; not expected to matter: at k = 12 and 18 the time goes to cache misses on table probes, and the packing and multiply-shift hash are a few scalar instructions that baseline x86-64 already has.")

  static let ks = [1, 2, 3, 4, 6, 12, 18]

  /// Why there are no vector flavours (also the notes' `vector` text).
  static let noVectors =
    "hash-bound: each k-mer is a probe into a hash table at an address computed from its hash, dependent and mostly a cache miss at k = 12 and 18; there is no arithmetic to put in lanes"
  var vectorNotApplicable: String? { Self.noVectors }
  let ceiling = Ceiling.none("hashing: no measured ceiling")

  /// One table update per k-mer position and k: Σ over k of n − k + 1. The
  /// merge phase's re-insertions are not counted.
  func work(size n: Int) -> Work {
    Work(Double(Self.ks.reduce(0) { $0 + (n - $1 + 1) }), .elements, "k-mers hashed (all seven k)")
  }
  static let slices = 16
  static let seed: UInt64 = 0x6b6d_6572
  static let samples = ["GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"]

  /// Digests reproduced by an independent Python program.
  static let referenceDigests: [Int: UInt64] = [
    10_000: 0xb9ae_8dec_2da5_60dd,
    250_000: 0x0d9d_5fd4_1d43_05fa,
    4_000_000: 0x7de0_4123_e1a2_022a,
  ]

  /// Long enough for every k and slice; at most 16 Mi letters, whose tables
  /// take about 2 GiB in the unsafe and C flavours (more in the idiomatic one).
  func validate(size: Int) throws {
    try require(size, in: 1_024...(1 << 24), "the k = 12 and 18 tables grow with n")
  }

  func verify(_ result: KernelResult, size: Int) -> Verification {
    guard let digest = Self.referenceDigests[size] else { return .noReference }
    return result.checksum == digest
      ? .matches("counts digest \(digest.hex16) of an independent Python program")
      : .mismatch("counts digest \(result.checksum.hex16) ≠ \(digest.hex16) of an independent Python program")
  }

  func makeWorkload(_ flavour: Flavour, size n: Int) -> any Workload {
    let sequence = Self.sequence(n)
    switch flavour {
    case .vector, .cVector:
      preconditionFailure("\(name) has no \(flavour) flavour: \(notApplicable(flavour) ?? "")")
    case .idiomatic:
      let kernel = Idiomatic.KNucleotide(sequence: sequence, ks: Self.ks, slices: Self.slices)
      return Cell(run: kernel.run, result: {
        Self.result(n: n, counts: kernel.tables.map { table in
          Self.sortedByKey(table.map { (key: Self.pack($0.key.utf8), count: $0.value) })
        })
      })
    case .span:
      return Tables(sequence: sequence, count: Self.spanCount, merge: Self.spanMerge).cell
    case .unsafe:
      return Tables(sequence: sequence, count: Unsafe.kNucleotideCount, merge: Unsafe.kNucleotideMerge).cell
    case .c:
      return Tables(
        sequence: sequence,
        count: { ck_knucleotide_count($0, $1, $2, $3, $4, $5) },
        merge: { ck_knucleotide_merge($0, $1, $2, $3) }
      ).cell
    }
  }

  // MARK: - Input and chunks

  /// n letters of A, C, G, T with the Homo sapiens frequencies.
  static func sequence(_ n: Int) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    return (0..<n).map { _ in
      switch random.next(below: 1000) {
      case 0..<303: UInt8(ascii: "A")
      case 303..<501: UInt8(ascii: "C")
      case 501..<699: UInt8(ascii: "G")
      default: UInt8(ascii: "T")
      }
    }
  }

  /// Chunk `index`: which k, and which start positions.
  static func chunk(_ index: Int, n: Int) -> (k: Int, starts: Range<Int>) {
    let k = ks[index / slices]
    return (k, chunkRange(index % slices, of: slices, total: n - k + 1))
  }

  /// log₂ of the table capacity for at most `bound` distinct keys: the
  /// smallest power of two ≥ 2·bound (load factor ≤ ½), and at least 8 slots.
  static func log2Capacity(k: Int, positions: Int) -> Int {
    let bound = k >= 16 ? positions : min(1 << (2 * k), positions)
    var log2 = 3
    while 1 << log2 < 2 * bound { log2 += 1 }
    return log2
  }

  // MARK: - Packing

  /// A 0, C 1, G 2, T 3.
  static func code(_ letter: UInt8) -> UInt64 {
    switch letter {
    case UInt8(ascii: "A"): 0
    case UInt8(ascii: "C"): 1
    case UInt8(ascii: "G"): 2
    case UInt8(ascii: "T"): 3
    default: preconditionFailure("not a DNA letter: \(letter)")
    }
  }

  static func pack<S: Sequence<UInt8>>(_ letters: S) -> UInt64 {
    letters.reduce(0) { $0 << 2 | code($1) }
  }

  static func unpack(_ key: UInt64, k: Int) -> String {
    String(decoding: (0..<k).reversed().map { Array("ACGT".utf8)[Int(key >> (2 * UInt64($0)) & 3)] }, as: UTF8.self)
  }

  // MARK: - Result

  typealias Pair = (key: UInt64, count: Int)

  /// `pairs` sorted by key (keys are unique): an LSD radix sort, 12 bits of
  /// the key a pass. The result is untimed, but the debug build computes it
  /// too, twice a cell, for about 250 000 distinct 18-mers at quick size,
  /// where unspecialised `sorted(by:)` calls its comparison closure for every
  /// compare and this sort only shifts and counts.
  static func sortedByKey(_ pairs: [Pair]) -> [Pair] {
    let keyBits = UInt64.bitWidth - pairs.reduce(0) { $0 | $1.key }.leadingZeroBitCount
    var source = pairs
    var target = pairs
    var starts = [Int](repeating: 0, count: 4097)
    for shift in stride(from: UInt64(0), to: UInt64(keyBits), by: 12) {
      source.withUnsafeBufferPointer { from in
        target.withUnsafeMutableBufferPointer { to in
          starts.withUnsafeMutableBufferPointer { start in
            // start[d + 1] counts digit d, then start[d] is where digit d goes.
            start.update(repeating: 0)
            for pair in from { start[Int(truncatingIfNeeded: pair.key &>> shift & 4095) &+ 1] &+= 1 }
            for digit in 0..<4096 { start[digit &+ 1] &+= start[digit] }
            for pair in from {
              let digit = Int(truncatingIfNeeded: pair.key &>> shift & 4095)
              to[start[digit]] = pair
              start[digit] &+= 1
            }
          }
        }
      }
      swap(&source, &target)
    }
    return source
  }

  /// The report from the counts of every k (in `ks` order), each sorted by key.
  static func result(n: Int, counts: [[Pair]]) -> KernelResult {
    precondition(counts.count == ks.count, "one table per k")
    var digest = FNV1a()
    for (k, pairs) in zip(ks, counts) {
      digest.combine(k)
      digest.combine(pairs.count)
      for pair in pairs {
        digest.combine(pair.key)
        digest.combine(pair.count)
      }
    }
    var lines: [String] = []
    for (k, pairs) in zip(ks, counts) where k <= 2 {
      let total = pairs.reduce(0) { $0 + $1.count }
      let sorted = pairs.sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
      lines += sorted.map { "\(unpack($0.key, k: k)) \(percent($0.count, of: total))" }
      lines.append("")
    }
    for sample in samples {
      let pairs = counts[ks.firstIndex(of: sample.utf8.count)!]
      let key = pack(sample.utf8)
      let count = pairs.first { $0.key == key }?.count ?? 0
      lines.append("\(count)\t\(sample)")
    }
    lines.append("")
    lines.append("distinct " + zip(ks, counts).map { "k\($0) \($1.count)" }.joined(separator: " · "))
    lines.append("counts fnv1a \(digest.value.hex16)")
    return KernelResult(text: lines.joined(separator: "\n"), checksum: digest.value)
  }

  /// `100 · count / total` with three decimals, rounded half up, in integers.
  static func percent(_ count: Int, of total: Int) -> String {
    let thousandths = (count * 200_000 + total) / (2 * total)
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }

  // MARK: - Driver

  /// An open-addressing table shared by the unsafe and C flavours: `1 <<
  /// log2Capacity` slots of two words, key then count; an empty slot's key is
  /// `UInt64.max` (packed k-mers use at most 36 bits).
  ///
  /// Sendable because in each phase a table is written by one chunk only, and
  /// read by another only after the phase's barrier.
  final class HashTable: @unchecked Sendable {
    let log2Capacity: Int
    let words: UnsafeMutableBufferPointer<UInt64>

    init(log2Capacity: Int) {
      self.log2Capacity = log2Capacity
      words = .allocate(capacity: 2 << log2Capacity)
      words.initialize(repeating: .max)
    }

    deinit { words.deallocate() }

    /// Empties every slot.
    func clear() { words.update(repeating: .max) }

    /// The occupied slots, sorted by key.
    func sortedPairs() -> [Pair] {
      var pairs: [Pair] = []
      for slot in stride(from: 0, to: words.count, by: 2) where words[slot] != .max {
        pairs.append((key: words[slot], count: Int(words[slot + 1])))
      }
      return KNucleotide.sortedByKey(pairs)
    }
  }

  /// The driver the unsafe and C flavours share. Every table is allocated (and
  /// its pages touched) when the workload is made, outside the timed region;
  /// a run clears each table in the chunk that fills it.
  private final class Tables {
    /// (sequence, k, lo, hi, table, log2Capacity) → keys added.
    typealias Count = @Sendable (UnsafePointer<UInt8>, Int, Int, Int, UnsafeMutablePointer<UInt64>, Int) -> Int
    /// (destination, its log2Capacity, source, its log2Capacity) → keys added.
    typealias Merge = @Sendable (UnsafeMutablePointer<UInt64>, Int, UnsafePointer<UInt64>, Int) -> Int

    let sequence: UnsafeMutableBufferPointer<UInt8>
    let count: Count
    let merge: Merge
    /// One table per counting chunk, then one per k for the merged counts.
    let partials: [HashTable]
    let merged: [HashTable]

    init(sequence: [UInt8], count: @escaping Count, merge: @escaping Merge) {
      let n = sequence.count
      self.sequence = .allocate(capacity: n)
      _ = self.sequence.initialize(from: sequence)
      self.count = count
      self.merge = merge
      partials = (0..<(KNucleotide.ks.count * KNucleotide.slices)).map { i in
        let (k, starts) = KNucleotide.chunk(i, n: n)
        return HashTable(log2Capacity: KNucleotide.log2Capacity(k: k, positions: starts.count))
      }
      merged = KNucleotide.ks.map { k in
        HashTable(log2Capacity: KNucleotide.log2Capacity(k: k, positions: n - k + 1))
      }
    }

    deinit { sequence.deallocate() }

    var cell: Cell {
      Cell(run: run, result: {
        KNucleotide.result(n: self.sequence.count, counts: self.merged.map { $0.sortedPairs() })
      })
    }

    func run(on executor: any ParallelExecutor) {
      let (n, count, merge, slices) = (sequence.count, count, merge, KNucleotide.slices)
      let (partials, merged) = (partials, merged)
      // Chunks only read the sequence; each writes only its own table.
      nonisolated(unsafe) let sequence = UnsafePointer(sequence.baseAddress!)
      executor.forEach(partials.count) { i in
        let (k, starts) = KNucleotide.chunk(i, n: n)
        let table = partials[i]
        table.clear()
        _ = count(sequence, k, starts.lowerBound, starts.upperBound, table.words.baseAddress!, table.log2Capacity)
      }
      executor.forEach(merged.count) { kIndex in
        let table = merged[kIndex]
        table.clear()
        for slice in 0..<slices {
          let source = partials[kIndex * slices + slice]
          _ = merge(table.words.baseAddress!, table.log2Capacity, source.words.baseAddress!, source.log2Capacity)
        }
      }
    }
  }
}
