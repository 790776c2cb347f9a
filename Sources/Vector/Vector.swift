// The vector flavour: Swift written with the standard library's SIMD types.
//
// Each kernel extends `Vector` with chunk functions whose signatures match the
// C vector flavour's (`cv_…`) one for one: the same pointers, the same lane
// count, the same order of operations. Lanes are `SIMD8<Double>` (or the
// integer equivalent) unless a kernel says otherwise: eight doubles are one
// AVX-512 register, two AVX2 registers or four SSE2/NEON registers, so the
// source is the same everywhere and the target CPU decides how wide the
// machine code is.
//
// A note on what the baseline build pays: the standard library's
// floating-point SIMD operators are generic element loops that LLVM must
// re-vectorise after specialisation. Built for baseline x86-64 (SSE2) the
// result is often scalar or split into 128-bit halves; built with
// `-target-cpu native` it uses the machine's vector registers.

/// Namespace for the vector Swift flavour of every kernel that has one.
public enum Vector {}
