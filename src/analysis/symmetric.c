/*
 * symmetric.c - overpotential metrics of a symmetric-cell record (lmb/symmetric.h).
 */
#include "lmb/symmetric.h"

#include "core/ctx_internal.h"

#include <math.h>

double lmb_cycle_overpotential(const lmb_cycle_row *r) {
    if (!(r->charge_C > 0.0) || !(r->discharge_C > 0.0))
        return NAN;
    return (fabs(r->charge_energy_J) + fabs(r->discharge_energy_J)) /
           (r->charge_C + r->discharge_C);
}

void lmb_symmetric_metrics_clear(lmb_symmetric_metrics *m) {
    *m = (lmb_symmetric_metrics){.eta_initial_V = NAN,
                                 .eta_min_V = NAN,
                                 .eta_last_V = NAN,
                                 .t_last_s = NAN,
                                 .rise_onset_s = NAN,
                                 .short_s = NAN};
}

lmb_status lmb_symmetric_metrics_compute(lmb_ctx *ctx, const lmb_summary *s, double rise_fraction,
                                         lmb_symmetric_metrics *out) {
    if (!s || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_symmetric_metrics_compute: NULL argument");
    if (!(rise_fraction > 0.0))
        LMB__FAIL(ctx, LMB_EINVAL, "symmetric metrics: the rise fraction must be > 0, not %g",
                  rise_fraction);
    lmb_symmetric_metrics m;
    lmb_symmetric_metrics_clear(&m);
    size_t n = lmb_summary_cycle_count(s);
    double x_min = NAN; /* the smallest eta / |I| so far [V/A], or eta when a current is unknown */
    int by_current = 1; /* every cycle has a mean current: compare resistances */
    for (size_t i = 0; i < n; i++) {
        const lmb_cycle_row *r = lmb_summary_cycle(s, i);
        double t = r->charge_time_s + r->discharge_time_s;
        by_current &= !isfinite(lmb_cycle_overpotential(r)) || t > 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        const lmb_cycle_row *r = lmb_summary_cycle(s, i);
        double eta = lmb_cycle_overpotential(r);
        if (!isfinite(eta))
            continue;
        /* eta over the cycle's mean current, so that a lower current (a rate test) is neither a
         * short nor a recovery, and a higher one not a rise */
        double x =
            by_current
                ? eta / ((r->charge_C + r->discharge_C) / (r->charge_time_s + r->discharge_time_s))
                : eta;
        if (m.cycles == 0)
            m.eta_initial_V = eta;
        else if (m.rise_cycle == 0 && x > (1.0 + rise_fraction) * x_min) {
            m.rise_cycle = r->cycle;
            m.rise_onset_s = r->time_end_s;
        }
        if (m.cycles > 0 && m.short_cycle == 0 && x < LMB_SYMMETRIC_SHORT_FRACTION * x_min) {
            m.short_cycle = r->cycle;
            m.short_s = r->time_end_s;
        }
        if (!(x >= x_min))
            x_min = x;
        if (!(eta >= m.eta_min_V))
            m.eta_min_V = eta;
        m.eta_last_V = eta;
        m.t_last_s = r->time_end_s;
        m.cycles++;
    }
    if (m.cycles == 0)
        LMB__FAIL(ctx, LMB_ENOTFOUND, "symmetric metrics: the record has no complete cycle");
    *out = m;
    return LMB_OK;
}
