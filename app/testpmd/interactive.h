/* SPDX-License-Identifier: Apache-2.0 */
#ifndef TP_INTERACTIVE_H
#define TP_INTERACTIVE_H

#include "fwd.h"

/* Run the command line until "quit", end of input, or a signal (the
 * handler is installed without SA_RESTART, so the blocked read returns). */
int tp_interactive(struct tp_fwd *f);

#endif /* TP_INTERACTIVE_H */
