// A list of kernels in the order reports list them, looked up by name.

/// Kernels in ladder order: the harness's one view of which kernels exist.
///
/// The measuring and results code takes a catalogue from its caller rather
/// than knowing the kernels itself; `Kernels.catalogue` is the standard one.
/// Its order is the order every output lists kernels in (`benchmark list`'s).
public struct KernelCatalogue: RandomAccessCollection, Sendable {
  public let kernels: [any Kernel]

  public init(_ kernels: [any Kernel]) { self.kernels = kernels }

  public var startIndex: Int { kernels.startIndex }
  public var endIndex: Int { kernels.endIndex }
  public subscript(position: Int) -> any Kernel { kernels[position] }

  /// The kernel called `name`, if any.
  public func kernel(named name: String) -> (any Kernel)? {
    kernels.first { $0.name == name }
  }

  /// `name`'s place in the catalogue; a name not in it comes after every kernel.
  public func rank(of name: String) -> Int {
    kernels.firstIndex { $0.name == name } ?? kernels.count
  }

  /// Every kernel's name, for error messages: "mandelbrot, nbody, …".
  public var validNames: String { kernels.map(\.name).joined(separator: ", ") }
}
