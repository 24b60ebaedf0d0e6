/*
 * test_util.h - shared helpers of the unit tests.
 */
#ifndef LMB_TEST_UTIL_H
#define LMB_TEST_UTIL_H

#include "lmb/lmb.h"

#include <math.h>
#include <stdint.h>

/* Deterministic pseudo-random numbers for synthetic noise (SplitMix64, Steele et al. 2014). */
static inline uint64_t lmb_test_rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A standard normal deviate (Box-Muller) from the generator above. */
static inline double lmb_test_gauss(uint64_t *s) {
    double u1 = ((double)(lmb_test_rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    double u2 = ((double)(lmb_test_rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

/*
 * Turns a calibrated preset into the ideal cell of the analytic checks: one interface arc (no
 * film capacitance), stripping over the whole area (no pits), no mossy or dead Li, no SEI
 * growth, no FEC effects, no short, no coating conversion. Transport, kinetics, film and
 * coating geometry stay as calibrated. Returns the first failing status.
 */
static inline lmb_status lmb_test_ideal_cell(lmb_ctx *ctx, lmb_cell *cell) {
    static const char *const zero[] = {
        "electrodes.sei_permittivity",       "electrodes.mossy_fraction",
        "electrodes.mossy_fraction_max",     "electrodes.mossy_area_factor",
        "electrodes.dead_fraction",          "electrodes.sei_growth_nm2_h",
        "electrodes.sei_fresh_thickness_nm", "electrolyte.fec_fraction",
        "separator.short_thickness_um"};
    lmb_status st = LMB_OK;
    for (size_t i = 0; i < sizeof zero / sizeof zero[0] && st == LMB_OK; i++)
        st = lmb_cell_set(ctx, cell, zero[i], 0.0);
    if (st == LMB_OK)
        st = lmb_cell_set(ctx, cell, "electrodes.pit_fraction", 1.0);
    double loading = 0.0;
    if (st == LMB_OK &&
        lmb_cell_get(ctx, cell, "negative.coating.loading_mg_cm2", &loading) == LMB_OK &&
        loading > 0.0) {
        st = lmb_cell_set(ctx, cell, "electrodes.coating.conversion_time_h", 0.0);
        if (st == LMB_OK)
            st = lmb_cell_set(ctx, cell, "electrodes.coating.conversion_per_capacity", 0.0);
    }
    return st;
}

/* Loads a preset (or cell file) and makes it the ideal cell above. */
static inline lmb_status lmb_test_load_ideal(lmb_ctx *ctx, const char *name, lmb_cell **cell) {
    lmb_status st = lmb_cell_load(ctx, name, cell);
    return st == LMB_OK ? lmb_test_ideal_cell(ctx, *cell) : st;
}

#endif
