/*
 * lmb/cell.h - cell descriptions: JSON cell files and built-in presets.
 *
 * A cell file is JSON. Every numeric key carries its unit as a suffix ("thickness_um": 16,
 * "kappa_mS_cm": 4); any unit of the right dimension from lmb/units.h is accepted
 * ("thickness_nm", "thickness_m", ...). A value is either a number or an object
 * {"value": 16, "source": "...", "fitted_to": "..."} that records where it comes from. Values are
 * converted to SI once, at load, and validated against the schema's ranges; a failure names the
 * file, the field, the value with its unit and the allowed range. The schema and its defaults are
 * listed by `lmb params show --schema` and documented in docs/cell-files.md.
 *
 * Built-in presets ("li-li:bare", "li-cu:cspbcl3-2mg", "li-lfp:bare", ...) are selected by name
 * wherever a file path is accepted: lmb_cell_load() treats an argument with a ':' and no '/' as a
 * preset name.
 */
#ifndef LMB_CELL_H
#define LMB_CELL_H

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lmb_cell lmb_cell;

/* Loads a preset by name or a JSON file by path. Statuses: LMB_OK, LMB_EIO, LMB_EPARSE,
 * LMB_EKEY, LMB_EUNIT, LMB_ERANGE, LMB_ENOTFOUND (unknown preset), LMB_ENOMEM. */
lmb_status lmb_cell_load(lmb_ctx *ctx, const char *path_or_preset, lmb_cell **out);

/* Parses JSON text; origin names it in messages (a file path or preset name). */
lmb_status lmb_cell_parse(lmb_ctx *ctx, const char *json, const char *origin, lmb_cell **out);

/* Creates a cell with every parameter at its schema default. */
lmb_status lmb_cell_create_default(lmb_ctx *ctx, lmb_cell **out);

lmb_status lmb_cell_copy(lmb_ctx *ctx, const lmb_cell *src, lmb_cell **out);

void lmb_cell_free(lmb_cell *cell);

const char *lmb_cell_name(const lmb_cell *cell);

/*
 * Sets one parameter by its key as it would appear in a file ("separator.thickness_um",
 * "negative.coating.loading_mg_cm2"), converting and validating as at load. An "electrodes.*"
 * key sets every Li electrode of the cell (the negative alone in a li-lfp cell); a key of a
 * part the cell's type lacks ("positive.*" in a li-lfp cell, "lfp.*" in another) fails with
 * LMB_EKEY, here and in lmb_cell_get.
 */
lmb_status lmb_cell_set(lmb_ctx *ctx, lmb_cell *cell, const char *key, double value);

/* Reads one parameter in the unit of the key ("separator.thickness_um"). */
lmb_status lmb_cell_get(lmb_ctx *ctx, const lmb_cell *cell, const char *key, double *value);

/* One resolved parameter, for listing (`lmb params show`). Strings point into the cell or into
 * static tables and stay valid while the cell lives. */
typedef struct lmb_param_info {
    const char *key;         /* "separator.thickness" (without unit) */
    const char *unit;        /* display unit of the schema ("um") */
    double value;            /* in that display unit */
    double value_si;         /* in SI */
    const char *si_unit;     /* "m" */
    double min, max;         /* allowed range in display units */
    int min_open, max_open;  /* 1 if the bound itself is excluded */
    const char *description; /* one line */
    const char *source;      /* provenance from the file ("" if none) */
    const char *fitted_to;   /* measurement it was fitted to ("" if not fitted) */
    int is_default;          /* 1 if not given in the file */
} lmb_param_info;

/* The resolved parameters of a cell, in schema order: the cell-wide ones, then negative.* and
 * positive.* (coating parameters only for an electrode that has a coating; in a li-lfp cell
 * lfp.* instead of positive.*), then numerics.*. The LFP's OCV fit is a name, not listed here.
 * param_at returns LMB_EINVAL for an index outside [0, count). */
int lmb_cell_param_count(const lmb_cell *cell);
lmb_status lmb_cell_param_at(const lmb_cell *cell, int i, lmb_param_info *out);

/* The cell-file schema, for help and documentation: every key a file may hold, with electrode
 * keys listed once as "electrodes.*" (they apply as negative.* and positive.* too). value and
 * value_si are the default (NaN where the key is required, e.g. a coating's loading), source
 * and fitted_to are "", is_default is 1. schema_at returns LMB_EINVAL outside [0, count). */
int lmb_cell_schema_count(void);
lmb_status lmb_cell_schema_at(int i, lmb_param_info *out);

/*
 * Writes the resolved cell as a cell file (JSON text) that lmb_cell_parse() reads back to the
 * same parameters: every parameter in its display unit, as {"value", "source", "fitted_to"}
 * (source "default" where the value was not given). *out is allocated with malloc; the caller
 * frees it with free(). Statuses: LMB_OK, LMB_EINVAL, LMB_ENOMEM.
 */
lmb_status lmb_cell_to_json(lmb_ctx *ctx, const lmb_cell *cell, char **out);

/* Names of the built-in presets. */
int lmb_preset_count(void);
const char *lmb_preset_name(int i);

#ifdef __cplusplus
}
#endif
#endif
