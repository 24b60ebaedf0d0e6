/*
 * bench_lili_pair_600h.c - the degradation issue's speed figure: the study's 600 h Li||Li pair
 * (protocols/li-li-1mA.txt on the bare and the coated preset, until a short or 600 h), one core,
 * no output written, with both linear solvers: band LU (the default of lmb_sim_create) and
 * sparse LU (KLU) with the coloured Jacobian (lmb_sim_options.sparse, what lmb reproduce uses).
 *
 * Prints per preset and solver: wall time (median of RUNS), IDA steps, residual evaluations
 * (those of the Jacobians included), Jacobian evaluations, the half-bandwidth (band: mu + ml + 1
 * residuals per Jacobian) or the number of colours (sparse: residuals per Jacobian), and the
 * largest difference of the step-start and step-end voltages of the two solvers.
 * Usage: bench_lili_pair_600h [PROTOCOL] [RUNS]   (default protocols/li-li-1mA.txt, 3 runs)
 */
#define _POSIX_C_SOURCE 200809L
#include "lmb/lmb.h"

#include "bench_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef LMB_SOURCE_DIR
#define LMB_SOURCE_DIR "."
#endif

typedef struct end_voltages {
    size_t n, cap;
    double *V;
} end_voltages;

/* Keeps the step-end voltages of the last run (the record holds the step starts and ends). */
static void keep_series(end_voltages *ev, const lmb_sim *sim) {
    lmb_series s;
    lmb_sim_series(sim, &s);
    free(ev->V);
    ev->V = malloc((s.n ? s.n : 1) * sizeof(double));
    ev->n = ev->V ? s.n : 0;
    if (ev->V)
        memcpy(ev->V, s.V, s.n * sizeof(double));
}

int main(int argc, char **argv) {
    const char *proto_path = argc > 1 ? argv[1] : LMB_SOURCE_DIR "/protocols/li-li-1mA.txt";
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (runs < 1 || runs > 50)
        runs = 3;
    const char *cells[2] = {"li-li:bare", "li-li:cspbcl3-2mg"};
    const char *solver[2] = {"band", "sparse"};
    lmb_ctx *ctx = NULL;
    lmb_protocol *proto = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK || lmb_protocol_load(ctx, proto_path, &proto) != LMB_OK) {
        fprintf(stderr, "bench: %s\n", ctx ? lmb_ctx_errmsg(ctx) : "out of memory");
        return 1;
    }
    printf("bench_lili_pair_600h: %s, median of %d runs\n", proto_path, runs);
    double total[2] = {0.0, 0.0};
    for (int c = 0; c < 2; c++) {
        end_voltages ev[2] = {{0, 0, NULL}, {0, 0, NULL}};
        for (int sp = 0; sp < 2; sp++) {
            double wall[50];
            lmb_sim_stats stats;
            lmb_run_result res;
            memset(&stats, 0, sizeof stats);
            memset(&res, 0, sizeof res);
            for (int r = 0; r < runs; r++) {
                lmb_cell *cell = NULL;
                lmb_sim *sim = NULL;
                /* record the step ends only; the stream is kept in the simulation (~2 rows per
                 * step) so that the two solvers' voltages can be compared */
                lmb_sim_options opt = {.record_dt_s = 1e9, .sparse = sp};
                if (lmb_cell_load(ctx, cells[c], &cell) != LMB_OK ||
                    lmb_sim_create(ctx, cell, &opt, &sim) != LMB_OK) {
                    fprintf(stderr, "bench: %s\n", lmb_ctx_errmsg(ctx));
                    return 1;
                }
                double t0 = lmb__now_s();
                if (lmb_protocol_run(ctx, sim, proto, NULL, NULL, &res) != LMB_OK) {
                    fprintf(stderr, "bench: %s\n", lmb_ctx_errmsg(ctx));
                    return 1;
                }
                wall[r] = lmb__now_s() - t0;
                lmb_sim_get_stats(sim, &stats);
                if (r == 0)
                    keep_series(&ev[sp], sim);
                lmb_sim_free(sim);
                lmb_cell_free(cell);
            }
            bench_median(wall, runs);
            total[sp] += wall[runs / 2];
            printf("  %-18s %-6s %.3f s (min %.3f, max %.3f); %d cycles, %s after %.1f h; %ld IDA "
                   "steps, %ld residual and %ld Jacobian evaluations; %s %d\n",
                   cells[c], solver[sp], wall[runs / 2], wall[0], wall[runs - 1], res.cycles,
                   lmb_run_end_name(res.end), res.t_end_s / 3600.0, stats.steps, stats.res_evals,
                   stats.jac_evals, sp ? "colours" : "half-bandwidth",
                   sp ? stats.colors : stats.bandwidth);
        }
        if (ev[0].n == ev[1].n) {
            double dv = 0.0;
            for (size_t k = 0; k < ev[0].n; k++)
                dv = fmax(dv, fabs(ev[0].V[k] - ev[1].V[k]));
            printf("  %-18s largest |V_band - V_sparse| over %zu step starts and ends: %.3g V\n",
                   cells[c], ev[0].n, dv);
        } else {
            printf("  %-18s the records differ in length (%zu band, %zu sparse rows)\n", cells[c],
                   ev[0].n, ev[1].n);
        }
        free(ev[0].V);
        free(ev[1].V);
    }
    printf("  pair               band %.3f s, sparse %.3f s (sums of the medians); sparse/band "
           "%.2f\n",
           total[0], total[1], total[1] / total[0]);
    lmb_protocol_free(proto);
    lmb_ctx_free(ctx);
    return 0;
}
