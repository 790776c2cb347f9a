// k-nucleotide, span flavour. See Kernels/KNucleotide.swift.

extension Spans {
  /// Counts the k-mers starting at positions `lo..<hi` of `sequence` into
  /// `table`; returns how many keys it added. Mirrors `Unsafe.kNucleotideCount`:
  /// the same packed keys and open-addressing table, `table` holding
  /// 2 · 2^log2Capacity words (key, count) with room for the keys at load ≤ ½.
  public static func kNucleotideCount(
    _ sequence: Span<UInt8>, _ k: Int, _ lo: Int, _ hi: Int, _ table: inout MutableSpan<UInt64>, _ log2Capacity: Int
  ) -> Int {
    precondition((1...31).contains(k) && 0 <= lo && lo <= hi, "bad k or range")
    precondition((3..<64).contains(log2Capacity) && table.count == 2 << log2Capacity, "bad table capacity")
    let mask: UInt64 = (1 << (2 * UInt64(k))) - 1
    var key: UInt64 = 0
    for p in lo..<(lo + k - 1) {
      key = key << 2 | nucleotideCode(sequence[p])
    }
    var added = 0
    for p in lo..<hi {
      key = (key << 2 | nucleotideCode(sequence[p &+ k &- 1])) & mask  // p + k − 1 < hi + k − 1
      added &+= kNucleotideInsert(key, 1, &table, log2Capacity)  // added ≤ hi − lo
    }
    return added
  }

  /// Adds every (key, count) of `source` to `destination`; returns how many
  /// keys were new. Mirrors `Unsafe.kNucleotideMerge`.
  public static func kNucleotideMerge(
    _ destination: inout MutableSpan<UInt64>, _ destinationLog2: Int, _ source: Span<UInt64>, _ sourceLog2: Int
  ) -> Int {
    precondition((3..<64).contains(destinationLog2) && (3..<64).contains(sourceLog2), "bad capacity")
    precondition(destination.count == 2 << destinationLog2 && source.count == 2 << sourceLog2, "bad tables")
    var added = 0
    for slot in 0..<(1 << sourceLog2) {
      let key = source[2 &* slot]
      if key != .max {
        added &+= kNucleotideInsert(key, source[2 &* slot &+ 1], &destination, destinationLog2)
      }
    }
    return added
  }

  /// Adds `count` to `key`'s slot, claiming an empty one if needed; returns 1
  /// if the key is new. The same Fibonacci hashing and linear probing as
  /// `Unsafe.kNucleotideInsert`; each probe's two words are checked loads.
  @inline(__always)
  static func kNucleotideInsert(
    _ key: UInt64, _ count: UInt64, _ table: inout MutableSpan<UInt64>, _ log2Capacity: Int
  ) -> Int {
    let slotMask = (1 &<< log2Capacity) &- 1  // log2Capacity in 3..<64
    var slot = Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) &>> UInt64(64 &- log2Capacity))
    while true {
      let entry = 2 &* slot  // slot ≤ slotMask
      if table[entry] == key {
        table[entry &+ 1] &+= count  // counts stay below the sequence length
        return 0
      }
      if table[entry] == .max {
        table[entry] = key
        table[entry &+ 1] = count
        return 1
      }
      slot = (slot &+ 1) & slotMask
    }
  }

  /// A 0, C 1, G 2, T 3 from the ASCII letter; see `Unsafe.nucleotideCode`.
  @inline(__always)
  static func nucleotideCode(_ letter: UInt8) -> UInt64 {
    UInt64((letter >> 1 ^ letter >> 2) & 3)
  }
}
