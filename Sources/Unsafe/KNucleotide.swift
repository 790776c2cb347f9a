// k-nucleotide, unsafe flavour. See Kernels/KNucleotide.swift.

extension Unsafe {
  /// Counts the k-mers starting at positions `lo..<hi` of `sequence` into
  /// `table`; returns how many keys it added. Mirrors `ck_knucleotide_count`.
  ///
  /// A k-mer is packed two bits a letter into a UInt64 that each position
  /// updates with one shift, or and mask. The table (see `kNucleotideInsert`)
  /// must have room: the caller sizes it for min(4^k, hi − lo) keys at load ≤ ½.
  /// The sequence must hold at least `hi + k − 1` letters, all A, C, G or T.
  public static func kNucleotideCount(
    _ sequence: UnsafePointer<UInt8>, _ k: Int, _ lo: Int, _ hi: Int,
    _ table: UnsafeMutablePointer<UInt64>, _ log2Capacity: Int
  ) -> Int {
    precondition((1...31).contains(k) && 0 <= lo && lo <= hi, "bad k or range")
    precondition((3..<64).contains(log2Capacity), "bad table capacity")
    let mask: UInt64 = (1 << (2 * UInt64(k))) - 1
    var key: UInt64 = 0
    for p in lo..<(lo + k - 1) {
      key = key << 2 | nucleotideCode(sequence[p])
    }
    var added = 0
    for p in lo..<hi {
      key = (key << 2 | nucleotideCode(sequence[p &+ k &- 1])) & mask  // p + k − 1 < hi + k − 1
      added &+= kNucleotideInsert(key, 1, table, log2Capacity)  // added ≤ hi − lo
    }
    return added
  }

  /// Adds every (key, count) of `source` to `destination`; returns how many keys
  /// were new. Mirrors `ck_knucleotide_merge`. `destination` must have room for
  /// the union at load < 1.
  public static func kNucleotideMerge(
    _ destination: UnsafeMutablePointer<UInt64>, _ destinationLog2: Int,
    _ source: UnsafePointer<UInt64>, _ sourceLog2: Int
  ) -> Int {
    precondition((3..<64).contains(destinationLog2) && (3..<64).contains(sourceLog2), "bad capacity")
    var added = 0
    for slot in 0..<(1 << sourceLog2) {
      let key = source[2 &* slot]  // slot < 2^sourceLog2: within the table
      if key != .max {
        added &+= kNucleotideInsert(key, source[2 &* slot &+ 1], destination, destinationLog2)
      }
    }
    return added
  }

  /// Adds `count` to `key`'s slot, claiming an empty one if needed; returns 1
  /// if the key is new. Slot i is `table[2i]` (key, `UInt64.max` when empty) and
  /// `table[2i + 1]` (count). The home slot is the top `log2Capacity` bits of
  /// key · 2⁶⁴/φ (Fibonacci hashing: one multiply spreads the packed letters
  /// over all bits); collisions probe linearly. Terminates because the table is
  /// never full.
  @inline(__always)
  static func kNucleotideInsert(
    _ key: UInt64, _ count: UInt64, _ table: UnsafeMutablePointer<UInt64>, _ log2Capacity: Int
  ) -> Int {
    let slotMask = (1 &<< log2Capacity) &- 1  // log2Capacity in 3..<64
    var slot = Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) &>> UInt64(64 &- log2Capacity))
    while true {
      let entry = table + 2 &* slot  // slot ≤ slotMask: within the table
      if entry[0] == key {
        entry[1] &+= count  // counts stay below the sequence length
        return 0
      }
      if entry[0] == .max {
        entry[0] = key
        entry[1] = count
        return 1
      }
      slot = (slot &+ 1) & slotMask
    }
  }

  /// A 0, C 1, G 2, T 3 from the ASCII letter, without a table or branch:
  /// bits 1–2 and 2–3 of 'A' (0x41), 'C' (0x43), 'G' (0x47), 'T' (0x54) xor to
  /// 0, 1, 2, 3.
  @inline(__always)
  static func nucleotideCode(_ letter: UInt8) -> UInt64 {
    UInt64((letter >> 1 ^ letter >> 2) & 3)
  }
}
