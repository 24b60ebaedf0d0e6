/*
 * matprop.h - material properties as functions: a constant, a named published correlation or a
 * table (lmb_prop in params.h), evaluated inside the residual.
 *
 * Named correlations (c in mol/L inside the formulas, as published):
 *   electrolyte conductivity "capiglia1999" (LiPF6 in EC:DMC; data of C. Capiglia et al.,
 *     J. Power Sources 81-82 (1999) 859, doi:10.1016/S0378-7753(98)00237-7, the fit of the
 *     DUALFOIL program of Doyle, Fuller and Newman):
 *       kappa(c) = 0.0911 + 1.9101 c - 1.052 c^2 + 0.1554 c^3                      [S/m]
 *   electrolyte diffusivity "capiglia1999" (same sources):
 *       D(c) = 5.34e-10 exp(-0.65 c)                                              [m2/s]
 *   open-circuit potentials of positive materials: lfp_ocv.h.
 * Effective values in a porous layer multiply these by eps/tau (mesh.h), as DUALFOIL's eps^1.5.
 *
 * A table is interpolated by a monotone (Steffen) or Akima spline (table.h) with its derivative
 * consistent with its value. Outside the table's range lmb__matprop_eval returns NaN: the
 * residual is then not finite, a recoverable failure, and if the solution itself leaves the
 * range the model's explain() names the table and the value (lmb__matprop_range_text).
 */
#ifndef LMB_MODEL_MATPROP_H
#define LMB_MODEL_MATPROP_H

#include "model/params.h"
#include "model/table.h"

#include <math.h>

/* Which property an lmb_prop describes: sets its named correlations and its table's columns. */
typedef enum lmb__prop_id {
    LMB__PROP_KAPPA = 0, /* conductivity [S/m] of c [mol/m3] */
    LMB__PROP_D,         /* salt diffusivity [m2/s] of c */
    LMB__PROP_TPLUS,     /* transference number [1] of c */
    LMB__PROP_TDF,       /* thermodynamic factor [1] of c */
    LMB__PROP_OCV,       /* open-circuit potential [V] of the stoichiometry [1] */
    LMB__PROP_COUNT
} lmb__prop_id;

/* Named electrolyte correlations. */
enum { LMB__EL_CAPIGLIA1999 = 0 };

typedef struct lmb__matprop {
    int id;    /* lmb__prop_id */
    int kind;  /* lmb_prop_kind */
    int named; /* the correlation */
    double value;
    lmb__spline spline; /* kind TABLE */
    lmb__table own;     /* kind TABLE: its own copy of the table (for messages; the cell's
                           may be freed or changed while a simulation runs) */
    char what[64];      /* "electrolyte.conductivity", for messages */
} lmb__matprop;

/* The dimensions of a property's table columns (x, y). */
void lmb__prop_dims(lmb__prop_id id, lmb_dim *x_dim, lmb_dim *y_dim);

/* The correlation named `name` for property id into *out: 0, or -1 if it has none by that name.
 * The OCV's names are lfp_ocv.h's. */
int lmb__prop_named_parse(lmb__prop_id id, const char *name, int *out);
/* Its name ("capiglia1999"), NULL if unknown; the names of a property joined by ", " into buf
 * ("" if it has none). */
const char *lmb__prop_named_name(lmb__prop_id id, int named);
void lmb__prop_named_choices(lmb__prop_id id, char *buf, size_t n);

/* Builds the evaluator of p (constant: `value`; a table: its spline). what names it in messages.
 * Returns LMB_OK, LMB_EINVAL (an unknown correlation), LMB_ERANGE (a table the spline refuses)
 * or LMB_ENOMEM. */
lmb_status lmb__matprop_init(lmb_ctx *ctx, lmb__matprop *mp, lmb__prop_id id, const lmb_prop *p,
                             double value, const char *what);
void lmb__matprop_free(lmb__matprop *mp);

/* The named correlations, in SI: kappa [S/m], D [m2/s] of c [mol/m3] (NaN for an unknown one). */
static inline double lmb__el_named(lmb__prop_id id, int named, double c_mol_m3) {
    double c = c_mol_m3 * 1e-3; /* [mol/L] */
    if (named == LMB__EL_CAPIGLIA1999 && id == LMB__PROP_KAPPA)
        return 0.0911 + c * (1.9101 + c * (-1.052 + c * 0.1554));
    if (named == LMB__EL_CAPIGLIA1999 && id == LMB__PROP_D)
        return 5.34e-10 * exp(-0.65 * c);
    return NAN;
}

/* The OCV (lfp_ocv.h) and the electrolyte properties are evaluated by one function in
 * matprop.c for named OCVs; here the electrolyte's fast path. */
double lmb__matprop_eval_slow(const lmb__matprop *mp, double x, double *dydx);

/* The property at x (c [mol/m3], or the stoichiometry for the OCV) in SI; dydx (may be NULL)
 * its derivative. NaN outside a table's range. */
static inline double lmb__matprop_eval(const lmb__matprop *mp, double x, double *dydx) {
    if (mp->kind == LMB_PROP_CONSTANT) {
        if (dydx)
            *dydx = 0.0;
        return mp->value;
    }
    return lmb__matprop_eval_slow(mp, x, dydx);
}

/* 1 if x is inside the property's range (always, but for a table). */
int lmb__matprop_in_range(const lmb__matprop *mp, double x);

/* "electrolyte.conductivity table 'k.csv' covers concentration 0.1 to 2 mol/L; asked for 2.3"
 * into buf (size n). */
void lmb__matprop_range_text(const lmb__matprop *mp, double x, char *buf, size_t n);

/*
 * The named OCV `named` (lfp_ocv.h) as a CSV table (matprop's format: a comment, the header
 * "stoichiometry,ocp_V", n rows from y0 to y1 with U to 1e-10 V): the text of the tables shipped
 * with the presets, written by the lmb_ocv_table tool and checked by the tests. malloc'd, NULL
 * for a bad argument or no memory.
 */
char *lmb__ocv_table_text(int named, int n, double y0, double y1);

#endif
