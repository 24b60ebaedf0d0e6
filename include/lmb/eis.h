/*
 * lmb/eis.h - metrics of impedance spectra, measured or simulated.
 *
 * The study reads its spectra without fitting (Juhi et al. 2025; SPEC.md section 1): R_SEI is the
 * width of the high-frequency arc, the difference of the real parts at its start and at its end.
 * lmb applies the same reading to every spectrum, simulated (lmb_sim_impedance, eis.csv) or
 * measured, so that the two are compared like for like.
 */
#ifndef LMB_EIS_H
#define LMB_EIS_H

#include <stddef.h>

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The arc reading of one spectrum (all in ohm):
 *   R_hf     Z' where the high-frequency arc starts: where -Z'' crosses zero nearest above the
 *            apex (interpolated; an inductive tail lies beyond it), else the point of smallest
 *            -Z'' above the apex
 *   R_SEI    Z'(arc end) - Z'(arc start): the width of the high-frequency arc; its end is the
 *            first minimum of -Z'' below the apex (where the next feature begins), or the lowest
 *            frequency if there is none
 *   R_diff   Z'(lowest frequency) - Z'(arc end): what the low-frequency features add (the
 *            diffusion part of the study), 0 if the arc ends at the lowest frequency
 *   R_total  Z'(lowest frequency) - R_hf: R_SEI + R_diff
 *   f_apex   frequency of the arc's -Z'' maximum [Hz]
 */
typedef struct lmb_arc_metrics {
    double R_hf, R_SEI, R_diff, R_total;
    double f_apex_Hz;
    int end_found; /* 1: the arc ends at a -Z'' minimum; 0: no minimum, the arc was taken to the
                      lowest frequency (overlapping features are then merged into R_SEI) */
    size_t i_start, i_apex, i_end; /* indices into the spectrum as given */
} lmb_arc_metrics;

/*
 * Reads the arc metrics of a spectrum of n >= 3 points in any frequency order (Z_im < 0 for
 * capacitive behaviour, the physics sign). A local extremum of -Z'' counts only if it stands out
 * by more than 0.5 % of the spectrum's largest -Z'' (so that noise does not end an arc).
 * Statuses: LMB_OK; LMB_EINVAL (fewer than 3 points, a frequency <= 0 or a non-finite value);
 * LMB_ENOTFOUND (no capacitive arc: -Z'' never rises above that threshold).
 */
lmb_status lmb_eis_arc_metrics(lmb_ctx *ctx, const double *f_Hz, const double *Z_re,
                               const double *Z_im, size_t n, lmb_arc_metrics *out);

#ifdef __cplusplus
}
#endif
#endif
