// The idiomatic flavour: what a good Swift programmer writes first.
//
// Arrays, value types, for-in, map/reduce, Dictionary and String where they
// are natural. No unsafe pointers, no wrapping arithmetic, no hand-hoisting the
// compiler is meant to do. Each kernel extends `Idiomatic` with a type that
// holds its input and output and computes its chunks.

/// Namespace for the idiomatic Swift flavour of every kernel.
public enum Idiomatic {}
