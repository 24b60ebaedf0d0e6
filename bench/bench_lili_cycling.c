/*
 * bench_lili_cycling.c - 100 Li||Li cycles at 1 mA/cm2 with 1 h half cycles on 0.502 cm2.
 *
 * Prints the wall time (median of several runs), IDA steps, residual and Jacobian evaluations.
 * Usage: bench_lili_cycling [CELL] [RUNS]   (default li-li:bare, 5 runs)
 */
#define _POSIX_C_SOURCE 200809L
#include "lmb/lmb.h"

#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    const char *cell_name = argc > 1 ? argv[1] : "li-li:bare";
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1 || runs > 100)
        runs = 5;
    lmb_ctx *ctx = NULL;
    lmb_cell *cell = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK || lmb_cell_load(ctx, cell_name, &cell) != LMB_OK) {
        fprintf(stderr, "bench: %s\n", ctx ? lmb_ctx_errmsg(ctx) : "out of memory");
        return 1;
    }
    double wall[100];
    lmb_sim_stats stats = {0};
    size_t rows = 0;
    double v_end = 0.0;
    for (int r = 0; r < runs; r++) {
        lmb_sim *sim = NULL;
        lmb_sim_options opt = {0};
        if (lmb_sim_create(ctx, cell, &opt, &sim) != LMB_OK) {
            fprintf(stderr, "bench: %s\n", lmb_ctx_errmsg(ctx));
            return 1;
        }
        double I = 1e-3 * lmb_sim_area_m2(sim) * 1e4; /* 1 mA/cm2 [A] */
        double t0 = lmb__now_s();
        for (int c = 0; c < 100; c++)
            for (int h = 0; h < 2; h++) {
                lmb_step s = lmb_step_init();
                s.control = LMB_CONTROL_CURRENT;
                s.value = h ? I : -I;
                s.duration_s = 3600.0;
                s.new_cycle = h == 0;
                lmb_step_result res;
                if (lmb_sim_run_step(ctx, sim, &s, &res) != LMB_OK) {
                    fprintf(stderr, "bench: %s\n", lmb_ctx_errmsg(ctx));
                    return 1;
                }
                v_end = res.v_end;
            }
        wall[r] = lmb__now_s() - t0;
        lmb_sim_get_stats(sim, &stats);
        lmb_series s;
        lmb_sim_series(sim, &s);
        rows = s.n;
        lmb_sim_free(sim);
    }
    bench_median(wall, runs);
    printf("bench_lili_cycling: %s, 100 cycles x 2 x 1 h at 1 mA/cm2 on 0.502 cm2\n", cell_name);
    printf("  wall time       median %.4f s, min %.4f s, max %.4f s over %d runs\n", wall[runs / 2],
           wall[0], wall[runs - 1], runs);
    printf("  DAE             %d states, half-bandwidth %d\n", stats.n_states, stats.bandwidth);
    printf("  IDA steps       %ld\n", stats.steps);
    printf("  residual evals  %ld (including the difference-quotient Jacobian)\n", stats.res_evals);
    printf("  Jacobian evals  %ld\n", stats.jac_evals);
    printf("  Newton iters    %ld, error-test failures %ld, convergence failures %ld\n",
           stats.nonlin_iters, stats.err_test_fails, stats.conv_fails);
    printf("  recorded rows   %zu; final stripping voltage %.5f V\n", rows, v_end);
    lmb_cell_free(cell);
    lmb_ctx_free(ctx);
    return 0;
}
