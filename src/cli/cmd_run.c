/*
 * cmd_run.c - `lmb run CELL PROTOCOL -o DIR`: simulate one cell under one protocol.
 *
 * Writes DIR/timeseries.bdf.csv (streamed step by step, so memory does not grow with the run),
 * DIR/cycles.csv and DIR/summary.json (the per-cycle summary, lmb/summary.h). A solver failure
 * keeps everything simulated up to it and exits 1; bad input (cell, protocol, flags) exits 2.
 * A progress line goes to stderr when it is a terminal.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "core/clock.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct progress_state {
    int tty;
    double last;
} progress_state;

static void progress(void *user, const lmb_sim *sim, long steps) {
    progress_state *ps = user;
    double t = lmb__now_s();
    if (!ps->tty || t - ps->last < 0.25)
        return;
    ps->last = t;
    fprintf(stderr, "\rlmb run: %.1f h simulated, cycle %d, step %ld, V = %+.4f V   ",
            lmb_sim_time(sim) / 3600.0, lmb_sim_cycle_count(sim), steps, lmb_sim_voltage(sim));
}

/* The run's metadata for summary.json, as JSON text (free() it); NULL if out of memory. */
static char *run_metadata(const lmb_cell *cell, const char *protocol, double area_m2,
                          const lmb_run_result *res, const lmb_sim_stats *stats, double wall_s) {
    cJSON *m = cJSON_CreateObject();
    if (!m)
        return NULL;
    cJSON_AddStringToObject(m, "cell", lmb_cell_name(cell));
    cJSON_AddStringToObject(m, "protocol", protocol);
    cJSON_AddNumberToObject(m, "area_cm2", area_m2 * 1e4);
    cJSON_AddStringToObject(m, "end", lmb_run_end_name(res->end));
    cJSON_AddNumberToObject(m, "steps", (double)res->steps);
    cJSON_AddNumberToObject(m, "steps_ended_at_start", (double)res->ended_at_start);
    cJSON_AddNumberToObject(m, "spectra", (double)res->spectra);
    cJSON_AddNumberToObject(m, "cycles", res->cycles);
    cJSON_AddNumberToObject(m, "test_time_h", res->t_end_s / 3600.0);
    cJSON_AddNumberToObject(m, "wall_time_s", wall_s);
    cJSON *s = cJSON_AddObjectToObject(m, "solver");
    if (s) {
        cJSON_AddNumberToObject(s, "states", stats->n_states);
        cJSON_AddNumberToObject(s, "half_bandwidth", stats->bandwidth);
        cJSON_AddNumberToObject(s, "ida_steps", (double)stats->steps);
        cJSON_AddNumberToObject(s, "residual_evaluations", (double)stats->res_evals);
        cJSON_AddNumberToObject(s, "jacobian_evaluations", (double)stats->jac_evals);
        cJSON_AddNumberToObject(s, "steps_beyond_limiting_current", (double)stats->beyond_limit);
    }
    char *text = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    return text;
}

int lmb_cmd_run(lmb_ctx *ctx, int argc, char **argv) {
    const char *cell_arg = NULL, *proto_arg = NULL, *outdir = "out/run";
    double q_nom_C = 0.0, record_dt = 0.0;
    int quiet = 0, sparse = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const lmb_unit *u = NULL;
        double v = 0.0;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                return lmb_cli_usage_error("run", "%s needs a directory", a);
            outdir = argv[++i];
        } else if (!strcmp(a, "--nominal-capacity")) {
            if (lmb_cli_flag_quantity(ctx, "run", argc, argv, &i, LMB_DIM_COUNT, &v, &u))
                return LMB_EXIT_USAGE;
            if (u->dim != LMB_DIM_CHARGE && u->dim != LMB_DIM_AREAL_CHARGE)
                return lmb_cli_usage_error("run",
                                           "--nominal-capacity: '%s' is not a capacity "
                                           "(mAh, Ah, mAh/cm2)",
                                           u->name);
            if (!(v > 0.0))
                return lmb_cli_usage_error("run", "--nominal-capacity must be > 0");
            /* areal values are converted once the cell's area is known */
            q_nom_C = u->dim == LMB_DIM_CHARGE ? lmb_unit_to_si(u, v) : -lmb_unit_to_si(u, v);
        } else if (!strcmp(a, "--record-every")) {
            if (lmb_cli_flag_quantity(ctx, "run", argc, argv, &i, LMB_DIM_TIME, &v, &u))
                return LMB_EXIT_USAGE;
            record_dt = lmb_unit_to_si(u, v);
            if (!(record_dt >= 0.0))
                return lmb_cli_usage_error("run", "--record-every must be >= 0 s");
        } else if (!strcmp(a, "--sparse")) {
            sparse = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return lmb_cli_usage_error("run", "unknown option '%s'", a);
        } else if (!cell_arg) {
            cell_arg = a;
        } else if (!proto_arg) {
            proto_arg = a;
        } else {
            return lmb_cli_usage_error("run", "unexpected argument '%s'", a);
        }
    }
    if (!cell_arg)
        return lmb_cli_usage_error("run", "missing CELL (a cell file or a preset such as "
                                          "li-li:bare)");
    if (!proto_arg)
        return lmb_cli_usage_error("run", "missing PROTOCOL (a protocol file, e.g. "
                                          "protocols/li-li-1mA.txt)");

    lmb_cell *cell = NULL;
    lmb_protocol *proto = NULL;
    lmb_sim *sim = NULL;
    lmb_summary *summary = NULL;
    lmb_bdf_writer *bdf = NULL;
    lmb_eis_writer *eis = NULL;
    lmb_status st = lmb_cell_load(ctx, cell_arg, &cell);
    if (st != LMB_OK)
        return lmb_cli_fail_input(ctx, st);
    st = lmb_protocol_load(ctx, proto_arg, &proto);
    if (st != LMB_OK) {
        lmb_cell_free(cell);
        return lmb_cli_fail_input(ctx, st);
    }
    lmb_sim_options opt = {.record_dt_s = record_dt, .sparse = sparse};
    int rc = LMB_EXIT_OK;
    st = lmb_sim_create(ctx, cell, &opt, &sim);
    if (st == LMB_OK)
        st = lmb_summary_create(ctx, &summary);
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
        goto out;
    }
    double area = lmb_sim_area_m2(sim);
    lmb_summary_set_area(summary, area);
    if (q_nom_C < 0.0)
        q_nom_C = -q_nom_C * area;
    lmb_summary_set_nominal_capacity(summary, q_nom_C);

    if (lmb_cli_make_dir(outdir) != 0) {
        fprintf(stderr, "lmb: %s: cannot create directory: %s\n", outdir, strerror(errno));
        rc = LMB_EXIT_FAIL;
        goto out;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/timeseries.bdf.csv", outdir);
    st = lmb_bdf_writer_open(ctx, path, &bdf);
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
        goto out;
    }
    /* eis.csv only for protocols with EIS steps */
    char eis_path[4200];
    snprintf(eis_path, sizeof eis_path, "%s/eis.csv", outdir);
    for (int i = 0; i < lmb_protocol_step_count(proto) && !eis; i++)
        if (lmb_protocol_step_at(proto, i)->kind == LMB_PSTEP_EIS &&
            (st = lmb_eis_writer_open(ctx, eis_path, &eis)) != LMB_OK) {
            rc = lmb_cli_fail(ctx, st);
            goto out;
        }
    progress_state ps = {.tty = !quiet && isatty(STDERR_FILENO), .last = 0.0};
    lmb_run_options ro = {.nominal_capacity_C = q_nom_C,
                          .bdf = bdf,
                          .eis = eis,
                          .progress = progress,
                          .progress_user = &ps};
    lmb_run_result res;
    double t0 = lmb__now_s();
    lmb_status run_st = lmb_protocol_run(ctx, sim, proto, &ro, summary, &res);
    double wall = lmb__now_s() - t0;
    if (ps.tty)
        fprintf(stderr, "\r%*s\r", 78, "");
    if (run_st != LMB_OK)
        rc = lmb_cli_exit_code(run_st) == LMB_EXIT_USAGE ? lmb_cli_fail_input(ctx, run_st)
                                                         : lmb_cli_fail(ctx, run_st);

    /* outputs: written even after a failure, with what was simulated */
    lmb_ctx *wctx = NULL;
    if (lmb_ctx_create(&wctx) != LMB_OK) {
        rc = LMB_EXIT_FAIL;
        goto out;
    }
    size_t rows = lmb_bdf_writer_rows(bdf);
    lmb_status wst = lmb_bdf_writer_close(wctx, bdf);
    bdf = NULL;
    int spectra = eis ? lmb_eis_writer_spectra(eis) : 0;
    if (wst == LMB_OK && eis)
        wst = lmb_eis_writer_close(wctx, eis);
    else
        lmb_eis_writer_close(NULL, eis);
    eis = NULL;
    char csv[4200], json[4200];
    snprintf(csv, sizeof csv, "%s/cycles.csv", outdir);
    snprintf(json, sizeof json, "%s/summary.json", outdir);
    if (wst == LMB_OK)
        wst = lmb_summary_write_csv(wctx, summary, csv);
    lmb_sim_stats stats;
    lmb_sim_get_stats(sim, &stats);
    char *meta = run_metadata(cell, proto_arg, area, &res, &stats, wall);
    if (wst == LMB_OK)
        wst = lmb_summary_write_json(wctx, summary, meta, json); /* meta NULL: no metadata */
    free(meta);
    if (wst != LMB_OK) {
        fprintf(stderr, "lmb: %s\n", lmb_ctx_errmsg(wctx));
        rc = LMB_EXIT_FAIL;
    }
    lmb_ctx_free(wctx);
    if (res.ended_at_start > 0 && !quiet)
        fprintf(stderr,
                "lmb run: %ld step(s) ended as they started: a limit was already met (e.g. a "
                "voltage limit outside what this cell reaches); they passed no charge\n",
                res.ended_at_start);
    if (!quiet && wst == LMB_OK) {
        printf("cell       %s\n", lmb_cell_name(cell));
        printf("protocol   %s: %ld steps, %d cycles, %s after %.4g h\n", proto_arg, res.steps,
               res.cycles, lmb_run_end_name(res.end), res.t_end_s / 3600.0);
        printf("solver     %d states, %ld steps, %ld residual and %ld Jacobian evaluations, "
               "%.3f s\n",
               stats.n_states, stats.steps, stats.res_evals, stats.jac_evals, wall);
        printf("output     %s (%zu rows)\n           %s\n           %s\n", path, rows, csv, json);
        if (spectra > 0)
            printf("           %s (%d spectra)\n           %s/eis_metrics.csv (R_SEI, R_diff "
                   "per spectrum)\n",
                   eis_path, spectra, outdir);
    }
out:
    lmb_bdf_writer_close(ctx, bdf);
    lmb_eis_writer_close(ctx, eis);
    lmb_summary_free(summary);
    lmb_sim_free(sim);
    lmb_protocol_free(proto);
    lmb_cell_free(cell);
    return rc;
}
