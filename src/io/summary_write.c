/*
 * summary_write.c - cycles.csv and summary.json from a cycle summary (lmb/summary.h).
 *
 * Column names carry their units. Undefined values (a cycle without a discharge, the CE of an
 * incomplete cycle) are empty CSV fields and JSON nulls, never a made-up number. The areal
 * (per cm2) and specific (per g of active material) columns appear only when the area or the
 * active mass is known.
 */
#include "lmb/lmb.h"
#include "lmb/summary.h"

#include "core/ctx_internal.h"
#include "io/atomic.h"

#include <cjson/cJSON.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One column: name and value of a row. */
typedef struct column {
    char name[48];
    double value;
} column;

enum { MAX_COLUMNS = 28 };

/* The columns of row i (a row of NaN for i beyond the table: the header), in the order of the
 * table. Returns their number. */
static int row_columns(const lmb_summary *s, size_t i, column *c) {
    lmb_cycle_row empty = {.end_charge_V = NAN, .end_discharge_V = NAN};
    const lmb_cycle_row *r = i < lmb_summary_cycle_count(s) ? lmb_summary_cycle(s, i) : &empty;
    int n = 0;
#define COL(nm, v)                                                                                 \
    do {                                                                                           \
        snprintf(c[n].name, sizeof c[n].name, "%s", nm);                                           \
        c[n++].value = (v);                                                                        \
    } while (0)
    COL("cycle", r->cycle);
    COL("charge_capacity_mAh", r->charge_C * LMB_MAH_PER_C);
    COL("discharge_capacity_mAh", r->discharge_C * LMB_MAH_PER_C);
    COL("coulombic_efficiency", lmb_cycle_coulombic_efficiency(r));
    COL("charge_energy_mWh", r->charge_energy_J * LMB_MWH_PER_J);
    COL("discharge_energy_mWh", r->discharge_energy_J * LMB_MWH_PER_J);
    COL("mean_charge_voltage_V", lmb_cycle_mean_charge_voltage(r));
    COL("mean_discharge_voltage_V", lmb_cycle_mean_discharge_voltage(r));
    COL("end_charge_voltage_V", r->end_charge_V);
    COL("end_discharge_voltage_V", r->end_discharge_V);
    COL("time_end_h", r->time_end_s / 3600.0);
    COL("retention", lmb_summary_retention(s, i));
    if (lmb_summary_nominal_capacity(s) > 0.0) {
        COL("charge_c_rate_per_h", lmb_summary_c_rate(s, i, 1));
        COL("discharge_c_rate_per_h", lmb_summary_c_rate(s, i, -1));
    }
    double area_cm2 = lmb_summary_area(s) * 1e4, mass_g = lmb_summary_active_mass(s) * 1e3;
    if (area_cm2 > 0.0) {
        COL("charge_capacity_mAh_cm2", r->charge_C * LMB_MAH_PER_C / area_cm2);
        COL("discharge_capacity_mAh_cm2", r->discharge_C * LMB_MAH_PER_C / area_cm2);
        COL("charge_energy_mWh_cm2", r->charge_energy_J * LMB_MWH_PER_J / area_cm2);
        COL("discharge_energy_mWh_cm2", r->discharge_energy_J * LMB_MWH_PER_J / area_cm2);
    }
    if (mass_g > 0.0) {
        COL("charge_capacity_mAh_g", r->charge_C * LMB_MAH_PER_C / mass_g);
        COL("discharge_capacity_mAh_g", r->discharge_C * LMB_MAH_PER_C / mass_g);
        COL("charge_energy_mWh_g", r->charge_energy_J * LMB_MWH_PER_J / mass_g);
        COL("discharge_energy_mWh_g", r->discharge_energy_J * LMB_MWH_PER_J / mass_g);
    }
#undef COL
    return n;
}

lmb_status lmb_summary_write_csv(lmb_ctx *ctx, const lmb_summary *s, const char *path) {
    lmb__atomic_file af;
    lmb_status st = lmb__atomic_open(ctx, &af, path);
    if (st != LMB_OK)
        return st;
    column c[MAX_COLUMNS];
    int nc = row_columns(s, (size_t)-1, c), ok = 1;
    for (int j = 0; j < nc && ok; j++)
        ok = fprintf(af.f, "%s%s", j ? "," : "", c[j].name) >= 0;
    ok = ok && fputc('\n', af.f) != EOF;
    for (size_t i = 0; i < lmb_summary_cycle_count(s) && ok; i++) {
        row_columns(s, i, c);
        for (int j = 0; j < nc && ok; j++) {
            if (j)
                ok = fputc(',', af.f) != EOF;
            if (ok && j == 0)
                ok = fprintf(af.f, "%d", (int)c[j].value) >= 0;
            else if (ok && isfinite(c[j].value))
                ok = fprintf(af.f, "%.10g", c[j].value) >= 0;
        }
        ok = ok && fputc('\n', af.f) != EOF;
    }
    return lmb__atomic_commit(ctx, &af, ok);
}

static cJSON *number_or_null(double v) {
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

lmb_status lmb_summary_write_json(lmb_ctx *ctx, const lmb_summary *s, const char *meta_json,
                                  const char *path) {
    cJSON *root = cJSON_CreateObject();
    if (!root)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory writing %s", path);
    cJSON_AddStringToObject(root, "lmb_version", lmb_version());
    cJSON *meta = meta_json ? cJSON_Parse(meta_json) : cJSON_CreateObject();
    if (!meta) {
        cJSON_Delete(root);
        LMB__FAIL(ctx, LMB_EINVAL, "%s: the metadata is not a JSON object", path);
    }
    cJSON_AddItemToObject(root, "meta", meta);
    cJSON *units = cJSON_AddObjectToObject(root, "units");
    cJSON_AddStringToObject(units, "capacity", "mAh (areal: mAh/cm2, specific: mAh/g)");
    cJSON_AddStringToObject(units, "energy", "mWh (areal: mWh/cm2, specific: mWh/g)");
    cJSON_AddStringToObject(units, "voltage", "V");
    cJSON_AddStringToObject(units, "time", "h");
    cJSON_AddStringToObject(units, "coulombic_efficiency",
                            "1 (returned / inserted charge within the cycle)");
    cJSON_AddStringToObject(units, "retention",
                            "1 (returned capacity over that of the first complete cycle)");
    if (lmb_summary_nominal_capacity(s) > 0.0)
        cJSON_AddStringToObject(units, "c_rate", "1/h (mean current over nominal capacity)");
    cJSON *cycles = cJSON_AddArrayToObject(root, "cycles");
    column c[MAX_COLUMNS];
    for (size_t i = 0; i < lmb_summary_cycle_count(s); i++) {
        int nc = row_columns(s, i, c);
        cJSON *o = cJSON_CreateObject();
        for (int j = 0; j < nc; j++)
            cJSON_AddItemToObject(o, c[j].name, number_or_null(c[j].value));
        cJSON_AddItemToArray(cycles, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory writing %s", path);
    lmb__atomic_file af;
    lmb_status st = lmb__atomic_open(ctx, &af, path);
    if (st == LMB_OK) {
        int ok = fputs(text, af.f) >= 0 && fputc('\n', af.f) != EOF;
        st = lmb__atomic_commit(ctx, &af, ok);
    }
    free(text);
    return st;
}
