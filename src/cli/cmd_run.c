/*
 * cmd_run.c - `lmb run CELL`: galvanostatic plating/stripping of a Li||Li cell.
 *
 * Until the protocol language lands this command runs the study's basic Li||Li protocol with
 * a few flags: each cycle plates the working (positive-terminal) electrode at --current for
 * --half-cycle (a negative, discharging current in the BDF convention), then strips it for the
 * same time; an optional rest follows each half cycle. A new cycle starts at each plating that
 * follows a stripping. Output: DIR/timeseries.bdf.csv.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/*
 * Reads the quantity of flag argv[*i]: "1mA/cm2", "1 mA/cm2" (one quoted word) or "1" "mA/cm2"
 * (two words). Advances *i past what it used. Returns 0 or prints an error and returns -1.
 */
static int flag_quantity(lmb_ctx *ctx, int argc, char **argv, int *i, lmb_dim dim, double *value,
                         const lmb_unit **unit) {
    const char *flag = argv[*i];
    if (*i + 1 >= argc) {
        lmb_cli_usage_error("run", "%s needs a value with a unit", flag);
        return -1;
    }
    char buf[256];
    const char *text = argv[++*i];
    char *end = NULL;
    strtod(text, &end);
    if (end != text && *end == '\0' && *i + 1 < argc && lmb_unit_find(argv[*i + 1])) {
        snprintf(buf, sizeof buf, "%s %s", text, argv[*i + 1]);
        text = buf;
        ++*i;
    }
    if (lmb_quantity_parse(ctx, text, dim, value, unit) != LMB_OK) {
        lmb_cli_usage_error("run", "%s: %s", flag, lmb_ctx_errmsg(ctx));
        return -1;
    }
    return 0;
}

static int make_dir(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return (mkdir(path, 0777) != 0 && errno != EEXIST) ? -1 : 0;
}

int lmb_cmd_run(lmb_ctx *ctx, int argc, char **argv) {
    const char *cell_arg = NULL, *outdir = "out/run";
    double I_val = 1.0, half_s = 3600.0, rest_s = 0.0, vmax = 5.0;
    const lmb_unit *I_unit = lmb_unit_find("mA/cm2");
    long cycles = 10;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const lmb_unit *u = NULL;
        double v = 0.0;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                return lmb_cli_usage_error("run", "%s needs a directory", a);
            outdir = argv[++i];
        } else if (!strcmp(a, "--current")) {
            if (flag_quantity(ctx, argc, argv, &i, LMB_DIM_COUNT, &I_val, &I_unit))
                return LMB_EXIT_USAGE;
            if (I_unit->dim != LMB_DIM_CURRENT && I_unit->dim != LMB_DIM_CURRENT_DENSITY)
                return lmb_cli_usage_error("run",
                                           "--current: '%s' is not a current (A, mA) or "
                                           "current density (mA/cm2)",
                                           I_unit->name);
            if (!(I_val > 0.0))
                return lmb_cli_usage_error("run",
                                           "--current must be > 0 (got %g %s); the sign "
                                           "is set by plating or stripping",
                                           I_val, I_unit->name);
        } else if (!strcmp(a, "--half-cycle") || !strcmp(a, "--rest")) {
            if (flag_quantity(ctx, argc, argv, &i, LMB_DIM_TIME, &v, &u))
                return LMB_EXIT_USAGE;
            double s = lmb_unit_to_si(u, v);
            if (!strcmp(a, "--rest") ? !(s >= 0.0) : !(s > 0.0))
                return lmb_cli_usage_error("run", "%s must be %s 0 (got %g %s)", a,
                                           strcmp(a, "--rest") ? ">" : ">=", v, u->name);
            *(strcmp(a, "--rest") ? &half_s : &rest_s) = s;
        } else if (!strcmp(a, "--vmax")) {
            if (flag_quantity(ctx, argc, argv, &i, LMB_DIM_VOLTAGE, &v, &u))
                return LMB_EXIT_USAGE;
            vmax = lmb_unit_to_si(u, v);
            if (!(vmax > 0.0))
                return lmb_cli_usage_error("run", "--vmax must be > 0 V");
        } else if (!strcmp(a, "--cycles")) {
            char *end = NULL;
            if (i + 1 >= argc)
                return lmb_cli_usage_error("run", "--cycles needs a number");
            cycles = strtol(argv[++i], &end, 10);
            if (*end || cycles < 1 || cycles > 1000000)
                return lmb_cli_usage_error("run",
                                           "--cycles: '%s' is not a whole number from 1 "
                                           "to 1000000",
                                           argv[i]);
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return lmb_cli_usage_error("run", "unknown option '%s'", a);
        } else if (!cell_arg) {
            cell_arg = a;
        } else {
            return lmb_cli_usage_error("run",
                                       "unexpected argument '%s' (the protocol language "
                                       "is not available yet)",
                                       a);
        }
    }
    if (!cell_arg)
        return lmb_cli_usage_error("run", "missing CELL (a cell file or a preset such as "
                                          "li-li:bare)");

    lmb_cell *cell = NULL;
    lmb_status st = lmb_cell_load(ctx, cell_arg, &cell);
    if (st != LMB_OK)
        return lmb_cli_fail_input(ctx, st);
    lmb_sim_options opt = {0};
    lmb_sim *sim = NULL;
    st = lmb_sim_create(ctx, cell, &opt, &sim);
    if (st != LMB_OK) {
        lmb_cell_free(cell);
        return lmb_cli_fail(ctx, st);
    }
    double area = lmb_sim_area_m2(sim);
    double I_A = lmb_unit_to_si(I_unit, I_val) * (I_unit->dim == LMB_DIM_CURRENT ? 1.0 : area);

    if (make_dir(outdir) != 0) {
        fprintf(stderr, "lmb: %s: cannot create directory: %s\n", outdir, strerror(errno));
        lmb_sim_free(sim);
        lmb_cell_free(cell);
        return LMB_EXIT_FAIL;
    }
    int tty = isatty(STDERR_FILENO);
    double t0 = now_s();
    lmb_status run_st = LMB_OK;
    double first_V = NAN, last_plate_V = NAN, last_strip_V = NAN;
    for (long c = 0; c < cycles && run_st == LMB_OK; c++) {
        for (int half = 0; half < 2 && run_st == LMB_OK; half++) {
            lmb_step s = lmb_step_init();
            s.control = LMB_CONTROL_CURRENT;
            s.value = half == 0 ? -I_A : I_A; /* plate, then strip the working electrode */
            s.duration_s = half_s;
            s.use_v_max = 1;
            s.v_max = vmax;
            s.use_v_min = 1;
            s.v_min = -vmax;
            s.new_cycle = half == 0;
            lmb_step_result r;
            run_st = lmb_sim_run_step(ctx, sim, &s, &r);
            if (run_st == LMB_OK && isnan(first_V))
                first_V = r.v_end;
            if (run_st == LMB_OK)
                *(half == 0 ? &last_plate_V : &last_strip_V) = r.v_end;
            if (run_st == LMB_OK && r.reason != LMB_END_DURATION && !quiet)
                fprintf(stderr,
                        "lmb run: cycle %ld half cycle %d ended on the %s limit at %.4g V\n", c + 1,
                        half + 1, lmb_end_reason_name(r.reason), r.v_end);
            if (run_st == LMB_OK && rest_s > 0.0) {
                lmb_step rest = lmb_step_init();
                rest.duration_s = rest_s;
                run_st = lmb_sim_run_step(ctx, sim, &rest, NULL);
            }
        }
        if (tty && !quiet)
            fprintf(stderr, "\rlmb run: cycle %ld/%ld  t = %.1f h  V = %+.4f V", c + 1, cycles,
                    lmb_sim_time(sim) / 3600.0, lmb_sim_voltage(sim));
    }
    if (tty && !quiet)
        fprintf(stderr, "\n");
    double wall = now_s() - t0;

    /* write what was simulated, even after a solver failure */
    char path[4096];
    snprintf(path, sizeof path, "%s/timeseries.bdf.csv", outdir);
    lmb_series series;
    lmb_sim_series(sim, &series);
    lmb_ctx *wctx = NULL;
    int rc = LMB_EXIT_OK;
    if (lmb_ctx_create(&wctx) != LMB_OK || lmb_series_write_bdf(wctx, &series, path) != LMB_OK) {
        fprintf(stderr, "lmb: %s\n", wctx ? lmb_ctx_errmsg(wctx) : "out of memory");
        rc = LMB_EXIT_FAIL;
    }
    lmb_ctx_free(wctx);
    if (run_st != LMB_OK)
        rc = lmb_cli_fail(ctx, run_st);
    if (!quiet && rc == LMB_EXIT_OK) {
        lmb_sim_stats stats;
        lmb_sim_get_stats(sim, &stats);
        printf("cell          %s\n", lmb_cell_name(cell));
        printf("protocol      %ld cycles of plate/strip at %.4g mA (%.4g mA/cm2), %.4g h each\n",
               cycles, I_A * 1e3, I_A / area * 0.1, half_s / 3600.0);
        printf("simulated     %.4g h in %.3f s wall time\n", lmb_sim_time(sim) / 3600.0, wall);
        printf("voltage       first plating end %.4f V; last plating end %.4f V, last "
               "stripping end %.4f V\n",
               first_V, last_plate_V, last_strip_V);
        printf("solver        %d states, half-bandwidth %d, %ld steps, %ld residual and %ld "
               "Jacobian evaluations\n",
               stats.n_states, stats.bandwidth, stats.steps, stats.res_evals, stats.jac_evals);
        printf("output        %s (%zu rows)\n", path, series.n);
    }
    lmb_sim_free(sim);
    lmb_cell_free(cell);
    return rc;
}
