/*
 * lmb/lmb.h - the whole public API of liblmb.
 *
 * lmb simulates lithium-metal battery cells (bare Li and Li protected by an artificial SEI),
 * runs laboratory protocols on them and analyses real cycler and impedance data. Everything is
 * SI inside; see lmb/units.h for the lab units accepted at the edges.
 *
 * Sign convention (Battery Data Format): a positive current charges the cell. It flows into the
 * positive terminal; for Li||Li and Li||Cu the positive terminal is the working electrode, so a
 * positive current strips the working electrode and plates the counter electrode.
 */
#ifndef LMB_LMB_H
#define LMB_LMB_H

#include "lmb/status.h"
#include "lmb/ctx.h"
#include "lmb/units.h"
#include "lmb/cell.h"
#include "lmb/sim.h"
#include "lmb/summary.h"
#include "lmb/protocol.h"
#include "lmb/run.h"
#include "lmb/eis.h"
#include "lmb/eis_data.h"
#include "lmb/symmetric.h"
#include "lmb/adams.h"
#include "lmb/circuit.h"
#include "lmb/kk.h"
#include "lmb/drt.h"
#include "lmb/record.h"
#include "lmb/analyze.h"
#include "lmb/sweep.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "MAJOR.MINOR.PATCH" */
const char *lmb_version(void);

#ifdef __cplusplus
}
#endif
#endif
