/* SPDX-License-Identifier: Apache-2.0 */
/** @file dp_compiler.h Compiler helpers shared by dynpool's public headers. */
#ifndef DP_COMPILER_H
#define DP_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define DP_LIKELY(x) __builtin_expect(!!(x), 1)
#define DP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define DP_ALWAYS_INLINE inline __attribute__((always_inline))
#define DP_COLD __attribute__((cold, noinline))
#else
#define DP_LIKELY(x) (x)
#define DP_UNLIKELY(x) (x)
#define DP_ALWAYS_INLINE inline
#define DP_COLD
#endif

/** Cache line size assumed for layout (x86-64 and most arm64). */
#define DP_CACHELINE 64

#endif /* DP_COMPILER_H */
