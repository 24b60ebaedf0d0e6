/*
 * bench_sweep.c - the sweep issue's speed figures: points per second of lmb_sweep_run on 1 and
 * 2 worker threads, and the speed-up, on a grid of the coated Li||Li preset (coating loading x
 * coating porosity x current density, 5 cycles of 1 h half cycles per point, the design of
 * tests/cli/test_sweep.sh), each run into a fresh SQLite catalogue (every point committed in
 * its own transaction, as lmb sweep does). Also the cost of one point alone (lmb_sweep_worker_run
 * without the catalogue), so that the overhead of the coordinator and the catalogue shows.
 * Prints medians of RUNS runs; the machine's load at the time decides the 2-worker figure.
 * Usage: bench_sweep [POINTS_PER_AXIS] [RUNS]   (default 6 -> 216 points, 3 runs)
 */
#define _POSIX_C_SOURCE 200809L
#include "lmb/lmb.h"

#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *k_sweep =
    "{\"cell\": \"li-li:cspbcl3-2mg\", \"protocol_text\": \"Repeat 5 times:\\n"
    "    Plate at {i} mA/cm2 for 1 h or until -0.5 V or until short\\n"
    "    Strip at {i} mA/cm2 for 1 h or until 0.5 V or until short\\n\", \"grid\": {"
    "\"electrodes.coating.loading_mg_cm2\": {\"from\": 0.5, \"to\": 4, \"n\": %d, \"scale\": "
    "\"log\"}, \"electrodes.coating.porosity\": {\"from\": 0.2, \"to\": 0.6, \"n\": %d}, "
    "\"protocol.i\": {\"from\": 0.25, \"to\": 4, \"n\": %d, \"scale\": \"log\"}}}";

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 6;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (n < 1 || n > 100)
        n = 6;
    if (runs < 1 || runs > 20)
        runs = 3;
    char json[2048];
    snprintf(json, sizeof json, k_sweep, n, n, n);
    lmb_ctx *ctx = NULL;
    lmb_sweep *sw = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK ||
        lmb_sweep_parse(ctx, json, "bench", NULL, &sw) != LMB_OK) {
        fprintf(stderr, "bench_sweep: %s\n", ctx ? lmb_ctx_errmsg(ctx) : "out of memory");
        return 1;
    }
    long N = lmb_sweep_point_count(sw);
    char dir[] = "/tmp/lmb-bench-sweep-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_sweep: mkdtemp");
        return 1;
    }
    printf("bench_sweep: %ld points (li-li:cspbcl3-2mg, loading x porosity x current, 5 cycles "
           "each), median of %d runs\n",
           N, runs);

    /* one point after another, no catalogue: the cost of the simulations alone */
    lmb_sweep_worker *w = NULL;
    if (lmb_sweep_worker_create(ctx, sw, &w) != LMB_OK) {
        fprintf(stderr, "bench_sweep: %s\n", lmb_ctx_errmsg(ctx));
        return 1;
    }
    double t_bare[20];
    long steps = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = lmb__now_s();
        steps = 0;
        for (long i = 0; i < N; i++) {
            lmb_sweep_result res;
            if (lmb_sweep_worker_run(w, i, NULL, &res) != LMB_OK) {
                fprintf(stderr, "bench_sweep: %s\n", lmb_sweep_worker_errmsg(w));
                return 1;
            }
            steps += res.ida_steps;
        }
        t_bare[r] = lmb__now_s() - t0;
    }
    lmb_sweep_worker_free(w);
    double bare = bench_median(t_bare, runs);
    printf("  points alone       %.3f s, %.1f points/s, %.2f ms per point, %ld IDA steps in all\n",
           bare, (double)N / bare, 1e3 * bare / (double)N, steps);

    double rate[3] = {0, 0, 0};
    for (int jobs = 1; jobs <= 2; jobs++) {
        double t[20];
        for (int r = 0; r < runs; r++) {
            char path[256];
            snprintf(path, sizeof path, "%s/j%d-r%d.sqlite", dir, jobs, r);
            lmb_sweep_options opt = {.jobs = jobs, .out_dir = dir};
            lmb_sweep_progress p;
            double t0 = lmb__now_s();
            if (lmb_sweep_run(ctx, sw, path, &opt, &p) != LMB_OK || p.computed != N) {
                fprintf(stderr, "bench_sweep: %s\n", lmb_ctx_errmsg(ctx));
                return 1;
            }
            t[r] = lmb__now_s() - t0;
            for (const char *ext = ""; ext; ext = !ext[0]                ? "-wal"
                                                  : !strcmp(ext, "-wal") ? "-shm"
                                                                         : NULL) {
                char f[300];
                snprintf(f, sizeof f, "%s%s", path, ext);
                unlink(f);
            }
        }
        double m = bench_median(t, runs);
        rate[jobs] = (double)N / m;
        printf("  lmb_sweep_run %d    %.3f s (min %.3f, max %.3f), %.1f points/s\n", jobs, m, t[0],
               t[runs - 1], rate[jobs]);
    }
    printf("  speed-up 1 -> 2 workers: %.2f (on %ld online cores); catalogue and coordinator "
           "overhead on 1 worker: %.1f %%\n",
           rate[2] / rate[1], sysconf(_SC_NPROCESSORS_ONLN),
           100.0 * ((double)N / rate[1] - bare) / bare);
    rmdir(dir);
    lmb_sweep_free(sw);
    lmb_ctx_free(ctx);
    return 0;
}
