// The answer a cell computed, in a form every flavour can be compared by.

/// A kernel's output in canonical form.
///
/// Exact parts (counts, bitmaps, integer checksums) go into `checksum`, which
/// must be equal across flavours; floating-point parts go into `values`, which
/// must agree within the kernel's `tolerance` (exactly, where every flavour
/// performs the same operations in the same order).
public struct KernelResult: Sendable, Codable, Equatable, CustomStringConvertible {
  /// Human-readable canonical text, e.g. `"in-set 12345 · bitmap fnv1a 0x…"`.
  public var text: String
  /// A 64-bit digest of the exact part of the output.
  public var checksum: UInt64
  /// Floating-point outputs, in a fixed order.
  public var values: [Double]

  public init(text: String, checksum: UInt64, values: [Double] = []) {
    self.text = text
    self.checksum = checksum
    self.values = values
  }

  public var description: String { text }

  // JSON numbers lose precision above 2⁵³ in many readers, so the checksum is
  // written as a hex string.
  private enum CodingKeys: String, CodingKey { case text, checksum, values }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    text = try container.decode(String.self, forKey: .text)
    let hex = try container.decode(String.self, forKey: .checksum)
    guard hex.hasPrefix("0x"), let value = UInt64(hex.dropFirst(2), radix: 16) else {
      throw DecodingError.dataCorruptedError(
        forKey: .checksum, in: container, debugDescription: "checksum must be 0x and 16 hex digits")
    }
    checksum = value
    values = try container.decode([Double].self, forKey: .values)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(text, forKey: .text)
    try container.encode(checksum.hex16, forKey: .checksum)
    try container.encode(values, forKey: .values)
  }

  /// Whether `self` and `other` are the same answer within `tolerance`
  /// (relative, with an absolute floor of `tolerance` near zero).
  public func agrees(with other: KernelResult, tolerance: Double) -> Bool {
    guard checksum == other.checksum, values.count == other.values.count else { return false }
    for (a, b) in zip(values, other.values) {
      if tolerance == 0 {
        guard a == b || (a.isNaN && b.isNaN) else { return false }
      } else {
        let scale = max(abs(a), abs(b), 1)
        guard abs(a - b) <= tolerance * scale else { return false }
      }
    }
    return true
  }
}

// MARK: - Checksums

/// FNV-1a, 64-bit: a small, well-known digest for exact outputs.
public struct FNV1a: Sendable {
  public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  public init() {}

  public mutating func combine(byte: UInt8) {
    value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
  }

  public mutating func combine<S: Sequence>(bytes: S) where S.Element == UInt8 {
    for byte in bytes { combine(byte: byte) }
  }

  /// Mixes in the eight little-endian bytes of `word`.
  public mutating func combine(_ word: UInt64) {
    var w = word
    for _ in 0..<8 {
      combine(byte: UInt8(truncatingIfNeeded: w))
      w >>= 8
    }
  }

  public mutating func combine(_ int: Int) { combine(UInt64(bitPattern: Int64(int))) }

  public mutating func combine(_ string: String) { combine(bytes: string.utf8) }

  public static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
    var h = FNV1a()
    h.combine(bytes: bytes)
    return h.value
  }
}

extension UInt64 {
  /// `0x` followed by sixteen hex digits.
  public var hex16: String {
    let digits = String(self, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
  }
}
