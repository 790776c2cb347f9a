// The unsafe flavour: the fastest Swift we can write.
//
// Each kernel extends `Unsafe` with chunk functions whose signatures match the
// C flavour's (`ck_…`) one for one: the same pointers, the same layout. The
// kernel definitions drive both through one shared driver, so unsafe Swift and
// C differ only in the language the chunk is written in.

/// Namespace for the unsafe Swift flavour of every kernel.
public enum Unsafe {}
