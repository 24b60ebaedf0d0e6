/*
 * mesh.c - building the finite-volume mesh (see mesh.h).
 *
 * Grading: with ratio r > 1 the cells of a layer grow geometrically by r from each end towards
 * the middle, which puts small cells at the interfaces where concentration gradients are
 * steepest (Sand's-time and limiting-current problems). r = 1 gives a uniform layer.
 */
#include "model/mesh.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Widths of n cells over length L, symmetric geometric grading with ratio r. */
static void graded_widths(int n, double L, double r, double *h) {
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        int d = i < n - 1 - i ? i : n - 1 - i; /* distance (in cells) from the nearest end */
        h[i] = pow(r, (double)d);
        sum += h[i];
    }
    for (int i = 0; i < n; i++)
        h[i] *= L / sum;
}

lmb_status lmb__mesh_build(lmb_ctx *ctx, const lmb_layer_params *const *layers,
                           const char *const *names, int n_layers, double ratio, lmb__mesh *m) {
    memset(m, 0, sizeof *m);
    if (n_layers > LMB_MESH_MAX_REGIONS)
        LMB__FAIL(ctx, LMB_EINVAL, "mesh: %d layers, at most %d supported", n_layers,
                  LMB_MESH_MAX_REGIONS);
    if (!(ratio >= 1.0))
        LMB__FAIL(ctx, LMB_ERANGE, "mesh: grading ratio %g must be >= 1", ratio);
    int n = 0;
    for (int l = 0; l < n_layers; l++)
        if (layers[l]->present)
            n += layers[l]->cells;
    if (n < 1)
        LMB__FAIL(ctx, LMB_EINVAL, "mesh: no ion-conducting layer");
    m->n = n;
    m->x_m = calloc((size_t)n, sizeof(double));
    m->h_m = calloc((size_t)n, sizeof(double));
    m->eps = calloc((size_t)n, sizeof(double));
    m->f_tr = calloc((size_t)n, sizeof(double));
    m->region = calloc((size_t)n, sizeof(int));
    m->g_face = calloc((size_t)(n > 1 ? n - 1 : 1), sizeof(double));
    if (!m->x_m || !m->h_m || !m->eps || !m->f_tr || !m->region || !m->g_face) {
        lmb__mesh_free(m);
        LMB__FAIL(ctx, LMB_ENOMEM, "mesh: out of memory for %d cells", n);
    }
    int k = 0;
    double x0 = 0.0;
    for (int l = 0; l < n_layers; l++) {
        const lmb_layer_params *L = layers[l];
        if (!L->present)
            continue;
        int r = m->n_regions++;
        m->region_name[r] = names[l];
        double tau = lmb__layer_tortuosity(L);
        graded_widths(L->cells, L->thickness_m, ratio, m->h_m + k);
        /* the widths of a layer may span at most LMB_MESH_MAX_SPAN: beyond that the cells at the
         * interfaces are so thin that the Jacobian is numerically singular */
        double span = m->h_m[k + L->cells / 2] / m->h_m[k];
        if (!(span <= LMB_MESH_MAX_SPAN) || !(m->h_m[k] > 0.0)) {
            int cells = L->cells;
            lmb__mesh_free(m);
            LMB__FAIL(ctx, LMB_ERANGE,
                      "numerics.mesh_ratio = %g with %d cells in the %s makes its largest cell "
                      "%.3g times its smallest (at most %g): lower the ratio or the cells",
                      ratio, cells, names[l], span, LMB_MESH_MAX_SPAN);
        }
        for (int i = 0; i < L->cells; i++, k++) {
            m->x_m[k] = x0 + 0.5 * m->h_m[k];
            x0 += m->h_m[k];
            m->eps[k] = L->porosity;
            m->f_tr[k] = L->porosity / tau;
            m->region[k] = r;
        }
    }
    m->length_m = x0;
    for (int i = 0; i + 1 < n; i++)
        m->g_face[i] = 1.0 / (0.5 * m->h_m[i] / m->f_tr[i] + 0.5 * m->h_m[i + 1] / m->f_tr[i + 1]);
    m->g_left = 2.0 * m->f_tr[0] / m->h_m[0];
    m->g_right = 2.0 * m->f_tr[n - 1] / m->h_m[n - 1];
    return LMB_OK;
}

void lmb__mesh_free(lmb__mesh *m) {
    if (!m)
        return;
    free(m->x_m);
    free(m->h_m);
    free(m->eps);
    free(m->f_tr);
    free(m->region);
    free(m->g_face);
    memset(m, 0, sizeof *m);
}
