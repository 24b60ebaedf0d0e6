/*
 * cmd_analyze.c - `lmb analyze FILE... -o DIR`: a real cycler or potentiostat file turned into
 * the same cycle table and metrics as a simulation (lmb/record.h reads it, lmb/analyze.h cuts
 * it, lmb/summary.h tabulates it); `lmb convert FILE -o OUT.bdf.csv`: the record as Battery Data
 * Format CSV.
 *
 * Per file, in DIR (or DIR/<name>/ when several files are given):
 *   cycles.csv       the simulator's per-cycle columns (lmb/summary.h)
 *   half_cycles.csv  one row per half cycle: times, capacity, energy, mean and end voltage
 *   summary.json     the cycles, the record's description (format, rows, notes), how it was
 *                    cut (rest current, cycle direction), symmetric-cell metrics, the Adams CE
 *                    when the record follows that protocol, and the spectra inside it
 *   eis.csv          the impedance spectra inside the record, if any
 *   *.svg, *.png     figures (io/report.h): voltage against time with zooms; capacities and
 *                    CE against cycle; overpotential against cycle (symmetric cells); rate
 *                    capability; the spectra (Nyquist + Bode, or stacked Nyquist)
 *   report.html      all of it in one page a browser opens offline
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "io/report.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct analyze_args {
    const char *outdir;
    const char *compare; /* a simulation (lmb run's directory or any record) to draw beside it */
    lmb_analyze_options opt;
    int quiet, figures;
} analyze_args;

/* The name of a file without directory and extensions ("a/b.bdf.csv" -> "b"). */
static void file_stem(const char *path, char *out, size_t size) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, size, "%s", base);
    char *dot = strchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

static const char *direction_name(int sign) {
    return sign > 0 ? "charge" : sign < 0 ? "discharge" : "none";
}

static int write_half_cycles(lmb_ctx *ctx, const lmb_analysis *a, const char *path) {
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "lmb: %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    (void)ctx;
    int ok = fputs("half_cycle,cycle,direction,time_start_h,time_end_h,capacity_mAh,energy_mWh,"
                   "mean_voltage_V,mean_abs_voltage_V,end_voltage_V,mean_current_mA\n",
                   f) >= 0;
    for (size_t i = 0; i < lmb_analysis_half_cycle_count(a) && ok; i++) {
        const lmb_half_cycle *h = lmb_analysis_half_cycle(a, i);
        double dt = h->t_end_s - h->t_start_s;
        ok = fprintf(f, "%zu,%d,%s", i + 1, h->cycle, direction_name(h->sign)) >= 0;
        double v[8] = {h->t_start_s / 3600.0,
                       h->t_end_s / 3600.0,
                       fabs(h->charge_C) * LMB_MAH_PER_C,
                       h->energy_J * h->sign * LMB_MWH_PER_J,
                       h->charge_C != 0.0 ? h->energy_J / h->charge_C : NAN,
                       h->mean_abs_V,
                       h->v_end_V,
                       dt > 0.0 ? h->charge_C / dt * 1e3 : NAN};
        for (int k = 0; k < 8 && ok; k++) /* undefined values are empty fields */
            ok = fputc(',', f) != EOF && (!isfinite(v[k]) || fprintf(f, "%.10g", v[k]) >= 0);
        ok = ok && fputc('\n', f) != EOF;
    }
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        fprintf(stderr, "lmb: %s: write failed\n", path);
        return -1;
    }
    return 0;
}

/*
 * A hint when most complete cycles return more than they inserted (CE > 1) under the automatic
 * cycle direction: the record most likely starts with a partial half cycle (a cathode first
 * discharged from its as-assembled state), which then set the direction. NULL if none.
 */
static const char *direction_hint(const lmb_analysis *a, const analyze_args *args) {
    const lmb_summary *s = lmb_analysis_summary(a);
    size_t full = 0, above = 0;
    for (size_t i = 0; i < lmb_summary_cycle_count(s); i++) {
        double ce = lmb_cycle_coulombic_efficiency(lmb_summary_cycle(s, i));
        full += isfinite(ce);
        above += ce > 1.0;
    }
    if (args->opt.cycle_start != LMB_CYCLE_START_AUTO || lmb_analysis_is_symmetric(a) || full < 2 ||
        2 * above <= full)
        return NULL;
    return lmb_analysis_cycle_direction(a) < 0
               ? "CE > 1 in most cycles: the record starts with a discharge, which set the cycle "
                 "direction; if it is a partial first discharge, --cycle-start charge pairs each "
                 "charge with the discharge after it"
               : "CE > 1 in most cycles: the record starts with a charge, which set the cycle "
                 "direction; if it is a partial first charge, --cycle-start discharge pairs each "
                 "discharge with the charge after it";
}

static cJSON *num_or_null(double v) {
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* The analysis' description for summary.json (free() the text); NULL if out of memory. */
static char *analysis_meta(lmb_ctx *ctx, const lmb_record *r, const lmb_analysis *a,
                           const analyze_args *args, const char *hint) {
    cJSON *m = cJSON_CreateObject();
    if (!m)
        return NULL;
    cJSON_AddStringToObject(m, "file", lmb_record_path(r));
    cJSON_AddStringToObject(m, "format", lmb_record_format(r));
    cJSON_AddNumberToObject(m, "rows", (double)lmb_record_rows(r));
    cJSON *cols = cJSON_AddArrayToObject(m, "columns");
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        if (lmb_record_column(r, (lmb_rec_col)c))
            cJSON_AddItemToArray(cols, cJSON_CreateString(lmb_record_label((lmb_rec_col)c)));
    cJSON *notes = cJSON_AddArrayToObject(m, "notes");
    for (size_t i = 0; i < lmb_record_note_count(r); i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(lmb_record_note(r, i)));
    cJSON *cut = cJSON_AddObjectToObject(m, "segmentation");
    cJSON_AddNumberToObject(cut, "steps", (double)lmb_analysis_step_count(a));
    cJSON_AddNumberToObject(cut, "half_cycles", (double)lmb_analysis_half_cycle_count(a));
    cJSON_AddItemToObject(cut, "rest_current_A", num_or_null(lmb_analysis_rest_current(a)));
    cJSON_AddNumberToObject(cut, "steps_from_instrument_counters",
                            (double)lmb_analysis_counted_steps(a));
    cJSON_AddItemToObject(cut, "integral_vs_counters_relative",
                          num_or_null(lmb_analysis_counter_mismatch(a)));
    cJSON_AddStringToObject(cut, "charge_from",
                            lmb_analysis_counted_steps(a) > 0
                                ? "the instrument's capacity counters where the record has them "
                                  "(integral of I dt elsewhere)"
                                : "the integral of I dt");
    if (hint)
        cJSON_AddStringToObject(cut, "hint", hint);
    cJSON_AddStringToObject(cut, "cycle_direction",
                            direction_name(lmb_analysis_cycle_direction(a)));
    cJSON_AddStringToObject(
        cut, "convention",
        args->opt.cycle_start
            ? "a cycle starts with a half cycle in the given direction; a leading half cycle of "
              "the other direction is cycle 1 alone"
            : "a cycle starts with a half cycle in the direction of the record's first half "
              "cycle");
    /* what the analysis used: the options, else what the file states */
    const lmb_summary *used = lmb_analysis_summary(a);
    double mass = lmb_summary_active_mass(used), area = lmb_summary_area(used),
           qn = lmb_summary_nominal_capacity(used);
    cJSON_AddItemToObject(m, "active_mass_mg",
                          mass > 0.0 ? cJSON_CreateNumber(mass * 1e6) : cJSON_CreateNull());
    cJSON_AddItemToObject(m, "area_cm2",
                          area > 0.0 ? cJSON_CreateNumber(area * 1e4) : cJSON_CreateNull());
    cJSON_AddItemToObject(m, "nominal_capacity_mAh",
                          qn > 0.0 ? cJSON_CreateNumber(qn * LMB_MAH_PER_C) : cJSON_CreateNull());
    const lmb_summary *s = lmb_analysis_summary(a);
    cJSON_AddBoolToObject(m, "symmetric_cell", lmb_analysis_is_symmetric(a));
    lmb_symmetric_metrics sm;
    if (lmb_analysis_is_symmetric(a) &&
        lmb_symmetric_metrics_compute(ctx, s, LMB_SYMMETRIC_RISE_FRACTION, &sm) == LMB_OK) {
        cJSON *o = cJSON_AddObjectToObject(m, "symmetric");
        cJSON_AddNumberToObject(o, "cycles", sm.cycles);
        cJSON_AddItemToObject(o, "overpotential_initial_mV", num_or_null(sm.eta_initial_V * 1e3));
        cJSON_AddItemToObject(o, "overpotential_min_mV", num_or_null(sm.eta_min_V * 1e3));
        cJSON_AddItemToObject(o, "overpotential_last_mV", num_or_null(sm.eta_last_V * 1e3));
        cJSON_AddNumberToObject(o, "rise_fraction", LMB_SYMMETRIC_RISE_FRACTION);
        cJSON_AddItemToObject(o, "rise_onset_h", num_or_null(sm.rise_onset_s / 3600.0));
        cJSON_AddNumberToObject(o, "rise_cycle", sm.rise_cycle);
        cJSON_AddNumberToObject(o, "short_fraction", LMB_SYMMETRIC_SHORT_FRACTION);
        cJSON_AddItemToObject(o, "short_h", num_or_null(sm.short_s / 3600.0));
        cJSON_AddNumberToObject(o, "short_cycle", sm.short_cycle);
    }
    size_t nh = 0;
    const double *hq = lmb_analysis_half_charges(a, &nh);
    lmb_adams_result ad;
    if (nh >= 4 && lmb_adams_ce(ctx, hq, nh, LMB_ADAMS_DETECT, &ad) == LMB_OK) {
        cJSON *o = cJSON_AddObjectToObject(m, "adams");
        cJSON_AddNumberToObject(o, "ce", ad.ce);
        cJSON_AddNumberToObject(o, "n_precondition", ad.n_precondition);
        cJSON_AddNumberToObject(o, "n_cycles", ad.n_cycles);
        cJSON_AddNumberToObject(o, "Q_T_mAh", ad.Q_T_C * LMB_MAH_PER_C);
        cJSON_AddNumberToObject(o, "Q_S_mAh", ad.Q_S_C * LMB_MAH_PER_C);
    } else {
        cJSON_AddNullToObject(m, "adams");
        cJSON_AddStringToObject(m, "adams_note",
                                nh >= 4 ? lmb_ctx_errmsg(ctx)
                                        : "fewer than four half cycles: not an Adams record");
    }
    cJSON_AddNumberToObject(m, "spectra", (double)lmb_analysis_spectrum_count(a));
    if (args->compare)
        cJSON_AddStringToObject(m, "compared_with", args->compare);
    char *text = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    return text;
}

static int write_spectra(lmb_ctx *ctx, const lmb_record *r, const lmb_analysis *a,
                         const char *path) {
    lmb_eis_writer *w = NULL;
    lmb_status st = lmb_eis_writer_open(ctx, path, &w);
    const double *f = lmb_record_column(r, LMB_REC_FREQUENCY),
                 *re = lmb_record_column(r, LMB_REC_Z_RE), *im = lmb_record_column(r, LMB_REC_Z_IM);
    for (size_t k = 0; st == LMB_OK && k < lmb_analysis_spectrum_count(a); k++) {
        const lmb_record_spectrum *sp = lmb_analysis_spectrum(a, k);
        if (!re || !im)
            break;
        st = lmb_eis_writer_append(ctx, w, sp->cycle, sp->step, sp->t_s, sp->n, f + sp->row_first,
                                   re + sp->row_first, im + sp->row_first);
    }
    lmb_status cst = lmb_eis_writer_close(ctx, w);
    if (st == LMB_OK)
        st = cst;
    return st == LMB_OK ? 0 : lmb_cli_fail(ctx, st);
}

/* The record to compare with: RUN is lmb run's output directory (its timeseries.bdf.csv) or
 * any file lmb_record_load reads. */
static lmb_status load_compare(lmb_ctx *ctx, const char *run, const lmb_analyze_options *opt,
                               lmb_record **r, lmb_analysis **a) {
    char path[4300];
    struct stat sb;
    if (stat(run, &sb) == 0 && S_ISDIR(sb.st_mode))
        snprintf(path, sizeof path, "%.4000s/timeseries.bdf.csv", run);
    else
        snprintf(path, sizeof path, "%.4000s", run);
    lmb_status st = lmb_record_load(ctx, path, r);
    if (st == LMB_OK)
        st = lmb_record_analyze(ctx, *r, opt, a);
    return st;
}

/* The figures of one record (and of the comparison) and DIR/report.html; a failure is reported,
 * exit 1 (2 for a comparison record that cannot be read). */
static int write_figures(lmb_ctx *ctx, const lmb_record *r, const lmb_analysis *a, const char *dir,
                         const char *title, const analyze_args *args) {
    lmb__spectra sp = {0};
    lmb__fig_list figs = {0};
    lmb_record *cr = NULL;
    lmb_analysis *ca = NULL;
    lmb_status st = lmb__spectra_of_record(ctx, r, a, &sp);
    if (st == LMB_OK)
        st = lmb__record_figures(ctx, dir, "", title, r, a, &sp, &figs);
    if (st == LMB_OK && args->compare) {
        st = load_compare(ctx, args->compare, &args->opt, &cr, &ca);
        if (st != LMB_OK) {
            lmb_cli_fail_input(ctx, st);
            lmb__fig_list_free(&figs);
            lmb__spectra_free(&sp);
            lmb_record_free(cr);
            return LMB_EXIT_USAGE;
        }
        st = lmb__overlay_figures(ctx, dir, title, r, a, cr, ca, &figs);
    }
    char path[4300];
    snprintf(path, sizeof path, "%.4000s/report.html", dir);
    if (st == LMB_OK)
        st = lmb__report_analysis(ctx, path, r, a, &figs);
    lmb__fig_list_free(&figs);
    lmb__spectra_free(&sp);
    lmb_analysis_free(ca);
    lmb_record_free(cr);
    if (st != LMB_OK) {
        fprintf(stderr, "lmb analyze: %s: the figures or the report could not be written: %s\n",
                dir, lmb_ctx_errmsg(ctx));
        return LMB_EXIT_FAIL;
    }
    return LMB_EXIT_OK;
}

static void print_summary(const lmb_record *r, const lmb_analysis *a, const char *dir) {
    const lmb_summary *s = lmb_analysis_summary(a);
    printf("%s: %s, %zu rows, %zu half cycles in %zu cycles, %zu spectra -> %s/\n",
           lmb_record_path(r), lmb_record_format(r), lmb_record_rows(r),
           lmb_analysis_half_cycle_count(a), lmb_summary_cycle_count(s),
           lmb_analysis_spectrum_count(a), dir);
    size_t nc = lmb_summary_cycle_count(s);
    for (size_t i = 0; i < nc; i++) {
        if (nc > 12 && i == 5) {
            printf("  ...\n");
            i = nc - 5;
        }
        const lmb_cycle_row *row = lmb_summary_cycle(s, i);
        printf("  cycle %4d  charge %10.4f mAh  discharge %10.4f mAh  CE %8.4f %%\n", row->cycle,
               row->charge_C * LMB_MAH_PER_C, row->discharge_C * LMB_MAH_PER_C,
               lmb_cycle_coulombic_efficiency(row) * 100.0);
    }
}

static int analyze_one(lmb_ctx *ctx, const char *file, const char *dir, const analyze_args *args) {
    lmb_record *r = NULL;
    lmb_status st = lmb_record_load(ctx, file, &r);
    if (st != LMB_OK)
        return lmb_cli_fail_input(ctx, st);
    if (lmb_record_rows(r) == 0) { /* a settings file: what it says, nothing to analyse */
        if (!args->quiet) {
            printf("%s: %s, settings only (no data rows)\n", file, lmb_record_format(r));
            for (size_t i = 0; i < lmb_record_note_count(r); i++)
                printf("  %s\n", lmb_record_note(r, i));
        }
        lmb_record_free(r);
        return LMB_EXIT_OK;
    }
    lmb_analysis *a = NULL;
    st = lmb_record_analyze(ctx, r, &args->opt, &a);
    if (st != LMB_OK) {
        lmb_record_free(r);
        return lmb_cli_fail_input(ctx, st);
    }
    int rc = LMB_EXIT_OK;
    char path[4200];
    if (lmb_cli_make_dir(dir) != 0) {
        fprintf(stderr, "lmb: %s: cannot create directory: %s\n", dir, strerror(errno));
        rc = LMB_EXIT_FAIL;
        goto out;
    }
    const lmb_summary *s = lmb_analysis_summary(a);
    const char *hint = direction_hint(a, args); /* NULL if none */
    snprintf(path, sizeof path, "%.4000s/cycles.csv", dir);
    st = lmb_summary_write_csv(ctx, s, path);
    if (st == LMB_OK) {
        char *meta = analysis_meta(ctx, r, a, args, hint);
        snprintf(path, sizeof path, "%.4000s/summary.json", dir);
        st = meta ? lmb_summary_write_json(ctx, s, meta, path) : LMB_ENOMEM;
        free(meta);
    }
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
        goto out;
    }
    snprintf(path, sizeof path, "%.4000s/half_cycles.csv", dir);
    if (write_half_cycles(ctx, a, path) != 0) {
        rc = LMB_EXIT_FAIL;
        goto out;
    }
    if (lmb_analysis_spectrum_count(a) > 0) {
        snprintf(path, sizeof path, "%.4000s/eis.csv", dir);
        rc = write_spectra(ctx, r, a, path);
    }
    if (rc == LMB_EXIT_OK && args->figures) {
        char stem[256];
        file_stem(file, stem, sizeof stem);
        rc = write_figures(ctx, r, a, dir, stem, args);
    }
    if (hint)
        fprintf(stderr, "lmb analyze: %s: %s\n", file, hint);
    if (!args->quiet) {
        print_summary(r, a, dir);
        double mm = lmb_analysis_counter_mismatch(a);
        if (isfinite(mm))
            printf("  charges of %zu steps from the instrument's counters (the integral of the "
                   "current column differs by %+.2f %%)\n",
                   lmb_analysis_counted_steps(a), 100.0 * mm);
    }
out:
    lmb_analysis_free(a);
    lmb_record_free(r);
    return rc;
}

int lmb_cmd_analyze(lmb_ctx *ctx, int argc, char **argv) {
    analyze_args args = {.outdir = "out/analyze", .figures = 1};
    const char **files = calloc((size_t)argc, sizeof *files);
    if (!files)
        return lmb_cli_fail(ctx, LMB_ENOMEM);
    int nf = 0, rc = LMB_EXIT_OK;
    for (int i = 1; i < argc && rc == LMB_EXIT_OK; i++) {
        const char *a = argv[i];
        double v;
        const lmb_unit *u;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                rc = lmb_cli_usage_error("analyze", "%s needs a directory", a);
            else
                args.outdir = argv[++i];
        } else if (!strcmp(a, "--cycle-start")) {
            const char *d = i + 1 < argc ? argv[++i] : "";
            if (!strcmp(d, "charge"))
                args.opt.cycle_start = 1;
            else if (!strcmp(d, "discharge"))
                args.opt.cycle_start = -1;
            else if (!strcmp(d, "auto"))
                args.opt.cycle_start = LMB_CYCLE_START_AUTO;
            else
                rc = lmb_cli_usage_error(
                    "analyze", "--cycle-start takes charge, discharge or auto, not '%s'", d);
        } else if (!strcmp(a, "--rest-current") || !strcmp(a, "--capacity") ||
                   !strcmp(a, "--area") || !strcmp(a, "--mass")) {
            lmb_dim dim = a[2] == 'r'   ? LMB_DIM_CURRENT
                          : a[2] == 'c' ? LMB_DIM_CHARGE
                          : a[2] == 'a' ? LMB_DIM_AREA
                                        : LMB_DIM_MASS;
            if (lmb_cli_flag_quantity(ctx, "analyze", argc, argv, &i, dim, &v, &u) != 0)
                rc = LMB_EXIT_USAGE;
            else if (!((v = lmb_unit_to_si(u, v)) > 0.0)) /* the value as typed, in SI */
                rc = lmb_cli_usage_error("analyze", "%s must be > 0", a);
            else if (dim == LMB_DIM_CURRENT)
                args.opt.rest_current_A = v;
            else if (dim == LMB_DIM_CHARGE)
                args.opt.nominal_capacity_C = v;
            else if (dim == LMB_DIM_AREA)
                args.opt.area_m2 = v;
            else
                args.opt.active_mass_kg = v;
        } else if (!strcmp(a, "--compare")) {
            if (i + 1 >= argc)
                rc = lmb_cli_usage_error("analyze", "--compare needs a run directory or a file");
            else
                args.compare = argv[++i];
        } else if (!strcmp(a, "--integrate")) {
            args.opt.integrate_only = 1;
        } else if (!strcmp(a, "--no-figures")) {
            args.figures = 0;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            args.quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = lmb_cli_usage_error("analyze", "unknown option '%s'", a);
        } else {
            files[nf++] = a;
        }
    }
    if (rc == LMB_EXIT_OK && nf == 0)
        rc = lmb_cli_usage_error("analyze", "no FILE given");
    if (rc == LMB_EXIT_OK && args.compare && nf > 1)
        rc = lmb_cli_usage_error("analyze", "--compare takes one FILE, not %d", nf);
    if (rc == LMB_EXIT_OK && args.compare && !args.figures)
        rc = lmb_cli_usage_error("analyze", "--compare draws figures: not with --no-figures");
    /* every file is analysed even if one fails; the exit status is the worst */
    int worst = rc;
    for (int k = 0; rc == LMB_EXIT_OK && k < nf; k++) {
        char dir[4200];
        if (nf == 1) {
            snprintf(dir, sizeof dir, "%s", args.outdir);
        } else {
            char stem[256];
            file_stem(files[k], stem, sizeof stem);
            snprintf(dir, sizeof dir, "%.3800s/%s", args.outdir, stem);
            for (int j = 0; j < k; j++) { /* two files of the same name: number them */
                char other[256];
                file_stem(files[j], other, sizeof other);
                if (!strcmp(other, stem)) {
                    snprintf(dir, sizeof dir, "%.3800s/%s-%d", args.outdir, stem, k + 1);
                    break;
                }
            }
        }
        int r = analyze_one(ctx, files[k], dir, &args);
        if (r > worst)
            worst = r;
    }
    free(files);
    return worst;
}

int lmb_cmd_convert(lmb_ctx *ctx, int argc, char **argv) {
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (i + 1 >= argc)
                return lmb_cli_usage_error("convert", "%s needs a file name", argv[i]);
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return lmb_cli_usage_error("convert", "unknown option '%s'", argv[i]);
        } else if (in) {
            return lmb_cli_usage_error("convert", "one FILE at a time ('%s' and '%s')", in,
                                       argv[i]);
        } else {
            in = argv[i];
        }
    }
    if (!in || !out)
        return lmb_cli_usage_error("convert", "usage: lmb convert FILE -o OUT.bdf.csv");
    lmb_record *r = NULL;
    lmb_status st = lmb_record_load(ctx, in, &r);
    if (st != LMB_OK)
        return lmb_cli_fail_input(ctx, st);
    st = lmb_record_write_bdf(ctx, r, out);
    int rc = st == LMB_OK ? LMB_EXIT_OK : lmb_cli_fail(ctx, st);
    if (rc == LMB_EXIT_OK)
        printf("%s: %s, %zu rows -> %s\n", in, lmb_record_format(r), lmb_record_rows(r), out);
    lmb_record_free(r);
    return rc;
}
