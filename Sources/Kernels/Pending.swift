// TEMPORARY (issue 12 in progress): kernels whose vector flavours and declared
// work are not written yet. Each entry moves into the kernel's own file when
// its vector flavours land; this file must be empty (deleted) before the
// issue is closed.

import KernelKit

private let pending = "vector flavours not written yet"

extension FannkuchRedux { var vectorNotApplicable: String? { pending } }
extension MatMul { var vectorNotApplicable: String? { pending } }
extension Triad { var vectorNotApplicable: String? { pending } }
extension Sieve { var vectorNotApplicable: String? { pending } }
extension BinaryTrees { var vectorNotApplicable: String? { pending } }
extension KNucleotide { var vectorNotApplicable: String? { pending } }
extension NQueens { var vectorNotApplicable: String? { pending } }
extension Latency { var vectorNotApplicable: String? { pending } }

extension FannkuchRedux { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
extension MatMul { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
extension Triad { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
extension Sieve { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
extension BinaryTrees { func work(size: Int) -> Work { Work(Double(size), .elements, "depth") } }
extension KNucleotide { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
extension NQueens { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
extension Latency { func work(size: Int) -> Work { Work(Double(size), .elements, "n") } }
