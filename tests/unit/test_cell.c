/*
 * test_cell.c - cell files, the parameter schema and the presets (src/model/cell.c,
 * src/io/cell_json.c).
 *
 * Every error path of the reader is triggered here with the message it must give: the file
 * name, the field as written and, for ranges, the value and bounds in the user's unit. The
 * robustness tests feed every truncation and many byte mutations of a preset to the parser: it
 * must return a status and a one-line message, never crash (run under ASan/valgrind in CI).
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lmb/lmb.h"
#include "model/cell_internal.h"
#include "model/cell_schema.h"
#include "model/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static lmb_ctx *g_ctx;

static int setup(void **state) {
    (void)state;
    return lmb_ctx_create(&g_ctx) == LMB_OK ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    lmb_ctx_free(g_ctx);
    return 0;
}

/* Parses json as "t.json"; on success the cell is returned, on failure NULL. */
static lmb_status parse(const char *json, lmb_cell **out) {
    lmb_ctx_clear_error(g_ctx);
    lmb_status st = lmb_cell_parse(g_ctx, json, "t.json", out);
    if (st != LMB_OK)
        assert_null(*out);
    return st;
}

/* Expects json to fail with status and exactly message. */
static void expect_error(const char *json, lmb_status status, const char *message) {
    lmb_cell *c = NULL;
    lmb_status st = parse(json, &c);
    if (st != status || strcmp(lmb_ctx_errmsg(g_ctx), message) != 0)
        fail_msg("input %s\n  got %s: %s\n  expected %s: %s", json, lmb_status_name(st),
                 lmb_ctx_errmsg(g_ctx), lmb_status_name(status), message);
}

/* Expects json to fail with status and a message that starts with the file name and contains
 * every one of the given fragments (NULL-terminated). */
static void expect_error_has(const char *json, lmb_status status, ...) {
    lmb_cell *c = NULL;
    lmb_status st = parse(json, &c);
    const char *msg = lmb_ctx_errmsg(g_ctx);
    if (st != status)
        fail_msg("input %s: got %s (%s), expected %s", json, lmb_status_name(st), msg,
                 lmb_status_name(status));
    if (strncmp(msg, "t.json", 6) != 0)
        fail_msg("message does not name the file: %s", msg);
    if (strchr(msg, '\n'))
        fail_msg("message is not one line: %s", msg);
    va_list ap;
    va_start(ap, status);
    for (const char *frag = va_arg(ap, const char *); frag; frag = va_arg(ap, const char *))
        if (!strstr(msg, frag))
            fail_msg("message '%s' lacks '%s'", msg, frag);
    va_end(ap);
}

static lmb_cell *parse_ok(const char *json) {
    lmb_cell *c = NULL;
    lmb_status st = parse(json, &c);
    if (st != LMB_OK)
        fail_msg("input %s failed: %s", json, lmb_ctx_errmsg(g_ctx));
    return c;
}

static double get(const lmb_cell *c, const char *key) {
    double v = NAN;
    lmb_status st = lmb_cell_get(g_ctx, c, key, &v);
    if (st != LMB_OK)
        fail_msg("get %s: %s", key, lmb_ctx_errmsg(g_ctx));
    return v;
}

/* Relative closeness for values that went through one unit conversion (a few ulps). */
static void assert_close(double a, double b, double rel) {
    if (!(fabs(a - b) <= rel * fmax(fabs(a), fabs(b))))
        fail_msg("%.17g != %.17g (rel %g)", a, b, rel);
}

/* ---- the schema ---- */

static void test_schema_rows_consistent(void **state) {
    (void)state;
    for (int i = 0; i < lmb__schema_size(); i++) {
        const lmb__param_row *r = lmb__schema_row(i);
        const lmb_unit *u = lmb_unit_find(r->unit);
        assert_non_null(u);
        assert_int_equal(u->dim, r->dim);
        assert_true(r->min < r->max);
        assert_non_null(r->description);
        if (!isnan(r->def)) { /* every default is inside its own range */
            assert_true(r->min_open ? r->def > r->min : r->def >= r->min);
            assert_true(r->max_open ? r->def < r->max : r->def <= r->max);
        } else {
            assert_int_equal(r->group, LMB__GROUP_COATING); /* only a coating's loading */
        }
        assert_int_equal(lmb__schema_index(r->key), i); /* keys are unique */
        /* the LFP's rows are exactly the lfp.* keys, cell-wide fields of lmb_params */
        assert_int_equal(r->group == LMB__GROUP_LFP, strncmp(r->key, "lfp.", 4) == 0);
        if (r->group == LMB__GROUP_LFP)
            assert_int_equal(r->scope, LMB__SCOPE_CELL);
        if (r->scope == LMB__SCOPE_ELECTRODES) {
            /* each electrodes.* row has negative.* and positive.* twins with the same schema */
            char k[128];
            for (int s = 0; s < 2; s++) {
                snprintf(k, sizeof k, "%s%s", s ? "positive" : "negative",
                         r->key + strlen("electrodes"));
                int j = lmb__schema_index(k);
                assert_true(j >= 0);
                const lmb__param_row *t = lmb__schema_row(j);
                assert_string_equal(t->unit, r->unit);
                assert_true(t->min == r->min && t->max == r->max);
                assert_true(t->is_int == r->is_int && t->group == r->group);
                assert_true((isnan(t->def) && isnan(r->def)) || t->def == r->def);
            }
        }
    }
    assert_null(lmb__schema_row(-1));
    assert_null(lmb__schema_row(lmb__schema_size()));
}

/* The file keys are an interface: renaming one breaks users' files. */
static void test_schema_file_keys(void **state) {
    (void)state;
    static const char *const expected[] = {
        "area_cm2",
        "temperature_C",
        "nominal_capacity_mAh_cm2",
        "electrolyte.concentration_mol_L",
        "electrolyte.conductivity_mS_cm",
        "electrolyte.diffusivity_cm2_s",
        "electrolyte.transference_number",
        "electrolyte.thermodynamic_factor",
        "electrolyte.volume_uL",
        "electrolyte.fec_fraction",
        "separator.thickness_um",
        "separator.porosity",
        "separator.macmullin",
        "separator.bruggeman",
        "separator.cells",
        "separator.short_thickness_um",
        "separator.short_resistance_ohm",
        "electrodes.thickness_um",
        "electrodes.exchange_current_mA_cm2",
        "electrodes.reference_concentration_mol_L",
        "electrodes.alpha_a",
        "electrodes.alpha_c",
        "electrodes.area_factor",
        "electrodes.sei_thickness_nm",
        "electrodes.sei_resistivity_ohm_m",
        "electrodes.double_layer_uF_cm2",
        "electrodes.mossy_fraction",
        "electrodes.mossy_fraction_max",
        "electrodes.mossy_current_mA_cm2",
        "electrodes.mossy_area_factor",
        "electrodes.mossy_reserve_mAh_cm2",
        "electrodes.dead_fraction",
        "electrodes.sei_growth_nm2_h",
        "electrodes.sei_fresh_thickness_nm",
        "electrodes.sei_molar_volume_cm3_mol",
        "electrodes.dead_porosity",
        "electrodes.dead_bruggeman",
        "electrodes.sei_permittivity",
        "electrodes.pit_fraction",
        "electrodes.sei_solvent_per_li",
        "electrodes.fec_free_dead_factor",
        "electrodes.fec_free_sei_factor",
        "electrodes.cu_exchange_current_mA_cm2",
        "electrodes.li_cover_mAh_cm2",
        "electrodes.coating.loading_mg_cm2",
        "electrodes.coating.density_g_cm3",
        "electrodes.coating.porosity",
        "electrodes.coating.bruggeman",
        "electrodes.coating.particle_size_nm",
        "electrodes.coating.cells",
        "electrodes.coating.active_fraction",
        "electrodes.coating.exchange_current_mA_cm2",
        "electrodes.coating.double_layer_uF_cm2",
        "electrodes.coating.conversion_time_h",
        "electrodes.coating.conversion_per_capacity",
        "electrodes.coating.molar_mass_g_mol",
        "electrodes.coating.li_per_formula",
        "electrodes.coating.coverage_loading_mg_cm2",
        "electrodes.coating.film_factor",
        "electrodes.coating.mossy_factor",
        "electrodes.coating.sei_growth_factor",
        "electrodes.coating.dead_factor",
        "electrodes.coating.exchange_current_factor",
        "lfp.loading_mg_cm2",
        "lfp.active_mass_fraction",
        "lfp.carbon_mass_fraction",
        "lfp.density_g_cm3",
        "lfp.carbon_density_g_cm3",
        "lfp.binder_density_g_cm3",
        "lfp.porosity",
        "lfp.bruggeman",
        "lfp.cells",
        "lfp.max_concentration_mol_m3",
        "lfp.initial_li_fraction",
        "lfp.accessible_fraction",
        "lfp.diffusivity_cm2_s",
        "lfp.exchange_current_mA_cm2",
        "lfp.reference_concentration_mol_L",
        "lfp.double_layer_uF_cm2",
        "lfp.conductivity_S_m",
        "lfp.radius_nm",
        "lfp.size_spread",
        "lfp.size_classes",
        "lfp.shells",
        "porous.thickness_um",
        "porous.porosity",
        "porous.active_fraction",
        "porous.bruggeman",
        "porous.cells",
        "porous.max_concentration_mol_m3",
        "porous.initial_stoichiometry",
        "porous.diffusivity_cm2_s",
        "porous.rate_constant_m2p5_mol0p5_s",
        "porous.double_layer_uF_cm2",
        "porous.conductivity_S_m",
        "porous.radius_um",
        "porous.size_spread",
        "porous.size_classes",
        "porous.shells",
        "numerics.rtol",
        "numerics.atol_concentration_mol_m3",
        "numerics.atol_potential_V",
        "numerics.atol_interface_V",
        "numerics.atol_current_A_m2",
        "numerics.max_step_s",
        "numerics.mesh_ratio",
    };
    int n = (int)(sizeof expected / sizeof expected[0]);
    assert_int_equal(lmb_cell_schema_count(), n);
    for (int i = 0; i < n; i++) {
        lmb_param_info in;
        assert_int_equal(lmb_cell_schema_at(i, &in), LMB_OK);
        const lmb_unit *u = lmb_unit_find(in.unit);
        char k[128];
        if (u->dim == LMB_DIM_NONE)
            snprintf(k, sizeof k, "%s", in.key);
        else
            snprintf(k, sizeof k, "%s_%s", in.key, u->key);
        assert_string_equal(k, expected[i]);
        assert_true(in.is_default);
    }
    lmb_param_info in;
    assert_int_equal(lmb_cell_schema_at(n, &in), LMB_EINVAL);
    assert_int_equal(lmb_cell_schema_at(-1, &in), LMB_EINVAL);
    assert_int_equal(lmb_cell_schema_at(0, NULL), LMB_EINVAL);
}

static void test_defaults(void **state) {
    (void)state;
    lmb_params p;
    lmb__params_defaults(&p);
    /* SI values of the documented defaults (exact decimal conversions, a few ulps) */
    assert_close(p.area_m2, 0.502e-4, 1e-15);
    assert_close(p.T_K, 298.15, 1e-15);
    assert_close(p.electrolyte.c0_mol_m3, 1000.0, 1e-15);
    assert_close(p.electrolyte.kappa_S_m, 0.4, 1e-15);
    assert_close(p.electrolyte.D_m2_s, 2.5e-10, 1e-15);
    assert_close(p.electrolyte.t_plus, 0.35, 0);
    assert_close(p.electrolyte.tdf, 1.5, 0);
    assert_close(p.electrolyte.volume_m3, 20e-9, 1e-15);
    assert_close(p.separator.thickness_m, 16e-6, 1e-15);
    assert_close(p.separator.porosity, 0.41, 0);
    assert_close(p.separator.macmullin, 7.0, 0);
    assert_close(p.separator.bruggeman, 1.5, 0);
    assert_int_equal(p.separator.cells, 20);
    assert_int_equal(p.separator.present, 1);
    const lmb_li_params *li[2] = {&p.neg, &p.pos};
    for (int s = 0; s < 2; s++) {
        assert_close(li[s]->thickness_m, 500e-6, 1e-15);
        assert_close(li[s]->i0_A_m2, 64.0, 1e-15);
        assert_close(li[s]->c_ref_mol_m3, 1000.0, 1e-15);
        assert_close(li[s]->alpha_a, 0.5, 0);
        assert_close(li[s]->alpha_c, 0.5, 0);
        assert_close(li[s]->area_factor, 1.0, 0);
        assert_close(li[s]->sei_thickness_m, 20e-9, 1e-15);
        assert_close(li[s]->sei_resistivity_ohm_m, 2e5, 0);
        assert_close(li[s]->cdl_F_m2, 0.1, 1e-15);
        assert_int_equal(li[s]->coating.present, 0);
        assert_close(li[s]->coating.density_kg_m3, 4210.0, 1e-15);
        assert_close(li[s]->coating.porosity, 0.4, 0);
        assert_close(li[s]->coating.particle_size_m, 170e-9, 1e-15);
        assert_int_equal(li[s]->coating.cells, 5);
    }
    assert_close(p.num.rtol, 1e-6, 0);
    assert_close(p.num.atol_c, 1e-3, 0);
    assert_close(p.num.atol_phi, 1e-7, 0);
    assert_close(p.num.atol_i, 1e-5, 0);
    assert_true(p.num.max_step_s == 0.0);
    assert_close(p.num.mesh_ratio, 1.0, 0);
    assert_int_equal(p.type, LMB_CELL_LI_LI);
    /* the LFP electrode's defaults (used in a li-lfp cell only) */
    const lmb_lfp_params *l = &p.lfp;
    assert_close(l->loading_kg_m2, 0.0755, 1e-15);
    assert_close(l->active_mass_fraction, 0.90, 0);
    assert_close(l->carbon_mass_fraction, 0.05, 0);
    assert_close(l->density_kg_m3, 3600.0, 1e-15);
    assert_close(l->carbon_density_kg_m3, 1900.0, 1e-15);
    assert_close(l->binder_density_kg_m3, 1780.0, 1e-15);
    assert_close(l->porosity, 0.4, 0);
    assert_close(l->bruggeman, 0.5, 0);
    assert_int_equal(l->cells, 6);
    assert_close(l->c_max_mol_m3, 22806.0, 0);
    assert_close(l->initial_x, 0.999, 0);
    assert_close(l->accessible_fraction, 1.0, 0);
    assert_close(l->D_s_m2_s, 6.6e-19, 1e-15);
    assert_close(l->i0_ref_A_m2, 0.05, 1e-15);
    assert_close(l->c_ref_mol_m3, 1000.0, 1e-15);
    assert_close(l->cdl_F_m2, 0.1, 1e-15);
    assert_close(l->sigma_S_m, 1.0, 0);
    assert_close(l->radius_m, 50e-9, 1e-15);
    assert_close(l->size_spread, 0.4, 0);
    assert_int_equal(l->size_classes, 3);
    assert_int_equal(l->shells, 6);
    assert_int_equal(l->ocv, LMB_LFP_OCV_SAFARI2011);

    /* the default cell is valid and lists no coating parameters */
    lmb_cell *c = NULL;
    assert_int_equal(lmb_cell_create_default(g_ctx, &c), LMB_OK);
    assert_int_equal(lmb_cell_param_count(c), 17 + 2 * 27 + 7);
    assert_string_equal(lmb_cell_name(c), "default");
    lmb_cell_free(c);
}

static void test_derived(void **state) {
    (void)state;
    lmb_layer_params l = {0};
    l.porosity = 0.41;
    l.macmullin = 7.0;
    l.bruggeman = 1.5;
    assert_close(lmb__layer_tortuosity(&l), 2.87, 1e-15); /* N_M eps */
    l.macmullin = 0.0;
    l.porosity = 0.4;
    assert_close(lmb__layer_tortuosity(&l), pow(0.4, -1.5), 1e-15); /* eps^-b */
    lmb_li_params e = {0};
    e.sei_thickness_m = 20e-9;
    e.sei_resistivity_ohm_m = 2e5;
    assert_close(lmb__sei_resistance(&e), 4e-3, 1e-15); /* 40 ohm cm2 */
}

/* ---- keys and units ---- */

static void expect_resolve(const char *key, const char *row_key, const char *unit) {
    int row = -1;
    const lmb_unit *u = NULL;
    lmb_status st = lmb__schema_resolve(g_ctx, key, &row, &u);
    if (st != LMB_OK)
        fail_msg("%s: %s", key, lmb_ctx_errmsg(g_ctx));
    assert_string_equal(lmb__schema_row(row)->key, row_key);
    assert_string_equal(u->name, unit);
}

static void expect_resolve_error(const char *key, lmb_status status, const char *message) {
    int row = -1;
    const lmb_unit *u = NULL;
    lmb_status st = lmb__schema_resolve(g_ctx, key, &row, &u);
    if (st != status || strcmp(lmb_ctx_errmsg(g_ctx), message) != 0)
        fail_msg("%s: got %s: %s", key, lmb_status_name(st), lmb_ctx_errmsg(g_ctx));
}

static void test_unit_suffix_split(void **state) {
    (void)state;
    expect_resolve("separator.thickness_um", "separator.thickness", "um");
    expect_resolve("separator.thickness_nm", "separator.thickness", "nm");
    expect_resolve("separator.thickness_m", "separator.thickness", "m");
    /* the longest unit suffix wins: mA_cm2, not cm2 */
    expect_resolve("negative.exchange_current_mA_cm2", "negative.exchange_current", "mA/cm2");
    expect_resolve("negative.exchange_current_A_m2", "negative.exchange_current", "A/m2");
    expect_resolve("electrodes.reference_concentration_mol_L", "electrodes.reference_concentration",
                   "mol/L");
    expect_resolve("electrolyte.concentration_M", "electrolyte.concentration", "M");
    expect_resolve("negative.sei_resistivity_ohm_cm", "negative.sei_resistivity", "ohm cm");
    expect_resolve("numerics.max_step_h", "numerics.max_step", "h");
    expect_resolve("numerics.atol_potential_mV", "numerics.atol_potential", "mV");
    expect_resolve("temperature_K", "temperature", "K");
    expect_resolve("temperature_C", "temperature", "C"); /* Celsius, not coulomb */
    expect_resolve("area_mm2", "area", "mm2");
    /* dimensionless keys: no suffix, or a dimensionless one */
    expect_resolve("separator.porosity", "separator.porosity", "1");
    expect_resolve("separator.porosity_pct", "separator.porosity", "%");
    expect_resolve("negative.alpha_a", "negative.alpha_a", "1");
    expect_resolve("positive.coating.cells", "positive.coating.cells", "1");

    expect_resolve_error("separator.thickness_mA", LMB_EUNIT,
                         "key 'separator.thickness_mA': mA is a unit of current, but "
                         "separator.thickness is a length: write thickness_m, thickness_cm, "
                         "thickness_mm, thickness_um, thickness_nm");
    expect_resolve_error("separator.thickness", LMB_EUNIT,
                         "key 'separator.thickness' has no unit (separator.thickness is a length: "
                         "write thickness_m, thickness_cm, thickness_mm, thickness_um, "
                         "thickness_nm)");
    expect_resolve_error("separator.thickness_parsec", LMB_EUNIT,
                         "key 'separator.thickness_parsec': unknown unit 'parsec' "
                         "(separator.thickness is a length: write thickness_m, thickness_cm, "
                         "thickness_mm, thickness_um, thickness_nm)");
    expect_resolve_error("separator.porosity_um", LMB_EUNIT,
                         "key 'separator.porosity_um': um is a unit of length, but "
                         "separator.porosity is dimensionless and takes no unit: write "
                         "'porosity'");
    expect_resolve_error("separator.thicknes_um", LMB_EKEY,
                         "unknown key 'separator.thicknes_um' (did you mean "
                         "'separator.thickness_um'?)");
    /* the suggestion keeps the user's unit */
    expect_resolve_error("separator.thicknes_nm", LMB_EKEY,
                         "unknown key 'separator.thicknes_nm' (did you mean "
                         "'separator.thickness_nm'?)");
    expect_resolve_error("completely.unrelated", LMB_EKEY, "unknown key 'completely.unrelated'");
    expect_resolve_error("", LMB_EKEY, "unknown key ''");
}

/* ---- reading files: success ---- */

static void test_parse_minimal_and_units(void **state) {
    (void)state;
    lmb_cell *c = parse_ok("{}");
    assert_string_equal(lmb_cell_name(c), "t.json");
    lmb_cell_free(c);

    c = parse_ok("{\"name\": \"x\", \"description\": \"d\", \"type\": \"li-li\","
                 " \"temperature_K\": 300, \"area_mm2\": 50,"
                 " \"separator\": {\"thickness_nm\": 25000, \"porosity_pct\": 45},"
                 " \"electrolyte\": {\"concentration_M\": 1.2}}");
    const lmb_params *p = lmb__cell_params(c);
    assert_string_equal(lmb_cell_name(c), "x");
    assert_string_equal(p->description, "d");
    assert_close(p->T_K, 300.0, 0);
    assert_close(p->area_m2, 50e-6, 1e-15);
    assert_close(p->separator.thickness_m, 25e-6, 1e-15);
    assert_close(p->separator.porosity, 0.45, 1e-15);
    assert_close(p->electrolyte.c0_mol_m3, 1200.0, 1e-15);
    assert_close(get(c, "separator.thickness_um"), 25.0, 0);
    lmb_cell_free(c);
}

static void test_provenance(void **state) {
    (void)state;
    lmb_cell *c = parse_ok("{\"separator\": {\"thickness_um\": {\"value\": 25, \"source\": \"s1\","
                           " \"fitted_to\": \"f1\"}, \"porosity\": 0.5}}");
    int n = lmb_cell_param_count(c), seen = 0;
    for (int i = 0; i < n; i++) {
        lmb_param_info in;
        assert_int_equal(lmb_cell_param_at(c, i, &in), LMB_OK);
        if (strcmp(in.key, "separator.thickness") == 0) {
            assert_string_equal(in.source, "s1");
            assert_string_equal(in.fitted_to, "f1");
            assert_false(in.is_default);
            assert_close(in.value, 25.0, 0);
            assert_close(in.value_si, 25e-6, 1e-15);
            assert_string_equal(in.unit, "um");
            assert_string_equal(in.si_unit, "m");
            seen++;
        } else if (strcmp(in.key, "separator.porosity") == 0) {
            assert_string_equal(in.source, "");
            assert_false(in.is_default);
            seen++;
        } else if (strcmp(in.key, "area") == 0) {
            assert_true(in.is_default);
            seen++;
        }
    }
    assert_int_equal(seen, 3);
    lmb_param_info in;
    assert_int_equal(lmb_cell_param_at(c, n, &in), LMB_EINVAL);
    assert_int_equal(lmb_cell_param_at(c, -1, &in), LMB_EINVAL);
    lmb_cell_free(c);
}

static void test_electrodes_override(void **state) {
    (void)state;
    /* negative overrides electrodes key by key, whatever the order of the sections */
    lmb_cell *c = parse_ok("{\"negative\": {\"thickness_um\": 100},"
                           " \"electrodes\": {\"thickness_um\": 300, \"sei_thickness_nm\": 10}}");
    const lmb_params *p = lmb__cell_params(c);
    assert_close(p->neg.thickness_m, 100e-6, 1e-15);
    assert_close(p->pos.thickness_m, 300e-6, 1e-15);
    assert_close(p->neg.sei_thickness_m, 10e-9, 1e-15);
    assert_close(p->pos.sei_thickness_m, 10e-9, 1e-15);
    double v;
    assert_int_equal(lmb_cell_get(g_ctx, c, "electrodes.thickness_um", &v), LMB_EINVAL);
    assert_close(get(c, "electrodes.sei_thickness_nm"), 10.0, 0);
    lmb_cell_free(c);
}

static void test_coating_thickness(void **state) {
    (void)state;
    lmb_cell *c = parse_ok("{\"electrodes\": {\"coating\": {\"loading_mg_cm2\": 2,"
                           " \"density_g_cm3\": 4.21, \"porosity\": 0.4}}}");
    const lmb_params *p = lmb__cell_params(c);
    /* L = m / (rho (1 - eps)) = 0.02 kg/m2 / (4210 kg/m3 x 0.6) = 7.92 um */
    double expect = 0.02 / (4210.0 * 0.6);
    for (int s = 0; s < 2; s++) {
        const lmb_layer_params *l = s ? &p->pos.coating : &p->neg.coating;
        assert_int_equal(l->present, 1);
        assert_close(l->thickness_m, expect, 1e-14);
        assert_true(fabs(l->thickness_m * 1e6 - 7.92) < 0.005);
        assert_true(l->macmullin == 0.0);
    }
    assert_int_equal(lmb_cell_param_count(c), 17 + 2 * 46 + 7);
    lmb_cell_free(c);

    /* a coating on one side only, and "coating": null removing a shared one */
    c = parse_ok("{\"positive\": {\"coating\": {\"loading_mg_cm2\": 1}}}");
    p = lmb__cell_params(c);
    assert_int_equal(p->neg.coating.present, 0);
    assert_true(p->neg.coating.thickness_m == 0.0);
    assert_int_equal(p->pos.coating.present, 1);
    assert_int_equal(lmb_cell_param_count(c), 17 + 46 + 27 + 7);
    lmb_cell_free(c);
    c = parse_ok("{\"electrodes\": {\"coating\": {\"loading_mg_cm2\": 4}},"
                 " \"negative\": {\"coating\": null}}");
    p = lmb__cell_params(c);
    assert_int_equal(p->neg.coating.present, 0);
    assert_int_equal(p->pos.coating.present, 1);
    assert_close(p->pos.coating.loading_kg_m2, 0.04, 1e-15);
    lmb_cell_free(c);
}

/* ---- reading files: every error ---- */

static void test_error_syntax(void **state) {
    (void)state;
    expect_error("{\n  \"separator\": {\n    \"thickness_um\": 16,,\n  }\n}", LMB_EPARSE,
                 "t.json:3:25: JSON syntax error near 'ss_um\": 16,,'");
    expect_error("{\n  \"area_cm2\": 0.5", LMB_EPARSE,
                 "t.json:2:18: JSON syntax error near 'ea_cm2\": 0.5' at the end of the file "
                 "(truncated?)");
    expect_error_has("{\"a\": 1} trailing", LMB_EPARSE, "t.json:1:", "JSON syntax error", NULL);
    expect_error_has("{\"a\": NaN}", LMB_EPARSE, "t.json:1:", "JSON syntax error", NULL);
    /* cJSON accepts raw control characters inside strings; messages escape them */
    expect_error("{\"a\x01\": 1}", LMB_EKEY, "t.json: unknown key 'a\\x01'");
    /* deep nesting is refused by the parser's limit, not by the stack */
    size_t n = 100000;
    char *deep = malloc(2 * n + 1);
    assert_non_null(deep);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    expect_error_has(deep, LMB_EPARSE, "JSON syntax error", "nested too deeply", NULL);
    free(deep);
}

static void test_error_root(void **state) {
    (void)state;
    expect_error("", LMB_EPARSE, "t.json: empty file (a cell file is one JSON object)");
    expect_error(" \n\t ", LMB_EPARSE, "t.json: empty file (a cell file is one JSON object)");
    expect_error("[1, 2]", LMB_EPARSE, "t.json: the top level must be a JSON object, not an array");
    expect_error("42", LMB_EPARSE, "t.json: the top level must be a JSON object, not a number");
    expect_error("\"x\"", LMB_EPARSE, "t.json: the top level must be a JSON object, not a string");
    expect_error("null", LMB_EPARSE, "t.json: the top level must be a JSON object, not a null");
}

static void test_error_unknown_key(void **state) {
    (void)state;
    expect_error("{\"separator\": {\"thicknes_um\": 16}}", LMB_EKEY,
                 "t.json: unknown key 'separator.thicknes_um' (did you mean "
                 "'separator.thickness_um'?)");
    expect_error("{\"separater\": {}}", LMB_EKEY,
                 "t.json: unknown key 'separater' (did you mean 'separator'?)");
    expect_error("{\"negative\": {\"coating\": {\"loadin_mg_cm2\": 2}}}", LMB_EKEY,
                 "t.json: unknown key 'negative.coating.loadin_mg_cm2' (did you mean "
                 "'negative.coating.loading_mg_cm2'?)");
    expect_error("{\"bogus\": 1}", LMB_EKEY, "t.json: unknown key 'bogus'");
    expect_error("{\"separator.thickness_um\": 16}", LMB_EKEY,
                 "t.json: unknown key 'separator.thickness_um': keys do not contain '.'; nest "
                 "objects instead, e.g. {\"separator\": {\"thickness_um\": 16}}");
    expect_error("{\"separator\": {\"thickness_um\": {\"value\": 16, \"sorce\": \"x\"}}}", LMB_EKEY,
                 "t.json: unknown key 'separator.thickness_um.sorce' (a value object holds only "
                 "value, source and fitted_to)");
    expect_error("{\"separator\": {\"thickness_um\": {\"source\": \"x\"}}}", LMB_EKEY,
                 "t.json: separator.thickness_um has no \"value\"");
    /* control characters in a key cannot break the one-line message */
    expect_error("{\"a\\nb\": 1}", LMB_EKEY, "t.json: unknown key 'a\\x0ab'");
    /* a very long key is cut */
    char json[2000] = "{\"";
    memset(json + 2, 'k', 1500);
    strcpy(json + 1502, "\": 1}");
    expect_error_has(json, LMB_EKEY, "unknown key 'kkk", "...", NULL);
}

static void test_error_range(void **state) {
    (void)state;
    expect_error("{\"separator\": {\"thickness_um\": -5}}", LMB_ERANGE,
                 "t.json: separator.thickness_um = -5 um is out of range (must be > 0 um and "
                 "<= 10000 um)");
    /* bounds are given in the unit the user wrote */
    expect_error("{\"separator\": {\"thickness_mm\": 11}}", LMB_ERANGE,
                 "t.json: separator.thickness_mm = 11 mm is out of range (must be > 0 mm and "
                 "<= 10 mm)");
    expect_error("{\"electrolyte\": {\"transference_number\": 1}}", LMB_ERANGE,
                 "t.json: electrolyte.transference_number = 1 is out of range (must be >= 0 and "
                 "< 1)");
    expect_error("{\"electrolyte\": {\"transference_number\": 1.5}}", LMB_ERANGE,
                 "t.json: electrolyte.transference_number = 1.5 is out of range (must be >= 0 "
                 "and < 1)");
    expect_error("{\"temperature_K\": 100}", LMB_ERANGE,
                 "t.json: temperature_K = 100 K is out of range (must be > 200 K and <= 400 K)");
    expect_error("{\"electrodes\": {\"alpha_a\": 0}}", LMB_ERANGE,
                 "t.json: electrodes.alpha_a = 0 is out of range (must be > 0 and <= 1)");
    expect_error("{\"separator\": {\"porosity\": 0}}", LMB_ERANGE,
                 "t.json: separator.porosity = 0 is out of range (must be > 0 and <= 1)");
    expect_error("{\"electrolyte\": {\"thermodynamic_factor\": {\"value\": -1}}}", LMB_ERANGE,
                 "t.json: electrolyte.thermodynamic_factor = -1 is out of range (must be > 0 and "
                 "<= 100)");
    expect_error("{\"numerics\": {\"rtol\": 0.1}}", LMB_ERANGE,
                 "t.json: numerics.rtol = 0.1 is out of range (must be > 0 and <= 0.01)");
    expect_error("{\"separator\": {\"cells\": 2.5}}", LMB_ERANGE,
                 "t.json: separator.cells = 2.5 is not a whole number");
    expect_error("{\"separator\": {\"cells\": 0}}", LMB_ERANGE,
                 "t.json: separator.cells = 0 is out of range (must be >= 1 and <= 2000)");
    expect_error("{\"separator\": {\"cells\": 1e12}}", LMB_ERANGE,
                 "t.json: separator.cells = 1e+12 is out of range (must be >= 1 and <= 2000)");
    expect_error("{\"separator\": {\"thickness_um\": 1e999}}", LMB_ERANGE,
                 "t.json: separator.thickness_um = inf is not a finite number");
    expect_error("{\"separator\": {\"thickness_um\": -1e999}}", LMB_ERANGE,
                 "t.json: separator.thickness_um = -inf is not a finite number");
    /* the limits themselves */
    lmb_cell *c = parse_ok("{\"electrolyte\": {\"transference_number\": 0, \"volume_uL\": 1000},"
                           " \"separator\": {\"thickness_mm\": 10, \"porosity\": 1},"
                           " \"temperature_K\": 400}");
    lmb_cell_free(c);
}

static void test_error_cross_checks(void **state) {
    (void)state;
    expect_error("{\"separator\": {\"macmullin\": 2}}", LMB_ERANGE,
                 "t.json: separator.macmullin = 2 with separator.porosity = 0.41 gives a "
                 "tortuosity N_M*eps = 0.82 < 1 (N_M must be 0, to use Bruggeman, or >= 1/eps = "
                 "2.43902)");
    expect_error("{\"electrodes\": {\"coating\": {\"porosity\": 0.3}}}", LMB_EKEY,
                 "t.json: negative.coating.loading_mg_cm2 is missing: an electrode with a coating "
                 "needs its loading");
    expect_error("{\"positive\": {\"coating\": {}}}", LMB_EKEY,
                 "t.json: positive.coating.loading_mg_cm2 is missing: an electrode with a coating "
                 "needs its loading");
    expect_error_has("{\"negative\": {\"coating\": {\"loading_mg_cm2\": 1000, \"density_g_cm3\":"
                     " 0.01}}}",
                     LMB_ERANGE, "negative.coating: thickness", "out of range", NULL);
    /* macmullin = 0 switches to Bruggeman and needs no check */
    lmb_cell *c = parse_ok("{\"separator\": {\"macmullin\": 0}}");
    lmb_cell_free(c);
}

static void test_error_units(void **state) {
    (void)state;
    expect_error("{\"separator\": {\"thickness_mA\": 16}}", LMB_EUNIT,
                 "t.json: key 'separator.thickness_mA': mA is a unit of current, but "
                 "separator.thickness is a length: write thickness_m, thickness_cm, thickness_mm, "
                 "thickness_um, thickness_nm");
    expect_error("{\"electrodes\": {\"exchange_current_mA_cm\": 6}}", LMB_EUNIT,
                 "t.json: key 'electrodes.exchange_current_mA_cm': unknown unit 'mA_cm' "
                 "(electrodes.exchange_current is a current density: write exchange_current_A_m2, "
                 "exchange_current_A_cm2, exchange_current_mA_cm2, exchange_current_uA_cm2)");
    expect_error_has("{\"temperature\": 25}", LMB_EUNIT, "key 'temperature' has no unit",
                     "temperature_K, temperature_C", NULL);
    expect_error_has("{\"separator\": {\"porosity_um\": 0.4}}", LMB_EUNIT,
                     "separator.porosity is dimensionless", NULL);
}

static void test_error_types(void **state) {
    (void)state;
    expect_error("{\"separator\": {\"thickness_um\": \"16\"}}", LMB_EPARSE,
                 "t.json: separator.thickness_um must be a number or an object {\"value\": ...}, "
                 "not a string");
    expect_error("{\"separator\": {\"thickness_um\": [16]}}", LMB_EPARSE,
                 "t.json: separator.thickness_um must be a number or an object {\"value\": ...}, "
                 "not a array");
    expect_error("{\"area_cm2\": true}", LMB_EPARSE,
                 "t.json: area_cm2 must be a number or an object {\"value\": ...}, not a boolean");
    expect_error("{\"separator\": {\"thickness_um\": {\"value\": \"16\"}}}", LMB_EPARSE,
                 "t.json: separator.thickness_um.value must be a number, not a string");
    expect_error("{\"separator\": {\"thickness_um\": {\"value\": 16, \"source\": 3}}}", LMB_EPARSE,
                 "t.json: separator.thickness_um.source must be a string, not a number");
    expect_error("{\"separator\": 16}", LMB_EPARSE,
                 "t.json: separator must be an object, not a number");
    expect_error("{\"name\": 3}", LMB_EPARSE, "t.json: name must be a string, not a number");
    expect_error("{\"type\": \"li-s\"}", LMB_ERANGE,
                 "t.json: type = 'li-s' is not supported (types: li-li, li-cu, li-lfp, li-porous)");
    expect_error("{\"type\": \"li-cu\", \"positive\": {\"kind\": \"li-metal\"}}", LMB_ERANGE,
                 "t.json: positive.kind = 'li-metal' in a li-cu cell: its positive (working) "
                 "electrode is the Cu");
    expect_error("{\"positive\": {\"kind\": \"cu\"}}", LMB_ERANGE,
                 "t.json: positive.kind = 'cu' needs \"type\": \"li-cu\"");
    expect_error("{\"type\": null}", LMB_EPARSE, "t.json: type must be a string, not a null");
    expect_error("{\"negative\": {\"kind\": \"cu\"}}", LMB_ERANGE,
                 "t.json: negative.kind = 'cu' is not supported (kinds: li-metal; cu for the "
                 "positive, working electrode of a li-cu cell)");
    expect_error("{\"negative\": {\"kind\": 1}}", LMB_EPARSE,
                 "t.json: negative.kind must be a string, not a number");
    expect_error("{\"electrodes\": {\"coating\": 2}}", LMB_EPARSE,
                 "t.json: electrodes.coating must be an object (or null for no coating), not a "
                 "number");
    char json[700];
    snprintf(json, sizeof json, "{\"name\": \"%0120d\"}", 0);
    expect_error(json, LMB_ERANGE, "t.json: name is 120 characters long (at most 95)");
}

static void test_error_duplicates(void **state) {
    (void)state;
    expect_error("{\"separator\": {\"thickness_um\": 16, \"thickness_um\": 17}}", LMB_EKEY,
                 "t.json: duplicate key 'separator.thickness_um' (each key may appear once)");
    expect_error("{\"separator\": {\"thickness_um\": 16, \"thickness_nm\": 16000}}", LMB_EKEY,
                 "t.json: duplicate key 'separator.thickness_nm': separator.thickness is already "
                 "given");
    expect_error("{\"separator\": {}, \"separator\": {}}", LMB_EKEY,
                 "t.json: duplicate key 'separator' (each key may appear once)");
    expect_error("{\"electrodes\": {\"alpha_a\": 0.5, \"alpha_a\": 0.4}}", LMB_EKEY,
                 "t.json: duplicate key 'electrodes.alpha_a' (each key may appear once)");
    expect_error("{\"area_cm2\": {\"value\": 1, \"value\": 2}}", LMB_EKEY,
                 "t.json: duplicate key 'area_cm2.value' (each key may appear once)");
}

static void test_load_files(void **state) {
    (void)state;
    char dir[] = "/tmp/lmb_test_cell_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    lmb_cell *c = (lmb_cell *)&c; /* must be reset to NULL on failure */

    snprintf(path, sizeof path, "%s/missing.json", dir);
    assert_int_equal(lmb_cell_load(g_ctx, path, &c), LMB_EIO);
    assert_null(c);
    char want[512];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    assert_string_equal(lmb_ctx_errmsg(g_ctx), want);

    assert_int_equal(lmb_cell_load(g_ctx, dir, &c), LMB_EIO); /* a directory */
    snprintf(want, sizeof want, "%s: cannot read: Is a directory", dir);
    assert_string_equal(lmb_ctx_errmsg(g_ctx), want);

    snprintf(path, sizeof path, "%s/nul.json", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("{\"a\": 1}\0x", 1, 10, f);
    fclose(f);
    assert_int_equal(lmb_cell_load(g_ctx, path, &c), LMB_EPARSE);
    snprintf(want, sizeof want, "%s: NUL byte at offset 8: not a JSON text file", path);
    assert_string_equal(lmb_ctx_errmsg(g_ctx), want);
    remove(path);

    snprintf(path, sizeof path, "%s/ok.json", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("\xef\xbb\xbf{\"separator\": {\"thickness_um\": 20}}\n", f); /* with a BOM */
    fclose(f);
    assert_int_equal(lmb_cell_load(g_ctx, path, &c), LMB_OK);
    assert_close(get(c, "separator.thickness_um"), 20.0, 0);
    assert_string_equal(lmb_cell_name(c), path);
    lmb_cell_free(c);

    /* a syntax error names the path with line and column */
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("{\n  \"area_cm2\": 0.5,\n  \"x\" 1\n}\n", f);
    fclose(f);
    assert_int_equal(lmb_cell_load(g_ctx, path, &c), LMB_EPARSE);
    snprintf(want, sizeof want, "%s:3:", path);
    assert_true(strncmp(lmb_ctx_errmsg(g_ctx), want, strlen(want)) == 0);
    remove(path);
    rmdir(dir);

    assert_int_equal(lmb_cell_load(g_ctx, "li-li:nope", &c), LMB_ENOTFOUND);
    assert_string_equal(lmb_ctx_errmsg(g_ctx),
                        "unknown preset 'li-li:nope' (presets: li-cu:bare, li-cu:cspbcl3-2mg, "
                        "li-lfp:bare, li-lfp:cspbcl3-2mg, li-li:bare, li-li:cspbcl3-2mg, "
                        "li-licoo2:reference; coated presets take any loading, e.g. "
                        "li-li:cspbcl3-4mg; a file whose "
                        "name has a ':' is read as ./NAME)");
    /* loading variants of the coated preset: only the loading (and so the thickness) changes */
    lmb_cell *c2 = NULL, *c4 = NULL;
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:cspbcl3-2mg", &c2), LMB_OK);
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:cspbcl3-4mg", &c4), LMB_OK);
    assert_string_equal(lmb_cell_name(c4), "li-li:cspbcl3-4mg");
    const lmb_params *p2 = lmb__cell_params(c2), *p4 = lmb__cell_params(c4);
    assert_close(p4->neg.coating.loading_kg_m2, 0.04, 1e-15);
    assert_close(p4->pos.coating.loading_kg_m2, 0.04, 1e-15);
    assert_close(p4->neg.coating.thickness_m, 2.0 * p2->neg.coating.thickness_m, 1e-18);
    assert_close(p4->neg.i0_A_m2, p2->neg.i0_A_m2, 0);
    lmb_cell_free(c2);
    lmb_cell_free(c4);
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:cspbcl3-0mg", &c), LMB_ERANGE);
    assert_non_null(strstr(lmb_ctx_errmsg(g_ctx), "li-li:cspbcl3-0mg: "));
    assert_null(c);
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:bare-2mg", &c), LMB_ENOTFOUND);
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:cspbcl3--1mg", &c), LMB_ENOTFOUND);
    assert_int_equal(lmb_cell_load(g_ctx, NULL, &c), LMB_EINVAL);
    assert_int_equal(lmb_cell_load(g_ctx, "x", NULL), LMB_EINVAL);
    assert_int_equal(lmb_cell_parse(g_ctx, NULL, "x", &c), LMB_EINVAL);
    assert_int_equal(lmb_cell_load(NULL, "/nonexistent/x.json", &c), LMB_EIO); /* no context */
}

/* ---- presets ---- */

static void test_presets(void **state) {
    (void)state;
    assert_int_equal(lmb_preset_count(), 7);
    assert_string_equal(lmb_preset_name(0), "li-cu:bare");
    assert_string_equal(lmb_preset_name(1), "li-cu:cspbcl3-2mg");
    assert_string_equal(lmb_preset_name(2), "li-lfp:bare");
    assert_string_equal(lmb_preset_name(3), "li-lfp:cspbcl3-2mg");
    assert_string_equal(lmb_preset_name(4), "li-li:bare");
    assert_string_equal(lmb_preset_name(5), "li-li:cspbcl3-2mg");
    assert_string_equal(lmb_preset_name(6), "li-licoo2:reference");
    assert_null(lmb_preset_name(7));
    assert_null(lmb_preset_name(-1));
    for (int i = 0; i < lmb_preset_count(); i++) {
        lmb_cell *c = NULL, *f = NULL;
        const char *name = lmb_preset_name(i);
        if (lmb_cell_load(g_ctx, name, &c) != LMB_OK)
            fail_msg("%s: %s", name, lmb_ctx_errmsg(g_ctx));
        assert_string_equal(lmb_cell_name(c), name);
        assert_true(lmb__cell_params(c)->description[0] != '\0');
        /* every physical parameter states its source; only unused or numerical ones default */
        for (int k = 0; k < lmb_cell_param_count(c); k++) {
            lmb_param_info in;
            lmb_cell_param_at(c, k, &in);
            if (in.is_default) {
                assert_string_equal(in.key, "separator.bruggeman"); /* unused: N_M is given */
                continue;
            }
            if (!in.source[0])
                fail_msg("%s: %s has no source", name, in.key);
        }
        if (lmb__cell_params(c)->type == LMB_CELL_LI_LFP) {
            const char *src;
            int is_default;
            lmb__cell_ocv_provenance(c, &src, NULL, &is_default);
            if (is_default || !src[0])
                fail_msg("%s: lfp.ocv has no source", name);
        }
        /* the embedded text is the file in presets/ */
        char path[512];
        snprintf(path, sizeof path, "%s/presets/%s.json", LMB_SOURCE_DIR, name);
        *strchr(path + strlen(LMB_SOURCE_DIR), ':') = '/';
        if (lmb_cell_load(g_ctx, path, &f) != LMB_OK)
            fail_msg("%s: %s", path, lmb_ctx_errmsg(g_ctx));
        /* (a table is the cell's own copy: compared by content, the rest byte for byte) */
        lmb_params pc = *lmb__cell_params(c), pf = *lmb__cell_params(f);
        lmb_prop *tc[5] = {&pc.electrolyte.kappa_fn, &pc.electrolyte.D_fn, &pc.electrolyte.tplus_fn,
                           &pc.electrolyte.tdf_fn, &pc.lfp.ocv_fn};
        lmb_prop *tf[5] = {&pf.electrolyte.kappa_fn, &pf.electrolyte.D_fn, &pf.electrolyte.tplus_fn,
                           &pf.electrolyte.tdf_fn, &pf.lfp.ocv_fn};
        for (int k = 0; k < 5; k++) {
            assert_int_equal(!tc[k]->table, !tf[k]->table);
            if (tc[k]->table) {
                assert_int_equal(tc[k]->table->n, tf[k]->table->n);
                assert_memory_equal(tc[k]->table->x, tf[k]->table->x,
                                    (size_t)tc[k]->table->n * sizeof(double));
                assert_memory_equal(tc[k]->table->y, tf[k]->table->y,
                                    (size_t)tc[k]->table->n * sizeof(double));
            }
            tc[k]->table = tf[k]->table = NULL;
        }
        assert_memory_equal(&pc, &pf, sizeof(lmb_params));
        lmb_cell_free(f);
        lmb_cell_free(c);
    }
}

static void test_preset_values(void **state) {
    (void)state;
    lmb_cell *b = NULL, *k = NULL;
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:bare", &b), LMB_OK);
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:cspbcl3-2mg", &k), LMB_OK);
    const lmb_params *pb = lmb__cell_params(b), *pk = lmb__cell_params(k);
    /* one Li: the coated cell is the bare cell's Li with the coating (lmb fit li-li copies the
     * fitted Li values; docs/calibration.md) */
    for (int s = 0; s < 2; s++) {
        const lmb_li_params *e = s ? &pb->pos : &pb->neg, *c = s ? &pk->pos : &pk->neg;
        assert_true(e->i0_A_m2 == c->i0_A_m2 &&
                    e->sei_resistivity_ohm_m == c->sei_resistivity_ohm_m);
        assert_true(e->sei_thickness_m == c->sei_thickness_m && e->pit_fraction == c->pit_fraction);
        assert_true(e->sei_solvent_per_li == c->sei_solvent_per_li);
        assert_true(e->dead_fraction == c->dead_fraction &&
                    e->sei_growth_m2_s == c->sei_growth_m2_s);
        assert_true(e->mossy_fraction == c->mossy_fraction && e->cdl_F_m2 == c->cdl_F_m2);
        assert_int_equal(e->coating.present, 0);
        assert_int_equal(c->coating.present, 1);
        /* 2 mg/cm2 of CsPbCl3: thickness m / (rho (1 - eps)), 6.3 um at the fitted porosity
         * (the study observed ~5 um) */
        assert_close(c->coating.thickness_m, 0.02 / (4210.0 * (1.0 - c->coating.porosity)), 1e-14);
        assert_true(c->coating.thickness_m > 4.75e-6 && c->coating.thickness_m < 8e-6);
        assert_close(c->coating.particle_size_m, 170e-9, 1e-15);
    }
    assert_true(pb->short_thickness_m == pk->short_thickness_m && pb->short_thickness_m > 0.0);
    /* one Li-side set per anode across the cell types: the Li||Cu presets' Li (the counter
     * electrode, and the Li plated on the Cu) is the Li||Li presets' */
    const char *cu_names[2] = {"li-cu:bare", "li-cu:cspbcl3-2mg"};
    const lmb_params *li[2] = {pb, pk};
    for (int a = 0; a < 2; a++) {
        lmb_cell *cu = NULL;
        assert_int_equal(lmb_cell_load(g_ctx, cu_names[a], &cu), LMB_OK);
        const lmb_params *pc = lmb__cell_params(cu);
        assert_int_equal(pc->type, LMB_CELL_LI_CU);
        assert_int_equal(pc->pos.is_cu, 1);
        assert_int_equal(pc->neg.is_cu, 0);
        const lmb_li_params *x[2] = {&pc->neg, &pc->pos}, *y = &li[a]->neg;
        for (int s = 0; s < 2; s++) {
            assert_true(x[s]->i0_A_m2 == y->i0_A_m2 && x[s]->pit_fraction == y->pit_fraction);
            assert_true(x[s]->sei_resistivity_ohm_m == y->sei_resistivity_ohm_m);
            assert_true(x[s]->dead_fraction == y->dead_fraction);
            assert_true(x[s]->sei_solvent_per_li == y->sei_solvent_per_li);
            assert_int_equal(x[s]->coating.present, y->coating.present);
            assert_true(x[s]->coating.film_factor == y->coating.film_factor);
            /* the coating on the Cu has its own dead-Li share, fitted to the coated Li||Cu
             * cell's Adams CE (src/cli/cmd_fit.c) */
            assert_true(s == 1 || x[s]->coating.dead_factor == y->coating.dead_factor);
            assert_true(x[s]->coating.porosity == y->coating.porosity);
        }
        lmb_cell_free(cu);
    }
    /* the study's cell: 0.502 cm2, 25 C, 1 M, 4 mS/cm, 20 uL, 16 um separator */
    const lmb_params *ps[2] = {pb, pk};
    for (int i = 0; i < 2; i++) {
        assert_close(ps[i]->area_m2, 0.502e-4, 1e-15);
        assert_close(ps[i]->T_K, 298.15, 1e-15);
        assert_close(ps[i]->electrolyte.kappa_S_m, 0.4, 1e-15);
        assert_close(ps[i]->electrolyte.volume_m3, 20e-9, 1e-15);
        assert_close(ps[i]->separator.thickness_m, 16e-6, 1e-15);
    }
    lmb_cell_free(b);
    lmb_cell_free(k);
}

/* ---- li-lfp cells ---- */

static void test_lfp_cell(void **state) {
    (void)state;
    lmb_cell *c = parse_ok("{\"type\": \"li-lfp\"}");
    const lmb_params *p = lmb__cell_params(c);
    assert_int_equal(p->type, LMB_CELL_LI_LFP);
    /* thickness = solid volume / (1 - eps): 7.55 mg/cm2 of LFP at 90:5:5 with 3.6, 1.9 and
     * 1.78 g/cm3 and porosity 0.4 */
    double solid = 0.0755 / 3600.0 + 0.0755 * (0.05 / 0.90) / 1900.0 +
                   0.0755 * (0.05 / 0.90) / 1780.0; /* [m] */
    assert_close(p->lfp.thickness_m, solid / 0.6, 1e-14);
    assert_true(fabs(p->lfp.thickness_m * 1e6 - 42.56) < 0.005);
    /* its parameters: the cell-wide ones, the negative Li electrode, the LFP's, numerics */
    assert_int_equal(lmb_cell_param_count(c), 17 + 27 + 21 + 7);
    for (int i = 0; i < lmb_cell_param_count(c); i++) {
        lmb_param_info in;
        assert_int_equal(lmb_cell_param_at(c, i, &in), LMB_OK);
        assert_true(strncmp(in.key, "positive.", 9) != 0);
    }
    lmb_cell_free(c);

    /* no LFP binder: carbon makes up the rest; the thickness follows the porosity */
    c = parse_ok("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": \"prada2013\", \"porosity\": 0.3, "
                 "\"active_mass_fraction\": 0.95, \"carbon_mass_fraction\": 0.05}}");
    p = lmb__cell_params(c);
    assert_int_equal(p->lfp.ocv, LMB_LFP_OCV_PRADA2013);
    assert_close(p->lfp.thickness_m, (0.0755 / 3600.0 + 0.0755 * (0.05 / 0.95) / 1900.0) / 0.7,
                 1e-14);
    /* lmb_cell_set: electrodes.* is the one Li electrode; positive.* does not exist */
    assert_int_equal(lmb_cell_set(g_ctx, c, "electrodes.thickness_um", 250), LMB_OK);
    assert_close(p->neg.thickness_m, 250e-6, 1e-15);
    assert_close(p->pos.thickness_m, 500e-6, 1e-15);
    assert_close(get(c, "electrodes.thickness_um"), 250.0, 0);
    assert_int_equal(lmb_cell_set(g_ctx, c, "positive.thickness_um", 100), LMB_EKEY);
    assert_string_equal(lmb_ctx_errmsg(g_ctx),
                        "positive.thickness_um: a li-lfp cell has no positive Li electrode (its "
                        "positive electrode is lfp.*)");
    double v;
    assert_int_equal(lmb_cell_get(g_ctx, c, "positive.coating.porosity", &v), LMB_EKEY);
    assert_int_equal(lmb_cell_set(g_ctx, c, "lfp.loading_mg_cm2", 15.1), LMB_OK);
    assert_close(p->lfp.thickness_m, (0.151 / 3600.0 + 0.151 * (0.05 / 0.95) / 1900.0) / 0.7,
                 1e-14);
    /* a rejected cross-check leaves the cell as it was */
    assert_int_equal(lmb_cell_set(g_ctx, c, "lfp.carbon_mass_fraction", 0.1), LMB_ERANGE);
    assert_close(get(c, "lfp.carbon_mass_fraction"), 0.05, 0);
    lmb_cell_free(c);

    /* an lfp.* key in a cell of another type */
    assert_int_equal(lmb_cell_create_default(g_ctx, &c), LMB_OK);
    assert_int_equal(lmb_cell_set(g_ctx, c, "lfp.radius_nm", 40), LMB_EKEY);
    assert_string_equal(lmb_ctx_errmsg(g_ctx),
                        "lfp.radius_nm: only a li-lfp cell has an LFP electrode (this cell is "
                        "li-li)");
    assert_int_equal(lmb_cell_get(g_ctx, c, "lfp.radius_nm", &v), LMB_EKEY);
    lmb_cell_free(c);
}

static void test_lfp_errors(void **state) {
    (void)state;
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": \"safari\"}}", LMB_ERANGE,
                 "t.json: lfp.ocv = 'safari' is not a known open-circuit potential (choices: "
                 "prada2013, safari2011, dualfoil1998; or {\"table\": \"file.csv\"})");
    expect_error(
        "{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": {\"value\": \"x\", \"source\": \"s\"}}}",
        LMB_ERANGE,
        "t.json: lfp.ocv = 'x' is not a known open-circuit potential (choices: "
        "prada2013, safari2011, dualfoil1998; or {\"table\": \"file.csv\"})");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": 2011}}", LMB_EPARSE,
                 "t.json: lfp.ocv must be a string (a name), {\"value\": name} or {\"table\": "
                 "\"file.csv\"}, not a number");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": {\"value\": 1}}}", LMB_EPARSE,
                 "t.json: lfp.ocv.value must be a string, not a number");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": {\"source\": \"s\"}}}", LMB_EKEY,
                 "t.json: lfp.ocv has no \"value\" (a name) or \"table\" (a CSV file)");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": {\"value\": \"prada2013\", "
                 "\"source\": 1}}}",
                 LMB_EPARSE, "t.json: lfp.ocv.source must be a string, not a number");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": {\"value\": \"prada2013\", "
                 "\"sorce\": \"s\"}}}",
                 LMB_EKEY,
                 "t.json: unknown key 'lfp.ocv.sorce' (a value object holds only value, source "
                 "and fitted_to; a table object table, interpolation, source and fitted_to)");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": \"prada2013\", \"ocv\": "
                 "\"prada2013\"}}",
                 LMB_EKEY, "t.json: duplicate key 'lfp.ocv' (each key may appear once)");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"oc\": \"prada2013\"}}", LMB_EKEY,
                 "t.json: unknown key 'lfp.oc' (did you mean 'lfp.ocv'?)");
    expect_error("{\"type\": \"li-lfp\", \"positive\": {\"thickness_um\": 100}}", LMB_EKEY,
                 "t.json: positive: a li-lfp cell's positive electrode is the 'lfp' section (its "
                 "Li electrode is 'negative')");
    expect_error("{\"type\": \"li-lfp\", \"electrodes\": {}}", LMB_EKEY,
                 "t.json: electrodes: a li-lfp cell has one Li electrode; write its parameters in "
                 "'negative' (the positive electrode is the 'lfp' section)");
    expect_error("{\"type\": \"li-li\", \"lfp\": {\"loading_mg_cm2\": 7}}", LMB_EKEY,
                 "t.json: lfp: only a li-lfp cell has an LFP electrode (this cell is li-li; write "
                 "\"type\": \"li-lfp\")");
    expect_error("{\"lfp\": {}}", LMB_EKEY,
                 "t.json: lfp: only a li-lfp cell has an LFP electrode (this cell is li-li; write "
                 "\"type\": \"li-lfp\")");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"active_mass_fraction\": 0.97}}", LMB_ERANGE,
                 "t.json: lfp.active_mass_fraction = 0.97 and lfp.carbon_mass_fraction = 0.05 "
                 "add up to 1.02 > 1 (the binder is the rest of the electrode's mass)");
    expect_error_has("{\"type\": \"li-lfp\", \"lfp\": {\"loading_mg_cm2\": 1000, "
                     "\"density_g_cm3\": 0.01}}",
                     LMB_ERANGE, "lfp: thickness = solid volume / (1 - porosity) =", "out of range",
                     NULL);
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"size_classes\": 9}}", LMB_ERANGE,
                 "t.json: lfp.size_classes = 9 is out of range (must be >= 1 and <= 8)");
    expect_error("{\"type\": \"li-lfp\", \"lfp\": {\"initial_li_fraction\": 1}}", LMB_ERANGE,
                 "t.json: lfp.initial_li_fraction = 1 is out of range (must be > 0 and < 1)");
    /* the electrolyte must fill the LFP's pores too: 42.56 um x 0.4 on 10 cm2 is 17 uL */
    expect_error_has("{\"type\": \"li-lfp\", \"area_cm2\": 10, \"electrolyte\": {\"volume_uL\": "
                     "20}}",
                     LMB_ERANGE, "electrolyte.volume_uL = 20 cannot fill the pores", NULL);
    lmb_cell *c = parse_ok("{\"area_cm2\": 10, \"electrolyte\": {\"volume_uL\": 20}}");
    lmb_cell_free(c);
}

static void test_lfp_class_radii(void **state) {
    (void)state;
    lmb_lfp_params p = {0};
    p.radius_m = 50e-9;
    p.size_spread = 0.4;
    double R[8];
    /* one class: the median */
    p.size_classes = 1;
    assert_int_equal(lmb__lfp_class_radii(&p, R), 0);
    assert_true(R[0] == 50e-9);
    /* n classes at the quantiles (j + 0.5)/n: increasing, symmetric in ln R, an odd n's middle
     * class is the median */
    for (int n = 2; n <= 8; n++) {
        p.size_classes = n;
        assert_int_equal(lmb__lfp_class_radii(&p, R), 0);
        for (int j = 0; j < n; j++) {
            assert_true(j == 0 || R[j] > R[j - 1]);
            assert_close(R[j] * R[n - 1 - j], 50e-9 * 50e-9, 1e-14);
        }
        if (n % 2)
            assert_true(R[n / 2] == 50e-9);
    }
    /* 2 classes: the quartiles of the normal, z = -+0.6744897501960817 */
    p.size_classes = 2;
    assert_int_equal(lmb__lfp_class_radii(&p, R), 0);
    assert_close(R[0], 50e-9 * exp(-0.4 * 0.6744897501960817), 1e-12);
    /* 3 classes: z(1/6) = -0.9674215661017009 */
    p.size_classes = 3;
    assert_int_equal(lmb__lfp_class_radii(&p, R), 0);
    assert_close(R[2], 50e-9 * exp(0.4 * 0.9674215661017009), 1e-12);
    /* no spread: one size */
    p.size_spread = 0.0;
    p.size_classes = 5;
    assert_int_equal(lmb__lfp_class_radii(&p, R), 0);
    for (int j = 0; j < 5; j++)
        assert_true(R[j] == 50e-9);
    /* bad input leaves R untouched */
    R[0] = -1.0;
    p.size_classes = 0;
    assert_int_equal(lmb__lfp_class_radii(&p, R), -1);
    p.size_classes = 3;
    p.radius_m = 0.0;
    assert_int_equal(lmb__lfp_class_radii(&p, R), -1);
    p.radius_m = 50e-9;
    p.size_spread = -0.1;
    assert_int_equal(lmb__lfp_class_radii(&p, R), -1);
    assert_int_equal(lmb__lfp_class_radii(NULL, R), -1);
    assert_true(R[0] == -1.0);
}

/* Provenance of row key in cell c must equal that of row other_key in d; with same_fit = 0 the
 * fitted_to notes may differ in wording but not in presence (a value fitted on one cell and
 * shared with the other says so: "the coated cell's ..."). */
static void assert_same_param_fit(const lmb_cell *c, const char *key, const lmb_cell *d,
                                  const char *other_key, int same_fit) {
    lmb_param_info x = {0}, y = {0};
    int fx = 0, fy = 0;
    for (int i = 0; i < lmb_cell_param_count(c); i++) {
        lmb_cell_param_at(c, i, &x);
        if ((fx = strcmp(x.key, key) == 0))
            break;
    }
    for (int i = 0; i < lmb_cell_param_count(d); i++) {
        lmb_cell_param_at(d, i, &y);
        if ((fy = strcmp(y.key, other_key) == 0))
            break;
    }
    if (!fx || !fy)
        fail_msg("%s / %s: not a parameter of the cell", key, other_key);
    int fit_differs = same_fit ? strcmp(x.fitted_to, y.fitted_to) != 0
                               : (x.fitted_to[0] != '\0') != (y.fitted_to[0] != '\0');
    if (x.value_si != y.value_si || strcmp(x.source, y.source) != 0 || fit_differs ||
        x.is_default != y.is_default)
        fail_msg("%s of %s differs from %s of %s", key, lmb_cell_name(c), other_key,
                 lmb_cell_name(d));
}

static void assert_same_param(const lmb_cell *c, const char *key, const lmb_cell *d,
                              const char *other_key) {
    assert_same_param_fit(c, key, d, other_key, 1);
}

/* One Li side per anode and one LFP across the li-lfp presets. */
static void test_lfp_preset_values(void **state) {
    (void)state;
    const char *names[2] = {"bare", "cspbcl3-2mg"};
    lmb_cell *lfp[2] = {NULL, NULL};
    for (int a = 0; a < 2; a++) {
        char name[64];
        lmb_cell *li = NULL;
        snprintf(name, sizeof name, "li-lfp:%s", names[a]);
        assert_int_equal(lmb_cell_load(g_ctx, name, &lfp[a]), LMB_OK);
        snprintf(name, sizeof name, "li-li:%s", names[a]);
        assert_int_equal(lmb_cell_load(g_ctx, name, &li), LMB_OK);
        const lmb_params *p = lmb__cell_params(lfp[a]), *q = lmb__cell_params(li);
        assert_int_equal(p->type, LMB_CELL_LI_LFP);
        assert_int_equal(p->neg.coating.present, a);
        /* the negative electrode is the li-li preset's electrode, value and provenance */
        assert_memory_equal(&p->neg, &q->neg, sizeof p->neg);
        assert_memory_equal(&p->separator, &q->separator, sizeof p->separator);
        assert_true(p->short_thickness_m == q->short_thickness_m);
        assert_true(p->T_K == q->T_K);
        int n_neg = 0;
        for (int i = 0; i < lmb_cell_param_count(li); i++) {
            lmb_param_info in;
            lmb_cell_param_at(li, i, &in);
            int neg = strncmp(in.key, "negative.", 9) == 0;
            n_neg += neg;
            if (neg || strncmp(in.key, "separator.", 10) == 0 ||
                strncmp(in.key, "numerics.", 9) == 0 ||
                (strncmp(in.key, "electrolyte.", 12) == 0 &&
                 strcmp(in.key, "electrolyte.volume") != 0) ||
                strcmp(in.key, "temperature") == 0)
                assert_same_param(lfp[a], in.key, li, in.key);
        }
        assert_int_equal(n_neg, a ? 27 + 19 : 27);
        /* the Li||LFP cell of the study: 10 mm cathode discs, 30 uL, 7.55 mg/cm2 of LFP */
        assert_close(p->area_m2, 0.785e-4, 1e-15);
        assert_close(p->electrolyte.volume_m3, 30e-9, 1e-15);
        assert_close(p->nominal_capacity_C_m2, 1.2835 * 36000.0, 1e-14);
        assert_close(p->lfp.loading_kg_m2, 0.0755, 1e-15);
        assert_int_equal(p->lfp.ocv, LMB_LFP_OCV_SAFARI2011);
        lmb_cell_free(li);
    }
    /* one LFP parameter set shared by both anodes */
    const lmb_params *p0 = lmb__cell_params(lfp[0]), *p1 = lmb__cell_params(lfp[1]);
    assert_memory_equal(&p0->lfp, &p1->lfp, sizeof p0->lfp);
    int n_lfp = 0;
    for (int i = 0; i < lmb_cell_param_count(lfp[0]); i++) {
        lmb_param_info in;
        lmb_cell_param_at(lfp[0], i, &in);
        if (strncmp(in.key, "lfp.", 4) == 0) {
            assert_same_param_fit(lfp[0], in.key, lfp[1], in.key, 0);
            n_lfp++;
        }
    }
    assert_int_equal(n_lfp, 21);
    const char *s0, *s1;
    lmb__cell_ocv_provenance(lfp[0], &s0, NULL, NULL);
    lmb__cell_ocv_provenance(lfp[1], &s1, NULL, NULL);
    assert_string_equal(s0, s1);
    /* the theoretical capacity c_max F / rho is the study's 170 mAh/g within 0.2 % */
    double q = p0->lfp.c_max_mol_m3 * 96485.33212 / p0->lfp.density_kg_m3 / 3600.0;
    assert_true(fabs(q - 170.0) < 0.34);
    /* a loading variant of the coated cell changes the negative coating only */
    lmb_cell *v = NULL;
    assert_int_equal(lmb_cell_load(g_ctx, "li-lfp:cspbcl3-4mg", &v), LMB_OK);
    assert_close(lmb__cell_params(v)->neg.coating.loading_kg_m2, 0.04, 1e-15);
    assert_int_equal(lmb__cell_params(v)->pos.coating.present, 0);
    assert_memory_equal(&lmb__cell_params(v)->lfp, &p1->lfp, sizeof p1->lfp);
    lmb_cell_free(v);
    lmb_cell_free(lfp[0]);
    lmb_cell_free(lfp[1]);
}

/* ---- the object API ---- */

static void test_set_get(void **state) {
    (void)state;
    lmb_cell *c = NULL;
    assert_int_equal(lmb_cell_create_default(g_ctx, &c), LMB_OK);
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.thickness_nm", 25000), LMB_OK);
    assert_close(get(c, "separator.thickness_um"), 25.0, 0);
    assert_close(get(c, "separator.thickness_nm"), 25000.0, 0);
    assert_close(lmb__cell_params(c)->separator.thickness_m, 25e-6, 1e-15);
    assert_close(get(c, "temperature_C"), 25.0, 0);
    assert_close(get(c, "temperature_K"), 298.15, 0);

    /* a rejected value leaves the cell unchanged */
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.thickness_um", -5), LMB_ERANGE);
    assert_string_equal(lmb_ctx_errmsg(g_ctx), "separator.thickness_um = -5 um is out of range "
                                               "(must be > 0 um and <= 10000 um)");
    assert_close(get(c, "separator.thickness_um"), 25.0, 0);
    assert_int_equal(lmb_cell_set(g_ctx, c, "electrolyte.transference_number", 1.0), LMB_ERANGE);
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.thickness_um", NAN), LMB_ERANGE);
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.thickness_kg", 1), LMB_EUNIT);
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.thicknes_um", 1), LMB_EKEY);
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.macmullin", 2), LMB_ERANGE);
    assert_close(get(c, "separator.macmullin"), 7.0, 0);

    /* electrodes.* sets both; ints are stored as ints */
    assert_int_equal(lmb_cell_set(g_ctx, c, "electrodes.exchange_current_mA_cm2", 3.2), LMB_OK);
    assert_close(lmb__cell_params(c)->pos.i0_A_m2, 32.0, 1e-15);
    assert_close(get(c, "negative.exchange_current_A_m2"), 32.0, 0);
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.cells", 40), LMB_OK);
    assert_int_equal(lmb__cell_params(c)->separator.cells, 40);
    assert_int_equal(lmb_cell_set(g_ctx, c, "separator.cells", 40.5), LMB_ERANGE);

    /* a coating is switched on by its loading; other coating keys first fail */
    int n0 = lmb_cell_param_count(c);
    assert_int_equal(lmb_cell_set(g_ctx, c, "negative.coating.porosity", 0.3), LMB_EKEY);
    assert_int_equal(lmb__cell_params(c)->neg.coating.present, 0);
    assert_int_equal(lmb_cell_set(g_ctx, c, "negative.coating.loading_mg_cm2", 2), LMB_OK);
    assert_int_equal(lmb__cell_params(c)->neg.coating.present, 1);
    assert_int_equal(lmb_cell_param_count(c), n0 + 19);
    assert_close(lmb__cell_params(c)->neg.coating.thickness_m, 0.02 / (4210.0 * 0.6), 1e-14);
    assert_int_equal(lmb_cell_set(g_ctx, c, "negative.coating.porosity", 0.5), LMB_OK);
    assert_close(lmb__cell_params(c)->neg.coating.thickness_m, 0.02 / (4210.0 * 0.5), 1e-14);

    /* set marks the parameter given, with no source */
    for (int i = 0; i < lmb_cell_param_count(c); i++) {
        lmb_param_info in;
        lmb_cell_param_at(c, i, &in);
        if (strcmp(in.key, "separator.thickness") == 0)
            assert_false(in.is_default);
        if (strcmp(in.key, "area") == 0)
            assert_true(in.is_default);
    }

    double v;
    assert_int_equal(lmb_cell_get(g_ctx, c, "separator.thickness_A", &v), LMB_EUNIT);
    assert_int_equal(lmb_cell_get(g_ctx, c, "separator.thickness_um", NULL), LMB_EINVAL);
    assert_int_equal(lmb_cell_set(g_ctx, NULL, "area_cm2", 1), LMB_EINVAL);
    lmb_cell_free(c);
    lmb_cell_free(NULL); /* no-op */
}

static void test_copy(void **state) {
    (void)state;
    lmb_cell *a = NULL, *b = NULL;
    assert_int_equal(lmb_cell_load(g_ctx, "li-li:cspbcl3-2mg", &a), LMB_OK);
    assert_int_equal(lmb_cell_copy(g_ctx, a, &b), LMB_OK);
    assert_int_equal(lmb_cell_param_count(a), lmb_cell_param_count(b));
    char first_source[512];
    lmb_param_info in;
    lmb_cell_param_at(a, 0, &in);
    snprintf(first_source, sizeof first_source, "%s", in.source);
    assert_int_equal(lmb_cell_set(g_ctx, a, "area_cm2", 1.0), LMB_OK);
    lmb_cell_free(a); /* b owns its own strings */
    lmb_cell_param_at(b, 0, &in);
    assert_string_equal(in.key, "area");
    assert_close(in.value, 0.502, 0);
    assert_string_equal(in.source, first_source);
    assert_string_equal(lmb_cell_name(b), "li-li:cspbcl3-2mg");
    lmb_cell_free(b);
    assert_int_equal(lmb_cell_copy(g_ctx, NULL, &b), LMB_EINVAL);
}

/* The JSON written by lmb_cell_to_json reads back to the same parameters and provenance. */
static void test_json_round_trip(void **state) {
    (void)state;
    const char *cells[] = {"li-li:bare",  "li-li:cspbcl3-2mg",  "li-cu:cspbcl3-2mg",
                           "li-lfp:bare", "li-lfp:cspbcl3-2mg", "li-lfp:cspbcl3-3mg"};
    for (int i = 0; i < (int)(sizeof cells / sizeof cells[0]); i++) {
        lmb_cell *a = NULL, *b = NULL;
        assert_int_equal(lmb_cell_load(g_ctx, cells[i], &a), LMB_OK);
        int lfp = lmb__cell_params(a)->type == LMB_CELL_LI_LFP;
        assert_int_equal(lmb_cell_set(g_ctx, a, lfp ? "lfp.radius_um" : "positive.thickness_um",
                                      lfp ? 0.0123456 : 123.456),
                         LMB_OK);
        char *text = NULL;
        assert_int_equal(lmb_cell_to_json(g_ctx, a, &text), LMB_OK);
        if (lmb_cell_parse(g_ctx, text, "round-trip", &b) != LMB_OK)
            fail_msg("%s\n%s", lmb_ctx_errmsg(g_ctx), text);
        free(text);
        assert_int_equal(lmb_cell_param_count(a), lmb_cell_param_count(b));
        for (int k = 0; k < lmb_cell_param_count(a); k++) {
            lmb_param_info x, y;
            lmb_cell_param_at(a, k, &x);
            lmb_cell_param_at(b, k, &y);
            assert_string_equal(x.key, y.key);
            /* values are written with 15 significant digits */
            assert_close(x.value_si, y.value_si, 1e-14);
            assert_string_equal(x.fitted_to, y.fitted_to);
            assert_string_equal(x.is_default ? "default" : x.source, y.source);
        }
        assert_string_equal(lmb_cell_name(a), lmb_cell_name(b));
        const lmb_params *pa = lmb__cell_params(a), *pb = lmb__cell_params(b);
        assert_int_equal(pa->type, pb->type);
        assert_int_equal(pa->lfp.ocv, pb->lfp.ocv);
        assert_true(pa->lfp.thickness_m == pb->lfp.thickness_m);
        if (lfp) {
            const char *sa, *sb, *fa, *fb;
            int da, db;
            lmb__cell_ocv_provenance(a, &sa, &fa, &da);
            lmb__cell_ocv_provenance(b, &sb, &fb, &db);
            assert_false(da || db);
            assert_string_equal(sa, sb);
            assert_string_equal(fa, fb);
        }
        lmb_cell_free(a);
        lmb_cell_free(b);
    }
    /* the OCV fit round-trips as a name, with or without provenance, and as a default */
    const char *ocv_cells[] = {"{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": \"prada2013\"}}",
                               "{\"type\": \"li-lfp\"}",
                               "{\"type\": \"li-lfp\", \"lfp\": {\"ocv\": {\"value\": "
                               "\"prada2013\", \"fitted_to\": \"f\"}}}"};
    for (int i = 0; i < 3; i++) {
        lmb_cell *a = parse_ok(ocv_cells[i]), *b = NULL;
        char *text = NULL;
        assert_int_equal(lmb_cell_to_json(g_ctx, a, &text), LMB_OK);
        if (lmb_cell_parse(g_ctx, text, "round-trip", &b) != LMB_OK)
            fail_msg("%s\n%s", lmb_ctx_errmsg(g_ctx), text);
        assert_non_null(strstr(text, "\"ocv\""));
        assert_null(strstr(text, "\"positive\"")); /* no positive Li electrode */
        free(text);
        const char *sa, *sb, *fa, *fb;
        int da, db;
        lmb__cell_ocv_provenance(a, &sa, &fa, &da);
        lmb__cell_ocv_provenance(b, &sb, &fb, &db);
        assert_int_equal(lmb__cell_params(a)->lfp.ocv, lmb__cell_params(b)->lfp.ocv);
        assert_string_equal(da ? "default" : sa, sb);
        assert_string_equal(fa, fb);
        lmb_cell_free(a);
        lmb_cell_free(b);
    }
    char *text = (char *)"x";
    assert_int_equal(lmb_cell_to_json(g_ctx, NULL, &text), LMB_EINVAL);
    assert_null(text);
}

/* ---- robustness ---- */

static void check_no_crash(const char *text) {
    lmb_cell *c = NULL;
    lmb_ctx_clear_error(g_ctx);
    lmb_status st = lmb_cell_parse(g_ctx, text, "fuzz.json", &c);
    if (st == LMB_OK) {
        assert_non_null(c);
        lmb_cell_free(c);
        return;
    }
    assert_null(c);
    const char *msg = lmb_ctx_errmsg(g_ctx);
    if (!msg[0] || strchr(msg, '\n') || strncmp(msg, "fuzz.json", 9) != 0)
        fail_msg("bad message for status %s: '%s'", lmb_status_name(st), msg);
}

static void test_truncations_and_mutations(void **state) {
    (void)state;
    /* a Li||Li preset, and a Li||LFP one for the lfp section and its OCV name */
    const char *files[2] = {"li-li/cspbcl3-2mg.json", "li-lfp/cspbcl3-2mg.json"};
    for (int fi = 0; fi < 2; fi++) {
        char path[512];
        snprintf(path, sizeof path, "%s/presets/%s", LMB_SOURCE_DIR, files[fi]);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char text[65536];
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        assert_true(n > 100 && n < sizeof text - 1);
        text[n] = '\0';
        static char buf[65536];
        /* every truncation */
        for (size_t k = 0; k <= n; k++) {
            memcpy(buf, text, k);
            buf[k] = '\0';
            check_no_crash(buf);
        }
        /* byte replacements by characters that matter to JSON (fixed seed: reproducible) */
        const char repl[] = "{}[]\",:-0e.9 tnx\\\x01\xff";
        unsigned long seed = 12345;
        for (int it = 0; it < 20000; it++) {
            memcpy(buf, text, n + 1);
            for (int m = 0; m < 3; m++) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                size_t pos = (size_t)(seed >> 33) % n;
                buf[pos] = repl[(seed >> 13) % (sizeof repl - 1)];
            }
            check_no_crash(buf);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_rows_consistent),
        cmocka_unit_test(test_schema_file_keys),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_derived),
        cmocka_unit_test(test_unit_suffix_split),
        cmocka_unit_test(test_parse_minimal_and_units),
        cmocka_unit_test(test_provenance),
        cmocka_unit_test(test_electrodes_override),
        cmocka_unit_test(test_coating_thickness),
        cmocka_unit_test(test_error_syntax),
        cmocka_unit_test(test_error_root),
        cmocka_unit_test(test_error_unknown_key),
        cmocka_unit_test(test_error_range),
        cmocka_unit_test(test_error_cross_checks),
        cmocka_unit_test(test_error_units),
        cmocka_unit_test(test_error_types),
        cmocka_unit_test(test_error_duplicates),
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_preset_values),
        cmocka_unit_test(test_lfp_cell),
        cmocka_unit_test(test_lfp_errors),
        cmocka_unit_test(test_lfp_class_radii),
        cmocka_unit_test(test_lfp_preset_values),
        cmocka_unit_test(test_set_get),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_truncations_and_mutations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
