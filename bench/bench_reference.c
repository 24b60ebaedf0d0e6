/*
 * bench_reference.c - the reference case li-licoo2:reference (docs/reference-case.md) under its
 * five protocols: the discharges at 0.1C, 0.5C, 1C and 2C to 3.8 V and the 49 cycles of
 * 50-minute legs at 1C, each run as `lmb run` runs it (the built-in protocol through the
 * cycler engine, the record kept in memory).
 *
 * Prints per protocol the wall time (median of RUNS runs, simulation created and freed inside
 * the timing), IDA steps, residual and Jacobian evaluations, the capacity of the first
 * discharge and the simulated time. The linear solver is the one `lmb run` uses (band LU);
 * with "sparse" as the second argument, KLU (the sweep and study solver).
 * Usage: bench_reference [RUNS] [sparse]   (default 5 runs)
 */
#define _POSIX_C_SOURCE 200809L
#include "lmb/lmb.h"

#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const k_protocols[] = {
    "protocol:reference/discharge-0.1c", "protocol:reference/discharge-0.5c",
    "protocol:reference/discharge-1c",   "protocol:reference/discharge-2c",
    "protocol:reference/cycles-49",
};

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    if (runs < 1 || runs > 100)
        runs = 5;
    int sparse = argc > 2 && strcmp(argv[2], "sparse") == 0;
    lmb_ctx *ctx = NULL;
    lmb_cell *cell = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK ||
        lmb_cell_load(ctx, "li-licoo2:reference", &cell) != LMB_OK) {
        fprintf(stderr, "bench_reference: %s\n", ctx ? lmb_ctx_errmsg(ctx) : "out of memory");
        return 1;
    }
    printf("li-licoo2:reference, %s, median of %d runs\n\n", sparse ? "KLU" : "band LU", runs);
    printf("%-36s %9s %7s %9s %6s %8s %11s %10s\n", "protocol", "wall ms", "steps", "residuals",
           "jacs", "states", "1st mAh/cm2", "simulated");
    for (size_t k = 0; k < sizeof k_protocols / sizeof k_protocols[0]; k++) {
        lmb_protocol *prot = NULL;
        if (lmb_protocol_load(ctx, k_protocols[k], &prot) != LMB_OK) {
            fprintf(stderr, "bench_reference: %s\n", lmb_ctx_errmsg(ctx));
            return 1;
        }
        double wall[100];
        lmb_sim_stats st = {0};
        double q1 = 0.0, t_end = 0.0;
        for (int r = 0; r < runs; r++) {
            lmb_sim *sim = NULL;
            lmb_sim_options opt = {.sparse = sparse};
            lmb_summary *sum = NULL;
            double t0 = lmb__now_s();
            lmb_run_options ro = {0};
            lmb_run_result res;
            if (lmb_sim_create(ctx, cell, &opt, &sim) != LMB_OK ||
                lmb_summary_create(ctx, &sum) != LMB_OK ||
                lmb_protocol_run(ctx, sim, prot, &ro, sum, &res) != LMB_OK) {
                fprintf(stderr, "bench_reference: %s: %s\n", k_protocols[k], lmb_ctx_errmsg(ctx));
                return 1;
            }
            wall[r] = lmb__now_s() - t0;
            lmb_sim_get_stats(sim, &st);
            const lmb_cycle_row *c =
                lmb_summary_cycle_count(sum) > 0 ? lmb_summary_cycle(sum, 0) : NULL;
            if (c)
                q1 = c->discharge_C / 3.6 / (lmb_sim_area_m2(sim) * 1e4);
            t_end = res.t_end_s;
            lmb_summary_free(sum);
            lmb_sim_free(sim);
        }
        char sim_t[32];
        snprintf(sim_t, sizeof sim_t, "%.2f h", t_end / 3600.0);
        printf("%-36s %9.1f %7ld %9ld %6ld %8d %11.4f %10s\n", k_protocols[k],
               1e3 * bench_median(wall, runs), st.steps, st.res_evals, st.jac_evals, st.n_states,
               q1, sim_t);
        lmb_protocol_free(prot);
    }
    lmb_cell_free(cell);
    lmb_ctx_free(ctx);
    return 0;
}
