/*
 * bench_reproduce.c - the Li||Cu and Li||LFP issue's speed figure: the complete `lmb reproduce`
 * campaign (18 experiments of SPEC.md section 1), one core, as a user runs it: the lmb
 * executable with -q, its tables and time series written to a scratch directory.
 *
 * Prints the median over RUNS of the whole command's wall time (start-up, loading, simulating,
 * writing) and, from each run's comparison.json, the median simulation time of every experiment
 * (the breakdown) and of their sum.
 * Usage: bench_reproduce [RUNS]   (default 3)
 */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LMB_BINARY_DIR
#define LMB_BINARY_DIR "."
#endif

#define MAX_EXP  64
#define MAX_RUNS 50

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n)
        buf[n] = '\0';
    else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 3;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 3;
    char dir[] = "/tmp/lmb-bench-reproduce-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_reproduce: mkdtemp");
        return 1;
    }
    static double t_cmd[MAX_RUNS], t_sum[MAX_RUNS], t_exp[MAX_EXP][MAX_RUNS];
    static char names[MAX_EXP][96];
    int n_exp = 0;
    char cmd[512], json_path[256];
    snprintf(cmd, sizeof cmd, "'%s/lmb' reproduce -q -o '%s/out'", LMB_BINARY_DIR, dir);
    snprintf(json_path, sizeof json_path, "%s/out/comparison.json", dir);
    printf("bench_reproduce: %s, median of %d runs\n", cmd, runs);
    for (int r = 0; r < runs; r++) {
        double t0 = lmb__now_s();
        int rc = system(cmd);
        t_cmd[r] = lmb__now_s() - t0;
        if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
            fprintf(stderr, "bench_reproduce: `%s` failed (status %d)\n", cmd, rc);
            return 1;
        }
        char *text = slurp(json_path);
        cJSON *root = text ? cJSON_Parse(text) : NULL;
        free(text);
        const cJSON *ex = cJSON_GetObjectItemCaseSensitive(root, "experiments");
        if (!cJSON_IsArray(ex)) {
            fprintf(stderr, "bench_reproduce: %s has no experiments\n", json_path);
            cJSON_Delete(root);
            return 1;
        }
        int k = 0;
        t_sum[r] = 0.0;
        const cJSON *e;
        cJSON_ArrayForEach(e, ex) {
            if (k >= MAX_EXP)
                break;
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
            const cJSON *w = cJSON_GetObjectItemCaseSensitive(e, "wall_time_s");
            snprintf(names[k], sizeof names[k], "%s",
                     cJSON_IsString(name) ? name->valuestring : "?");
            t_exp[k][r] = cJSON_IsNumber(w) ? w->valuedouble : 0.0;
            t_sum[r] += t_exp[k][r];
            k++;
        }
        n_exp = k;
        cJSON_Delete(root);
    }
    printf("  %-36s %10s\n", "experiment", "median [s]");
    for (int k = 0; k < n_exp; k++)
        printf("  %-36s %10.2f\n", names[k], bench_median(t_exp[k], runs));
    printf("  %-36s %10.2f\n", "sum of the experiments", bench_median(t_sum, runs));
    printf("  %-36s %10.2f  (the whole command: start-up, simulation, files)\n", "lmb reproduce",
           bench_median(t_cmd, runs));
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_reproduce: could not remove %s\n", dir);
    return 0;
}
