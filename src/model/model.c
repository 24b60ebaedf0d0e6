/* model.c - the common part of cell models (see model.h). */
#include "model/model.h"

#include <stdlib.h>

int lmb__model_alloc_arrays(lmb__model *m, int n) {
    m->n = n;
    m->y0 = calloc((size_t)n, sizeof(double));
    m->is_diff = calloc((size_t)n, sizeof(double));
    m->atol = calloc((size_t)n, sizeof(double));
    m->is_ode = calloc((size_t)n, sizeof(char));
    return (m->y0 && m->is_diff && m->atol && m->is_ode) ? 0 : -1;
}

void lmb__model_free(lmb__model *m) {
    if (!m)
        return;
    if (m->destroy)
        m->destroy(m);
    free(m->y0);
    free(m->is_diff);
    free(m->atol);
    free(m->is_ode);
    free(m);
}
