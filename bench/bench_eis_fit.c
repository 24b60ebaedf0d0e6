/*
 * bench_eis_fit.c - equivalent-circuit fits per second (the impedance issue's speed figure):
 * every spectrum of the shared data/eis (51 spectra: 45 GEIS loops of 9 points, and single
 * spectra of 15 to 107 points) fitted with R0-p(R1,CPE1)-p(R2,CPE2) from the default guess, as
 * `lmb eis fit` does; reading the files is timed apart.
 * Prints the median over RUNS of the time per pass and the fits per second.
 * Usage: bench_eis_fit [RUNS]   (default 5)
 */
#define _POSIX_C_SOURCE 200809L
#include "lmb/lmb.h"

#include "bench_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LMB_SHARED_DIR
#define LMB_SHARED_DIR "../shared"
#endif

#define MAX_FILES 64
#define MAX_RUNS  50

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 5;
    const char *dir = LMB_SHARED_DIR "/data/eis";
    lmb_ctx *ctx = NULL;
    lmb_circuit *c = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK ||
        lmb_circuit_parse(ctx, "R0-p(R1,CPE1)-p(R2,CPE2)", &c) != LMB_OK) {
        fprintf(stderr, "bench_eis_fit: %s\n", ctx ? lmb_ctx_errmsg(ctx) : "out of memory");
        return 1;
    }
    lmb_eis_data *data[MAX_FILES];
    size_t n_spectra = 0, n_points = 0;
    double t0 = lmb__now_s();
    int n_files =
        bench_load_eis_dir(ctx, "bench_eis_fit", dir, data, MAX_FILES, &n_spectra, &n_points);
    if (n_files < 0) {
        fprintf(stderr, "bench_eis_fit: %s: cannot open\n", dir);
        return 1;
    }
    double t_read = lmb__now_s() - t0;
    lmb_circuit_fit_options opt = lmb_circuit_fit_options_default();
    double t[MAX_RUNS];
    int failed = 0;
    for (int r = 0; r < runs; r++) {
        t0 = lmb__now_s();
        for (int k = 0; k < n_files; k++)
            for (size_t s = 0; s < lmb_eis_data_count(data[k]); s++) {
                lmb_circuit_fit_result res;
                if (lmb_circuit_fit(ctx, c, lmb_eis_data_f(data[k], s), lmb_eis_data_re(data[k], s),
                                    lmb_eis_data_im(data[k], s), lmb_eis_data_n(data[k], s), &opt,
                                    &res) != LMB_OK) {
                    failed++;
                    continue;
                }
                lmb_circuit_fit_result_free(&res);
            }
        t[r] = lmb__now_s() - t0;
    }
    double med = bench_median(t, runs);
    printf("bench_eis_fit: %d files, %zu spectra, %zu points (read in %.3f s); circuit %s\n",
           n_files, n_spectra, n_points, t_read, lmb_circuit_text(c));
    printf("  all fits: %.3f s (median of %d), %.0f fits/s, %d failed\n", med, runs,
           (double)n_spectra / med, failed / runs);
    for (int k = 0; k < n_files; k++)
        lmb_eis_data_free(data[k]);
    lmb_circuit_free(c);
    lmb_ctx_free(ctx);
    return 0;
}
