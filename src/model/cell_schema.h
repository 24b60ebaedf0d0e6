/*
 * cell_schema.h - the parameter schema of a cell and the internal ways to fill a cell from it.
 *
 * The schema is one static table (src/model/cell.c): a row per parameter with its key path
 * without unit ("separator.thickness"), display unit, dimension, where it lives in lmb_params,
 * its allowed range and default (in the display unit) and a one-line description. Everything
 * that knows about parameters - the defaults, the JSON reader (src/io/cell_json.c),
 * lmb_cell_set/get, `lmb params show` - reads this table, so a parameter is added in one place.
 *
 * Electrode parameters appear three times: "electrodes.*" (the shorthand of a cell file that
 * sets both Li electrodes of a symmetric cell), "negative.*" and "positive.*". Only the last
 * two are resolved parameters of a cell; the first only writes into both of them.
 *
 * Each row also belongs to a group that says when it is a parameter of a given cell (see
 * row_active in cell.c): the cell group always; a coating row only when its electrode has a
 * coating; an LFP row ("lfp.*") only in a li-lfp cell. Conversely the "positive.*" rows are no
 * parameters of a li-lfp cell, whose positive electrode is the LFP.
 */
#ifndef LMB_MODEL_CELL_SCHEMA_H
#define LMB_MODEL_CELL_SCHEMA_H

#include <stddef.h>

#include "lmb/cell.h"
#include "lmb/units.h"
#include "model/matprop.h"
#include "model/params.h"

typedef enum lmb__scope {
    LMB__SCOPE_CELL = 0,   /* offset is into lmb_params */
    LMB__SCOPE_ELECTRODES, /* shorthand: writes the negative and the positive field */
    LMB__SCOPE_NEG,
    LMB__SCOPE_POS
} lmb__scope;

typedef enum lmb__group {
    LMB__GROUP_CELL = 0, /* a parameter of every cell (of its electrode, for electrode rows) */
    LMB__GROUP_COATING,  /* of a coating: used only when the electrode has one */
    LMB__GROUP_LFP,      /* of the porous LiFePO4 electrode: used only in a li-lfp cell */
    LMB__GROUP_POROUS    /* of the porous electrode of a li-porous cell ("porous.*") */
} lmb__group;

typedef struct lmb__param_row {
    const char *key;  /* "separator.thickness", "negative.coating.loading" */
    const char *unit; /* display unit, a name of the unit table ("um"; "1" if dimensionless) */
    lmb_dim dim;
    size_t offset;          /* of the double or int field in lmb_params */
    int is_int;             /* 1: int field (a count); the value must be a whole number */
    double min, max;        /* allowed range, in the display unit */
    int min_open, max_open; /* 1: the bound itself is excluded */
    double def;             /* default in the display unit; NaN: required, no default */
    lmb__scope scope;
    lmb__group group;
    const char *description;
} lmb__param_row;

/* Levels of a parameter's provenance while a file is read (see lmb__cell_assign). */
#define LMB__GIVEN_NONE   0 /* default */
#define LMB__GIVEN_SHARED 1 /* from "electrodes" */
#define LMB__GIVEN_OWN    2 /* from its own section, or lmb_cell_set */

int lmb__schema_size(void);
const lmb__param_row *lmb__schema_row(int i); /* NULL if out of range */

/* Index of the row with exactly this key (no unit), or -1. */
int lmb__schema_index(const char *key);

/*
 * Resolves a key with unit suffix ("separator.thickness_um") to its row index and unit. The key
 * is split at the longest suffix that is a unit key known to lmb_unit_find() and leaves a
 * schema key before it; a dimensionless key has no suffix (or a dimensionless one, "_pct").
 * Fails with LMB_EKEY (unknown key, with a suggestion when one is close) or LMB_EUNIT (unit
 * unknown, missing or of the wrong dimension); the message names the key but no file.
 */
lmb_status lmb__schema_resolve(lmb_ctx *ctx, const char *key, int *row, const lmb_unit **unit);

/* The closest known key to an unknown one ("" if none is close); keys include units. */
void lmb__schema_suggest(const char *key, char *out, size_t n);

/* Creates a cell at its defaults; origin names it in messages (copied). */
lmb_status lmb__cell_new(lmb_ctx *ctx, const char *origin, lmb_cell **out);

/*
 * Writes one value, given in unit, into the parameter of row (for an "electrodes" row into
 * every Li-metal electrode of the cell: both, or the negative only in a li-lfp cell), after
 * checking that the cell's type has that part (LMB_EKEY: a positive.* row in a li-lfp cell, an
 * lfp.* row in another) and the value against the row's range. source and fitted_to (may be
 * NULL) are copied as its provenance. level is one of LMB__GIVEN_*; with reject_duplicate a
 * parameter already given at the same level is an error (the same key twice in one file, or
 * one key written in two units). shown_key is the key as written, for messages. Statuses:
 * LMB_OK, LMB_ERANGE, LMB_EKEY (duplicate, or a part the cell lacks), LMB_ENOMEM; messages
 * carry no file name.
 */
lmb_status lmb__cell_assign(lmb_ctx *ctx, lmb_cell *cell, int row, double value,
                            const lmb_unit *unit, const char *shown_key, const char *source,
                            const char *fitted_to, int level, int reject_duplicate);

/*
 * Function-valued parameters (cell.c, matprop.h): electrolyte.conductivity, .diffusivity,
 * .transference_number, .thermodynamic_factor (a correlation or a table instead of the number)
 * and lfp.ocv / porous.ocv (a named function or a table). Index i in 0 .. lmb__prop_count()-1.
 */
int lmb__prop_count(void);
int lmb__prop_index(const char *key); /* -1 if key is not one */
const char *lmb__prop_key(int i);
lmb__prop_id lmb__prop_id_at(int i);
int lmb__prop_in_type(const lmb_cell *cell, int i); /* 1 if the cell's type has it */
/*
 * Writes property i: value->kind NAMED (value->named) or TABLE (table is moved into the cell and
 * zeroed; value->interp its interpolation). Same checks, levels and statuses as
 * lmb__cell_assign; a number given at the same level for the same key is a duplicate.
 */
lmb_status lmb__cell_assign_prop(lmb_ctx *ctx, lmb_cell *cell, int i, const lmb_prop *value,
                                 struct lmb__table *table, const char *shown_key,
                                 const char *source, const char *fitted_to, int level,
                                 int reject_duplicate);
/* Its value (pointing into the cell), provenance and whether it was defaulted. */
void lmb__cell_prop_info(const lmb_cell *cell, int i, const lmb_prop **value, const char **source,
                         const char **fitted_to, int *is_default);

/* The provenance of the porous positive's OCV (lfp.ocv or porous.ocv, by the cell's type):
 * source and fitted_to ("" if none) and whether it was defaulted. Any output pointer may be
 * NULL. */
void lmb__cell_ocv_provenance(const lmb_cell *cell, const char **source, const char **fitted_to,
                              int *is_default);

/*
 * Completes a parameter set after its values are written: derives each coating's thickness
 * from loading, skeleton density and porosity (thickness = loading / (density (1 - eps))) and,
 * in a li-lfp cell, the LFP electrode's thickness from its loading (params.h), and checks what
 * no single range can (a coating needs its loading; MacMullin number and porosity must give a
 * tortuosity >= 1; the LFP's active and carbon mass fractions may not exceed 1 together; the
 * derived thicknesses must be in range; the electrolyte must fill the pores). Statuses: LMB_OK,
 * LMB_EKEY (missing loading), LMB_ERANGE; messages carry no file name.
 */
lmb_status lmb__params_finish(lmb_ctx *ctx, lmb_params *p);

/* Shortest "%.*g" text of v that reads back as v (at most 17 digits). */
void lmb__fmt_num(char *dst, size_t n, double v);

#endif
