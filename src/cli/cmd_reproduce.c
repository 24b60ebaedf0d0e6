/*
 * cmd_reproduce.c - `lmb reproduce`: the reference study's campaign (Li||Li, Li||Cu and Li||LFP),
 * simulated, beside the measured values (SPEC.md section 1).
 *
 * The calibration experiments (bare and coated Li at 1 mA/cm2 with their OCV spectra, the Adams
 * CE with one preconditioning cycle, Li||LFP formation and 1C cycling) give the comparison
 * table; the other experiments are predictions of the same parameters and are
 * reported with their simulated values only. The measured values come from the study's target
 * table (src/study/targets.c) and appear only in the "measured" column.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/clock.h"
#include "io/report.h"
#include "study/study.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum experiment_kind { EXP_LILI, EXP_ADAMS, EXP_LFP } experiment_kind;

typedef struct experiment {
    const char *name;     /* directory and table label */
    experiment_kind kind; /* Li||Li (OCV EIS, then cycling), Li||Cu (Adams CE) or Li||LFP */
    int coated;           /* 0 bare, 1 coated */
    double loading_mg;    /* coated only: loading to set (0 = as in the cell) */
    const char *protocol; /* cycling protocol */
    int ocv;              /* run the OCV spectrum first */
    int calibration;      /* 1: compared with the measured values */
    const char *label;    /* what it is */
} experiment;

/* The calibration experiments first (--calibration-only runs those), then the predictions. */
static const experiment k_experiments[] = {
    {"li-li-bare-1mA", EXP_LILI, 0, 0, "protocol:li-li-1mA", 1, 1, "bare Li, 1 mA/cm2, 1 mAh/cm2"},
    {"li-li-cspbcl3-2mg-1mA", EXP_LILI, 1, 0, "protocol:li-li-1mA", 1, 1,
     "CsPbCl3 2 mg/cm2, 1 mA/cm2, 1 mAh/cm2"},
    {"li-cu-bare-adams-1", EXP_ADAMS, 0, 0, "protocol:adams-ce-1", 0, 1,
     "Li||Cu bare Li, Adams CE, 1 preconditioning cycle"},
    {"li-cu-cspbcl3-2mg-adams-1", EXP_ADAMS, 1, 0, "protocol:adams-ce-1", 0, 1,
     "Li||Cu CsPbCl3 2 mg/cm2, Adams CE, 1 preconditioning cycle"},
    {"li-lfp-bare-formation-1c", EXP_LFP, 0, 0, "protocol:lfp-formation-1c", 0, 1,
     "Li||LFP bare Li, 3 formation cycles at C/10, 250 cycles at 1C"},
    {"li-lfp-cspbcl3-2mg-formation-1c", EXP_LFP, 1, 0, "protocol:lfp-formation-1c", 0, 1,
     "Li||LFP CsPbCl3 2 mg/cm2, 3 formation cycles at C/10, 250 cycles at 1C"},
    {"li-li-bare-2mA", EXP_LILI, 0, 0, "protocol:li-li-2mA", 1, 0, "bare Li, 2 mA/cm2, 2 mAh/cm2"},
    {"li-li-cspbcl3-2mg-2mA", EXP_LILI, 1, 0, "protocol:li-li-2mA", 1, 0,
     "CsPbCl3 2 mg/cm2, 2 mA/cm2, 2 mAh/cm2"},
    {"li-li-bare-4mA", EXP_LILI, 0, 0, "protocol:li-li-4mA", 1, 0, "bare Li, 4 mA/cm2, 4 mAh/cm2"},
    {"li-li-cspbcl3-2mg-4mA", EXP_LILI, 1, 0, "protocol:li-li-4mA", 1, 0,
     "CsPbCl3 2 mg/cm2, 4 mA/cm2, 4 mAh/cm2"},
    {"li-li-cspbcl3-1mg-1mA", EXP_LILI, 1, 1.0, "protocol:li-li-1mA", 1, 0,
     "CsPbCl3 1 mg/cm2, 1 mA/cm2, 1 mAh/cm2"},
    {"li-li-cspbcl3-4mg-1mA", EXP_LILI, 1, 4.0, "protocol:li-li-1mA", 1, 0,
     "CsPbCl3 4 mg/cm2, 1 mA/cm2, 1 mAh/cm2"},
    {"li-li-bare-operando-eis", EXP_LILI, 0, 0, "protocol:li-li-operando-eis", 1, 0,
     "bare Li, operando EIS over 20 cycles at 1 mA/cm2"},
    {"li-li-cspbcl3-2mg-operando-eis", EXP_LILI, 1, 0, "protocol:li-li-operando-eis", 1, 0,
     "CsPbCl3 2 mg/cm2, operando EIS over 20 cycles at 1 mA/cm2"},
    {"li-cu-bare-adams-3", EXP_ADAMS, 0, 0, "protocol:adams-ce-3", 0, 0,
     "Li||Cu bare Li, Adams CE, 3 preconditioning cycles"},
    {"li-cu-cspbcl3-2mg-adams-3", EXP_ADAMS, 1, 0, "protocol:adams-ce-3", 0, 0,
     "Li||Cu CsPbCl3 2 mg/cm2, Adams CE, 3 preconditioning cycles"},
    {"li-lfp-bare-rate", EXP_LFP, 0, 0, "protocol:lfp-rate", 0, 0,
     "Li||LFP bare Li, rate test 0.1-2C"},
    {"li-lfp-cspbcl3-2mg-rate", EXP_LFP, 1, 0, "protocol:lfp-rate", 0, 0,
     "Li||LFP CsPbCl3 2 mg/cm2, rate test 0.1-2C"},
};
/* the calibration experiments: Li||Li 0 (bare), 1 (coated), Adams 2, 3, Li||LFP 4, 5 */
#define N_CALIBRATION 6
#define K_ADAMS       2
#define K_LFP         4
#define N_EXP         ((int)(sizeof k_experiments / sizeof k_experiments[0]))

static const char *anode_name(int coated) {
    return coated ? "CsPbCl3 2 mg/cm2" : "bare Li";
}

/* A number for the CSV/JSON/stdout table: NaN prints as empty / null / "-". */
static void fmt(char *dst, size_t n, double v, int digits) {
    if (isfinite(v))
        snprintf(dst, n, "%.*g", digits, v);
    else
        snprintf(dst, n, "-");
}

static cJSON *num_or_null(double v) {
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

typedef struct table {
    cJSON *rows; /* array */
    FILE *csv;
} table;

/* One row of comparison.csv/json and of the stdout table. measured NaN = a prediction; tol NaN =
 * a measured value shown beside the simulated one but not fitted ("reported"). */
static void add_row(table *t, const experiment *e, const char *quantity, const char *unit,
                    double measured, double simulated, double tol, int quiet) {
    double rel =
        isfinite(measured) && isfinite(simulated) ? (simulated - measured) / measured : NAN;
    int within = isfinite(rel) && fabs(rel) <= tol;
    int reported = isfinite(measured) && isnan(tol);
    char m[32], s[32], r[32];
    fmt(m, sizeof m, measured, 4);
    fmt(s, sizeof s, simulated, 4);
    if (isfinite(rel))
        snprintf(r, sizeof r, "%+.1f %%", 100.0 * rel);
    else
        snprintf(r, sizeof r, "-");
    if (!quiet) {
        if (reported)
            printf("  %-25s %-18s %9s %10s %-6s %9s  reported, not fitted\n", quantity,
                   anode_name(e->coated), m, s, unit, r);
        else if (isfinite(measured))
            printf("  %-25s %-18s %9s %10s %-6s %9s  %s (tolerance %.2g %%)\n", quantity,
                   anode_name(e->coated), m, s, unit, r, within ? "ok" : "OUT", 100.0 * tol);
        else
            printf("  %-32s %-58s %10s %-6s\n", quantity, e->label, s, unit);
    }
    if (t->csv)
        fprintf(t->csv, "%s,%s,\"%s\",%s,%s,%s,%s,%s,%s\n", e->name, quantity, e->label, unit,
                isfinite(measured) ? m : "", isfinite(simulated) ? s : "", isfinite(rel) ? r : "",
                isfinite(measured) && !reported ? (within ? "yes" : "no") : "",
                reported             ? "reported"
                : isfinite(measured) ? "calibration"
                                     : "prediction");
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "experiment", e->name);
    cJSON_AddStringToObject(o, "quantity", quantity);
    cJSON_AddStringToObject(o, "unit", unit);
    cJSON_AddItemToObject(o, "measured", num_or_null(measured));
    cJSON_AddItemToObject(o, "simulated", num_or_null(simulated));
    cJSON_AddItemToObject(o, "relative_error", num_or_null(rel));
    cJSON_AddStringToObject(o, "kind",
                            reported             ? "reported"
                            : isfinite(measured) ? "calibration"
                                                 : "prediction");
    if (isfinite(measured) && !reported) {
        cJSON_AddNumberToObject(o, "tolerance", tol);
        cJSON_AddBoolToObject(o, "within_tolerance", within);
    }
    cJSON_AddItemToArray(t->rows, o);
}

typedef struct result {
    lmb__lili_outcome lili;
    lmb_adams_result adams;
    lmb__lfp_outcome lfp;
    int ok;
    double wall_s; /* [s] the experiment's simulation time */
} result;

/* The predictions of an experiment: what a lab user would read off the run. */
static void add_prediction_rows(table *t, const experiment *e, const result *res, int quiet) {
    if (e->kind == EXP_LFP) {
        const lmb__lfp_outcome *o = &res->lfp;
        if (!e->calibration) {
            for (int r = 0; r < LMB__LFP_RATES; r++) {
                char q[64];
                snprintf(q, sizeof q, "discharge capacity at %gC", lmb__lfp_rates[r]);
                add_row(t, e, q, "mAh/g", NAN,
                        res->ok ? lmb__lfp_discharge(o, (r + 1) * LMB__LFP_CYCLES_PER_RATE) : NAN,
                        0, quiet);
            }
            return;
        }
        /* both anodes after the same number of 1C cycles, and the last cycle simulated (no
         * comma in a quantity: the CSV leaves it unquoted) */
        for (int n = 150; n <= 250 && res->ok; n += 100)
            if (n != lmb__lfp_retention_cycles(e->coated)) {
                char q[64];
                snprintf(q, sizeof q, "1C retention (%d cycles)", n);
                add_row(t, e, q, "%", NAN,
                        100.0 * lmb__lfp_discharge(o, LMB__LFP_FORMATION_CYCLES + n) /
                            lmb__lfp_initial_1c(o),
                        0, quiet);
            }
        add_row(t, e, "first formation charge", "mAh/g", NAN,
                res->ok && o->cycles > 0 ? o->charge_mAh_g[0] : NAN, 0, quiet);
        add_row(t, e, "cycles completed", "1", NAN, res->ok ? (double)o->cycles : NAN, 0, quiet);
        return;
    }
    if (e->kind == EXP_ADAMS) {
        add_row(t, e, "Adams CE", "%", NAN, res->ok ? 100.0 * res->adams.ce : NAN, 0, quiet);
        add_row(t, e, "first preconditioning CE", "%", NAN,
                res->ok ? 100.0 * res->adams.precondition_ce[0] : NAN, 0, quiet);
        return;
    }
    const lmb__lili_outcome *o = &res->lili;
    if (o->spectra > 0) {
        /* the operando R_SEI track: before cycling, after the first plating, at the end */
        double r0 = o->rsei_spectrum[0], r1 = o->rsei_spectrum[1];
        add_row(t, e, "operando R_SEI before cycling", "ohm", NAN, r0, 0, quiet);
        add_row(t, e, "operando R_SEI after 1st plating", "ohm", NAN, r1, 0, quiet);
        add_row(t, e, "R_SEI drop in 1st plating", "%", NAN, 100.0 * (r0 - r1) / r0, 0, quiet);
        add_row(t, e, "operando R_SEI at the end", "ohm", NAN, o->rsei_spectrum[2], 0, quiet);
        return;
    }
    if (o->has_ocv) {
        add_row(t, e, "OCV R_SEI", "ohm", NAN, o->ocv.R_SEI, 0, quiet);
        add_row(t, e, "OCV R_diff", "ohm", NAN, o->ocv.R_diff, 0, quiet);
    }
    add_row(t, e, "initial overpotential", "mV", NAN, 1e3 * o->sym.eta_initial_V, 0, quiet);
    add_row(t, e, "last overpotential", "mV", NAN, 1e3 * o->sym.eta_last_V, 0, quiet);
    add_row(t, e, "overpotential rise onset", "h", NAN, o->sym.rise_onset_s / 3600.0, 0, quiet);
    add_row(t, e, "time to short", "h", NAN, o->short_s / 3600.0, 0, quiet);
    add_row(t, e, "test time", "h", NAN, o->t_end_s / 3600.0, 0, quiet);
    add_row(t, e, "half cycles ended at once", "1", NAN, (double)o->ended_at_start, 0, quiet);
}

static lmb_status load_cell(lmb_ctx *ctx, const char *arg, double loading_mg, lmb_cell **out) {
    lmb_status st = lmb_cell_load(ctx, arg, out);
    if (st == LMB_OK && loading_mg > 0.0)
        st = lmb_cell_set(ctx, *out, "electrodes.coating.loading_mg_cm2", loading_mg);
    if (st != LMB_OK) {
        lmb_cell_free(*out);
        *out = NULL;
    }
    return st;
}

int lmb_cmd_reproduce(lmb_ctx *ctx, int argc, char **argv) {
    const char *outdir = "out", *cells[2] = {"li-li:bare", "li-li:cspbcl3-2mg"};
    const char *cu_cells[2] = {"li-cu:bare", "li-cu:cspbcl3-2mg"};
    const char *lfp_cells[2] = {"li-lfp:bare", "li-lfp:cspbcl3-2mg"};
    int quiet = 0, n_exp = N_EXP, report = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int took = lmb_cli_study_option("reproduce", argc, argv, &i, &outdir, cells);
        if (took < 0)
            return LMB_EXIT_USAGE;
        if (took > 0) {
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "--calibration-only")) {
            n_exp = N_CALIBRATION;
        } else if (!strcmp(a, "--no-report")) {
            report = 0;
        } else if (!strcmp(a, "--report-only")) {
            report = 2;
        } else if ((!strcmp(a, "--bare-cu") || !strcmp(a, "--coated-cu")) && i + 1 < argc) {
            cu_cells[a[2] == 'c'] = argv[++i];
        } else if ((!strcmp(a, "--bare-lfp") || !strcmp(a, "--coated-lfp")) && i + 1 < argc) {
            lfp_cells[a[2] == 'c'] = argv[++i];
        } else {
            return lmb_cli_usage_error("reproduce", "unexpected argument '%s'", a);
        }
    }
    if (report == 2) { /* the report of an earlier run's output */
        lmb_status st = lmb__report_reproduce(ctx, outdir);
        if (st != LMB_OK)
            return lmb_cli_fail_input(ctx, st);
        if (!quiet)
            printf("Report: %s/report.html\n", outdir);
        return LMB_EXIT_OK;
    }
    /* every cell loads before anything runs: bad input fails fast */
    for (int k = 0; k < 6; k++) {
        lmb_cell *c = NULL;
        lmb_status st = load_cell(ctx,
                                  k < 2   ? cells[k]
                                  : k < 4 ? cu_cells[k - 2]
                                          : lfp_cells[k - 4],
                                  0.0, &c);
        lmb_cell_free(c);
        if (st != LMB_OK)
            return lmb_cli_fail_input(ctx, st);
    }
    if (lmb_cli_make_dir(outdir) != 0) {
        fprintf(stderr, "lmb: %s: cannot create directory: %s\n", outdir, strerror(errno));
        return LMB_EXIT_FAIL;
    }
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/comparison.csv", outdir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    table t = {cJSON_CreateArray(), fopen(tmp, "w")};
    if (!t.rows || !t.csv) {
        fprintf(stderr, "lmb: %s: cannot write: %s\n", tmp, strerror(errno));
        cJSON_Delete(t.rows);
        if (t.csv)
            fclose(t.csv);
        return LMB_EXIT_FAIL;
    }
    fprintf(t.csv, "experiment,quantity,description,unit,measured,simulated,relative_error,"
                   "within_tolerance,kind\n");
    int rc = LMB_EXIT_OK, tty = !quiet && isatty(STDERR_FILENO);
    result *out = calloc(N_EXP, sizeof *out);
    if (!out) {
        fclose(t.csv);
        remove(tmp);
        cJSON_Delete(t.rows);
        fprintf(stderr, "lmb: out of memory\n");
        return LMB_EXIT_FAIL;
    }
    double wall = 0.0;
    for (int k = 0; k < n_exp; k++) {
        const experiment *e = &k_experiments[k];
        if (!quiet)
            fprintf(stderr, "lmb reproduce: [%d/%d] %s ...%s", k + 1, n_exp, e->label,
                    tty ? "" : "\n");
        lmb_cell *cell = NULL;
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/%s", outdir, e->name);
        const char *cell_name = e->kind == EXP_ADAMS ? cu_cells[e->coated]
                                : e->kind == EXP_LFP ? lfp_cells[e->coated]
                                                     : cells[e->coated];
        lmb_status st = load_cell(ctx, cell_name, e->loading_mg, &cell);
        if (st == LMB_OK && lmb_cli_make_dir(dir) != 0)
            st = LMB_EIO;
        double w = 0.0;
        if (st == LMB_OK && e->kind == EXP_ADAMS)
            st = lmb__licu_study(ctx, cell, e->protocol, dir, &out[k].adams, &w);
        else if (st == LMB_OK && e->kind == EXP_LFP)
            st = lmb__lfp_study(ctx, cell, e->protocol, dir, &out[k].lfp);
        else if (st == LMB_OK)
            st = lmb__lili_study(ctx, cell, e->ocv ? "protocol:eis-ocv" : NULL, e->protocol, dir,
                                 &out[k].lili);
        lmb_cell_free(cell);
        if (st != LMB_OK) {
            rc = lmb_cli_fail(ctx, st);
            out[k].lili.end = LMB_RUN_FAILED;
            continue;
        }
        out[k].ok = 1;
        const lmb__lili_outcome *o = &out[k].lili;
        wall += e->kind == EXP_LFP ? out[k].lfp.wall_s : e->kind == EXP_ADAMS ? w : o->wall_s;
        if (e->kind == EXP_LFP) {
            const lmb__lfp_outcome *lo = &out[k].lfp;
            out[k].wall_s = lo->wall_s;
            if (!quiet)
                fprintf(stderr,
                        "%s%s: %s after %d cycles, %.1f h; last discharge %.1f mAh/g; FEC left "
                        "%.0f %%, dead-Li layer %.1f um, Li drift %.1e (%.2f s)\n",
                        tty ? "\r" : "lmb reproduce: ", e->name, lmb_run_end_name(lo->end),
                        lo->cycles, lo->t_end_s / 3600.0,
                        lo->cycles ? lo->discharge_mAh_g[lo->cycles - 1] : NAN,
                        100.0 * lo->fec_share, 1e6 * lo->dead_layer_m, lo->li_drift, lo->wall_s);
            if (lo->end == LMB_RUN_FAILED) {
                fprintf(stderr, "lmb: %s: %s\n", e->name, lo->error);
                rc = LMB_EXIT_FAIL;
            }
            continue;
        }
        if (e->kind == EXP_ADAMS) {
            out[k].wall_s = w;
            if (!quiet)
                fprintf(stderr, "%s%s: Adams CE %.2f %% (%d preconditioning cycles) (%.2f s)\n",
                        tty ? "\r" : "lmb reproduce: ", e->name, 100.0 * out[k].adams.ce,
                        out[k].adams.n_precondition, w);
            continue;
        }
        out[k].wall_s = o->wall_s;
        if (!quiet)
            fprintf(stderr,
                    "%s%s: %s after %.1f h, %d cycles; FEC left %.0f %%, dead-Li layers "
                    "%.1f + %.1f um, Li drift %.1e (%.2f s)\n",
                    tty ? "\r" : "lmb reproduce: ", e->name, lmb_run_end_name(o->end),
                    o->t_end_s / 3600.0, o->cycles, 100.0 * o->fec_share[0],
                    1e6 * o->dead_layer_m[0], 1e6 * o->dead_layer_m[1], o->li_drift, o->wall_s);
        if (o->end == LMB_RUN_FAILED) {
            fprintf(stderr, "lmb: %s: %s\n", e->name, o->error);
            rc = LMB_EXIT_FAIL;
        }
    }
    if (!quiet)
        printf("Calibration (Juhi et al., Chem. Mater. 2025; Li||Li and Li||Cu 0.502 cm2, Li||LFP "
               "0.785 cm2)\n"
               "  %-24s %-18s %10s %10s %-6s %9s\n",
               "quantity", "anode", "measured", "simulated", "unit", "error");
    for (int i = 0; i < lmb__lili_target_count; i++) {
        const lmb__target *tg = &lmb__lili_targets[i];
        int is_lfp = tg->id == LMB__T_LFP_FORMATION || tg->id == LMB__T_LFP_1C ||
                     tg->id == LMB__T_LFP_RETENTION;
        int k = tg->coated + (tg->id == LMB__T_ADAMS_CE ? K_ADAMS : is_lfp ? K_LFP : 0);
        int ka = K_ADAMS + tg->coated, kl = K_LFP + tg->coated;
        lmb__study_outcome so = {out[tg->coated].lili, out[ka].ok ? out[ka].adams.ce : NAN,
                                 out[kl].ok ? &out[kl].lfp : NULL};
        double sim = k < n_exp && out[k].ok ? lmb__target_value(tg, &so) : NAN;
        add_row(&t, &k_experiments[k], tg->quantity, tg->unit, tg->value / tg->unit_scale,
                sim / tg->unit_scale, tg->tolerance, quiet);
    }
    /* the coated cell must not short within 600 h: a qualitative check, stated as such */
    if (!quiet) {
        printf("  %-24s %-18s %10s %10s\n", "short within 600 h", anode_name(1), "no",
               !out[1].ok                         ? "failed"
               : out[1].lili.end == LMB_RUN_SHORT ? "YES"
                                                  : "no");
        printf("Predictions (same parameters, not fitted)\n");
    }
    /* (the Li||LFP calibration runs also give predictions: retention at the other anode's
     * cycle count, the first charge) */
    for (int k = 0; k < n_exp; k++)
        if (!k_experiments[k].calibration || k_experiments[k].kind == EXP_LFP)
            add_prediction_rows(&t, &k_experiments[k], &out[k], quiet);
    if (!quiet)
        printf("Simulated %d experiments in %.2f s; tables in %s/comparison.csv and "
               "comparison.json\n",
               n_exp, wall, outdir);
    int ok = fclose(t.csv) == 0;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "lmb: %s: cannot write: %s\n", path, strerror(errno));
        remove(tmp);
        rc = LMB_EXIT_FAIL;
    }
    cJSON *root = cJSON_CreateObject();
    if (root) {
        cJSON_AddStringToObject(root, "study",
                                "Juhi et al., Chem. Mater. 2025, 37, 8745 (Li||Li, Li||Cu and "
                                "Li||LFP experiments)");
        cJSON_AddStringToObject(root, "bare_cell", cells[0]);
        cJSON_AddStringToObject(root, "coated_cell", cells[1]);
        cJSON_AddNumberToObject(root, "wall_time_s", wall);
        /* the time of each experiment: bench/bench_reproduce.c prints the breakdown */
        cJSON *ex = cJSON_AddArrayToObject(root, "experiments");
        for (int k = 0; ex && k < n_exp; k++) {
            cJSON *o = cJSON_CreateObject();
            if (!o)
                break;
            cJSON_AddStringToObject(o, "name", k_experiments[k].name);
            cJSON_AddStringToObject(o, "label", k_experiments[k].label);
            cJSON_AddBoolToObject(o, "ran", out[k].ok);
            cJSON_AddNumberToObject(o, "wall_time_s", out[k].wall_s);
            cJSON_AddItemToArray(ex, o);
        }
        cJSON_AddItemToObject(root, "rows", t.rows);
        t.rows = NULL;
    }
    char *text = root ? cJSON_Print(root) : NULL;
    snprintf(path, sizeof path, "%s/comparison.json", outdir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = text ? fopen(tmp, "w") : NULL;
    int written = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        written = 0;
    if (!written || rename(tmp, path) != 0) {
        fprintf(stderr, "lmb: %s: cannot write: %s\n", path, strerror(errno));
        remove(tmp);
        rc = LMB_EXIT_FAIL;
    }
    free(text);
    cJSON_Delete(root);
    cJSON_Delete(t.rows);
    free(out);
    if (written && report) { /* the report reads what was just written */
        double t0 = lmb__now_s();
        lmb_status st = lmb__report_reproduce(ctx, outdir);
        if (st != LMB_OK) {
            fprintf(stderr, "lmb: the report could not be written: %s\n", lmb_ctx_errmsg(ctx));
            rc = LMB_EXIT_FAIL;
        } else if (!quiet) {
            printf("Report: %s/report.html (%.1f s)\n", outdir, lmb__now_s() - t0);
        }
    }
    return rc;
}
