/*
 * solver_internal.h - internals of the solver module shared by its files and the tests.
 * Only src/solver/ includes SUNDIALS headers.
 */
#ifndef LMB_SOLVER_INTERNAL_H
#define LMB_SOLVER_INTERNAL_H

#include "lmb/sim.h"
#include "model/model.h"

/* Upper and lower half-bandwidths of the model's Jacobian over all controls (0 on success, -1
 * if a residual fails or is not finite at the probe state). */
int lmb__model_bandwidth(lmb__model *m, int *mu, int *ml);

/* The sparsity pattern of the model's Jacobian dF/dy + c dF/dy' over all controls, in
 * compressed sparse columns, with a column colouring (sparsity.c). */
typedef struct lmb__sparsity {
    int n;        /* number of states (rows = columns) */
    int nnz;      /* number of structural non-zeros, the diagonal included */
    int *colptr;  /* n + 1: the rows of column j are rowind[colptr[j] .. colptr[j + 1]) */
    int *rowind;  /* nnz, ascending within each column */
    int *color;   /* n: the colour of each column; columns of one colour share no row */
    int n_colors; /* number of colours = residual evaluations per Jacobian */
} lmb__sparsity;

/* Finds the pattern by perturbing every state at four generic states under each control, and
 * colours its columns. 0 on success (*out to be freed with lmb__sparsity_free), -1 if a residual
 * fails or is not finite at a probe state or memory runs out. The model is left at its control. */
int lmb__model_sparsity(lmb__model *m, lmb__sparsity **out);
void lmb__sparsity_free(lmb__sparsity *s); /* NULL is a no-op */

/* The half-bandwidths the pattern implies. */
void lmb__sparsity_bandwidth(const lmb__sparsity *s, int *mu, int *ml);

/*
 * The Jacobian dF/dy + cj dF/dy' at (t, y, y') by coloured forward differences, one residual
 * evaluation per colour, with the increments of IDA's band DQ Jacobian (h the step size, ewt
 * IDA's error weights, r = F(t, y, y')). Jx receives the nnz values in the order of the pattern;
 * work holds 4 n doubles. Returns 0, or the residual's non-zero return (1 for a residual that is
 * not finite).
 */
int lmb__sparse_dq_jacobian(const lmb__sparsity *s, const lmb__model *m, double t, double cj,
                            double h, const double *y, const double *yp, const double *r,
                            const double *ewt, double *work, double *Jx);

/* The simulation's model and its present state (y, y'), for tests and diagnostics. */
const lmb__model *lmb__sim_model(const lmb_sim *sim);
const double *lmb__sim_y(const lmb_sim *sim);
const double *lmb__sim_yp(const lmb_sim *sim);

/* The Jacobian's half-bandwidths found at creation. */
void lmb__sim_bandwidth(const lmb_sim *sim, int *mu, int *ml);

/* The column colouring of the sparse (KLU) path, NULL with the band solver. */
const lmb__sparsity *lmb__sim_sparsity(const lmb_sim *sim);

#endif
