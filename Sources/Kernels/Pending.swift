// TEMPORARY (issue 12 in progress): kernels whose vector flavours and declared
// work are not written yet. Each entry moves into the kernel's own file when
// its vector flavours land; this file must be empty (deleted) before the
// issue is closed.

import KernelKit

private let pending = "vector flavours not written yet"

extension Mandelbrot { var vectorNotApplicable: String? { pending } }
extension NBody { var vectorNotApplicable: String? { pending } }
extension SpectralNorm { var vectorNotApplicable: String? { pending } }

extension Mandelbrot { func work(size: Int) -> Work { Work(Double(size * size), .elements, "pixels") } }
extension NBody { func work(size: Int) -> Work { Work(Double(size), .elements, "bodies") } }
extension SpectralNorm { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
