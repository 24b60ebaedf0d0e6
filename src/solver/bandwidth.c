/*
 * bandwidth.c - the half-bandwidths of a model's Jacobian dF/dy + c dF/dy'.
 *
 * They follow from the Jacobian's sparsity pattern, which sparsity.c finds by perturbing every
 * column at generic states under each control (see there for why several probe states). Models
 * are built so that the band is narrow; the test suite checks the band against a dense
 * finite-difference Jacobian.
 */
#include "solver/solver_internal.h"

int lmb__model_bandwidth(lmb__model *m, int *mu, int *ml) {
    lmb__sparsity *s = NULL;
    *mu = 0;
    *ml = 0;
    if (lmb__model_sparsity(m, &s) != 0)
        return -1;
    lmb__sparsity_bandwidth(s, mu, ml);
    lmb__sparsity_free(s);
    return 0;
}
