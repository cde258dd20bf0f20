/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dynpool.h
 * dynpool: dynamic pools of fixed-size blocks carved from memory segments.
 *
 * Include this header for the whole native API (prefix dp_). The uC/LIB
 * compatibility API lives in <lib_mem.h>.
 */
#ifndef DYNPOOL_H
#define DYNPOOL_H

#include "dp_config.h"
#include "dp_err.h"
#include "dp_pktbuf.h"
#include "dp_pool.h"
#include "dp_seg.h"

#endif /* DYNPOOL_H */
