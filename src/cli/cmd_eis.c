/*
 * cmd_eis.c - `lmb eis fit`: equivalent-circuit fits of measured impedance spectra
 * (lmb/eis_data.h reads the file, lmb/circuit.h fits each spectrum).
 *
 * Output per spectrum: a table of parameters with standard errors and units, or with --json one
 * JSON object per line: {"circuit", "parameters": {"R0": ...}, "stderr": {...}, "units": {...},
 * "rmse_ohm", "converged", "spectrum" (from 1), "points"}. How the sign of the file's imaginary
 * column was read goes to stderr, so that stdout stays machine-readable.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
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
           lmb_circuit_text(c), r->rmse_ohm, r->converged ? "" : " (NOT converged)");
    for (size_t i = 0; i < r->n_params; i++)
        printf("  %-12s %14.6g +- %-12.3g %s\n", lmb_circuit_param_name(c, i), r->params[i],
               r->std_err[i], lmb_circuit_param_unit(c, i));
}

static int cmd_eis_fit(lmb_ctx *ctx, int argc, char **argv) {
    const char *file = NULL, *circuit = NULL, *guess = NULL;
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
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return lmb_cli_usage_error("eis", "unexpected option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return lmb_cli_usage_error("eis", "unexpected argument '%s'", a);
        }
    }
    if (!file)
        return lmb_cli_usage_error("eis", "fit: missing FILE");
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
    lmb_eis_data *d = NULL;
    st = lmb_eis_data_load(ctx, file, &d);
    if (st != LMB_OK) {
        free(p0);
        lmb_circuit_free(c);
        return lmb_cli_fail_input(ctx, st);
    }
    fprintf(stderr, "lmb eis: %s: %s, %zu spectra; %s\n", file, lmb_eis_data_format(d),
            lmb_eis_data_count(d), lmb_eis_data_sign_note(d));
    int rc = LMB_EXIT_OK;
    for (size_t s = 0; s < lmb_eis_data_count(d); s++) {
        size_t n = lmb_eis_data_n(d, s);
        lmb_circuit_fit_result r;
        st = lmb_circuit_fit(ctx, c, lmb_eis_data_f(d, s), lmb_eis_data_re(d, s),
                             lmb_eis_data_im(d, s), n, &opt, &r);
        if (st != LMB_OK) {
            fprintf(stderr, "lmb: %s, spectrum %zu: %s\n", file, s + 1, lmb_ctx_errmsg(ctx));
            rc = LMB_EXIT_FAIL;
            continue;
        }
        if (json)
            print_json(c, &r, s, n);
        else
            print_table(c, &r, s, n);
        lmb_circuit_fit_result_free(&r);
    }
    lmb_eis_data_free(d);
    free(p0);
    lmb_circuit_free(c);
    return rc;
}

int lmb_cmd_eis(lmb_ctx *ctx, int argc, char **argv) {
    if (argc < 2)
        return lmb_cli_usage_error("eis", "missing what to do (fit)");
    if (!strcmp(argv[1], "fit"))
        return cmd_eis_fit(ctx, argc, argv);
    return lmb_cli_usage_error("eis", "unknown '%s' (available: fit)", argv[1]);
}
