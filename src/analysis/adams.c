/*
 * adams.c - the Adams coulombic efficiency of Li on Cu (lmb/adams.h), one function for the
 * simulator and for measured cycler data.
 *
 * Adams et al., "Accurate determination of coulombic efficiency for lithium metal anodes and
 * lithium metal batteries", Adv. Energy Mater. 2018, 8, 1702097, doi:10.1002/aenm.201702097,
 * with n_pre preconditioning cycles (plate Q_p, strip to the cut-off) before the reservoir, as in
 * the reference study. With the charges actually passed,
 *   CE = (sum_{j=1..n} Q_strip,j + Q_S) / (sum_{j=1..n} Q_plate,j + Q_T)
 * which is (n Q_c + Q_S) / (n Q_c + Q_T) when every cycle passes exactly Q_c both ways.
 *
 * The record is a list of signed half-cycle charges [C] (plating on Cu negative). Zeros are rests
 * and are skipped; the remaining ones are addressed by their rank k (0-based): plates at even k,
 * strips at odd k, preconditioning at k < r, the reservoir at k = r = 2 n_pre, the cycles at
 * r < k < m - 1 and the final strip at k = m - 1, m being the number of non-zero half cycles.
 * Nothing is allocated: the record is walked once to validate it, once backwards to detect the
 * reservoir if asked, and once to sum.
 */
#include "lmb/adams.h"

#include <stdlib.h>

#include "core/ctx_internal.h"

#include <math.h>

/* Finds the reservoir's rank (see lmb/adams.h); -1 if no plate qualifies. */
static long detect_reservoir(const double *q, size_t n_half, size_t m) {
    long found = -1;
    double max_after = 0.0; /* largest |charge| of the cycle half cycles after rank k */
    size_t k = m;
    for (size_t i = n_half; i-- > 0;) {
        if (q[i] == 0.0)
            continue;
        k--;
        if (k == m - 1)
            continue; /* the final strip does not count */
        double a = fabs(q[i]);
        if (k % 2 == 0 && k + 4 <= m && max_after < LMB_ADAMS_RESERVOIR_FRACTION * a)
            found = (long)k;
        if (a > max_after)
            max_after = a;
    }
    return found;
}

lmb_status lmb_adams_ce(lmb_ctx *ctx, const double *half_charge_C, size_t n_half,
                        int n_precondition, lmb_adams_result *out) {
    if (!half_charge_C || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_adams_ce: NULL argument");
    if (n_precondition < LMB_ADAMS_DETECT || n_precondition > LMB_ADAMS_MAX_PRECONDITION)
        LMB__FAIL(ctx, LMB_EINVAL,
                  "Adams CE: the number of preconditioning cycles must be 0 to %d, or %d to "
                  "detect it, not %d",
                  LMB_ADAMS_MAX_PRECONDITION, LMB_ADAMS_DETECT, n_precondition);
    const double *q = half_charge_C;

    /* Validation: finite charges whose signs alternate, starting with a plate. */
    size_t m = 0, last = 0;
    for (size_t i = 0; i < n_half; i++) {
        if (!isfinite(q[i]))
            LMB__FAIL(ctx, LMB_EINVAL,
                      "Adams CE: half cycle %zu has a charge that is not finite (%g C)", i + 1,
                      q[i]);
        if (q[i] == 0.0)
            continue;
        int want_plate = m % 2 == 0;
        if ((q[i] < 0.0) != want_plate)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "Adams CE: half cycle %zu is a %s (%g C) where a %s was expected (after "
                      "skipping rests, plates (< 0) and strips (> 0) must alternate, starting "
                      "with a plate)",
                      i + 1, q[i] < 0.0 ? "plate" : "strip", q[i], want_plate ? "plate" : "strip");
        m++;
        last = i;
    }
    if (m == 0)
        LMB__FAIL(ctx, LMB_EINVAL, "Adams CE: record too short: no half cycle passed charge");
    if (m % 2 != 0)
        LMB__FAIL(ctx, LMB_EINVAL,
                  "Adams CE: no final strip: the record ends with a plate (half cycle %zu, %g C)",
                  last + 1, q[last]);

    /* The reservoir's rank. */
    size_t r;
    if (n_precondition == LMB_ADAMS_DETECT) {
        if (m < 4)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "Adams CE: fewer than 1 cycle after the reservoir: the record has only "
                      "%zu half cycles with charge (the protocol needs a reservoir plate, at "
                      "least one strip/plate cycle and a final strip)",
                      m);
        long found = detect_reservoir(q, n_half, m);
        if (found < 0)
            LMB__FAIL(ctx, LMB_ENOTFOUND,
                      "Adams CE: no reservoir found: no plate is followed, up to the final "
                      "strip, by at least one cycle of half cycles passing less than %g of its "
                      "charge",
                      LMB_ADAMS_RESERVOIR_FRACTION);
        r = (size_t)found;
        if (r / 2 > LMB_ADAMS_MAX_PRECONDITION)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "Adams CE: %zu preconditioning cycles detected, more than the %d supported",
                      r / 2, LMB_ADAMS_MAX_PRECONDITION);
    } else {
        r = 2 * (size_t)n_precondition;
        if (m <= r)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "Adams CE: record too short: %d preconditioning cycles, the reservoir and "
                      "the final strip need at least %zu half cycles with charge, the record has "
                      "%zu",
                      n_precondition, r + 2, m);
        if (m < r + 4)
            LMB__FAIL(ctx, LMB_EINVAL,
                      "Adams CE: fewer than 1 cycle after the reservoir: the reservoir plate is "
                      "followed directly by the final strip (half cycle %zu)",
                      last + 1);
    }

    lmb_adams_result res;
    res.Q_T_C = res.Q_S_C = res.Q_c_plated_C = res.Q_c_stripped_C = 0.0;
    res.n_cycles = (int)((m - r - 2) / 2);
    res.n_precondition = (int)(r / 2);
    for (int j = 0; j < LMB_ADAMS_MAX_PRECONDITION; j++)
        res.precondition_ce[j] = NAN;

    double pre_plate = 0.0;
    size_t k = 0, i_res = 0;
    for (size_t i = 0; i < n_half; i++) {
        if (q[i] == 0.0)
            continue;
        double a = fabs(q[i]);
        if (k < r) {
            if (k % 2 == 0)
                pre_plate = a;
            else
                res.precondition_ce[k / 2] = a / pre_plate;
        } else if (k == r) {
            res.Q_T_C = a;
            i_res = i;
        } else if (k < m - 1) {
            /* With n_pre given nothing else checks it; a wrong n_pre puts a preconditioning or
             * reservoir-sized half cycle among the cycles, which the protocol excludes. */
            if (!(a < res.Q_T_C))
                LMB__FAIL(ctx, LMB_EINVAL,
                          "Adams CE: half cycle %zu, a cycle %s after the reservoir, passes "
                          "%g C, not less than the reservoir Q_T = %g C (half cycle %zu); is the "
                          "number of preconditioning cycles (%d) right?",
                          i + 1, k % 2 == 0 ? "plate" : "strip", a, res.Q_T_C, i_res + 1,
                          res.n_precondition);
            if (k % 2 == 0)
                res.Q_c_plated_C += a;
            else
                res.Q_c_stripped_C += a;
        } else {
            res.Q_S_C = a;
        }
        k++;
    }
    res.ce = (res.Q_c_stripped_C + res.Q_S_C) / (res.Q_c_plated_C + res.Q_T_C);
    *out = res;
    return LMB_OK;
}

lmb_status lmb_adams_ce_summary(lmb_ctx *ctx, const lmb_summary *s, int n_precondition,
                                lmb_adams_result *out) {
    if (!s || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_adams_ce_summary: NULL argument");
    size_t n = lmb_summary_cycle_count(s);
    double *q = malloc((2 * n + 1) * sizeof *q);
    if (!q)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for %zu half cycles", 2 * n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const lmb_cycle_row *r = lmb_summary_cycle(s, i);
        double plate = -r->discharge_C, strip = r->charge_C;
        q[k++] = r->first_sign > 0 ? strip : plate;
        q[k++] = r->first_sign > 0 ? plate : strip;
    }
    lmb_status st = lmb_adams_ce(ctx, q, k, n_precondition, out);
    free(q);
    return st;
}
