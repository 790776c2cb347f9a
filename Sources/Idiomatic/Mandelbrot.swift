// mandelbrot, idiomatic flavour. See Kernels/Mandelbrot.swift.

import KernelKit

extension Idiomatic {
  /// The n×n Benchmarks Game bitmap, one row per chunk, written with a small
  /// `Complex` value type and arrays.
  public final class Mandelbrot {
    public let n: Int
    /// Packed rows, most significant bit first, `(n + 7) / 8` bytes a row.
    public private(set) var bitmap: [UInt8] = []

    public init(n: Int) { self.n = n }

    /// Each chunk is one row, returned as its own array; the rows are joined
    /// in order.
    public func run(on executor: any ParallelExecutor) {
      let n = self.n
      bitmap = executor.map(n) { y in Self.row(y, n: n) }.flatMap { $0 }
    }

    public static func row(_ y: Int, n: Int) -> [UInt8] {
      let pixels = (0..<n).map { x in
        isBounded(Complex(re: 2.0 * Double(x) / Double(n) - 1.5, im: 2.0 * Double(y) / Double(n) - 1.0))
      }
      return stride(from: 0, to: n, by: 8).map { start in
        pixels[start..<min(start + 8, n)].enumerated().reduce(UInt8(0)) { byte, pixel in
          pixel.element ? byte | 0x80 >> pixel.offset : byte
        }
      }
    }

    /// Whether z ← z² + c stays within |z| ≤ 2 for 50 iterations.
    static func isBounded(_ c: Complex) -> Bool {
      var z = Complex(re: 0, im: 0)
      for _ in 0..<50 {
        guard z.magnitudeSquared <= 4 else { return false }
        z = z * z + c
      }
      return z.magnitudeSquared <= 4
    }
  }

  struct Complex {
    var re: Double
    var im: Double

    var magnitudeSquared: Double { re * re + im * im }

    static func + (a: Complex, b: Complex) -> Complex {
      Complex(re: a.re + b.re, im: a.im + b.im)
    }

    /// Written so that squaring performs the Benchmarks Game's operations:
    /// re² − im² and 2·re·im (`a.re * b.im + a.im * b.re` is exactly `2·re·im`).
    static func * (a: Complex, b: Complex) -> Complex {
      Complex(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re)
    }
  }
}
