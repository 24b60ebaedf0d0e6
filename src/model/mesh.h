/*
 * mesh.h - the one-dimensional finite-volume mesh across the ion-conducting regions of a cell.
 *
 * Cell-centred finite volumes. Each region (a coating, the separator, ...) is a porous layer
 * with porosity eps and tortuosity tau; a cell stores eps and the effective-transport factor
 * eps/tau (D_eff = D eps/tau, kappa_eff = kappa eps/tau). A face between two cells carries the
 * series "conductance" of the two half cells, g = 1 / (h_l/(2 f_l) + h_r/(2 f_r)) [1/m], so that
 * the flux through a face is exact for piecewise-linear profiles and for jumps of properties
 * at region boundaries. Boundary half cells (electrode interfaces) use g = 2 f / h.
 */
#ifndef LMB_MODEL_MESH_H
#define LMB_MODEL_MESH_H

#include "lmb/ctx.h"
#include "model/params.h"

#define LMB_MESH_MAX_REGIONS 8
#define LMB_MESH_MAX_SPAN    1e4 /* largest / smallest cell width within a layer */

typedef struct lmb__mesh {
    int n;           /* number of cells */
    double *x_m;     /* [m] cell centres, n */
    double *h_m;     /* [m] cell widths, n */
    double *eps;     /* [1] porosity, n */
    double *f_tr;    /* [1] eps/tau, n */
    int *region;     /* region index of each cell, n */
    double *g_face;  /* [1/m] effective transport conductance of inner faces k+1/2, n-1 */
    double g_left;   /* [1/m] half-cell conductance from the x = 0 face to cell 0: 2 f / h */
    double g_right;  /* [1/m] half-cell conductance from cell n-1 to the x = L face */
    double length_m; /* [m] total thickness */
    int n_regions;
    const char *region_name[LMB_MESH_MAX_REGIONS];
} lmb__mesh;

/*
 * Builds the mesh over the layers in order (absent layers are skipped). ratio >= 1 grades each
 * layer geometrically towards both of its ends (1 = uniform).
 */
lmb_status lmb__mesh_build(lmb_ctx *ctx, const lmb_layer_params *const *layers,
                           const char *const *names, int n_layers, double ratio, lmb__mesh *m);
void lmb__mesh_free(lmb__mesh *m);

#endif
