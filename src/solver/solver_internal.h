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

/* The simulation's model and its present state (y, y'), for tests and diagnostics. */
const lmb__model *lmb__sim_model(const lmb_sim *sim);
const double *lmb__sim_y(const lmb_sim *sim);
const double *lmb__sim_yp(const lmb_sim *sim);

/* The Jacobian's half-bandwidths found at creation. */
void lmb__sim_bandwidth(const lmb_sim *sim, int *mu, int *ml);

#endif
