/*
 * cmd_eis.c - `lmb eis fit`: equivalent-circuit fits of measured impedance spectra
 * (lmb/eis_data.h reads the file, lmb/circuit.h fits each spectrum); `lmb eis sim`: the model's
 * spectrum of a cell (lmb_sim_impedance), at rest or after a protocol.
 *
 * Output per spectrum: a table of parameters with standard errors and units, or with --json one
 * JSON object per line: {"circuit", "parameters": {"R0": ...}, "stderr": {...}, "units": {...},
 * "rmse_ohm", "converged", "spectrum" (from 1), "points"}. How the sign of the file's imaginary
 * column was read goes to stderr, so that stdout stays machine-readable.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "io/eis_figure.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses "v1,v2,..." into exactly n values; 0 or -1. */
static int parse_guess(const char *text, double *v, size_t n) {
    const char *p = text;
    for (size_t i = 0; i < n; i++) {
        char *end = NULL;
        errno = 0;
        v[i] = strtod(p, &end);
        if (end == p || errno != 0)
            return -1;
        p = end;
        if (i + 1 < n) {
            if (*p != ',')
                return -1;
            p++;
        }
    }
    return *p == '\0' ? 0 : -1;
}

/* Loads FILE and states how its sign convention was read (stderr); NULL after printing the
 * error (the exit status goes to *rc). */
static lmb_eis_data *load_spectra(lmb_ctx *ctx, const char *file, int *rc) {
    lmb_eis_data *d = NULL;
    lmb_status st = lmb_eis_data_load(ctx, file, &d);
    if (st != LMB_OK) {
        *rc = lmb_cli_fail_input(ctx, st);
        return NULL;
    }
    fprintf(stderr, "lmb eis: %s: %s, %zu spectra; %s\n", file, lmb_eis_data_format(d),
            lmb_eis_data_count(d), lmb_eis_data_sign_note(d));
    return d;
}

/* The arguments the commands on a FILE share: --json and the FILE itself. 1 if a was one of
 * them, 0 for LMB_EXIT_USAGE after a usage error (an unknown option or a second FILE). */
static int file_arg(const char *a, const char **file, int *json) {
    if (!strcmp(a, "--json")) {
        *json = 1;
        return 1;
    }
    if (a[0] == '-' && a[1] != '\0') {
        lmb_cli_usage_error("eis", "unexpected option '%s'", a);
        return 0;
    }
    if (*file) {
        lmb_cli_usage_error("eis", "unexpected argument '%s'", a);
        return 0;
    }
    *file = a;
    return 1;
}

/* One spectrum's work: spectrum s (from 0) of n points; a failure is reported by the caller. */
typedef lmb_status (*spectrum_fn)(lmb_ctx *ctx, void *arg, size_t s, const double *f,
                                  const double *Z_re, const double *Z_im, size_t n);

/* Runs fn on every spectrum of FILE; a spectrum that fails is reported ("lmb: FILE, spectrum
 * k: ...") and the others still run. Returns the exit status. */
static int for_each_spectrum(lmb_ctx *ctx, const char *file, spectrum_fn fn, void *arg) {
    int rc = LMB_EXIT_OK;
    lmb_eis_data *d = load_spectra(ctx, file, &rc);
    for (size_t s = 0; d && s < lmb_eis_data_count(d); s++)
        if (fn(ctx, arg, s, lmb_eis_data_f(d, s), lmb_eis_data_re(d, s), lmb_eis_data_im(d, s),
               lmb_eis_data_n(d, s)) != LMB_OK) {
            fprintf(stderr, "lmb: %s, spectrum %zu: %s\n", file, s + 1, lmb_ctx_errmsg(ctx));
            rc = LMB_EXIT_FAIL;
        }
    lmb_eis_data_free(d);
    return rc;
}

static void add_array(cJSON *o, const char *name, const double *v, size_t n) {
    cJSON *a = cJSON_AddArrayToObject(o, name);
    for (size_t i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
}

static void print_object(cJSON *o) {
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    if (text)
        printf("%s\n", text);
    free(text);
    cJSON_Delete(o);
}

static void print_json(const lmb_circuit *c, const lmb_circuit_fit_result *r, size_t spectrum,
                       size_t points) {
    cJSON *o = cJSON_CreateObject(), *par = cJSON_CreateObject(), *err = cJSON_CreateObject(),
          *units = cJSON_CreateObject();
    if (!o || !par || !err || !units) {
        cJSON_Delete(o);
        cJSON_Delete(par);
        cJSON_Delete(err);
        cJSON_Delete(units);
        return;
    }
    cJSON_AddStringToObject(o, "circuit", lmb_circuit_text(c));
    for (size_t i = 0; i < r->n_params; i++) {
        cJSON_AddNumberToObject(par, lmb_circuit_param_name(c, i), r->params[i]);
        cJSON_AddNumberToObject(err, lmb_circuit_param_name(c, i), r->std_err[i]);
        cJSON_AddStringToObject(units, lmb_circuit_param_name(c, i), lmb_circuit_param_unit(c, i));
    }
    cJSON_AddItemToObject(o, "parameters", par);
    cJSON_AddItemToObject(o, "stderr", err);
    cJSON_AddItemToObject(o, "units", units);
    cJSON_AddNumberToObject(o, "rmse_ohm", r->rmse_ohm);
    cJSON_AddBoolToObject(o, "converged", r->converged);
    cJSON_AddBoolToObject(o, "at_bound", r->at_bound);
    cJSON_AddNumberToObject(o, "spectrum", (double)(spectrum + 1));
    cJSON_AddNumberToObject(o, "points", (double)points);
    char *text = cJSON_PrintUnformatted(o);
    if (text)
        printf("%s\n", text);
    free(text);
    cJSON_Delete(o);
}

static void print_table(const lmb_circuit *c, const lmb_circuit_fit_result *r, size_t spectrum,
                        size_t points) {
    printf("spectrum %zu (%zu points): %s, rmse %.4g ohm%s\n", spectrum + 1, points,
           lmb_circuit_text(c), r->rmse_ohm,
           !r->converged ? " (NOT converged)"
           : r->at_bound ? " (a parameter at its bound: more elements than the data support)"
                         : "");
    for (size_t i = 0; i < r->n_params; i++)
        printf("  %-12s %14.6g +- %-12.3g %s\n", lmb_circuit_param_name(c, i), r->params[i],
               r->std_err[i], lmb_circuit_param_unit(c, i));
}

/* The figures of a fitted spectrum: data and the circuit on 20 points per decade. */
static lmb_status fit_figures(lmb_ctx *ctx, const char *dir, size_t s, const lmb_circuit *c,
                              const double *params, const double *f, const double *zr,
                              const double *zi, size_t n) {
    double lo = f[0], hi = f[0];
    for (size_t i = 1; i < n; i++) {
        lo = fmin(lo, f[i]);
        hi = fmax(hi, f[i]);
    }
    size_t m = (size_t)ceil(20.0 * log10(hi / lo)) + 2;
    double *buf = malloc(3 * m * sizeof *buf);
    if (!buf)
        return LMB_ENOMEM;
    double *ff = buf, *fr = buf + m, *fi = buf + 2 * m;
    for (size_t i = 0; i < m; i++)
        ff[i] = hi * pow(lo / hi, (double)i / (double)(m - 1));
    lmb_status st = lmb_circuit_impedance(c, params, ff, m, fr, fi);
    char title[160];
    snprintf(title, sizeof title, "spectrum %zu: %s", s + 1, lmb_circuit_text(c));
    if (st == LMB_OK)
        st = lmb__eis_figures(ctx, dir, s + 1, title, f, zr, zi, n, ff, fr, fi, m);
    free(buf);
    return st;
}

typedef struct fit_job {
    const lmb_circuit *c;
    const lmb_circuit_fit_options *opt;
    int json;
    const char *out_dir;
} fit_job;

static lmb_status fit_one(lmb_ctx *ctx, void *arg, size_t s, const double *f, const double *zr,
                          const double *zi, size_t n) {
    const fit_job *job = arg;
    lmb_circuit_fit_result r;
    lmb_status st = lmb_circuit_fit(ctx, job->c, f, zr, zi, n, job->opt, &r);
    if (st != LMB_OK)
        return st;
    if (job->json)
        print_json(job->c, &r, s, n);
    else
        print_table(job->c, &r, s, n);
    if (job->out_dir)
        st = fit_figures(ctx, job->out_dir, s, job->c, r.params, f, zr, zi, n);
    lmb_circuit_fit_result_free(&r);
    return st;
}

static int cmd_eis_fit(lmb_ctx *ctx, int argc, char **argv) {
    const char *file = NULL, *circuit = NULL, *guess = NULL, *out_dir = NULL;
    lmb_circuit_fit_options opt = lmb_circuit_fit_options_default();
    int json = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(a, "--circuit") && has_value) {
            circuit = argv[++i];
        } else if (!strcmp(a, "--guess") && has_value) {
            guess = argv[++i];
        } else if (!strcmp(a, "--weighting") && has_value) {
            const char *w = argv[++i];
            if (!strcmp(w, "unit"))
                opt.weighting = LMB_CIRCUIT_WEIGHT_UNIT;
            else if (!strcmp(w, "modulus"))
                opt.weighting = LMB_CIRCUIT_WEIGHT_MODULUS;
            else
                return lmb_cli_usage_error("eis", "--weighting '%s': use unit or modulus", w);
        } else if (!strcmp(a, "--multistart") && has_value) {
            char *end = NULL;
            long n = strtol(argv[++i], &end, 10);
            if (!end || *end != '\0' || n < 0 || n > 1000)
                return lmb_cli_usage_error("eis", "--multistart '%s': a count from 0 to 1000",
                                           argv[i]);
            opt.multistart = (int)n;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value) {
            out_dir = argv[++i];
        } else if (!file_arg(a, &file, &json)) {
            return LMB_EXIT_USAGE;
        }
    }
    if (!file)
        return lmb_cli_usage_error("eis", "fit: missing FILE");
    if (out_dir && lmb_cli_make_dir(out_dir) != 0) {
        fprintf(stderr, "lmb: %s: cannot create directory: %s\n", out_dir, strerror(errno));
        return LMB_EXIT_FAIL;
    }
    if (!circuit)
        return lmb_cli_usage_error("eis", "fit: missing --circuit (e.g. 'R0-p(R1,CPE1)')");
    lmb_circuit *c = NULL;
    lmb_status st = lmb_circuit_parse(ctx, circuit, &c);
    if (st != LMB_OK)
        return lmb_cli_fail_input(ctx, st);
    size_t np = lmb_circuit_param_count(c);
    double *p0 = NULL;
    if (guess) {
        p0 = malloc((np ? np : 1) * sizeof *p0);
        if (!p0 || parse_guess(guess, p0, np) != 0) {
            free(p0);
            lmb_circuit_free(c);
            return lmb_cli_usage_error(
                "eis", "--guess '%s': %zu comma-separated numbers in parameter order", guess, np);
        }
        opt.guess = p0;
    }
    fit_job job = {c, &opt, json, out_dir};
    int rc = for_each_spectrum(ctx, file, fit_one, &job);
    free(p0);
    lmb_circuit_free(c);
    return rc;
}

typedef struct kk_job {
    const lmb_kk_options *opt;
    int json;
} kk_job;

static lmb_status kk_one(lmb_ctx *ctx, void *arg, size_t s, const double *f, const double *zr,
                         const double *zi, size_t n) {
    const kk_job *job = arg;
    lmb_kk_result r;
    lmb_status st = lmb_kk_test(ctx, f, zr, zi, n, job->opt, &r);
    if (st != LMB_OK)
        return st;
    if (job->json) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddNumberToObject(o, "spectrum", (double)(s + 1));
            cJSON_AddNumberToObject(o, "points", (double)n);
            cJSON_AddNumberToObject(o, "M", r.M);
            cJSON_AddNumberToObject(o, "mu", r.mu);
            cJSON_AddNumberToObject(o, "residual_rms", r.rms_res);
            cJSON_AddNumberToObject(o, "residual_max", r.max_res);
            add_array(o, "frequency_Hz", f, n);
            add_array(o, "residual_re", r.res_re, n);
            add_array(o, "residual_im", r.res_im, n);
        }
        print_object(o);
    } else {
        printf("spectrum %zu (%zu points): lin-KK with M = %d Voigt elements (mu %.3f): "
               "residuals rms %.3g %%, max %.3g %% of |Z|\n",
               s + 1, n, r.M, r.mu, 100.0 * r.rms_res, 100.0 * r.max_res);
    }
    lmb_kk_result_free(&r);
    return LMB_OK;
}

/* `lmb eis kk FILE`: the lin-KK validity test of every spectrum (lmb/kk.h). */
static int cmd_eis_kk(lmb_ctx *ctx, int argc, char **argv) {
    const char *file = NULL;
    lmb_kk_options opt = lmb_kk_options_default();
    opt.add_inductance = 1; /* as impedance.py's linKK: cells and cables have one */
    int json = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--mu-c") && i + 1 < argc) {
            char *end = NULL;
            opt.mu_c = strtod(argv[++i], &end);
            if (!end || *end != '\0' || !(opt.mu_c > 0.0 && opt.mu_c <= 1.0))
                return lmb_cli_usage_error("eis", "--mu-c '%s': a number in (0, 1]", argv[i]);
        } else if (!strcmp(a, "--M") && i + 1 < argc) {
            char *end = NULL;
            long m = strtol(argv[++i], &end, 10);
            if (!end || *end != '\0' || m < 1 || m > LMB_KK_MAX_M)
                return lmb_cli_usage_error("eis", "--M '%s': a count from 1 to %d", argv[i],
                                           LMB_KK_MAX_M);
            opt.mu_c = 0.0; /* no criterion: exactly M elements (at most 2n unknowns) */
            opt.max_M = (int)m;
        } else if (!strcmp(a, "--add-capacitance")) {
            opt.add_capacitance = 1;
        } else if (!strcmp(a, "--no-inductance")) {
            opt.add_inductance = 0;
        } else if (!file_arg(a, &file, &json)) {
            return LMB_EXIT_USAGE;
        }
    }
    if (!file)
        return lmb_cli_usage_error("eis", "kk: missing FILE");
    kk_job job = {&opt, json};
    return for_each_spectrum(ctx, file, kk_one, &job);
}

typedef struct drt_job {
    const lmb_drt_options *opt;
    int json;
} drt_job;

static lmb_status drt_one(lmb_ctx *ctx, void *arg, size_t s, const double *f, const double *zr,
                          const double *zi, size_t n) {
    const drt_job *job = arg;
    lmb_drt_result r;
    lmb_status st = lmb_drt(ctx, f, zr, zi, n, job->opt, &r);
    if (st != LMB_OK)
        return st;
    if (job->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON *peaks = o ? cJSON_AddArrayToObject(o, "peaks") : NULL;
        if (o) {
            cJSON_AddNumberToObject(o, "spectrum", (double)(s + 1));
            cJSON_AddNumberToObject(o, "points", (double)n);
            cJSON_AddNumberToObject(o, "R_inf_ohm", r.R_inf_ohm);
            cJSON_AddNumberToObject(o, "L_H", r.L_H);
            cJSON_AddNumberToObject(o, "R_pol_ohm", r.R_pol_ohm);
            cJSON_AddNumberToObject(o, "lambda", r.lambda);
            cJSON_AddNumberToObject(o, "rms_ohm", r.rms_ohm);
            for (size_t k = 0; peaks && k < r.n_peaks; k++) {
                cJSON *pk = cJSON_CreateObject();
                if (!pk)
                    break;
                cJSON_AddNumberToObject(pk, "tau_s", r.peaks[k].tau_s);
                cJSON_AddNumberToObject(pk, "f_Hz", r.peaks[k].f_Hz);
                cJSON_AddNumberToObject(pk, "gamma_ohm", r.peaks[k].gamma_ohm);
                cJSON_AddNumberToObject(pk, "R_ohm", r.peaks[k].R_ohm);
                cJSON_AddItemToArray(peaks, pk);
            }
            add_array(o, "tau_s", r.tau_s, r.n_tau);
            add_array(o, "gamma_ohm", r.gamma_ohm, r.n_tau);
        }
        print_object(o);
    } else {
        printf("spectrum %zu (%zu points): R_inf %.4g ohm, R_pol %.4g ohm, L %.3g H, lambda "
               "%.3g (%s), fit rms %.3g ohm; %zu peaks\n",
               s + 1, n, r.R_inf_ohm, r.R_pol_ohm, r.L_H, r.lambda,
               job->opt->lambda > 0.0 ? "given" : "GCV", r.rms_ohm, r.n_peaks);
        for (size_t k = 0; k < r.n_peaks; k++)
            printf("  peak %zu: tau %.4g s (%.4g Hz), R %.4g ohm\n", k + 1, r.peaks[k].tau_s,
                   r.peaks[k].f_Hz, r.peaks[k].R_ohm);
    }
    lmb_drt_result_free(&r);
    return LMB_OK;
}

/* `lmb eis drt FILE`: the distribution of relaxation times of every spectrum (lmb/drt.h). */
static int cmd_eis_drt(lmb_ctx *ctx, int argc, char **argv) {
    const char *file = NULL;
    lmb_drt_options opt = lmb_drt_options_default();
    int json = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--lambda") && i + 1 < argc) {
            char *end = NULL;
            opt.lambda = strtod(argv[++i], &end);
            if (!end || *end != '\0' || !(opt.lambda > 0.0) || !isfinite(opt.lambda))
                return lmb_cli_usage_error("eis", "--lambda '%s': a number > 0", argv[i]);
        } else if (!file_arg(a, &file, &json)) {
            return LMB_EXIT_USAGE;
        }
    }
    if (!file)
        return lmb_cli_usage_error("eis", "drt: missing FILE");
    drt_job job = {&opt, json};
    return for_each_spectrum(ctx, file, drt_one, &job);
}

/* A positive, finite number [Hz] from text; 0 or -1. */
static int parse_hz(const char *text, double *v) {
    char *end = NULL;
    errno = 0;
    *v = strtod(text, &end);
    return end != text && *end == '\0' && errno == 0 && *v > 0.0 && isfinite(*v) ? 0 : -1;
}

/* `lmb eis sim CELL`: the model's spectrum of a cell at rest (after an optional protocol). */
static int cmd_eis_sim(lmb_ctx *ctx, int argc, char **argv) {
    const char *cell_name = NULL, *after = NULL, *out_path = NULL;
    double f_hi = 1e6, f_lo = 1e-3;
    long ppd = 10;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if ((!strcmp(a, "--from") || !strcmp(a, "--to")) && has_value) {
            if (parse_hz(argv[++i], a[2] == 'f' ? &f_hi : &f_lo) != 0)
                return lmb_cli_usage_error("eis", "%s '%s': a frequency in Hz > 0", a, argv[i]);
        } else if (!strcmp(a, "--points-per-decade") && has_value) {
            char *end = NULL;
            ppd = strtol(argv[++i], &end, 10);
            if (!end || *end != '\0' || ppd < 1 || ppd > 1000)
                return lmb_cli_usage_error("eis", "--points-per-decade '%s': 1 to 1000", argv[i]);
        } else if (!strcmp(a, "--after") && has_value) {
            after = argv[++i];
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value) {
            out_path = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            return lmb_cli_usage_error("eis", "unexpected option '%s'", a);
        } else if (!cell_name) {
            cell_name = a;
        } else {
            return lmb_cli_usage_error("eis", "unexpected argument '%s'", a);
        }
    }
    if (!cell_name)
        return lmb_cli_usage_error("eis", "sim: missing CELL");
    double hi = fmax(f_hi, f_lo), lo = fmin(f_hi, f_lo);
    size_t n = (size_t)floor(log10(hi / lo) * (double)ppd + 1e-9) + 1;
    if (n < 3 || n > 100000)
        return lmb_cli_usage_error("eis", "sim: %zu frequencies (3 to 100000 are allowed)", n);
    lmb_cell *cell = NULL;
    lmb_protocol *proto = NULL;
    lmb_sim *sim = NULL;
    lmb_status st = lmb_cell_load(ctx, cell_name, &cell);
    if (st == LMB_OK && after)
        st = lmb_protocol_load(ctx, after, &proto);
    if (st != LMB_OK) {
        lmb_cell_free(cell);
        return lmb_cli_fail_input(ctx, st);
    }
    double *buf = malloc(3 * n * sizeof *buf);
    int rc = LMB_EXIT_OK;
    st = buf ? lmb_sim_create(ctx, cell, NULL, &sim) : LMB_ENOMEM;
    if (st == LMB_OK && proto) {
        lmb_run_result res;
        st = lmb_protocol_run(ctx, sim, proto, NULL, NULL, &res);
    }
    double *f = buf, *zr = buf + n, *zi = buf + 2 * n;
    if (st == LMB_OK) {
        for (size_t k = 0; k < n; k++)
            f[k] = hi * pow(10.0, -(double)k / (double)ppd);
        st = lmb_sim_impedance(ctx, sim, f, n, zr, zi);
    }
    FILE *out = stdout;
    if (st == LMB_OK && out_path && !(out = fopen(out_path, "w"))) {
        fprintf(stderr, "lmb: %s: cannot write: %s\n", out_path, strerror(errno));
        rc = LMB_EXIT_FAIL;
    }
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
    } else if (out) {
        fprintf(out, "frequency_Hz,Z_re_ohm,Z_im_ohm\n");
        for (size_t k = 0; k < n; k++)
            fprintf(out, "%.10g,%.10g,%.10g\n", f[k], zr[k], zi[k]);
        if (out != stdout && fclose(out) != 0) {
            fprintf(stderr, "lmb: %s: cannot write: %s\n", out_path, strerror(errno));
            rc = LMB_EXIT_FAIL;
        }
        lmb_arc_metrics am;
        if (lmb_eis_arc_metrics(ctx, f, zr, zi, n, &am) == LMB_OK)
            fprintf(stderr,
                    "lmb eis: %s%s%s at t = %.6g s: R_hf %.4g ohm, R_SEI %.4g ohm, R_diff %.4g "
                    "ohm, R_total %.4g ohm, arc apex %.4g Hz\n",
                    cell_name, after ? " after " : "", after ? after : "", lmb_sim_time(sim),
                    am.R_hf, am.R_SEI, am.R_diff, am.R_total, am.f_apex_Hz);
    }
    lmb_sim_free(sim);
    lmb_protocol_free(proto);
    lmb_cell_free(cell);
    free(buf);
    return rc;
}

int lmb_cmd_eis(lmb_ctx *ctx, int argc, char **argv) {
    if (argc < 2)
        return lmb_cli_usage_error("eis", "missing what to do (fit or sim)");
    if (!strcmp(argv[1], "fit"))
        return cmd_eis_fit(ctx, argc, argv);
    if (!strcmp(argv[1], "sim"))
        return cmd_eis_sim(ctx, argc, argv);
    if (!strcmp(argv[1], "kk"))
        return cmd_eis_kk(ctx, argc, argv);
    if (!strcmp(argv[1], "drt"))
        return cmd_eis_drt(ctx, argc, argv);
    return lmb_cli_usage_error("eis", "unknown '%s' (available: fit, kk, drt, sim)", argv[1]);
}
