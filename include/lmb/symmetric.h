/*
 * lmb/symmetric.h - metrics of a symmetric (Li||Li) cycling record, simulated or measured.
 *
 * Definitions (the same for a simulation and for a cycler file, from the per-cycle summary):
 *   overpotential of a cycle   (|E_plate| + |E_strip|) / (Q_plate + Q_strip): the charge-weighted
 *                              mean of |V| over the cycle's two half cycles [V]
 *   initial overpotential      that of cycle 1
 *   rise onset                 the end time of the first cycle whose overpotential exceeds the
 *                              smallest overpotential of the cycles before it by more than the
 *                              rise fraction (the study's "rises after ~170 h"); NaN if none.
 *                              Rise and short compare eta / |I| (the cycle's mean current) when
 *                              every cycle's current is known, so that a change of current (a
 *                              rate test) is neither; at one current this is eta itself
 *   last overpotential         that of the last cycle with both half cycles complete
 *   short                      the first cycle whose overpotential falls below the short
 *                              fraction of the smallest overpotential of the cycles before it:
 *                              current that bypasses the interfaces (a dendrite bridging the
 *                              separator, or the model's short) collapses |V|; a cycle mostly
 *                              before the short still counts as before it
 */
#ifndef LMB_SYMMETRIC_H
#define LMB_SYMMETRIC_H

#include "lmb/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fraction by which the overpotential must exceed its running minimum to count as a rise. */
#define LMB_SYMMETRIC_RISE_FRACTION 0.10

/* A cycle whose overpotential is below this fraction of the running minimum is a short. */
#define LMB_SYMMETRIC_SHORT_FRACTION 0.5

/* Overpotential of one cycle [V]; NaN if either half cycle passed no charge. */
double lmb_cycle_overpotential(const lmb_cycle_row *r);

typedef struct lmb_symmetric_metrics {
    int cycles;           /* cycles with both half cycles */
    double eta_initial_V; /* [V] cycle 1 */
    double eta_min_V;     /* [V] smallest over the cycles */
    double eta_last_V;    /* [V] last complete cycle */
    double t_last_s;      /* [s] end of the last complete cycle */
    double rise_onset_s;  /* [s] end of the first cycle that rose; NaN if none */
    int rise_cycle;       /* that cycle, 0 if none */
    double short_s;       /* [s] end of the first cycle that shorted; NaN if none */
    int short_cycle;      /* that cycle, 0 if none */
} lmb_symmetric_metrics;

/* Sets every metric to "undefined": counts 0, values NaN. */
void lmb_symmetric_metrics_clear(lmb_symmetric_metrics *m);

/* Computes the metrics with the given rise fraction (> 0). Statuses: LMB_OK, LMB_EINVAL (NULL
 * argument or rise fraction <= 0), LMB_ENOTFOUND (no complete cycle). */
lmb_status lmb_symmetric_metrics_compute(lmb_ctx *ctx, const lmb_summary *s, double rise_fraction,
                                         lmb_symmetric_metrics *out);

#ifdef __cplusplus
}
#endif

#endif
