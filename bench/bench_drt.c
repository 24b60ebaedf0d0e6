/*
 * bench_drt.c - DRTs per second (lmb/drt.h): every spectrum of ../shared/data/eis (the .mpr,
 * .mpt, .txt and .csv files, read by lmb_eis_data_load; reading is timed apart) analysed with
 * the default options: one Gaussian per measured frequency, lambda by GCV over 1e-6..1 (5 per
 * decade, then golden section), second-derivative penalty, L >= 0.
 * Prints, per file, the first spectrum's DRT (a sanity check), then the median over RUNS of the
 * time per pass over all spectra and the DRTs per second.
 * Usage: bench_drt [RUNS]   (default 5)
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
    if (lmb_ctx_create(&ctx) != LMB_OK) {
        fprintf(stderr, "bench_drt: out of memory\n");
        return 1;
    }
    lmb_eis_data *data[MAX_FILES];
    size_t n_spectra = 0, n_points = 0;
    double t0 = lmb__now_s();
    int n_files = bench_load_eis_dir(ctx, "bench_drt", dir, data, MAX_FILES, &n_spectra, &n_points);
    if (n_files < 0) {
        fprintf(stderr, "bench_drt: %s: cannot open\n", dir);
        return 1;
    }
    double t_read = lmb__now_s() - t0;
    lmb_drt_options opt = lmb_drt_options_default();
    printf("bench_drt: %d files, %zu spectra, %zu points (read in %.3f s)\n", n_files, n_spectra,
           n_points, t_read);
    for (int k = 0; k < n_files; k++) {
        const char *name = strrchr(lmb_eis_data_path(data[k]), '/');
        name = name ? name + 1 : lmb_eis_data_path(data[k]);
        lmb_drt_result res;
        if (lmb_drt(ctx, lmb_eis_data_f(data[k], 0), lmb_eis_data_re(data[k], 0),
                    lmb_eis_data_im(data[k], 0), lmb_eis_data_n(data[k], 0), &opt,
                    &res) != LMB_OK) {
            printf("  %s: %s\n", name, lmb_ctx_errmsg(ctx));
            continue;
        }
        printf("  %s [0]: n %zu, R_inf %.4g ohm, R_pol %.4g ohm, L %.3g H, lambda %.2g, "
               "rms %.3g ohm, %zu peaks",
               name, res.n, res.R_inf_ohm, res.R_pol_ohm, res.L_H, res.lambda, res.rms_ohm,
               res.n_peaks);
        for (size_t p = 0; p < res.n_peaks && p < 4; p++)
            printf("%s%.3g s/%.3g ohm", p ? ", " : " (tau/R: ", res.peaks[p].tau_s,
                   res.peaks[p].R_ohm);
        printf("%s\n", res.n_peaks ? (res.n_peaks > 4 ? ", ...)" : ")") : "");
        lmb_drt_result_free(&res);
    }
    double t[MAX_RUNS];
    int failed = 0;
    for (int r = 0; r < runs; r++) {
        t0 = lmb__now_s();
        for (int k = 0; k < n_files; k++)
            for (size_t s = 0; s < lmb_eis_data_count(data[k]); s++) {
                lmb_drt_result res;
                if (lmb_drt(ctx, lmb_eis_data_f(data[k], s), lmb_eis_data_re(data[k], s),
                            lmb_eis_data_im(data[k], s), lmb_eis_data_n(data[k], s), &opt,
                            &res) != LMB_OK) {
                    failed++;
                    continue;
                }
                lmb_drt_result_free(&res);
            }
        t[r] = lmb__now_s() - t0;
    }
    double med = bench_median(t, runs);
    printf("  all DRTs: %.4f s (median of %d), %.0f DRT/s, %d failed\n", med, runs,
           (double)n_spectra / med, failed / runs);
    for (int k = 0; k < n_files; k++)
        lmb_eis_data_free(data[k]);
    lmb_ctx_free(ctx);
    return 0;
}
