/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file cpu_core.h
 * Standalone mode only: the uC/CPU core items µC/LIB client code uses,
 * CPU_SW_EXCEPTION() and CPU_VAL_UNUSED()/CPU_VAL_IGNORED().
 *
 * CPU_SW_EXCEPTION() marks a state the code cannot recover from. uC-CPU
 * spins forever there; a host process is better served by a report and a
 * core dump, so this one prints the file and line to stderr and calls
 * abort(). Define CPU_SW_EXCEPTION before including this header to
 * change that (uC-CPU allows the same).
 *
 * Beside the real uC-CPU this directory is not on the include path; the
 * guard is uC-CPU's own, so a real cpu_core.h included first wins.
 */
#ifndef CPU_CORE_MODULE_PRESENT
#define CPU_CORE_MODULE_PRESENT

#include "cpu.h"
#include "lib_def.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Report an unrecoverable software exception at @p file:@p line and abort(). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noreturn))
#endif
void dp_uclib_sw_exception(const char *file, int line);

/** Trap: never returns, so @p err_rtn_val (uC-CPU's "value to return") is unused. */
#ifndef CPU_SW_EXCEPTION
#define CPU_SW_EXCEPTION(err_rtn_val) do { dp_uclib_sw_exception(__FILE__, __LINE__); } while (0)
#endif

#define CPU_VAL_UNUSED(val) ((void)&(val))
#define CPU_VAL_IGNORED(val) CPU_VAL_UNUSED(val)

#ifdef __cplusplus
}
#endif

#endif /* CPU_CORE_MODULE_PRESENT */
