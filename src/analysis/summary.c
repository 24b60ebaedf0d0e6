/*
 * summary.c - the per-cycle summary accumulator (lmb/summary.h).
 *
 * Steps are added in time order with their cycle index; a cycle's row collects the charge and
 * energy of its charging and discharging steps separately. A constant-current charge followed
 * by a constant-voltage hold is therefore one charge half cycle, as a cycler reports it.
 */
#include "lmb/summary.h"

#include "core/ctx_internal.h"

#include <math.h>
#include <stdlib.h>

struct lmb_summary {
    lmb_cycle_row *rows;
    size_t n, cap;
    double area_m2, mass_kg, capacity_C;
    double t_last; /* end of the last step added (the start of the next) [s] */
};

lmb_status lmb_summary_create(lmb_ctx *ctx, lmb_summary **out) {
    *out = calloc(1, sizeof **out);
    if (!*out)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for the cycle summary");
    return LMB_OK;
}

void lmb_summary_free(lmb_summary *s) {
    if (!s)
        return;
    free(s->rows);
    free(s);
}

void lmb_summary_set_area(lmb_summary *s, double area_m2) {
    s->area_m2 = area_m2 > 0.0 ? area_m2 : 0.0;
}

void lmb_summary_set_active_mass(lmb_summary *s, double mass_kg) {
    s->mass_kg = mass_kg > 0.0 ? mass_kg : 0.0;
}

void lmb_summary_set_nominal_capacity(lmb_summary *s, double capacity_C) {
    s->capacity_C = capacity_C > 0.0 ? capacity_C : 0.0;
}

void lmb_summary_set_start_time(lmb_summary *s, double t_start_s) {
    s->t_last = t_start_s;
}

double lmb_summary_nominal_capacity(const lmb_summary *s) {
    return s->capacity_C;
}

double lmb_summary_area(const lmb_summary *s) {
    return s->area_m2;
}

double lmb_summary_active_mass(const lmb_summary *s) {
    return s->mass_kg;
}

lmb_status lmb_summary_add(lmb_ctx *ctx, lmb_summary *s, int cycle, double charge_C,
                           double energy_J, double v_end, double t_end_s) {
    if (!isfinite(charge_C) || !isfinite(energy_J) || !isfinite(t_end_s))
        LMB__FAIL(ctx, LMB_EINVAL, "cycle %d: charge, energy and time must be finite", cycle);
    if (cycle < 1 || (s->n > 0 && cycle < s->rows[s->n - 1].cycle))
        LMB__FAIL(ctx, LMB_EINVAL, "cycle %d added after cycle %d: cycles must not decrease", cycle,
                  s->n ? s->rows[s->n - 1].cycle : 0);
    if (s->n == 0 || s->rows[s->n - 1].cycle != cycle) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 64;
            lmb_cycle_row *r = realloc(s->rows, cap * sizeof *r);
            if (!r)
                LMB__FAIL(ctx, LMB_ENOMEM, "out of memory for %zu cycles", cap);
            s->rows = r;
            s->cap = cap;
        }
        lmb_cycle_row *r = &s->rows[s->n++];
        *r = (lmb_cycle_row){.cycle = cycle, .end_charge_V = NAN, .end_discharge_V = NAN};
    }
    lmb_cycle_row *r = &s->rows[s->n - 1];
    r->time_end_s = t_end_s;
    double duration = t_end_s - s->t_last;
    s->t_last = t_end_s;
    if (charge_C > 0.0) {
        r->charge_C += charge_C;
        r->charge_time_s += duration;
        r->charge_energy_J += energy_J; /* integral of V |I| dt: I > 0 here */
        r->end_charge_V = v_end;
        if (!r->first_sign)
            r->first_sign = 1;
    } else if (charge_C < 0.0) {
        r->discharge_C -= charge_C;
        r->discharge_time_s += duration;
        r->discharge_energy_J -= energy_J; /* integral of V |I| dt: I < 0 here */
        r->end_discharge_V = v_end;
        if (!r->first_sign)
            r->first_sign = -1;
    }
    return LMB_OK;
}

size_t lmb_summary_cycle_count(const lmb_summary *s) {
    return s->n;
}

const lmb_cycle_row *lmb_summary_cycle(const lmb_summary *s, size_t i) {
    return i < s->n ? &s->rows[i] : NULL;
}

double lmb_cycle_coulombic_efficiency(const lmb_cycle_row *r) {
    if (!(r->charge_C > 0.0) || !(r->discharge_C > 0.0))
        return NAN;
    return r->first_sign > 0 ? r->discharge_C / r->charge_C : r->charge_C / r->discharge_C;
}

double lmb_cycle_mean_charge_voltage(const lmb_cycle_row *r) {
    return r->charge_C > 0.0 ? r->charge_energy_J / r->charge_C : NAN;
}

double lmb_cycle_mean_discharge_voltage(const lmb_cycle_row *r) {
    return r->discharge_C > 0.0 ? r->discharge_energy_J / r->discharge_C : NAN;
}

double lmb_cycle_returned_capacity(const lmb_cycle_row *r) {
    return r->first_sign > 0 ? r->discharge_C : r->first_sign < 0 ? r->charge_C : NAN;
}

double lmb_summary_retention(const lmb_summary *s, size_t i) {
    if (i >= s->n || !(s->rows[i].charge_C > 0.0) || !(s->rows[i].discharge_C > 0.0))
        return NAN; /* an incomplete cycle (the last of a record, a leading partial) has none */
    for (size_t k = 0; k <= i; k++) {
        const lmb_cycle_row *r = &s->rows[k];
        if (r->charge_C > 0.0 && r->discharge_C > 0.0)
            return lmb_cycle_returned_capacity(&s->rows[i]) / lmb_cycle_returned_capacity(r);
    }
    return NAN;
}

double lmb_summary_c_rate(const lmb_summary *s, size_t i, int sign) {
    if (i >= s->n || !(s->capacity_C > 0.0))
        return NAN;
    const lmb_cycle_row *r = &s->rows[i];
    double q = sign > 0 ? r->charge_C : r->discharge_C;
    double t = sign > 0 ? r->charge_time_s : r->discharge_time_s;
    return q > 0.0 && t > 0.0 ? q / t / s->capacity_C * 3600.0 : NAN;
}
