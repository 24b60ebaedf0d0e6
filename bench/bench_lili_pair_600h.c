/*
 * bench_lili_pair_600h.c - the degradation issue's speed figure: the study's Li||Li protocol
 * (protocols/li-li-1mA.txt: 1 mA/cm2, 1 mAh/cm2 per half cycle, until a short or 600 h) on the
 * bare and the coated preset, one after the other, on one core, no output written.
 *
 * Prints per preset and for the pair: wall time (median of RUNS), IDA steps, residual and
 * Jacobian evaluations, cycles and how the run ended.
 * Usage: bench_lili_pair_600h [PROTOCOL] [RUNS]   (default protocols/li-li-1mA.txt from the
 *        source tree, 3 runs)
 */
#define _POSIX_C_SOURCE 200809L
#include "lmb/lmb.h"

#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef LMB_SOURCE_DIR
#define LMB_SOURCE_DIR "."
#endif

int main(int argc, char **argv) {
    const char *proto_path = argc > 1 ? argv[1] : LMB_SOURCE_DIR "/protocols/li-li-1mA.txt";
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (runs < 1 || runs > 50)
        runs = 3;
    const char *cells[2] = {"li-li:bare", "li-li:cspbcl3-2mg"};
    lmb_ctx *ctx = NULL;
    lmb_protocol *proto = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK || lmb_protocol_load(ctx, proto_path, &proto) != LMB_OK) {
        fprintf(stderr, "bench: %s\n", ctx ? lmb_ctx_errmsg(ctx) : "out of memory");
        return 1;
    }
    printf("bench_lili_pair_600h: %s, median of %d runs\n", proto_path, runs);
    double total = 0.0;
    for (int c = 0; c < 2; c++) {
        double wall[50];
        lmb_sim_stats stats = {0};
        lmb_run_result res = {0};
        for (int r = 0; r < runs; r++) {
            lmb_cell *cell = NULL;
            lmb_sim *sim = NULL;
            lmb_sim_options opt = {.record_dt_s = 1e9}; /* record the step ends only */
            if (lmb_cell_load(ctx, cells[c], &cell) != LMB_OK ||
                lmb_sim_create(ctx, cell, &opt, &sim) != LMB_OK) {
                fprintf(stderr, "bench: %s\n", lmb_ctx_errmsg(ctx));
                return 1;
            }
            double t0 = bench_now_s();
            if (lmb_protocol_run(ctx, sim, proto, NULL, NULL, &res) != LMB_OK) {
                fprintf(stderr, "bench: %s\n", lmb_ctx_errmsg(ctx));
                return 1;
            }
            wall[r] = bench_now_s() - t0;
            lmb_sim_get_stats(sim, &stats);
            lmb_sim_free(sim);
            lmb_cell_free(cell);
        }
        bench_median(wall, runs);
        total += wall[runs / 2];
        printf("  %-18s %.3f s (min %.3f, max %.3f); %d cycles, %s after %.1f h; %ld IDA steps, "
               "%ld residual and %ld Jacobian evaluations\n",
               cells[c], wall[runs / 2], wall[0], wall[runs - 1], res.cycles,
               lmb_run_end_name(res.end), res.t_end_s / 3600.0, stats.steps, stats.res_evals,
               stats.jac_evals);
    }
    printf("  pair               %.3f s (sum of the medians)\n", total);
    lmb_protocol_free(proto);
    lmb_ctx_free(ctx);
    return 0;
}
