/*
 * fuzz_table.c - libFuzzer target for the property-table parser and its interpolants
 * (src/model/table.c).
 *
 * Feeds arbitrary bytes (not NUL-terminated: the parser must keep to len) to lmb__table_parse
 * with each pair of column dimensions the model asks for (model/matprop.c): an OCV table
 * (stoichiometry [1], ocp [V]) and the electrolyte's tables of the concentration [mol/m3]:
 * conductivity [S/m], diffusivity [m2/s], and the dimensionless transference number and
 * thermodynamic factor. Any input must give LMB_OK or an error status with a non-empty
 * one-line message. A table that parses must be strictly increasing and finite; its Steffen and
 * Akima interpolants, when they build, are evaluated at the ends, inside and just outside the
 * range, and must answer 0 with finite values inside and -1 outside. Crashes, leaks and
 * undefined behaviour are what the fuzzer and its sanitizers look for. Seed corpus:
 * fuzz/corpus/fuzz_table/ and the LiCoO2 table of the shared reference case.
 *
 * Build: cmake -DLMB_FUZZ=ON -DCMAKE_C_COMPILER=clang; run: make fuzz (one minute per target).
 */
#include "lmb/lmb.h"
#include "model/table.h"

#include "fuzz_util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_spline(lmb_ctx *ctx, const lmb__table *t, lmb__interp kind) {
    lmb__spline s;
    if (lmb__spline_init(ctx, t, kind, &s) != LMB_OK) {
        fuzz_check_msg(ctx);
        if (s.interp)
            abort(); /* zeroed on failure */
        return;
    }
    const double lo = s.x_lo, hi = s.x_hi;
    /* (hi - lo may overflow where each spacing does not) */
    const double inside[] = {lo, hi, 0.5 * lo + 0.5 * hi, 0.75 * lo + 0.25 * hi, t->x[t->n / 2]};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        double y = NAN, d = NAN;
        if (lmb__spline_eval(&s, inside[i], &y, &d) != 0 || !isfinite(y) || !isfinite(d))
            abort();
    }
    const double outside[] = {nextafter(lo, -INFINITY), nextafter(hi, INFINITY), NAN};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        double y = 1.0, d = 2.0;
        if (lmb__spline_eval(&s, outside[i], &y, &d) != -1 || y != 1.0 || d != 2.0)
            abort();
    }
    char buf[256];
    lmb__table_range_text(t, "fuzz", outside[1], buf, sizeof buf);
    if (strchr(buf, '\n'))
        abort();
    lmb__spline_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* a copy of exactly size bytes, so that ASan sees a read beyond len */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK) {
        free(text);
        return 0;
    }
    static const lmb_dim dims[][2] = {{LMB_DIM_NONE, LMB_DIM_VOLTAGE},
                                      {LMB_DIM_CONCENTRATION, LMB_DIM_CONDUCTIVITY},
                                      {LMB_DIM_CONCENTRATION, LMB_DIM_DIFFUSIVITY},
                                      {LMB_DIM_CONCENTRATION, LMB_DIM_NONE}};
    for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++) {
        lmb__table t;
        lmb_status st = lmb__table_parse(ctx, text, size, "fuzz.csv", dims[k][0], dims[k][1], &t);
        if (st != LMB_OK) {
            fuzz_check_msg(ctx);
            if (t.n != 0 || t.x || t.y)
                abort(); /* zeroed on failure */
            continue;
        }
        if (t.n < LMB__TABLE_MIN_ROWS || t.n > LMB__TABLE_MAX_ROWS)
            abort();
        for (int i = 0; i < t.n; i++)
            if (!isfinite(t.x[i]) || !isfinite(t.y[i]) || (i > 0 && !(t.x[i] > t.x[i - 1])))
                abort();
        check_spline(ctx, &t, LMB__INTERP_STEFFEN);
        check_spline(ctx, &t, LMB__INTERP_AKIMA);
        lmb__table_free(&t);
    }
    lmb_ctx_free(ctx);
    free(text);
    return 0;
}
