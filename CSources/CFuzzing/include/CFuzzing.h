/*
 * CFuzzing: libFuzzer's entry point for programs that keep their own main,
 * declared for Swift. Only the fuzzing build (bench/FUZZING.md) links
 * libFuzzer and calls it; the normal build never refers to it.
 */
#ifndef CFUZZING_H
#define CFUZZING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Runs libFuzzer's driver (its command-line flags in argv) on `callback`.
/// Defined in the toolchain's libclang_rt.fuzzer, linked by `-sanitize=fuzzer`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#ifdef __cplusplus
}
#endif

#endif
