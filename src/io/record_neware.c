/*
 * record_neware.c - the Neware BTS CSV export reader ("neware-csv").
 *
 * One header row, comma-separated, then one row per record: DataPoint, Cycle Index, Step Index,
 * Step Type, Time (the step's time, h:mm:ss), Cumulative Time (or Total Time: the test time),
 * Current(A), Voltage(V), Capacity(Ah), Spec. Cap.(mAh/g), Chg. Cap.(Ah), Chg. Spec.
 * Cap.(mAh/g), DChg. Cap.(Ah), ..., Energy(Wh), Chg. Energy(Wh), DChg. Energy(Wh), ..., Date,
 * Power(W), ... Units come from the parentheses (A, mA, Ah, mAh, Wh, mWh, ...); specific
 * ("mAh/g") and areal columns are not read; "Capacity"/"Energy" (the step's |Q|, |E| whatever
 * the direction) are not read, the charging and discharging counters are. The test time column
 * holds durations h:mm:ss[.fff] (hours beyond 24: "144:02:18"), d-h:mm:ss, or, where the header
 * names a unit ("Total Time(s)"), numbers. Date is local wall-clock time: not read.
 *
 * Sign: checked against Step Type on every row with a non-zero current: "... Chg" rows must be
 * positive and "... DChg" rows negative (lmb's convention). On cellpy's neware_uio.csv all 3409
 * "CC Chg" rows are positive and all 4667 "CC DChg" rows negative (989 Rest rows are 0): kept.
 * A file whose every telling row is the other way round is negated (noted); a mixed one is an
 * error.
 */
#include "io/record_vendor.h"

#include "core/ctx_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const lmb__vend_name names[] = {
    {"Current", LMB_REC_CURRENT, 0, "A"},
    {"Cur", LMB_REC_CURRENT, 0, "A"},
    {"Voltage", LMB_REC_VOLTAGE, 0, "V"},
    {"Chg. Cap.", LMB_REC_CHARGE_CAPACITY, 0, "Ah"},
    {"Capacitance_Chg", LMB_REC_CHARGE_CAPACITY, 0, "Ah"},
    {"DChg. Cap.", LMB_REC_DISCHARGE_CAPACITY, 0, "Ah"},
    {"Capacitance_DChg", LMB_REC_DISCHARGE_CAPACITY, 0, "Ah"},
    {"Chg. Energy", LMB_REC_CHARGE_ENERGY, 0, "Wh"},
    {"Engy_Chg", LMB_REC_CHARGE_ENERGY, 0, "Wh"},
    {"DChg. Energy", LMB_REC_DISCHARGE_ENERGY, 0, "Wh"},
    {"Engy_DChg", LMB_REC_DISCHARGE_ENERGY, 0, "Wh"},
    {"Cycle Index", LMB_REC_CYCLE_INDEX, 0, ""},
    {"Cycle ID", LMB_REC_CYCLE_INDEX, 0, ""},
    {"Step Index", LMB_REC_STEP_INDEX, 0, ""},
    {"Step ID", LMB_REC_STEP_INDEX, 0, ""},
    {"T1", LMB_REC_TEMPERATURE, 0, "degC"},
    {"Temperature", LMB_REC_TEMPERATURE, 1, "degC"},
};

/* The test-time columns, best first; "Time" alone is the step's time. */
static const char *const time_names[] = {"Cumulative Time", "Total Time"};

/* The header: a step type and a voltage with its unit; the current is not asked for, so that a
 * file without it hears so from the reader. */
static int is_header(const char *line) {
    return (lmb__vend_has_field(line, ',', "Step Type", 0) ||
            lmb__vend_has_field(line, ',', "Step Name", 0)) &&
           lmb__vend_has_field(line, ',', "Voltage(", 1);
}

static int detect_neware(const char *buf, size_t len) {
    char line[LMB__VEND_DETECT_LINE];
    size_t off = 0;
    return lmb__vend_detect_text(buf, len) &&
           lmb__vend_detect_line(buf, len, &off, line, sizeof line) && is_header(line);
}

static lmb_status read_table(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, char *buf,
                             size_t len) {
    lmb_status st = lmb__vend_begin(ctx, t, r->path, buf, len, ',', 0);
    if (st != LMB_OK)
        return st;
    char *line = lmb__vend_next(t);
    if (!line || !is_header(line))
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s:1: no Neware header (Step Type, Voltage(V), ...)",
                  r->path);
    if ((st = lmb__vend_header(ctx, t, line)) != LMB_OK ||
        (st = lmb__vend_offer_names(ctx, t, names, sizeof names / sizeof names[0])) != LMB_OK)
        return st;
    for (int k = 0; k < t->n_names && st == LMB_OK; k++) {
        char base[64], unit[32];
        lmb__vend_split_name(t->names[k], base, sizeof base, unit, sizeof unit);
        for (int i = 0; i < 2; i++) {
            if (!lmb__vend_ieq(base, time_names[i]))
                continue;
            /* "(h:min:s.ms)" and the like name the duration's layout, not a unit */
            int duration = *unit == '\0' || strchr(unit, ':') != NULL;
            st = lmb__vend_offer(ctx, t, LMB_REC_TIME, k, i, duration ? "s" : unit, duration);
        }
    }
    if (st == LMB_OK)
        st = lmb__vend_map_offers(ctx, r, t);
    if (st != LMB_OK)
        return st;
    static const char *const required[3] = {"test time (\"Cumulative Time\" or \"Total Time\")",
                                            "voltage (\"Voltage(V)\")", "current (\"Current(A)\")"};
    if ((st = lmb__vend_require(ctx, t, required)) != LMB_OK)
        return st;
    int type = lmb__vend_find(t, "Step Type");
    if (type < 0)
        type = lmb__vend_find(t, "Step Name");
    lmb__vend_use(t, type);
    static const char *const clocks[] = {"Date", "Realtime", "Absolute Time"};
    for (size_t i = 0; i < 3 && st == LMB_OK; i++) {
        int k = lmb__vend_find(t, clocks[i]);
        if (k >= 0)
            st = lmb__vend_note_wallclock(ctx, r, t, k);
    }

    lmb__vend_sign sign = {0, 0, 0, 0};
    while (st == LMB_OK && (line = lmb__vend_next(t)) != NULL) {
        if (lmb__vend_blank(t, line))
            continue;
        double v[LMB_REC_N_COLS];
        int skip;
        st = lmb__vend_row(ctx, t, line, v, &skip);
        if (st != LMB_OK || skip)
            continue;
        if (type >= 0) /* no step type column: nothing to check the sign against */
            lmb__vend_sign_see(&sign, lmb__vend_step_dir(t->fields[type]), v[LMB_REC_CURRENT],
                               t->lineno);
        st = lmb__record_push(ctx, r, v);
    }
    if (st == LMB_OK)
        st = lmb__vend_finish(ctx, r, t);
    if (st == LMB_OK)
        st = lmb__vend_sign_settle(ctx, r, r->path, &sign, "Step Type", 1, 1);
    return st;
}

static lmb_status read_neware(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    return lmb__vend_read(ctx, r, buf, len, read_table);
}

const lmb__record_reader lmb__reader_neware = {"neware-csv", detect_neware, read_neware};
