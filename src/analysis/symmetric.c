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

lmb_status lmb_symmetric_metrics_compute(lmb_ctx *ctx, const lmb_summary *s, double rise_fraction,
                                         lmb_symmetric_metrics *out) {
    if (!s || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_symmetric_metrics_compute: NULL argument");
    if (!(rise_fraction > 0.0))
        LMB__FAIL(ctx, LMB_EINVAL, "symmetric metrics: the rise fraction must be > 0, not %g",
                  rise_fraction);
    lmb_symmetric_metrics m = {0, NAN, NAN, NAN, NAN, NAN, 0};
    size_t n = lmb_summary_cycle_count(s);
    for (size_t i = 0; i < n; i++) {
        const lmb_cycle_row *r = lmb_summary_cycle(s, i);
        double eta = lmb_cycle_overpotential(r);
        if (!isfinite(eta))
            continue;
        if (m.cycles == 0)
            m.eta_initial_V = eta;
        else if (m.rise_cycle == 0 && eta > (1.0 + rise_fraction) * m.eta_min_V) {
            m.rise_cycle = r->cycle;
            m.rise_onset_s = r->time_end_s;
        }
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
