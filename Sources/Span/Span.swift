// The span flavour: the unsafe flavour's representation without its unsafety.
//
// Each kernel extends `Spans` with chunk functions that mirror the unsafe
// flavour's (`Unsafe.…`) one for one: the same flat storage, bit arrays,
// arenas and loops, the same wrapping arithmetic (`&+` where the unsafe
// flavour has it), but every access goes through `Span`, `MutableSpan` or
// `InlineArray`, whose subscripts check bounds. The module is compiled with
// strict memory safety (Package.swift), so an unsafe construct here is a
// warning, and the build is warning-free; a test also scans these sources.
//
// What the harness hands a chunk: read-only inputs as a `Span` over the
// whole input, and the chunk's own output as a `MutableSpan` over exactly
// its part (its rows, its bodies, its slice). Sharing one buffer between
// threads is the harness's business (Sources/Kernels), as it is for every
// flavour; inside a chunk an index outside its part traps.
//
// The step from here to `unsafe` is therefore the bounds checks the
// optimiser could not remove, and nothing else: `benchmark explain` and
// bench/span-checks.sh count them in the compiled code.

/// Namespace for the span flavour of every kernel.
public enum Spans {}
