/*
 * cmd_params.c - `lmb params`: show or check the resolved parameter set of a cell.
 *
 *   lmb params show CELL [--json]       every parameter: value, unit, SI value, allowed range,
 *                                       source / fitted_to, defaults marked; derived quantities
 *   lmb params show --schema [--markdown]  every key a cell file may hold
 *   lmb params show --presets           the built-in presets
 *   lmb params check CELL               "CELL: ok" (exit 0), or one line on stderr (exit 2)
 *
 * CELL is a file or a preset name. Any failure to load the cell is bad input: exit status 2,
 * including a file that cannot be read (the cell is what the user gave us); only running out
 * of memory exits 1. Everything printed comes from the library's schema and the loaded cell.
 */
#include "cli/cli.h"
#include "model/cell_internal.h"
#include "model/cell_schema.h"
#include "model/lfp_ocv.h"
#include "model/matprop.h"
#include "model/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "params"

static int finish_output(void) {
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "lmb: cannot write to standard output\n");
        return LMB_EXIT_FAIL;
    }
    return LMB_EXIT_OK;
}

/* The key as a file writes it: "separator.thickness_um", "separator.porosity". */
static void file_key(char *dst, size_t n, const lmb_param_info *in) {
    const lmb_unit *u = lmb_unit_find(in->unit);
    if (u && u->dim != LMB_DIM_NONE)
        snprintf(dst, n, "%s_%s", in->key, u->key);
    else
        snprintf(dst, n, "%s", in->key);
}

/* "(0, 10000]" */
static void range_text(char *dst, size_t n, const lmb_param_info *in) {
    snprintf(dst, n, "%s%g, %g%s", in->min_open ? "(" : "[", in->min, in->max,
             in->max_open ? ")" : "]");
}

static const char *unit_shown(const char *unit) {
    return strcmp(unit, "1") == 0 ? "-" : unit;
}

static int show_schema(int markdown) {
    int n = lmb_cell_schema_count();
    if (markdown) {
        printf("| key | unit | default | allowed range | description |\n");
        printf("|---|---|---|---|---|\n");
    } else {
        printf("cell-file schema: each numeric key carries its unit as a suffix; any unit of the "
               "same dimension is accepted.\n"
               "electrodes.* keys set both Li electrodes; negative.* and positive.* override "
               "them one by one.\n"
               "lfp.* keys describe the LiFePO4 positive of a li-lfp cell (which has no "
               "positive.* Li electrode).\n\n");
        printf("%-45s %-9s %-9s %-16s %s\n", "key", "default", "unit", "range", "description");
    }
    for (int i = 0; i < n; i++) {
        lmb_param_info in;
        if (lmb_cell_schema_at(i, &in) != LMB_OK)
            continue;
        char key[160], def[40], range[64];
        file_key(key, sizeof key, &in);
        if (isnan(in.value))
            snprintf(def, sizeof def, "required");
        else
            snprintf(def, sizeof def, "%g", in.value);
        range_text(range, sizeof range, &in);
        if (markdown)
            printf("| `%s` | %s | %s | %s | %s |\n", key, unit_shown(in.unit), def, range,
                   in.description);
        else
            printf("%-45s %-9s %-9s %-16s %s\n", key, def, unit_shown(in.unit), range,
                   in.description);
    }
    return finish_output();
}

static int show_presets(lmb_ctx *ctx) {
    for (int i = 0; i < lmb_preset_count(); i++) {
        const char *name = lmb_preset_name(i);
        lmb_cell *cell = NULL;
        lmb_status st = lmb_cell_load(ctx, name, &cell);
        if (st != LMB_OK)
            return lmb_cli_fail(ctx, st); /* a broken built-in preset is a bug: exit 1 */
        const char *desc = lmb__cell_params(cell)->description;
        printf("%-22s %s\n", name, desc);
        lmb_cell_free(cell);
    }
    return finish_output();
}

/* The porous positive of a li-lfp or li-porous cell: thickness or filler, tortuosity, solid
 * conductivity, capacity, exchange current, particle classes. */
static void show_derived_porous(const lmb_params *p) {
    const lmb_lfp_params *l = &p->lfp;
    const double mAh_cm2 = 3.6e4; /* [C/m2] */
    int lfp = p->type == LMB_CELL_LI_LFP;
    const char *E = lfp ? "LFP" : "porous";
    char label[96];
    if (lfp) {
        const double mAh_g = 3.6e3;                                     /* [C/kg] */
        double q_kg = l->c_max_mol_m3 * LMB_FARADAY / l->density_kg_m3; /* [C/kg] */
        printf("  %-46s %-10.4g %s\n", "LFP thickness (solid volume)/(1-eps)", l->thickness_m * 1e6,
               "um");
        printf("  %-46s %-10.4g %s\n", "LFP theoretical capacity c_max F / rho", q_kg / mAh_g,
               "mAh/g");
    } else {
        printf("  %-46s %-10.4g\n", "porous inert filler 1 - eps - eps_active",
               1.0 - l->porosity - l->active_volume_fraction);
    }
    snprintf(label, sizeof label, "%s pore tortuosity eps^-b", E);
    printf("  %-46s %-10.4g\n", label, pow(l->porosity, -l->bruggeman));
    snprintf(label, sizeof label, "%s solid conductivity sigma (1-eps)^(1+b)", E);
    printf("  %-46s %-10.4g %s\n", label, lmb__lfp_sigma_eff(l), "S/m");
    snprintf(label, sizeof label, "%s areal capacity c_max F eps_act L", E);
    printf("  %-46s %-10.4g %s\n", label,
           l->c_max_mol_m3 * LMB_FARADAY * l->active_volume_fraction * l->accessible_fraction *
               l->thickness_m / mAh_cm2,
           "mAh/cm2");
    if (l->rate_constant > 0.0) {
        printf("  %-46s %-10.4g %s\n", "porous i0 = F k c_ref^0.5 c_max/2 (1 M, y = 0.5)",
               lmb__lfp_i0_ref(l) * 0.1, "mA/cm2");
    }
    int n = l->size_classes;
    double *R = n >= 1 ? malloc((size_t)n * sizeof *R) : NULL;
    if (R && lmb__lfp_class_radii(l, R) == 0) {
        snprintf(label, sizeof label, "%s particle-class radii (equal volumes)", E);
        printf("  %-46s", label);
        for (int j = 0; j < n; j++)
            printf(" %.4g", R[j] * (lfp ? 1e9 : 1e6));
        printf(" %s\n", lfp ? "nm" : "um");
    }
    free(R);
}

/* Quantities the model derives from the parameters, so that a reader can check them. */
static void show_derived(const lmb_params *p) {
    const double ohm_cm2 = 1e-4; /* [ohm m2] */
    double RT_F = LMB_GAS_CONSTANT * p->T_K / LMB_FARADAY;
    printf("\nderived:\n");
    printf("  %-46s %-10.4g %s\n", "separator tortuosity tau", lmb__layer_tortuosity(&p->separator),
           p->separator.macmullin > 0.0 ? "(N_M eps)" : "(eps^-b)");
    /* the conductivity at the initial concentration, whichever way it is given */
    lmb__matprop kap;
    double kappa = NAN;
    if (lmb__matprop_init(NULL, &kap, LMB__PROP_KAPPA, &p->electrolyte.kappa_fn,
                          p->electrolyte.kappa_S_m, "electrolyte.conductivity") == LMB_OK) {
        kappa = lmb__matprop_eval(&kap, p->electrolyte.c0_mol_m3, NULL);
        lmb__matprop_free(&kap);
    }
    if (isfinite(kappa))
        printf("  %-46s %-10.4g %s\n", "separator ionic resistance N_M L / kappa(c0)",
               lmb__layer_tortuosity(&p->separator) / p->separator.porosity *
                   p->separator.thickness_m / kappa / ohm_cm2,
               "ohm cm2");
    const lmb_li_params *li[2] = {&p->neg, &p->pos};
    const char *side[2] = {"negative", "positive"};
    int n_li = lmb__type_porous(p->type) ? 1 : 2; /* li-lfp, li-porous: the negative only */
    for (int s = 0; s < n_li; s++) {
        char label[96];
        snprintf(label, sizeof label, "%s SEI film resistance rho L", side[s]);
        printf("  %-46s %-10.4g %s\n", label, lmb__sei_resistance(li[s]) / ohm_cm2, "ohm cm2");
        snprintf(label, sizeof label, "%s charge-transfer resistance RT/(F i0)", side[s]);
        printf("  %-46s %-10.4g %s\n", label, RT_F / li[s]->i0_A_m2 / ohm_cm2, "ohm cm2");
        const lmb_layer_params *c = &li[s]->coating;
        if (!c->present)
            continue;
        snprintf(label, sizeof label, "%s coating thickness m/(rho (1-eps))", side[s]);
        printf("  %-46s %-10.4g %s\n", label, c->thickness_m * 1e6, "um");
        snprintf(label, sizeof label, "%s coating tortuosity eps^-b", side[s]);
        printf("  %-46s %-10.4g\n", label, lmb__layer_tortuosity(c));
    }
    if (lmb__type_porous(p->type))
        show_derived_porous(p);
}

static int show_cell(lmb_ctx *ctx, const char *arg, int json) {
    lmb_cell *cell = NULL;
    lmb_status st = lmb_cell_load(ctx, arg, &cell);
    if (st != LMB_OK)
        return lmb_cli_fail_input(ctx, st);
    if (json) {
        char *text = NULL;
        st = lmb_cell_to_json(ctx, cell, &text);
        lmb_cell_free(cell);
        if (st != LMB_OK)
            return lmb_cli_fail(ctx, st);
        printf("%s\n", text);
        free(text);
        return finish_output();
    }
    const lmb_params *p = lmb__cell_params(cell);
    printf("cell: %s\nfrom: %s\ntype: %s\n", lmb_cell_name(cell), arg,
           lmb__cell_type_name(p->type));
    if (p->description[0])
        printf("description: %s\n", p->description);
    printf("\n%-38s %-11s %-7s %-20s %-16s %s\n", "parameter", "value", "unit", "SI value",
           "allowed range", "source (* = default)");
    int n = lmb_cell_param_count(cell);
    for (int i = 0; i < n; i++) {
        lmb_param_info in;
        if (lmb_cell_param_at(cell, i, &in) != LMB_OK)
            continue;
        char si[48], range[64];
        if (strcmp(in.si_unit, "1") == 0)
            snprintf(si, sizeof si, "%.6g", in.value_si);
        else
            snprintf(si, sizeof si, "%.6g %s", in.value_si, in.si_unit);
        range_text(range, sizeof range, &in);
        printf("%-38s %-11.6g %-7s %-20s %-16s %s%s", in.key, in.value, unit_shown(in.unit), si,
               range, in.is_default ? "* " : "", in.is_default ? "default" : in.source);
        if (in.fitted_to[0])
            printf(" [fitted to: %s]", in.fitted_to);
        printf("\n");
    }
    /* correlations and tables are listed like the numbers */
    for (int pi = 0; pi < lmb__prop_count(); pi++) {
        const lmb_prop *v;
        const char *src, *fitted;
        int is_default;
        if (!lmb__prop_in_type(cell, pi))
            continue;
        lmb__cell_prop_info(cell, pi, &v, &src, &fitted, &is_default);
        if (!v || v->kind == LMB_PROP_CONSTANT)
            continue;
        char what[1400], range[64];
        lmb__prop_id id = lmb__prop_id_at(pi);
        if (v->kind == LMB_PROP_NAMED) {
            const char *name = lmb__prop_named_name(id, v->named);
            snprintf(what, sizeof what, "%s", name ? name : "?");
            char choices[48];
            lmb__prop_named_choices(id, choices, sizeof choices);
            snprintf(range, sizeof range, "[%s]", choices);
        } else {
            const lmb__table *t = v->table;
            snprintf(what, sizeof what, "table %s (%d rows, %s vs %s, %s)", t ? t->origin : "?",
                     t ? t->n : 0, t ? t->y_name : "?", t ? t->x_name : "?",
                     lmb__interp_name((lmb__interp)v->interp));
            snprintf(range, sizeof range, "-");
        }
        printf("%-38s %-40s %-16s %s%s", lmb__prop_key(pi), what, range, is_default ? "* " : "",
               is_default ? "default" : src);
        if (fitted[0])
            printf(" [fitted to: %s]", fitted);
        printf("\n");
    }
    if (lmb__type_porous(p->type))
        printf("\ncoating: negative %s\n", p->neg.coating.present ? "yes" : "none");
    else
        printf("\ncoating: negative %s, positive %s\n", p->neg.coating.present ? "yes" : "none",
               p->pos.coating.present ? "yes" : "none");
    show_derived(p);
    lmb_cell_free(cell);
    return finish_output();
}

static int check_cell(lmb_ctx *ctx, const char *arg) {
    lmb_cell *cell = NULL;
    lmb_status st = lmb_cell_load(ctx, arg, &cell);
    if (st != LMB_OK)
        return lmb_cli_fail_input(ctx, st);
    lmb_cell_free(cell);
    printf("%s: ok\n", arg);
    return finish_output();
}

int lmb_cmd_params(lmb_ctx *ctx, int argc, char **argv) {
    if (argc < 2)
        return lmb_cli_usage_error(CMD, "missing subcommand: show or check");
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        for (int i = 0; i < lmb_cli_command_count; i++)
            if (strcmp(lmb_cli_commands[i].name, CMD) == 0)
                fputs(lmb_cli_commands[i].usage, stdout);
        return finish_output();
    }
    int show = strcmp(sub, "show") == 0;
    if (!show && strcmp(sub, "check") != 0)
        return lmb_cli_usage_error(CMD, "unknown subcommand '%s' (show or check)", sub);

    const char *cell = NULL;
    int json = 0, schema = 0, markdown = 0, presets = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (show && strcmp(a, "--json") == 0)
            json = 1;
        else if (show && strcmp(a, "--schema") == 0)
            schema = 1;
        else if (show && strcmp(a, "--markdown") == 0)
            markdown = 1;
        else if (show && strcmp(a, "--presets") == 0)
            presets = 1;
        else if (a[0] == '-' && a[1] != '\0')
            return lmb_cli_usage_error(CMD, "unknown option '%s' for %s", a, sub);
        else if (cell)
            return lmb_cli_usage_error(CMD, "one CELL only ('%s' and '%s')", cell, a);
        else
            cell = a;
    }
    if (schema + presets + (cell != NULL) > 1)
        return lmb_cli_usage_error(CMD, "give one of CELL, --schema or --presets");
    if (markdown && !schema)
        return lmb_cli_usage_error(CMD, "--markdown goes with --schema");
    if (json && !cell)
        return lmb_cli_usage_error(CMD, "--json goes with a CELL");
    if (schema)
        return show_schema(markdown);
    if (presets)
        return show_presets(ctx);
    if (!cell)
        return lmb_cli_usage_error(CMD, "missing CELL (a cell file or a preset name)");
    return show ? show_cell(ctx, cell, json) : check_cell(ctx, cell);
}
