/*
 * cmd_fit.c - `lmb fit li-li` and `lmb fit li-lfp`: re-derive the fitted values of the presets
 * from the study's measured values (src/study/targets.c), reproducibly.
 *
 * One Li-side parameter set serves both anodes: the bare cell fixes it, and the coated cell is
 * the same Li with the CsPbCl3 coating, whose own factors are fitted to the coated cell's
 * measurements; the 1 and 4 mg/cm2 variants change only the loading. Each fitted parameter is
 * matched to one measurement and solved for by a secant iteration on log(parameter) against
 * log(simulated / measured), in an order where each measurement depends mostly on its own
 * parameter (the coupled ones are iterated in rounds):
 *   bare    sei_resistivity        <- OCV R_SEI (the film's arc)
 *           exchange_current       <- OCV R_diff (charge transfer behind the film)
 *           pit_fraction           <- initial overpotential (stripping through pits)
 *           dead_fraction          <- Li||Cu Adams CE (dead Li per cycle)
 *           sei_solvent_per_li     <- overpotential rise onset (the FEC runs out)
 *           separator short_thickness <- time to short
 *   coated  coating film_factor    <- OCV R_SEI
 *           coating exchange_current_factor <- OCV R_diff
 *           coating porosity       <- initial overpotential (the pores' ionic resistance sits in
 *                                     the spectrum's high-frequency intercept, not in its arcs)
 *           coating dead_factor    <- overpotential at 600 h
 *   coated Cu  the Cu's coating dead_factor <- coated Li||Cu Adams CE (the Li||Cu cell's
 *                                     working electrode only: Li plated into the converted
 *                                     coating on Cu, docs/calibration.md)
 * `lmb fit li-lfp` fits the one LFP parameter set of both Li||LFP presets on the coated cell,
 * whose Li side and coating are those of the Li||Li fit (the li-lfp presets carry them):
 *           lfp accessible_fraction <- formation capacity at C/10 (156 mAh/g)
 *           lfp diffusivity         <- 1C capacity (136 mAh/g; first ten 1C cycles)
 * The bare cell's 1C capacity then follows through its anode alone (a prediction; its formation
 * capacity, 145 mAh/g, is not fitted: docs/model.md).
 * Everything else in the presets is a literature value or an assumption with its source. The
 * result is written as cell files with each fitted value annotated with what it was fitted to.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/ctx_internal.h"
#include "io/presets.h"
#include "study/study.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum experiment_kind {
    EXP_OCV,
    EXP_FIRST_CYCLE,
    EXP_FULL,
    EXP_ADAMS,
    EXP_LFP /* Li||LFP: the formation cycles and the first 1C cycle */
} experiment_kind;

typedef struct fit_param {
    const char *key; /* cell key with unit, also the path in the preset file */
    int coated;      /* 0: fitted on the bare cell (and copied to the coated), 1: coated,
                        2: the coated Li||Cu cell's Cu electrode only (not copied) */
    lmb__target_id target;
    experiment_kind exp;
    double lo, hi; /* search bounds in the key's unit */
    int dir;       /* +1 if the simulated value grows with the parameter, -1 if not */
} fit_param;

static const fit_param k_params[] = {
    {"electrodes.sei_resistivity_ohm_m", 0, LMB__T_OCV_RSEI, EXP_OCV, 1e3, 1e8, 1},
    {"electrodes.exchange_current_mA_cm2", 0, LMB__T_OCV_RDIFF, EXP_OCV, 0.01, 1e3, -1},
    {"electrodes.pit_fraction", 0, LMB__T_ETA_INITIAL, EXP_FIRST_CYCLE, 1e-3, 1.0, -1},
    {"electrodes.dead_fraction", 0, LMB__T_ADAMS_CE, EXP_ADAMS, 1e-4, 0.99, -1},
    /* at least half a solvent molecule per Li: FEC + 2 Li -> LiF + ... */
    {"electrodes.sei_solvent_per_li", 0, LMB__T_RISE_ONSET, EXP_FULL, 0.5, 100.0, -1},
    {"separator.short_thickness_um", 0, LMB__T_SHORT, EXP_FULL, 1.0, 1e3, 1},
    {"electrodes.coating.film_factor", 1, LMB__T_OCV_RSEI, EXP_OCV, 1e-3, 10.0, 1},
    {"electrodes.coating.exchange_current_factor", 1, LMB__T_OCV_RDIFF, EXP_OCV, 1e-3, 100.0, -1},
    {"electrodes.coating.porosity", 1, LMB__T_ETA_INITIAL, EXP_FIRST_CYCLE, 0.05, 0.9, -1},
    {"electrodes.coating.dead_factor", 1, LMB__T_ETA_600H, EXP_FULL, 1e-3, 10.0, 1},
    {"positive.coating.dead_factor", 2, LMB__T_ADAMS_CE, EXP_ADAMS, 1e-3, 10.0, -1},
    {"lfp.accessible_fraction", 1, LMB__T_LFP_FORMATION, EXP_LFP, 0.3, 1.0, 1},
    {"lfp.diffusivity_cm2_s", 1, LMB__T_LFP_1C, EXP_LFP, 1e-17, 1e-11, 1},
};
#define N_PARAMS ((int)(sizeof k_params / sizeof k_params[0]))

typedef struct fitter {
    lmb_ctx *ctx;
    lmb_protocol *ocv, *first, *full, *lfp;
    int runs;
    double wall;
} fitter;

static const lmb__target *target_of(const fit_param *p) {
    for (int i = 0; i < lmb__lili_target_count; i++)
        if (lmb__lili_targets[i].id == p->target && lmb__lili_targets[i].coated == (p->coated > 0))
            return &lmb__lili_targets[i];
    return NULL;
}

/* log(simulated / measured) for parameter value v; NaN if the run failed. A time that did not
 * happen within the run (no rise, no short) counts as 1.5 times the run's length. */
static double residual(fitter *f, lmb_cell *cell, const fit_param *p, double v) {
    if (lmb_cell_set(f->ctx, cell, p->key, v) != LMB_OK)
        return NAN;
    if (p->exp == EXP_ADAMS) {
        lmb_adams_result ad;
        double w = 0.0;
        if (lmb__licu_study(f->ctx, cell, "protocol:adams-ce-1", NULL, &ad, &w) != LMB_OK)
            return NAN;
        f->runs++;
        f->wall += w;
        return log(ad.ce / target_of(p)->value);
    }
    if (p->exp == EXP_LFP) {
        lmb__lfp_outcome *o = malloc(sizeof *o);
        lmb_status st = o ? lmb__lfp_study_parsed(f->ctx, cell, f->lfp, NULL, o) : LMB_ENOMEM;
        double sim = st == LMB_OK ? lmb__target_lfp(target_of(p), o) : NAN;
        if (o) {
            f->runs++;
            f->wall += o->wall_s;
        }
        free(o);
        return sim > 0.0 ? log(sim / target_of(p)->value) : NAN;
    }
    const lmb_protocol *cyc = p->exp == EXP_FULL  ? f->full
                              : p->exp == EXP_OCV ? NULL /* the spectrum only */
                                                  : f->first;
    lmb__lili_outcome o;
    if (lmb__lili_study_parsed(f->ctx, cell, f->ocv, cyc, NULL, &o) != LMB_OK)
        return NAN;
    f->runs++;
    f->wall += o.wall_s;
    const lmb__target *t = target_of(p);
    double sim = lmb__target_simulated(t, &o);
    if (!isfinite(sim) && (p->target == LMB__T_RISE_ONSET || p->target == LMB__T_SHORT))
        sim = 1.5 * o.t_end_s;
    if (!isfinite(sim) && p->target == LMB__T_ETA_600H)
        sim = 10.0 * t->value; /* shorted: far too much degradation */
    return sim > 0.0 ? log(sim / t->value) : NAN;
}

/* Root of the residual in x = log(v): march from the present value in the direction that
 * closes the gap until the sign changes (steps of a factor 1.35), then regula falsi (Illinois)
 * inside the bracket. Stops at |residual| < tol (relative) or after max_it runs. */
static lmb_status solve(fitter *f, lmb_cell *cell, const fit_param *p, double tol, int max_it,
                        double *v_out) {
    double v0;
    if (lmb_cell_get(f->ctx, cell, p->key, &v0) != LMB_OK)
        return LMB_EKEY;
    double xa = log(v0), ga = residual(f, cell, p, v0);
    if (!isfinite(ga))
        LMB__FAIL(f->ctx, LMB_ESOLVER, "fit: %s = %g gives no result: %s", p->key, v0,
                  lmb_ctx_errmsg(f->ctx));
    double best_x = xa, best_g = ga, xb = xa, gb = ga;
    int it = 0;
    const double step = ga > 0 ? -0.3 * p->dir : 0.3 * p->dir;
    /* bracket */
    while (fabs(best_g) > tol && it < max_it && (gb > 0) == (ga > 0)) {
        xa = xb;
        ga = gb;
        xb = fmin(fmax(xa + step, log(p->lo)), log(p->hi));
        gb = residual(f, cell, p, exp(xb));
        it++;
        if (!isfinite(gb) || xb == xa)
            break;
        if (fabs(gb) < fabs(best_g)) {
            best_x = xb;
            best_g = gb;
        }
    }
    /* regula falsi, Illinois variant */
    int side = 0;
    while (fabs(best_g) > tol && it < max_it && isfinite(gb) && (gb > 0) != (ga > 0)) {
        double xc = (xa * gb - xb * ga) / (gb - ga);
        double gc = residual(f, cell, p, exp(xc));
        it++;
        if (!isfinite(gc))
            break;
        if (fabs(gc) < fabs(best_g)) {
            best_x = xc;
            best_g = gc;
        }
        if ((gc > 0) == (gb > 0)) {
            xb = xc;
            gb = gc;
            if (side == -1)
                ga *= 0.5;
            side = -1;
        } else {
            xa = xc;
            ga = gc;
            if (side == 1)
                gb *= 0.5;
            side = 1;
        }
    }
    *v_out = exp(best_x);
    lmb_status st = lmb_cell_set(f->ctx, cell, p->key, *v_out);
    const lmb__target *t = target_of(p);
    printf("  %-44s = %-12.6g -> %s %s %.4g %s (%+.2f %%)\n", p->key, *v_out, t->quantity,
           p->coated ? "coated" : "bare", exp(best_g) * t->value / t->unit_scale, t->unit,
           100.0 * (exp(best_g) - 1.0));
    return st;
}

static const fit_param *param_of(const char *key) {
    for (int i = 0; i < N_PARAMS; i++)
        if (!strcmp(k_params[i].key, key))
            return &k_params[i];
    return NULL;
}

static lmb_status fit_key(fitter *f, lmb_cell *cell, const char *key, double tol, int max_it) {
    double v;
    return solve(f, cell, param_of(key), tol, max_it, &v);
}

/* Copies the fitted values of the Li side (and with coating = 1 the coating's) from one cell to
 * another: the Li||Li and Li||Cu cells of an anode share them. */
static lmb_status copy_keys(lmb_ctx *ctx, const lmb_cell *from, lmb_cell *to, int coating) {
    lmb_status st = LMB_OK;
    for (int i = 0; i < N_PARAMS && st == LMB_OK; i++) {
        if ((k_params[i].coated && !coating) || k_params[i].coated == 2 ||
            k_params[i].exp == EXP_LFP)
            continue;
        double v;
        st = lmb_cell_get(ctx, from, k_params[i].key, &v);
        if (st == LMB_OK)
            st = lmb_cell_set(ctx, to, k_params[i].key, v);
    }
    return st;
}

/* The preset file's text: a built-in preset's or a file's. */
static char *cell_text(const char *arg) {
    for (int i = 0; i < lmb__presets_count; i++)
        if (!strcmp(arg, lmb__presets[i].name))
            return strdup(lmb__presets[i].json);
    FILE *fp = fopen(arg, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, fp) == (size_t)n)
        buf[n] = '\0';
    else {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    return buf;
}

/* Writes value and fitted_to of key (a dotted path) into the preset's JSON tree. */
static int annotate(cJSON *root, const char *key, double value, const char *fitted_to) {
    char path[256];
    snprintf(path, sizeof path, "%s", key);
    cJSON *node = root;
    for (char *part = strtok(path, "."); part && node; part = strtok(NULL, ".")) {
        cJSON *next = cJSON_GetObjectItemCaseSensitive(node, part);
        if (!next)
            next = cJSON_AddObjectToObject(node, part);
        node = next;
    }
    if (!node)
        return -1;
    if (!cJSON_IsObject(node)) {
        cJSON_SetNumberValue(node, value);
        return 0;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(node, "value");
    cJSON_DeleteItemFromObjectCaseSensitive(node, "fitted_to");
    cJSON_AddNumberToObject(node, "value", value);
    if (!cJSON_GetObjectItemCaseSensitive(node, "source"))
        cJSON_AddStringToObject(node, "source", "fitted by lmb fit li-li");
    cJSON_AddStringToObject(node, "fitted_to", fitted_to);
    return 0;
}

/* coated: 0 bare, 1 coated; cu: 1 for a Li||Cu cell; lfp: 1 for a Li||LFP cell (only the LFP
 * parameters, fitted on the coated cell, are written: its Li side is the Li||Li fit's) */
static int write_preset(const char *base, const char *path, lmb_cell *cell, int coated, int cu,
                        int lfp) {
    char *text = cell_text(base);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!root)
        return -1;
    for (int i = 0; i < N_PARAMS; i++) {
        const fit_param *p = &k_params[i];
        if ((p->exp == EXP_LFP) != lfp)
            continue;
        if (!lfp && ((p->coated && !coated) || (p->coated == 2 && !cu)))
            continue;
        double v;
        if (lmb_cell_get(NULL, cell, p->key, &v) != LMB_OK)
            continue;
        const lmb__target *t = target_of(p);
        const char *whose = (p->coated > 0) == coated ? ""
                            : coated                  ? "the bare cell's "
                                                      : "the coated cell's ";
        char note[400];
        snprintf(note, sizeof note, "%s%s: %s = %g %s (Juhi et al., Chem. Mater. 2025; lmb fit %s)",
                 whose, t->source, t->quantity, t->value / t->unit_scale, t->unit,
                 lfp ? "li-lfp" : "li-li");
        annotate(root, p->key, v, note);
    }
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    FILE *fp = out ? fopen(path, "w") : NULL;
    int ok = fp && fputs(out, fp) >= 0 && fputc('\n', fp) != EOF;
    if (fp && fclose(fp) != 0)
        ok = 0;
    free(out);
    return ok ? 0 : -1;
}

/* Writes the fitted cells as DIR/names[k] from the files of bases[k] (coated: odd k; a Li||Cu
 * cell: k >= 2 unless lfp). Returns the exit code. */
static int write_presets(const char *outdir, int n, const char *const names[],
                         const char *const bases[], lmb_cell *const cells[], int lfp) {
    if (lmb_cli_make_dir(outdir) != 0) {
        fprintf(stderr, "lmb: %s: cannot create directory: %s\n", outdir, strerror(errno));
        return LMB_EXIT_FAIL;
    }
    int rc = LMB_EXIT_OK;
    for (int k = 0; k < n; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", outdir, names[k]);
        if (write_preset(bases[k], path, cells[k], k % 2, !lfp && k >= 2, lfp) != 0) {
            fprintf(stderr, "lmb: %s: cannot write the fitted cell\n", path);
            rc = LMB_EXIT_FAIL;
        } else
            printf("wrote %s\n", path);
    }
    return rc;
}

/* `lmb fit li-lfp`: the LFP parameters on the coated cell, shared with the bare one. */
static int fit_lfp(lmb_ctx *ctx, const char *outdir, const char *const lfp_cells[2]) {
    lmb_cell *cell[2] = {NULL, NULL};
    fitter f = {ctx, NULL, NULL, NULL, NULL, 0, 0.0};
    int rc = LMB_EXIT_OK;
    lmb_status st = lmb_cell_load(ctx, lfp_cells[0], &cell[0]);
    if (st == LMB_OK)
        st = lmb_cell_load(ctx, lfp_cells[1], &cell[1]);
    if (st != LMB_OK) {
        rc = lmb_cli_fail_input(ctx, st);
        goto out;
    }
    /* the formation cycles and the first 1C cycles of protocols/lfp-formation-1c.txt that the
     * targets read (the reading is tested against the file in tests/unit/test_study.c) */
    char text[512];
    snprintf(text, sizeof text,
             "Repeat %d times:\n"
             "    Charge at C/10 for 12 hours or until 3.6 V\n"
             "    Discharge at C/10 for 12 hours or until 2.5 V\n"
             "Repeat %d times:\n"
             "    Charge at 1C for 72 minutes or until 3.6 V\n"
             "    Discharge at 1C for 72 minutes or until 2.5 V\n",
             LMB__LFP_FORMATION_CYCLES, LMB__LFP_INITIAL_1C_CYCLES);
    st = lmb_protocol_parse(ctx, text, "the formation and first 1C cycles of lfp-formation-1c",
                            &f.lfp);
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
        goto out;
    }
    printf("Fitting the Li||LFP presets to Juhi et al., Chem. Mater. 2025 (targets in "
           "src/study/targets.c)\nLFP electrode on the CsPbCl3-coated cell (%s):\n",
           lfp_cells[1]);
    static const char *const keys[] = {"lfp.accessible_fraction", "lfp.diffusivity_cm2_s"};
    for (int r = 0; r < 3 && st == LMB_OK; r++)
        for (int i = 0; i < 2 && st == LMB_OK; i++)
            st = fit_key(&f, cell[1], keys[i], 0.002, 12);
    /* one LFP parameter set for both anodes */
    for (int i = 0; i < 2 && st == LMB_OK; i++) {
        double v;
        st = lmb_cell_get(ctx, cell[1], keys[i], &v);
        if (st == LMB_OK)
            st = lmb_cell_set(ctx, cell[0], keys[i], v);
    }
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
        goto out;
    }
    const char *names[2] = {"li-lfp-bare.json", "li-lfp-cspbcl3-2mg.json"};
    rc = write_presets(outdir, 2, names, lfp_cells, cell, 1);
    printf("%d simulations in %.1f s\n", f.runs, f.wall);
out:
    lmb_protocol_free(f.lfp);
    lmb_cell_free(cell[0]);
    lmb_cell_free(cell[1]);
    return rc;
}

int lmb_cmd_fit(lmb_ctx *ctx, int argc, char **argv) {
    const char *outdir = "out/fit", *cells[2] = {"li-li:bare", "li-li:cspbcl3-2mg"};
    const char *cu_cells[2] = {"li-cu:bare", "li-cu:cspbcl3-2mg"};
    const char *lfp_cells[2] = {"li-lfp:bare", "li-lfp:cspbcl3-2mg"};
    int what = -1, rounds = 2, li_li_options = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int took = lmb_cli_study_option("fit", argc, argv, &i, &outdir, cells);
        if (took < 0)
            return LMB_EXIT_USAGE;
        if (took > 0) {
            li_li_options |= strcmp(a, "-o") != 0 && strcmp(a, "--output") != 0;
        } else if ((!strcmp(a, "--bare-cu") || !strcmp(a, "--coated-cu")) && i + 1 < argc) {
            cu_cells[a[2] == 'c'] = argv[++i];
            li_li_options = 1;
        } else if ((!strcmp(a, "--bare-lfp") || !strcmp(a, "--coated-lfp")) && i + 1 < argc) {
            lfp_cells[a[2] == 'c'] = argv[++i];
        } else if (!strcmp(a, "--ocv-only")) {
            rounds = 0;
            li_li_options = 1;
        } else if (!strcmp(a, "li-li") && what < 0) {
            what = 0;
        } else if (!strcmp(a, "li-lfp") && what < 0) {
            what = 1;
        } else {
            return lmb_cli_usage_error("fit", "unexpected argument '%s'", a);
        }
    }
    if (what < 0)
        return lmb_cli_usage_error("fit", "missing what to fit (li-li or li-lfp)");
    if (what == 1 && li_li_options)
        return lmb_cli_usage_error("fit", "li-lfp takes -o, --bare-lfp and --coated-lfp only");
    if (what == 1)
        return fit_lfp(ctx, outdir, lfp_cells);
    lmb_cell *cell[2] = {NULL, NULL}, *cu[2] = {NULL, NULL};
    fitter f = {ctx, NULL, NULL, NULL, NULL, 0, 0.0};
    lmb_status st = lmb_cell_load(ctx, cells[0], &cell[0]);
    if (st == LMB_OK)
        st = lmb_cell_load(ctx, cells[1], &cell[1]);
    if (st == LMB_OK)
        st = lmb_cell_load(ctx, cu_cells[0], &cu[0]);
    if (st == LMB_OK)
        st = lmb_cell_load(ctx, cu_cells[1], &cu[1]);
    if (st != LMB_OK) {
        for (int k = 0; k < 2; k++) {
            lmb_cell_free(cell[k]);
            lmb_cell_free(cu[k]);
        }
        return lmb_cli_fail_input(ctx, st);
    }
    int rc = LMB_EXIT_OK;
    st = lmb_protocol_load(ctx, "protocol:eis-ocv", &f.ocv);
    if (st == LMB_OK)
        st = lmb_protocol_load(ctx, "protocol:li-li-1mA", &f.full);
    if (st == LMB_OK)
        st = lmb_protocol_parse(
            ctx, "Plate at 1 mA/cm2 for 1 mAh/cm2\nStrip at 1 mA/cm2 for 1 mAh/cm2\n",
            "first cycle of protocols/li-li-1mA.txt", &f.first);
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
        goto out;
    }
    printf("Fitting the Li||Li and Li||Cu presets to Juhi et al., Chem. Mater. 2025 (targets in "
           "src/study/targets.c)\nbare Li (%s, %s):\n",
           cells[0], cu_cells[0]);
    /* the film, the kinetics and the pits couple through the OCV arc: iterate in rounds */
    static const char *const ocv_bare[] = {"electrodes.sei_resistivity_ohm_m",
                                           "electrodes.exchange_current_mA_cm2",
                                           "electrodes.pit_fraction"};
    static const char *const ocv_coated[] = {"electrodes.coating.film_factor",
                                             "electrodes.coating.exchange_current_factor",
                                             "electrodes.coating.porosity"};
    for (int r = 0; r < 3 && st == LMB_OK; r++)
        for (int i = 0; i < 3 && st == LMB_OK; i++)
            st = fit_key(&f, cell[0], ocv_bare[i], 0.005, 8);
    /* the Adams CE of Li||Cu with the same Li: its dead-Li share (the Li-side values so far go
     * to the Li||Cu cell first, the fitted share back to the Li||Li cell) */
    if (st == LMB_OK)
        st = copy_keys(ctx, cell[0], cu[0], 0);
    if (st == LMB_OK && rounds > 0) {
        st = fit_key(&f, cu[0], "electrodes.dead_fraction", 0.001, 12);
        if (st == LMB_OK)
            st = copy_keys(ctx, cu[0], cell[0], 0);
    }
    for (int r = 0; r < rounds && st == LMB_OK; r++) {
        st = fit_key(&f, cell[0], "electrodes.sei_solvent_per_li", 0.01, 12);
        if (st == LMB_OK)
            st = fit_key(&f, cell[0], "separator.short_thickness_um", 0.01, 12);
    }
    /* the coated cells are the same Li */
    for (int k = 0; k < 2 && st == LMB_OK; k++)
        st = copy_keys(ctx, cell[0], k ? cu[1] : cell[1], 0);
    if (st == LMB_OK)
        st = copy_keys(ctx, cell[0], cu[0], 0);
    printf("CsPbCl3-coated Li (%s, %s), the same Li:\n", cells[1], cu_cells[1]);
    for (int r = 0; r < 3 && st == LMB_OK; r++)
        for (int i = 0; i < 3 && st == LMB_OK; i++)
            st = fit_key(&f, cell[1], ocv_coated[i], 0.005, 8);
    /* the 600 h overpotential: dead Li under the coating */
    if (st == LMB_OK && rounds > 0)
        st = fit_key(&f, cell[1], "electrodes.coating.dead_factor", 0.01, 12);
    /* (the coating's values on Li go to both electrodes of the Li||Cu cell: keep the Cu's) */
    double cu_dead = 1.0;
    if (st == LMB_OK)
        st = lmb_cell_get(ctx, cu[1], "positive.coating.dead_factor", &cu_dead);
    if (st == LMB_OK)
        st = copy_keys(ctx, cell[1], cu[1], 1);
    if (st == LMB_OK)
        st = lmb_cell_set(ctx, cu[1], "positive.coating.dead_factor", cu_dead);
    /* the coated Adams CE: dead Li of the Li plated into the coating on Cu (its own value; the
     * Li side and the coating on Li are fixed above). docs/calibration.md, "Li||Cu" */
    if (st == LMB_OK && rounds > 0)
        st = fit_key(&f, cu[1], "positive.coating.dead_factor", 0.001, 12);
    if (st != LMB_OK) {
        rc = lmb_cli_fail(ctx, st);
        goto out;
    }
    const char *names[4] = {"bare.json", "cspbcl3-2mg.json", "li-cu-bare.json",
                            "li-cu-cspbcl3-2mg.json"};
    const char *bases[4] = {cells[0], cells[1], cu_cells[0], cu_cells[1]};
    lmb_cell *fitted[4] = {cell[0], cell[1], cu[0], cu[1]};
    rc = write_presets(outdir, 4, names, bases, fitted, 0);
    printf("%d simulations in %.1f s\n", f.runs, f.wall);
out:
    lmb_protocol_free(f.ocv);
    lmb_protocol_free(f.first);
    lmb_protocol_free(f.full);
    for (int k = 0; k < 2; k++) {
        lmb_cell_free(cell[k]);
        lmb_cell_free(cu[k]);
    }
    return rc;
}
