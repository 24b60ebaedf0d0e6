/*
 * bench_record_read.c - reading speed of the cycler-file readers (lmb/record.h), in MB/s.
 *
 * Every file of ../shared/data/cycler and ../shared/data/eis is loaded with lmb_record_load
 * (file read, format detection, parsing into the record) RUNS times; the median time per file
 * gives its MB/s (1 MB = 1e6 bytes). Files are grouped as the issue asks: BioLogic binary
 * (.mpr), BioLogic text (.mpt and the EC-Lab text export) and CSV/text exports of the other
 * instruments; a group's rate is its bytes over the sum of its files' median times. The
 * analysis (lmb_record_analyze) of each record is timed apart, in rows per second.
 * Usage: bench_record_read [RUNS]   (default 5)
 */
#define _POSIX_C_SOURCE 200809L
#include "lmb/lmb.h"

#include "bench_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LMB_SHARED_DIR
#define LMB_SHARED_DIR "../shared"
#endif

#define MAX_RUNS 50

enum { G_MPR, G_MPT, G_CSV, G_OTHER, N_GROUPS };
static const char *const group_name[N_GROUPS] = {".mpr (BioLogic binary)", ".mpt (BioLogic text)",
                                                 "CSV/text exports", "other (settings, spectra)"};

static int group_of(const char *format) {
    if (!strcmp(format, "biologic-mpr"))
        return G_MPR;
    if (!strcmp(format, "biologic-mpt"))
        return G_MPT;
    if (!strcmp(format, "biologic-mps") || !strcmp(format, "eis-text"))
        return G_OTHER;
    return G_CSV;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 5;
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK)
        return 1;
    double bytes[N_GROUPS] = {0}, secs[N_GROUPS] = {0};
    double rows_total = 0.0, analyze_s = 0.0;
    int failed = 0;
    static const char *const dirs[] = {LMB_SHARED_DIR "/data/cycler", LMB_SHARED_DIR "/data/eis"};
    printf("%-62s %-13s %9s %9s %9s\n", "file", "format", "MB", "rows", "MB/s");
    for (size_t d = 0; d < 2; d++) {
        DIR *dp = opendir(dirs[d]);
        if (!dp) {
            fprintf(stderr, "bench_record_read: cannot open %s\n", dirs[d]);
            return 1;
        }
        char names[128][256];
        int nn = 0;
        for (struct dirent *e; (e = readdir(dp)) != NULL && nn < 128;)
            if (e->d_name[0] != '.' && strstr(e->d_name, "__"))
                snprintf(names[nn++], sizeof names[0], "%s", e->d_name);
        closedir(dp);
        qsort(names, (size_t)nn, sizeof names[0], (int (*)(const void *, const void *))strcmp);
        for (int k = 0; k < nn; k++) {
            char path[1400];
            snprintf(path, sizeof path, "%.900s/%.255s", dirs[d], names[k]);
            struct stat st;
            if (stat(path, &st) != 0)
                continue;
            double t[MAX_RUNS];
            lmb_record *r = NULL;
            for (int i = 0; i < runs; i++) {
                lmb_record_free(r);
                r = NULL;
                double t0 = lmb__now_s();
                lmb_status s = lmb_record_load(ctx, path, &r);
                t[i] = lmb__now_s() - t0;
                if (s != LMB_OK) {
                    fprintf(stderr, "bench_record_read: %s\n", lmb_ctx_errmsg(ctx));
                    failed = 1;
                    break;
                }
            }
            if (!r)
                continue;
            double med = bench_median(t, runs), mb = (double)st.st_size / 1e6;
            int g = group_of(lmb_record_format(r));
            bytes[g] += mb;
            secs[g] += med;
            printf("%-62.62s %-13s %9.3f %9zu %9.1f\n", names[k], lmb_record_format(r), mb,
                   lmb_record_rows(r), mb / med);
            double t0 = lmb__now_s();
            lmb_analysis *a = NULL;
            if (lmb_record_analyze(ctx, r, NULL, &a) == LMB_OK) {
                analyze_s += lmb__now_s() - t0;
                rows_total += (double)lmb_record_rows(r);
            }
            lmb_analysis_free(a);
            lmb_record_free(r);
        }
    }
    printf("\nreading, median of %d runs per file:\n", runs);
    for (int g = 0; g < N_GROUPS; g++)
        if (secs[g] > 0.0)
            printf("  %-28s %8.3f MB in %8.4f s: %7.1f MB/s\n", group_name[g], bytes[g], secs[g],
                   bytes[g] / secs[g]);
    if (analyze_s > 0.0)
        printf("analysis (steps, half cycles, cycles): %.0f rows in %.4f s: %.2e rows/s\n",
               rows_total, analyze_s, rows_total / analyze_s);
    lmb_ctx_free(ctx);
    return failed;
}
