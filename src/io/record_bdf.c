/*
 * record_bdf.c - the Battery Data Format CSV reader ("bdf-csv").
 *
 * Battery Data Format (battery-data-alliance/battery-data-format): one header row, then one row
 * per sample, comma-separated, '.' decimals. A column is named either by its preferred label
 * "Quantity / unit" ("Test Time / s", "Temperature T1 / degC") or by its machine-readable name
 * quantity_unit ("test_time_second", "test_time_millisecond", "charging_capacity_ah"). Any unit
 * of the quantity's dimension is converted to lmb's SI column (ms, mA, mAh, mWh, degC, ...).
 *
 * Read: every label lmb_record_label() gives, so that what lmb writes reads back (lmb's
 * simulator writes "Test Time / s,Voltage / V,Current / A,Step Count / 1,Cycle Count / 1");
 * "Step Count" is the step index only where there is no "Step Index", and "Ambient
 * Temperature" the temperature only where there is no "Temperature T1" (a note says so).
 * Required: time, voltage, current. Other columns are skipped, listed in one note.
 *
 * Sign: BDF defines positive current as charging the cell, as lmb does; the values are kept,
 * and where the file has capacity counters the sign is checked against them (a note).
 * Detection: the first line has a time and a voltage column in either naming.
 */
#include "io/record_vendor.h"

#include "core/ctx_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Preferred labels lmb_record_label() does not give, or gives for a column of lower rank. */
static const struct {
    const char *quantity;
    lmb_rec_col col;
    int prio;
} extra_labels[] = {
    {"Step Count", LMB_REC_STEP_INDEX, 1},
    {"Temperature", LMB_REC_TEMPERATURE, 1},
    {"Ambient Temperature", LMB_REC_TEMPERATURE, 2},
};

/* Machine-readable names: quantity, then '_' and a unit word (none for the counters). */
static const struct {
    const char *quantity;
    lmb_rec_col col;
    int prio;
} machine[] = {
    {"test_time", LMB_REC_TIME, 0},
    {"voltage", LMB_REC_VOLTAGE, 0},
    {"current", LMB_REC_CURRENT, 0},
    {"step_index", LMB_REC_STEP_INDEX, 0},
    {"step_count", LMB_REC_STEP_INDEX, 1},
    {"cycle_count", LMB_REC_CYCLE_INDEX, 0},
    {"unix_time", LMB_REC_UNIX_TIME, 0},
    {"charging_capacity", LMB_REC_CHARGE_CAPACITY, 0},
    {"discharging_capacity", LMB_REC_DISCHARGE_CAPACITY, 0},
    {"charging_energy", LMB_REC_CHARGE_ENERGY, 0},
    {"discharging_energy", LMB_REC_DISCHARGE_ENERGY, 0},
    {"net_capacity", LMB_REC_NET_CHARGE, 0},
    {"temperature_t1", LMB_REC_TEMPERATURE, 0},
    {"temperature", LMB_REC_TEMPERATURE, 1},
    {"ambient_temperature", LMB_REC_TEMPERATURE, 2},
    {"half_cycle", LMB_REC_HALF_CYCLE, 0},
    {"frequency", LMB_REC_FREQUENCY, 0},
    {"real_impedance", LMB_REC_Z_RE, 0},
    {"imaginary_impedance", LMB_REC_Z_IM, 0},
};

/* Unit words of machine-readable names, and the unit they stand for. */
static const struct {
    const char *word, *unit;
} unit_words[] = {
    {"second", "s"},
    {"s", "s"},
    {"millisecond", "ms"},
    {"ms", "ms"},
    {"minute", "min"},
    {"hour", "h"},
    {"volt", "V"},
    {"v", "V"},
    {"millivolt", "mV"},
    {"mv", "mV"},
    {"ampere", "A"},
    {"a", "A"},
    {"milliampere", "mA"},
    {"ma", "mA"},
    {"ampere_hour", "Ah"},
    {"ah", "Ah"},
    {"milliampere_hour", "mAh"},
    {"mah", "mAh"},
    {"watt_hour", "Wh"},
    {"wh", "Wh"},
    {"milliwatt_hour", "mWh"},
    {"mwh", "mWh"},
    {"celsius", "degC"},
    {"degc", "degC"},
    {"kelvin", "K"},
    {"hertz", "Hz"},
    {"hz", "Hz"},
    {"ohm", "ohm"},
};

/*
 * What a header name is: the record column (-1 if none), its priority and unit (copied into
 * unit). Units that are not the quantity's make the name unknown here; map_offers would refuse
 * them anyway, and a label "Voltage / degC" is better reported as "not read" than guessed.
 */
static int classify(const char *name, int *prio, char *unit, size_t unit_cap) {
    /* preferred label "Quantity / unit" */
    const char *slash = strstr(name, " / ");
    size_t qlen = 0;
    const char *u = NULL;
    if (slash) {
        qlen = (size_t)(slash - name);
        u = slash + 3;
    } else if ((slash = strchr(name, '/')) != NULL) {
        qlen = (size_t)(slash - name);
        u = slash + 1;
    }
    char q[64];
    if (u || strchr(name, ' ')) {
        if (!u) { /* a counter may be named without its unit "/ 1" */
            qlen = strlen(name);
            u = "";
        }
        while (qlen > 0 && lmb__is_blank(name[qlen - 1]))
            qlen--;
        if (qlen >= sizeof q)
            return -1;
        memcpy(q, name, qlen);
        q[qlen] = '\0';
        while (lmb__is_blank(*u))
            u++;
        size_t ulen = strlen(u);
        while (ulen > 0 && lmb__is_blank(u[ulen - 1]))
            ulen--;
        if (ulen >= unit_cap)
            return -1;
        memcpy(unit, u, ulen);
        unit[ulen] = '\0';
        for (int c = 0; c < LMB_REC_N_COLS; c++) {
            const char *label = lmb_record_label((lmb_rec_col)c);
            const char *ls = strstr(label, " / ");
            size_t ll = (size_t)(ls - label);
            if (ll == qlen && lmb__vend_iprefix(label, q)) {
                double s, o;
                *prio = 0;
                return lmb__vend_unit((lmb_rec_col)c, unit, &s, &o) ? c : -1;
            }
        }
        for (size_t i = 0; i < sizeof extra_labels / sizeof extra_labels[0]; i++) {
            if (lmb__vend_ieq(q, extra_labels[i].quantity)) {
                double s, o;
                *prio = extra_labels[i].prio;
                return lmb__vend_unit(extra_labels[i].col, unit, &s, &o) ? (int)extra_labels[i].col
                                                                         : -1;
            }
        }
        return -1;
    }
    /* machine-readable name quantity_unit */
    for (size_t i = 0; i < sizeof machine / sizeof machine[0]; i++) {
        size_t pl = strlen(machine[i].quantity);
        if (!lmb__vend_iprefix(name, machine[i].quantity))
            continue;
        const char *w = name + pl;
        const char *un = NULL;
        if (*w == '\0') {
            un = "";
        } else if (*w == '_') {
            for (size_t k = 0; k < sizeof unit_words / sizeof unit_words[0] && !un; k++)
                if (lmb__vend_ieq(w + 1, unit_words[k].word))
                    un = unit_words[k].unit;
        }
        double s, o;
        if (!un || !lmb__vend_unit(machine[i].col, un, &s, &o))
            continue; /* e.g. "temperature" + "_t1_celsius": the next entry matches */
        if (strlen(un) >= unit_cap)
            return -1;
        strcpy(unit, un);
        *prio = machine[i].prio;
        return (int)machine[i].col;
    }
    return -1;
}

static int detect_bdf(const char *buf, size_t len) {
    if (!lmb__vend_detect_text(buf, len))
        return 0;
    char line[LMB__VEND_DETECT_LINE];
    size_t off = 0;
    if (!lmb__vend_detect_line(buf, len, &off, line, sizeof line))
        return 0;
    char *fields[LMB__VEND_MAX_FIELDS];
    int nf = lmb__vend_split(line, ',', fields, LMB__VEND_MAX_FIELDS);
    int time = 0, volt = 0;
    for (int k = 0; k < nf; k++) {
        int prio;
        char unit[32];
        int c = classify(fields[k], &prio, unit, sizeof unit);
        time |= c == LMB_REC_TIME;
        volt |= c == LMB_REC_VOLTAGE;
    }
    return time && volt;
}

static lmb_status read_table(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, char *buf,
                             size_t len) {
    lmb_status st = lmb__vend_begin(ctx, t, r->path, buf, len, ',', 0);
    if (st != LMB_OK)
        return st;
    char *line = lmb__vend_next(t);
    if (!line || lmb__vend_blank(t, line))
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s:1: no header row of BDF column labels", r->path);
    if ((st = lmb__vend_header(ctx, t, line)) != LMB_OK)
        return st;
    for (int k = 0; k < t->n_names && st == LMB_OK; k++) {
        int prio;
        char unit[32];
        int c = classify(t->names[k], &prio, unit, sizeof unit);
        if (c >= 0)
            st = lmb__vend_offer(ctx, t, (lmb_rec_col)c, k, prio, unit, 0);
    }
    if (st == LMB_OK)
        st = lmb__vend_map_offers(ctx, r, t);
    if (st != LMB_OK)
        return st;
    static const char *const required[3] = {"time (\"Test Time / s\" or test_time_second)",
                                            "voltage (\"Voltage / V\" or voltage_volt)",
                                            "current (\"Current / A\" or current_ampere)"};
    if ((st = lmb__vend_require(ctx, t, required)) != LMB_OK)
        return st;
    static const lmb_rec_col ranked[] = {LMB_REC_STEP_INDEX, LMB_REC_TEMPERATURE};
    for (size_t i = 0; i < 2 && st == LMB_OK; i++) {
        const lmb__vend_offer_t *o = &t->offer[ranked[i]];
        if (o->field >= 0 && o->prio > 0)
            st = lmb__record_note(ctx, r, "column " LMB__VEND_NAME_FMT " read as %s",
                                  t->names[o->field], lmb_record_label(ranked[i]));
    }

    lmb__vend_sign sign = {0, 0, 0, 0};
    double prev[2] = {NAN, NAN};
    int check_sign = r->col[LMB_REC_CHARGE_CAPACITY] && r->col[LMB_REC_DISCHARGE_CAPACITY];
    while (st == LMB_OK && (line = lmb__vend_next(t)) != NULL) {
        if (lmb__vend_blank(t, line))
            continue;
        double v[LMB_REC_N_COLS];
        int skip;
        st = lmb__vend_row(ctx, t, line, v, &skip);
        if (st != LMB_OK || skip)
            continue;
        if (check_sign)
            lmb__vend_sign_capacity(&sign, v, prev, t->lineno);
        st = lmb__record_push(ctx, r, v);
    }
    if (st == LMB_OK)
        st = lmb__vend_finish(ctx, r, t);
    if (st == LMB_OK && check_sign)
        st = lmb__vend_sign_settle(ctx, r, r->path, &sign,
                                   "the capacity counters (BDF: positive charges the cell)", 0, 0);
    return st;
}

static lmb_status read_bdf(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    return lmb__vend_read(ctx, r, buf, len, read_table);
}

const lmb__record_reader lmb__reader_bdf = {"bdf-csv", detect_bdf, read_bdf};
