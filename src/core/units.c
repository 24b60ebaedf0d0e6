/*
 * units.c - the unit table (see lmb/units.h).
 *
 * One row per accepted unit. Display names use '/' and no exponent signs ("mA/cm2"); key forms
 * replace '/' by '_' so they can end a JSON key ("current_mA_cm2"). Scales are exact decimal
 * conversions to SI except the hour-based capacities (3.6 C per mAh).
 */
#include "lmb/units.h"

#include "core/ctx_internal.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define CM2 1e-4
#define UM  1e-6

static const lmb_unit k_units[] = {
    {"1", "1", LMB_DIM_NONE, 1.0, 0.0},
    {"%", "pct", LMB_DIM_NONE, 1e-2, 0.0},
    /* length */
    {"m", "m", LMB_DIM_LENGTH, 1.0, 0.0},
    {"cm", "cm", LMB_DIM_LENGTH, 1e-2, 0.0},
    {"mm", "mm", LMB_DIM_LENGTH, 1e-3, 0.0},
    {"um", "um", LMB_DIM_LENGTH, UM, 0.0},
    {"nm", "nm", LMB_DIM_LENGTH, 1e-9, 0.0},
    /* area */
    {"m2", "m2", LMB_DIM_AREA, 1.0, 0.0},
    {"cm2", "cm2", LMB_DIM_AREA, CM2, 0.0},
    {"mm2", "mm2", LMB_DIM_AREA, 1e-6, 0.0},
    /* volume */
    {"m3", "m3", LMB_DIM_VOLUME, 1.0, 0.0},
    {"L", "L", LMB_DIM_VOLUME, 1e-3, 0.0},
    {"mL", "mL", LMB_DIM_VOLUME, 1e-6, 0.0},
    {"uL", "uL", LMB_DIM_VOLUME, 1e-9, 0.0},
    /* time */
    {"s", "s", LMB_DIM_TIME, 1.0, 0.0},
    {"ms", "ms", LMB_DIM_TIME, 1e-3, 0.0},
    {"min", "min", LMB_DIM_TIME, 60.0, 0.0},
    {"h", "h", LMB_DIM_TIME, 3600.0, 0.0},
    {"day", "day", LMB_DIM_TIME, 86400.0, 0.0},
    /* temperature */
    {"K", "K", LMB_DIM_TEMPERATURE, 1.0, 0.0},
    {"C", "C", LMB_DIM_TEMPERATURE, 1.0, 273.15},
    {"degC", "degC", LMB_DIM_TEMPERATURE, 1.0, 273.15},
    /* current and current density */
    {"A", "A", LMB_DIM_CURRENT, 1.0, 0.0},
    {"mA", "mA", LMB_DIM_CURRENT, 1e-3, 0.0},
    {"uA", "uA", LMB_DIM_CURRENT, 1e-6, 0.0},
    {"A/m2", "A_m2", LMB_DIM_CURRENT_DENSITY, 1.0, 0.0},
    {"A/cm2", "A_cm2", LMB_DIM_CURRENT_DENSITY, 1.0 / CM2, 0.0},
    {"mA/cm2", "mA_cm2", LMB_DIM_CURRENT_DENSITY, 1e-3 / CM2, 0.0},
    {"uA/cm2", "uA_cm2", LMB_DIM_CURRENT_DENSITY, 1e-6 / CM2, 0.0},
    /* charge and areal charge (capacity) */
    {"C", "Coulomb", LMB_DIM_CHARGE, 1.0, 0.0}, /* "C" alone resolves to Celsius first */
    {"Ah", "Ah", LMB_DIM_CHARGE, 3600.0, 0.0},
    {"mAh", "mAh", LMB_DIM_CHARGE, 3.6, 0.0},
    {"uAh", "uAh", LMB_DIM_CHARGE, 3.6e-3, 0.0},
    {"C/m2", "C_m2", LMB_DIM_AREAL_CHARGE, 1.0, 0.0},
    {"mAh/cm2", "mAh_cm2", LMB_DIM_AREAL_CHARGE, 3.6 / CM2, 0.0},
    {"uAh/cm2", "uAh_cm2", LMB_DIM_AREAL_CHARGE, 3.6e-3 / CM2, 0.0},
    {"C/kg", "C_kg", LMB_DIM_SPECIFIC_CHARGE, 1.0, 0.0},
    {"mAh/g", "mAh_g", LMB_DIM_SPECIFIC_CHARGE, 3.6e3, 0.0},
    /* potential */
    {"V", "V", LMB_DIM_VOLTAGE, 1.0, 0.0},
    {"mV", "mV", LMB_DIM_VOLTAGE, 1e-3, 0.0},
    /* resistance */
    {"ohm", "ohm", LMB_DIM_RESISTANCE, 1.0, 0.0},
    {"mohm", "mohm", LMB_DIM_RESISTANCE, 1e-3, 0.0},
    {"kohm", "kohm", LMB_DIM_RESISTANCE, 1e3, 0.0},
    {"ohm m2", "ohm_m2", LMB_DIM_AREAL_RESISTANCE, 1.0, 0.0},
    {"ohm cm2", "ohm_cm2", LMB_DIM_AREAL_RESISTANCE, CM2, 0.0},
    {"ohm m", "ohm_m", LMB_DIM_RESISTIVITY, 1.0, 0.0},
    {"ohm cm", "ohm_cm", LMB_DIM_RESISTIVITY, 1e-2, 0.0},
    /* transport */
    {"S/m", "S_m", LMB_DIM_CONDUCTIVITY, 1.0, 0.0},
    {"mS/cm", "mS_cm", LMB_DIM_CONDUCTIVITY, 0.1, 0.0},
    {"S/cm", "S_cm", LMB_DIM_CONDUCTIVITY, 100.0, 0.0},
    {"m2/s", "m2_s", LMB_DIM_DIFFUSIVITY, 1.0, 0.0},
    {"nm2/h", "nm2_h", LMB_DIM_DIFFUSIVITY, 1e-18 / 3600.0, 0.0}, /* parabolic film growth */
    {"cm2/s", "cm2_s", LMB_DIM_DIFFUSIVITY, CM2, 0.0},
    /* concentration, amount */
    {"mol/m3", "mol_m3", LMB_DIM_CONCENTRATION, 1.0, 0.0},
    {"mol/L", "mol_L", LMB_DIM_CONCENTRATION, 1e3, 0.0},
    {"M", "M", LMB_DIM_CONCENTRATION, 1e3, 0.0},
    {"mM", "mM", LMB_DIM_CONCENTRATION, 1.0, 0.0},
    {"mol", "mol", LMB_DIM_AMOUNT, 1.0, 0.0},
    {"umol", "umol", LMB_DIM_AMOUNT, 1e-6, 0.0},
    /* energy */
    {"J", "J", LMB_DIM_ENERGY, 1.0, 0.0},
    {"Wh", "Wh", LMB_DIM_ENERGY, 3600.0, 0.0},
    {"mWh", "mWh", LMB_DIM_ENERGY, 3.6, 0.0},
    {"uWh", "uWh", LMB_DIM_ENERGY, 3.6e-3, 0.0},
    /* mass */
    {"kg", "kg", LMB_DIM_MASS, 1.0, 0.0},
    {"g", "g", LMB_DIM_MASS, 1e-3, 0.0},
    {"mg", "mg", LMB_DIM_MASS, 1e-6, 0.0},
    {"ug", "ug", LMB_DIM_MASS, 1e-9, 0.0},
    {"kg/m2", "kg_m2", LMB_DIM_AREAL_MASS, 1.0, 0.0},
    {"mg/cm2", "mg_cm2", LMB_DIM_AREAL_MASS, 1e-6 / CM2, 0.0},
    {"kg/m3", "kg_m3", LMB_DIM_DENSITY, 1.0, 0.0},
    {"g/cm3", "g_cm3", LMB_DIM_DENSITY, 1e3, 0.0},
    {"kg/mol", "kg_mol", LMB_DIM_MOLAR_MASS, 1.0, 0.0},
    {"g/mol", "g_mol", LMB_DIM_MOLAR_MASS, 1e-3, 0.0},
    {"m3/mol", "m3_mol", LMB_DIM_MOLAR_VOLUME, 1.0, 0.0},
    {"cm3/mol", "cm3_mol", LMB_DIM_MOLAR_VOLUME, 1e-6, 0.0},
    /* capacitance */
    {"F/m2", "F_m2", LMB_DIM_AREAL_CAPACITANCE, 1.0, 0.0},
    {"uF/cm2", "uF_cm2", LMB_DIM_AREAL_CAPACITANCE, 1e-6 / CM2, 0.0},
    /* frequency */
    {"Hz", "Hz", LMB_DIM_FREQUENCY, 1.0, 0.0},
    {"mHz", "mHz", LMB_DIM_FREQUENCY, 1e-3, 0.0},
    {"kHz", "kHz", LMB_DIM_FREQUENCY, 1e3, 0.0},
    {"MHz", "MHz", LMB_DIM_FREQUENCY, 1e6, 0.0},
    /* velocities (rate constants) */
    {"m/s", "m_s", LMB_DIM_RATE_CONSTANT, 1.0, 0.0},
    {"nm/h", "nm_h", LMB_DIM_RATE_CONSTANT, 1e-9 / 3600.0, 0.0},
    /* the rate constant of an insertion reaction, i0 = F k c_e^0.5 (c_max - c_s)^0.5 c_s^0.5 */
    {"m2.5/mol0.5/s", "m2p5_mol0p5_s", LMB_DIM_INSERTION_RATE, 1.0, 0.0},
};

#define N_UNITS ((int)(sizeof k_units / sizeof k_units[0]))

const lmb_unit *lmb_unit_find(const char *name) {
    if (!name)
        return NULL;
    for (int i = 0; i < N_UNITS; i++)
        if (strcmp(k_units[i].name, name) == 0 || strcmp(k_units[i].key, name) == 0)
            return &k_units[i];
    return NULL;
}

int lmb_unit_count(void) {
    return N_UNITS;
}

const lmb_unit *lmb_unit_at(int i) {
    return (i >= 0 && i < N_UNITS) ? &k_units[i] : NULL;
}

static const struct {
    const char *si;
    const char *name;
} k_dims[LMB_DIM_COUNT] = {
    [LMB_DIM_NONE] = {"1", "dimensionless"},
    [LMB_DIM_LENGTH] = {"m", "length"},
    [LMB_DIM_AREA] = {"m2", "area"},
    [LMB_DIM_VOLUME] = {"m3", "volume"},
    [LMB_DIM_TIME] = {"s", "time"},
    [LMB_DIM_TEMPERATURE] = {"K", "temperature"},
    [LMB_DIM_CURRENT] = {"A", "current"},
    [LMB_DIM_CURRENT_DENSITY] = {"A/m2", "current density"},
    [LMB_DIM_CHARGE] = {"C", "charge"},
    [LMB_DIM_AREAL_CHARGE] = {"C/m2", "areal capacity"},
    [LMB_DIM_SPECIFIC_CHARGE] = {"C/kg", "specific capacity"},
    [LMB_DIM_VOLTAGE] = {"V", "voltage"},
    [LMB_DIM_RESISTANCE] = {"ohm", "resistance"},
    [LMB_DIM_AREAL_RESISTANCE] = {"ohm m2", "areal resistance"},
    [LMB_DIM_RESISTIVITY] = {"ohm m", "resistivity"},
    [LMB_DIM_CONDUCTIVITY] = {"S/m", "conductivity"},
    [LMB_DIM_DIFFUSIVITY] = {"m2/s", "diffusivity"},
    [LMB_DIM_CONCENTRATION] = {"mol/m3", "concentration"},
    [LMB_DIM_AREAL_MASS] = {"kg/m2", "areal mass"},
    [LMB_DIM_DENSITY] = {"kg/m3", "density"},
    [LMB_DIM_MOLAR_MASS] = {"kg/mol", "molar mass"},
    [LMB_DIM_MOLAR_VOLUME] = {"m3/mol", "molar volume"},
    [LMB_DIM_AREAL_CAPACITANCE] = {"F/m2", "areal capacitance"},
    [LMB_DIM_FREQUENCY] = {"Hz", "frequency"},
    [LMB_DIM_AMOUNT] = {"mol", "amount"},
    [LMB_DIM_RATE_CONSTANT] = {"m/s", "velocity"},
    [LMB_DIM_MASS] = {"kg", "mass"},
    [LMB_DIM_ENERGY] = {"J", "energy"},
    [LMB_DIM_INSERTION_RATE] = {"m2.5/mol0.5/s", "insertion rate constant"},
};

const char *lmb_dim_si_name(lmb_dim dim) {
    return (dim >= 0 && dim < LMB_DIM_COUNT) ? k_dims[dim].si : "?";
}

const char *lmb_dim_name(lmb_dim dim) {
    return (dim >= 0 && dim < LMB_DIM_COUNT) ? k_dims[dim].name : "?";
}

lmb_status lmb_quantity_parse(lmb_ctx *ctx, const char *text, lmb_dim dim, double *value,
                              const lmb_unit **unit) {
    if (!text)
        LMB__FAIL(ctx, LMB_EPARSE, "missing quantity");
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno == ERANGE || !isfinite(v))
        LMB__FAIL(ctx, LMB_EPARSE, "'%s': expected a number followed by a unit", text);
    while (*end == ' ' || *end == '\t')
        end++;
    const lmb_unit *u = lmb_unit_find(end);
    /* "C" alone is Celsius in the table; a charge or C-rate is never asked through here */
    if (!u)
        LMB__FAIL(ctx, LMB_EUNIT, "'%s': unknown unit '%s'", text, end);
    if (dim != LMB_DIM_COUNT && u->dim != dim)
        LMB__FAIL(ctx, LMB_EUNIT, "'%s': '%s' is a %s, expected a %s (SI unit %s)", text, end,
                  lmb_dim_name(u->dim), lmb_dim_name(dim), lmb_dim_si_name(dim));
    *value = v;
    *unit = u;
    return LMB_OK;
}
