/*
 * study_internal.h - what the experiments of src/study/ share: the solver options of study runs,
 * a clock, and running a protocol where a solver failure is an outcome, not an error.
 */
#ifndef LMB_STUDY_STUDY_INTERNAL_H
#define LMB_STUDY_STUDY_INTERNAL_H

#include "lmb/lmb.h"

#include "core/clock.h"

#include <stddef.h>

/* The study runs use the sparse solver: half the time of the band
 * (bench/bench_lili_pair_600h), the same results. */
extern const lmb_sim_options lmb__study_options;

/* The status to report when a later step (closing a writer) has its own: the first error. */
static inline lmb_status lmb__study_first_error(lmb_status st, lmb_status later) {
    return st != LMB_OK ? st : later;
}

/*
 * lmb_protocol_run, with a solver failure kept as an outcome: its message goes to error (size
 * n; "" if none) and the status is LMB_OK, so that the metrics of what ran are kept. Any other
 * failure (writing, a bad protocol) is returned.
 */
lmb_status lmb__study_run(lmb_ctx *ctx, lmb_sim *sim, const lmb_protocol *proto,
                          const lmb_run_options *ro, lmb_summary *sum, lmb_run_result *res,
                          char *error, size_t n);

/* The solver statistics of a finished run into *steps and *res_evals, and with out_dir its
 * cycles.csv there. Returns the writer's status. */
lmb_status lmb__study_finish(lmb_ctx *ctx, const lmb_sim *sim, const lmb_summary *sum,
                             const char *out_dir, long *steps, long *res_evals);

#endif
