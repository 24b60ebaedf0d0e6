/*
 * cell_internal.h - what the model and solver see of an lmb_cell: its validated SI parameters.
 * The struct itself and the schema live in src/model/cell.c.
 */
#ifndef LMB_MODEL_CELL_INTERNAL_H
#define LMB_MODEL_CELL_INTERNAL_H

#include "lmb/cell.h"
#include "model/params.h"

/* The resolved parameters (never NULL for a valid cell). */
const lmb_params *lmb__cell_params(const lmb_cell *cell);

/* Mutable access for code that builds cells programmatically (tests, sweeps). The caller must
 * keep the values inside the schema ranges; lmb_cell_set() is the validated way. */
lmb_params *lmb__cell_params_mut(lmb_cell *cell);

#endif
