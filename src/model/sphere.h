/*
 * sphere.h - solid diffusion in a spherical particle by conservative finite volumes
 * (PHYSICS.md section 6: the LiFePO4 particles of the positive electrode).
 *
 * Fick's law with a constant diffusivity D in a sphere of radius R:
 *   dc/dt = (1/r^2) d/dr (r^2 D dc/dr),   0 < r < R,
 *   dc/dr = 0 at r = 0,   -D dc/dr = j at r = R,
 * c [mol/m3] the Li concentration in the solid, j [mol/(m2 s)] the molar flux of Li OUT of the
 * particle through its surface: j > 0 delithiates (charge of an LFP positive), j < 0 lithiates.
 *
 * Finite volumes: n shells k = 0..n-1 between the faces r_k and r_{k+1} (r_0 = 0, r_n = R), one
 * unknown c_k per shell, its mean concentration. Integrating over shell k and dividing by 4 pi:
 *   V_k dc_k/dt + Q_{k+1} - Q_k = 0,        V_k = (r_{k+1}^3 - r_k^3) / 3        [m3 per 4 pi]
 * where Q_f = r_f^2 N_f is the outward flow through face f per steradian [mol/s per 4 pi]:
 *   Q_0 = 0 (centre),   Q_n = R^2 j (surface),
 *   Q_f = -D g_f (c_f - c_{f-1}),   g_f = r_f^2 / (rho_f - rho_{f-1})                [m]
 * with rho_k = (r_k + r_{k+1}) / 2 the mid-radius ("centre") of shell k. Each inner flow leaves
 * one shell and enters the next with the same floating-point value, so
 *   sum_k V_k dc_k/dt = -R^2 j
 * holds by construction (the particle loses exactly what crosses its surface; the total
 * volume is sum_k V_k = R^3/3).
 * Surface concentration, from the last centre and the known surface gradient -j/D across the
 * outer half shell (second order in the shell thickness, like the scheme):
 *   c_s = c_{n-1} - j (R - rho_{n-1}) / D.
 *
 * Spacing: geometric, the shells thinning from the centre to the surface so that the centre
 * shell is LMB__SPHERE_SPAN times as thick as the surface shell (see sphere.c for why).
 */
#ifndef LMB_MODEL_SPHERE_H
#define LMB_MODEL_SPHERE_H

#include "lmb/ctx.h"

/* Default ratio of the centre shell thickness to the surface shell thickness [1]. */
#define LMB__SPHERE_SPAN 4.0
/* Largest accepted span [1]: beyond it the surface shell is so thin that the system is stiff
 * for no gain in accuracy. */
#define LMB__SPHERE_SPAN_MAX 1e3

typedef struct lmb__sphere_mesh {
    int n;          /* number of shells */
    double R;       /* [m] particle radius */
    double *r_face; /* [m] face radii, n + 1: r_face[0] = 0, r_face[n] = R */
    double *r_mid;  /* [m] shell mid-radii (r_k + r_{k+1})/2, n */
    double *vol;    /* [m3] shell volumes / (4 pi), n */
    double *g;      /* [m] inner-face conductances r_f^2 / (rho_f - rho_{f-1}), n - 1 */
    double dr_surf; /* [m] R - r_mid[n-1]: the outer half shell */
    double area;    /* [m2] surface area / (4 pi) = R^2 */
    double vol_sum; /* [m3] sum of vol = R^3/3 up to rounding */
} lmb__sphere_mesh;

/*
 * Builds n >= 1 shells over radius R_m > 0 with the default grading LMB__SPHERE_SPAN.
 * Returns LMB_OK, LMB_EINVAL (n < 1), LMB_ERANGE (R_m not positive and finite) or LMB_ENOMEM,
 * with a sentence in ctx (which may be NULL). On failure *out is zeroed. The caller frees the
 * mesh with lmb__sphere_mesh_free.
 */
lmb_status lmb__sphere_mesh_build(lmb_ctx *ctx, int n, double R_m, lmb__sphere_mesh *out);

/*
 * As lmb__sphere_mesh_build with the span (centre shell thickness / surface shell thickness)
 * given: 1 <= span <= LMB__SPHERE_SPAN_MAX, 1 = equal thicknesses. LMB_ERANGE otherwise.
 */
lmb_status lmb__sphere_mesh_build_graded(lmb_ctx *ctx, int n, double R_m, double span,
                                         lmb__sphere_mesh *out);

/* Frees the arrays of a mesh and zeroes it; a zeroed or already freed mesh is a no-op. */
void lmb__sphere_mesh_free(lmb__sphere_mesh *m);

/*
 * Residual of the shell balances, n entries [mol/s per 4 pi]:
 *   r_k = V_k cdot_k + Q_{k+1} - Q_k,
 * D [m2/s], c and cdot [mol/m3], [mol/(m3 s)] (cdot NULL: taken as zero, which gives minus the
 * right-hand side of the method-of-lines ODE V dc/dt = -(Q_{k+1} - Q_k)), j_surf [mol/(m2 s)]
 * out of the particle. The residual is linear in c, cdot and j_surf; its Jacobian dr/dc is
 * tridiagonal.
 */
void lmb__sphere_residual(const lmb__sphere_mesh *m, double D, const double *c, const double *cdot,
                          double j_surf, double *r);

/* Surface concentration c_s = c_{n-1} - j_surf (R - rho_{n-1}) / D [mol/m3]. */
double lmb__sphere_surface(const lmb__sphere_mesh *m, double D, const double *c, double j_surf);

/* Mean concentration over the particle, sum V_k c_k / sum V_k [mol/m3]. */
double lmb__sphere_mean(const lmb__sphere_mesh *m, const double *c);

#endif
