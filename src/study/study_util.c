/*
 * study_util.c - the helpers of study_internal.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "study/study_internal.h"

#include <stdio.h>
#include <string.h>

const lmb_sim_options lmb__study_options = {.sparse = 1};

lmb_status lmb__study_run(lmb_ctx *ctx, lmb_sim *sim, const lmb_protocol *proto,
                          const lmb_run_options *ro, lmb_summary *sum, lmb_run_result *res,
                          char *error, size_t n) {
    if (n > 0)
        error[0] = '\0';
    lmb_status st = lmb_protocol_run(ctx, sim, proto, ro, sum, res);
    if (st == LMB_ESOLVER) {
        if (n > 0)
            snprintf(error, n, "%s", lmb_ctx_errmsg(ctx));
        return LMB_OK;
    }
    return st;
}

lmb_status lmb__study_finish(lmb_ctx *ctx, const lmb_sim *sim, const lmb_summary *sum,
                             const char *out_dir, long *steps, long *res_evals) {
    lmb_sim_stats stats;
    lmb_sim_get_stats(sim, &stats);
    *steps = stats.steps;
    *res_evals = stats.res_evals;
    if (!out_dir)
        return LMB_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/cycles.csv", out_dir);
    return lmb_summary_write_csv(ctx, sum, path);
}
