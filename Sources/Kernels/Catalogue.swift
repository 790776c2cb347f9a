// The catalogue: every kernel the harness knows, in ladder order.
//
// Adding a kernel: write its flavours (Sources/Idiomatic/NAME.swift,
// Sources/Span/NAME.swift with its adapter in Kernels/SpanFlavour.swift,
// Sources/Unsafe/NAME.swift, CSources/CKernels/name.c plus its declaration in
// CKernels.h), its definition (Sources/Kernels/NAME.swift), and register it here.

import KernelKit

/// All kernels, in the order reports list them.
public let catalogue = KernelCatalogue([
  Mandelbrot(),
  NBody(),
  SpectralNorm(),
  FannkuchRedux(),
  MatMul(),
  Triad(),
  Sieve(),
  BinaryTrees(),
  KNucleotide(),
  NQueens(),
  Latency(),  // I/O-bound: not in the default run (see `isIOBound`)
])

/// The kernel called `name`, if any.
public func kernel(named name: String) -> (any Kernel)? { catalogue.kernel(named: name) }

/// The CPU-bound kernels the concurrency lessons (`benchmark concurrency`, the
/// CPython threads-or-processes comparison) prefer, in order: chunked like the
/// Swift flavours, no shared state between chunks, cheap partial results.
public let lessonKernels: [any IndependentChunks] = [Mandelbrot(), NQueens()]

/// The I/O-bound kernel of the concurrency lessons: chunks that wait.
public let ioLessonKernel: any IndependentChunks = Latency()
