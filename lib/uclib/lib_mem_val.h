/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lib_mem_val.h
 * The MEM_VAL_* macros of uC/LIB's lib_mem.h (included by it; not meant to
 * be included alone): byte-order conversion of values, and reading,
 * writing and copying 8-, 16-, 24- and 32-bit values at any address,
 * aligned or not, in big-endian, little-endian or host order.
 *
 *  - MEM_VAL_{BIG,LITTLE}_TO_{LITTLE,BIG,HOST}_{16,32}(val),
 *    MEM_VAL_HOST_TO_{BIG,LITTLE}_{16,32}(val): convert a value. Constant
 *    expressions when val is one (case labels, static initialisers), as
 *    in uC/LIB; like uC/LIB's, they evaluate val more than once.
 *  - MEM_VAL_GET_INTxxU[_BIG|_LITTLE](addr): read the value stored at
 *    addr in that order (no suffix: host order). An expression.
 *  - MEM_VAL_SET_INTxxU[_BIG|_LITTLE](addr, val): store val at addr in
 *    that order. A statement.
 *  - MEM_VAL_COPY_GET_INTxxU[_BIG|_LITTLE](dest, src): src holds a value in
 *    that order; dest receives it in host order. MEM_VAL_COPY_SET_*(dest,
 *    src): src holds a host-order value; dest receives it in that order.
 *    Both are the same byte permutation, as in uC/LIB. The _INTU forms take
 *    the value size in bytes as a third argument.
 *  - MEM_VAL_COPY_08/16/24/32(dest, src), MEM_VAL_COPY(dest, src, size):
 *    copy bytes unchanged.
 *
 * Addresses may be any pointer (or CPU_ADDR) and are evaluated once;
 * values are converted to CPU_INT32U first, as in uC/LIB (bits above the
 * size are dropped).
 */
#ifndef DP_UCLIB_LIB_MEM_VAL_H
#define DP_UCLIB_LIB_MEM_VAL_H

/* Micrium code is often built as C89/gnu89: spell inline so it parses. */
#if defined(__GNUC__) || defined(__clang__)
#define DP_UCLIB_INLINE static __inline__
#else
#define DP_UCLIB_INLINE static inline
#endif

#if CPU_CFG_ENDIAN_TYPE == CPU_ENDIAN_TYPE_BIG
#define DP_UCLIB_HOST_BIG 1
#elif CPU_CFG_ENDIAN_TYPE == CPU_ENDIAN_TYPE_LITTLE
#define DP_UCLIB_HOST_BIG 0
#else
#error "CPU_CFG_ENDIAN_TYPE must be CPU_ENDIAN_TYPE_BIG or CPU_ENDIAN_TYPE_LITTLE"
#endif

/* Read n bytes (1 to 4) at p as a number, most significant byte first when
 * big is non-zero. */
DP_UCLIB_INLINE CPU_INT32U
dp_uclib_val_get(const volatile void *addr, unsigned int n, int big)
{
	const CPU_INT08U *p = (const CPU_INT08U *)(const void *)addr;
	CPU_INT32U v = 0u;
	unsigned int i;

	for (i = 0u; i < n; i++)
		v |= (CPU_INT32U)p[big ? i : n - 1u - i] << (8u * (n - 1u - i));
	return v;
}

/* Store the low n bytes of v at p, most significant first when big. */
DP_UCLIB_INLINE void
dp_uclib_val_set(volatile void *addr, CPU_INT32U v, unsigned int n, int big)
{
	CPU_INT08U *p = (CPU_INT08U *)(void *)addr;
	unsigned int i;

	for (i = 0u; i < n; i++)
		p[big ? n - 1u - i : i] = (CPU_INT08U)(v >> (8u * i));
}

/* Copy n bytes, reversed when the stored order differs from the host's. */
DP_UCLIB_INLINE void
dp_uclib_val_copy(volatile void *dest, const volatile void *src, CPU_SIZE_T n, int reverse)
{
	CPU_INT08U *d = (CPU_INT08U *)(void *)dest;
	const CPU_INT08U *s = (const CPU_INT08U *)(const void *)src;
	CPU_SIZE_T i;

	for (i = 0u; i < n; i++)
		d[i] = s[reverse ? n - 1u - i : i];
}

/* Byte-order conversion of values: plain expressions, not functions, so
 * that they stay constant expressions (case labels, static initialisers),
 * as in uC/LIB. Like uC/LIB's, they evaluate val more than once. */
#define DP_UCLIB_SWAP16(val) \
	((CPU_INT16U)((((CPU_INT16U)(val) & 0xFF00u) >> 8) | (((CPU_INT16U)(val) & 0x00FFu) << 8)))
#define DP_UCLIB_SWAP32(val) \
	((CPU_INT32U)((((CPU_INT32U)(val) & 0xFF000000u) >> 24) | \
		      (((CPU_INT32U)(val) & 0x00FF0000u) >> 8) | \
		      (((CPU_INT32U)(val) & 0x0000FF00u) << 8) | \
		      (((CPU_INT32U)(val) & 0x000000FFu) << 24)))
#define MEM_VAL_BIG_TO_LITTLE_16(val) DP_UCLIB_SWAP16(val)
#define MEM_VAL_BIG_TO_LITTLE_32(val) DP_UCLIB_SWAP32(val)
#define MEM_VAL_LITTLE_TO_BIG_16(val) DP_UCLIB_SWAP16(val)
#define MEM_VAL_LITTLE_TO_BIG_32(val) DP_UCLIB_SWAP32(val)
#if DP_UCLIB_HOST_BIG
#define MEM_VAL_BIG_TO_HOST_16(val) ((CPU_INT16U)(val))
#define MEM_VAL_BIG_TO_HOST_32(val) ((CPU_INT32U)(val))
#define MEM_VAL_LITTLE_TO_HOST_16(val) DP_UCLIB_SWAP16(val)
#define MEM_VAL_LITTLE_TO_HOST_32(val) DP_UCLIB_SWAP32(val)
#else
#define MEM_VAL_BIG_TO_HOST_16(val) DP_UCLIB_SWAP16(val)
#define MEM_VAL_BIG_TO_HOST_32(val) DP_UCLIB_SWAP32(val)
#define MEM_VAL_LITTLE_TO_HOST_16(val) ((CPU_INT16U)(val))
#define MEM_VAL_LITTLE_TO_HOST_32(val) ((CPU_INT32U)(val))
#endif
#define MEM_VAL_HOST_TO_BIG_16(val) MEM_VAL_BIG_TO_HOST_16(val)
#define MEM_VAL_HOST_TO_BIG_32(val) MEM_VAL_BIG_TO_HOST_32(val)
#define MEM_VAL_HOST_TO_LITTLE_16(val) MEM_VAL_LITTLE_TO_HOST_16(val)
#define MEM_VAL_HOST_TO_LITTLE_32(val) MEM_VAL_LITTLE_TO_HOST_32(val)

/* Read a value stored in a given order. */
#define MEM_VAL_GET_INT08U_BIG(addr) ((CPU_INT08U)dp_uclib_val_get((const volatile void *)(addr), 1u, 1))
#define MEM_VAL_GET_INT16U_BIG(addr) ((CPU_INT16U)dp_uclib_val_get((const volatile void *)(addr), 2u, 1))
#define MEM_VAL_GET_INT24U_BIG(addr) ((CPU_INT32U)dp_uclib_val_get((const volatile void *)(addr), 3u, 1))
#define MEM_VAL_GET_INT32U_BIG(addr) ((CPU_INT32U)dp_uclib_val_get((const volatile void *)(addr), 4u, 1))
#define MEM_VAL_GET_INT08U_LITTLE(addr) ((CPU_INT08U)dp_uclib_val_get((const volatile void *)(addr), 1u, 0))
#define MEM_VAL_GET_INT16U_LITTLE(addr) ((CPU_INT16U)dp_uclib_val_get((const volatile void *)(addr), 2u, 0))
#define MEM_VAL_GET_INT24U_LITTLE(addr) ((CPU_INT32U)dp_uclib_val_get((const volatile void *)(addr), 3u, 0))
#define MEM_VAL_GET_INT32U_LITTLE(addr) ((CPU_INT32U)dp_uclib_val_get((const volatile void *)(addr), 4u, 0))
#define MEM_VAL_GET_INT08U(addr) ((CPU_INT08U)dp_uclib_val_get((const volatile void *)(addr), 1u, DP_UCLIB_HOST_BIG))
#define MEM_VAL_GET_INT16U(addr) ((CPU_INT16U)dp_uclib_val_get((const volatile void *)(addr), 2u, DP_UCLIB_HOST_BIG))
#define MEM_VAL_GET_INT24U(addr) ((CPU_INT32U)dp_uclib_val_get((const volatile void *)(addr), 3u, DP_UCLIB_HOST_BIG))
#define MEM_VAL_GET_INT32U(addr) ((CPU_INT32U)dp_uclib_val_get((const volatile void *)(addr), 4u, DP_UCLIB_HOST_BIG))

/* Store a value in a given order. */
#define MEM_VAL_SET_INT08U_BIG(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 1u, 1)
#define MEM_VAL_SET_INT16U_BIG(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 2u, 1)
#define MEM_VAL_SET_INT24U_BIG(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 3u, 1)
#define MEM_VAL_SET_INT32U_BIG(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 4u, 1)
#define MEM_VAL_SET_INT08U_LITTLE(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 1u, 0)
#define MEM_VAL_SET_INT16U_LITTLE(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 2u, 0)
#define MEM_VAL_SET_INT24U_LITTLE(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 3u, 0)
#define MEM_VAL_SET_INT32U_LITTLE(addr, val) dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 4u, 0)
#define MEM_VAL_SET_INT08U(addr, val) \
	dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 1u, DP_UCLIB_HOST_BIG)
#define MEM_VAL_SET_INT16U(addr, val) \
	dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 2u, DP_UCLIB_HOST_BIG)
#define MEM_VAL_SET_INT24U(addr, val) \
	dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 3u, DP_UCLIB_HOST_BIG)
#define MEM_VAL_SET_INT32U(addr, val) \
	dp_uclib_val_set((volatile void *)(addr), (CPU_INT32U)(val), 4u, DP_UCLIB_HOST_BIG)

/* Copy a value between its stored order and host order (one permutation
 * serves both directions). */
#define MEM_VAL_COPY_GET_INTU_BIG(addr_dest, addr_src, val_size) \
	dp_uclib_val_copy((volatile void *)(addr_dest), (const volatile void *)(addr_src), (CPU_SIZE_T)(val_size), !DP_UCLIB_HOST_BIG)
#define MEM_VAL_COPY_GET_INTU_LITTLE(addr_dest, addr_src, val_size) \
	dp_uclib_val_copy((volatile void *)(addr_dest), (const volatile void *)(addr_src), (CPU_SIZE_T)(val_size), DP_UCLIB_HOST_BIG)
#define MEM_VAL_COPY_GET_INTU(addr_dest, addr_src, val_size) \
	dp_uclib_val_copy((volatile void *)(addr_dest), (const volatile void *)(addr_src), (CPU_SIZE_T)(val_size), 0)
#define MEM_VAL_COPY_GET_INT08U_BIG(d, s) MEM_VAL_COPY_GET_INTU_BIG(d, s, 1u)
#define MEM_VAL_COPY_GET_INT16U_BIG(d, s) MEM_VAL_COPY_GET_INTU_BIG(d, s, 2u)
#define MEM_VAL_COPY_GET_INT24U_BIG(d, s) MEM_VAL_COPY_GET_INTU_BIG(d, s, 3u)
#define MEM_VAL_COPY_GET_INT32U_BIG(d, s) MEM_VAL_COPY_GET_INTU_BIG(d, s, 4u)
#define MEM_VAL_COPY_GET_INT08U_LITTLE(d, s) MEM_VAL_COPY_GET_INTU_LITTLE(d, s, 1u)
#define MEM_VAL_COPY_GET_INT16U_LITTLE(d, s) MEM_VAL_COPY_GET_INTU_LITTLE(d, s, 2u)
#define MEM_VAL_COPY_GET_INT24U_LITTLE(d, s) MEM_VAL_COPY_GET_INTU_LITTLE(d, s, 3u)
#define MEM_VAL_COPY_GET_INT32U_LITTLE(d, s) MEM_VAL_COPY_GET_INTU_LITTLE(d, s, 4u)
#define MEM_VAL_COPY_GET_INT08U(d, s) MEM_VAL_COPY_GET_INTU(d, s, 1u)
#define MEM_VAL_COPY_GET_INT16U(d, s) MEM_VAL_COPY_GET_INTU(d, s, 2u)
#define MEM_VAL_COPY_GET_INT24U(d, s) MEM_VAL_COPY_GET_INTU(d, s, 3u)
#define MEM_VAL_COPY_GET_INT32U(d, s) MEM_VAL_COPY_GET_INTU(d, s, 4u)

#define MEM_VAL_COPY_SET_INTU_BIG(d, s, val_size) MEM_VAL_COPY_GET_INTU_BIG(d, s, val_size)
#define MEM_VAL_COPY_SET_INTU_LITTLE(d, s, val_size) MEM_VAL_COPY_GET_INTU_LITTLE(d, s, val_size)
#define MEM_VAL_COPY_SET_INTU(d, s, val_size) MEM_VAL_COPY_GET_INTU(d, s, val_size)
#define MEM_VAL_COPY_SET_INT08U_BIG(d, s) MEM_VAL_COPY_GET_INT08U_BIG(d, s)
#define MEM_VAL_COPY_SET_INT16U_BIG(d, s) MEM_VAL_COPY_GET_INT16U_BIG(d, s)
#define MEM_VAL_COPY_SET_INT24U_BIG(d, s) MEM_VAL_COPY_GET_INT24U_BIG(d, s)
#define MEM_VAL_COPY_SET_INT32U_BIG(d, s) MEM_VAL_COPY_GET_INT32U_BIG(d, s)
#define MEM_VAL_COPY_SET_INT08U_LITTLE(d, s) MEM_VAL_COPY_GET_INT08U_LITTLE(d, s)
#define MEM_VAL_COPY_SET_INT16U_LITTLE(d, s) MEM_VAL_COPY_GET_INT16U_LITTLE(d, s)
#define MEM_VAL_COPY_SET_INT24U_LITTLE(d, s) MEM_VAL_COPY_GET_INT24U_LITTLE(d, s)
#define MEM_VAL_COPY_SET_INT32U_LITTLE(d, s) MEM_VAL_COPY_GET_INT32U_LITTLE(d, s)
#define MEM_VAL_COPY_SET_INT08U(d, s) MEM_VAL_COPY_GET_INT08U(d, s)
#define MEM_VAL_COPY_SET_INT16U(d, s) MEM_VAL_COPY_GET_INT16U(d, s)
#define MEM_VAL_COPY_SET_INT24U(d, s) MEM_VAL_COPY_GET_INT24U(d, s)
#define MEM_VAL_COPY_SET_INT32U(d, s) MEM_VAL_COPY_GET_INT32U(d, s)

/* Plain byte copies. */
#define MEM_VAL_COPY_08(d, s) dp_uclib_val_copy((volatile void *)(d), (const volatile void *)(s), 1u, 0)
#define MEM_VAL_COPY_16(d, s) dp_uclib_val_copy((volatile void *)(d), (const volatile void *)(s), 2u, 0)
#define MEM_VAL_COPY_24(d, s) dp_uclib_val_copy((volatile void *)(d), (const volatile void *)(s), 3u, 0)
#define MEM_VAL_COPY_32(d, s) dp_uclib_val_copy((volatile void *)(d), (const volatile void *)(s), 4u, 0)
#define MEM_VAL_COPY(d, s, size) dp_uclib_val_copy((volatile void *)(d), (const volatile void *)(s), (CPU_SIZE_T)(size), 0)

#endif /* DP_UCLIB_LIB_MEM_VAL_H */
