/*
 * lmb/units.h - the unit table used at the edges of lmb.
 *
 * Inside the library every quantity is SI. Lab units appear only where values enter (cell files,
 * protocol files, command-line flags) and where they leave (tables, CSV, figures). A unit has a
 * display name ("mA/cm2") and a key form used as a JSON key suffix ("mA_cm2"); both are
 * accepted by lmb_unit_find(). Conversion: si = value * scale + offset (offset is non-zero only
 * for degrees Celsius).
 */
#ifndef LMB_UNITS_H
#define LMB_UNITS_H

#include "lmb/status.h"
#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lmb_dim {
    LMB_DIM_NONE = 0,          /* dimensionless, SI unit 1 */
    LMB_DIM_LENGTH,            /* m */
    LMB_DIM_AREA,              /* m2 */
    LMB_DIM_VOLUME,            /* m3 */
    LMB_DIM_TIME,              /* s */
    LMB_DIM_TEMPERATURE,       /* K */
    LMB_DIM_CURRENT,           /* A */
    LMB_DIM_CURRENT_DENSITY,   /* A/m2 */
    LMB_DIM_CHARGE,            /* C */
    LMB_DIM_AREAL_CHARGE,      /* C/m2 */
    LMB_DIM_SPECIFIC_CHARGE,   /* C/kg */
    LMB_DIM_VOLTAGE,           /* V */
    LMB_DIM_RESISTANCE,        /* ohm */
    LMB_DIM_AREAL_RESISTANCE,  /* ohm m2 */
    LMB_DIM_RESISTIVITY,       /* ohm m */
    LMB_DIM_CONDUCTIVITY,      /* S/m */
    LMB_DIM_DIFFUSIVITY,       /* m2/s */
    LMB_DIM_CONCENTRATION,     /* mol/m3 */
    LMB_DIM_AREAL_MASS,        /* kg/m2 */
    LMB_DIM_DENSITY,           /* kg/m3 */
    LMB_DIM_MOLAR_MASS,        /* kg/mol */
    LMB_DIM_MOLAR_VOLUME,      /* m3/mol */
    LMB_DIM_AREAL_CAPACITANCE, /* F/m2 */
    LMB_DIM_FREQUENCY,         /* Hz */
    LMB_DIM_AMOUNT,            /* mol */
    LMB_DIM_RATE_CONSTANT,     /* m/s (reaction or growth velocity) */
    LMB_DIM_MASS,              /* kg */
    LMB_DIM_ENERGY,            /* J */
    LMB_DIM_INSERTION_RATE, /* m2.5/(mol0.5 s): k of i0 = F k c_e^0.5 (c_max - c_s)^0.5 c_s^0.5 */
    LMB_DIM_COUNT
} lmb_dim;

typedef struct lmb_unit {
    const char *name; /* display form, e.g. "mA/cm2" */
    const char *key;  /* JSON key suffix form, e.g. "mA_cm2" */
    lmb_dim dim;
    double scale;  /* SI per unit */
    double offset; /* SI value at 0 units (degC only) */
} lmb_unit;

/*
 * Looks a unit up by its display name or key form (case-sensitive: "mS/cm" and "MS/cm" differ).
 * Returns a pointer into a static table, or NULL if the unit is unknown.
 */
const lmb_unit *lmb_unit_find(const char *name);

/* The SI unit name of a dimension ("A/m2"); "1" for dimensionless. */
const char *lmb_dim_si_name(lmb_dim dim);

/* A short human name of a dimension ("current density"). */
const char *lmb_dim_name(lmb_dim dim);

/* The lab units of the output tables: 1 mAh = 3.6 C, 1 mWh = 3.6 J. */
#define LMB_MAH_PER_C (1.0 / 3.6)
#define LMB_MWH_PER_J (1.0 / 3.6)

static inline double lmb_unit_to_si(const lmb_unit *u, double v) {
    return v * u->scale + u->offset;
}
static inline double lmb_unit_from_si(const lmb_unit *u, double si) {
    return (si - u->offset) / u->scale;
}

/*
 * Parses a quantity "1.5 mA/cm2", "1.5mA/cm2" or "-20 um" into its number and unit. With
 * dim != LMB_DIM_COUNT the unit must be of that dimension. On failure the context says what was
 * found and what was expected. Statuses: LMB_OK, LMB_EPARSE (no number), LMB_EUNIT.
 */
lmb_status lmb_quantity_parse(lmb_ctx *ctx, const char *text, lmb_dim dim, double *value,
                              const lmb_unit **unit);

/* Number of units in the table and the i-th entry (for help text and tests). */
int lmb_unit_count(void);
const lmb_unit *lmb_unit_at(int i);

/* Physical constants used throughout lmb (CODATA 2018 exact values where defined). */
#define LMB_FARADAY      96485.33212 /* [C/mol] */
#define LMB_GAS_CONSTANT 8.314462618 /* [J/(mol K)] */

#ifdef __cplusplus
}
#endif
#endif
