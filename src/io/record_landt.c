/*
 * record_landt.c - the Landt CSV export reader ("landt-csv").
 *
 * A block of "key:value" lines, each padded with commas ("cell model:,,,,"; "Nominal capacity
 * used to define the C rate:Ah,,,," where the unit follows the colon and a number, if any, the
 * unit or the next field), then the header "channel_index,cycle_index,step_index,
 * date_time_iso_string,test_time_s,step_time_s,current_A,voltage_V,discharge_capacity_Ah,
 * charge_capacity_Ah,discharge_energy_Wh,charge_energy_Wh,...,temperature_1_C,...,step_name",
 * then one row per record (with one more, empty, field than the header names). Units are the
 * suffixes after the quantity's name (_s, _A, _mA, _V, _Ah, _mAh, _Wh, _C for degC, ...);
 * temperature_1 is the temperature, the other sensors are not read. The date and time has no
 * time zone (and on SINTEF's file is "04/30/2024 14:33:19", not ISO): not read as Unix time.
 * A nominal capacity with a number sets the record's nominal capacity; on SINTEF's file it is
 * empty.
 *
 * Sign: checked against step_name on every row with a non-zero current: "charge ..." rows must
 * be positive and "discharge ..." rows negative. On SINTEF's LiGrR2032 file all 6417 "charge CC"
 * rows are positive and all 15864 "discharge CC" rows negative (2881 "rest" rows are 0): kept.
 * The BDF reference file of the same cell (bdf_csv__SINTEF__...) has the same 25,162 rows with
 * the same time, voltage, current, step index, capacities and temperature_1 as its ambient
 * temperature (test_record_vendor.c checks it).
 */
#include "io/record_vendor.h"

#include "core/ctx_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines searched for the header row. */
#define LANDT_HEADER_LINES 256

/* Names: quantity, then "_unit" (none for the counters). */
static const struct {
    const char *quantity;
    lmb_rec_col col;
    int prio;
} names[] = {
    {"test_time", LMB_REC_TIME, 0},
    {"current", LMB_REC_CURRENT, 0},
    {"voltage", LMB_REC_VOLTAGE, 0},
    {"charge_capacity", LMB_REC_CHARGE_CAPACITY, 0},
    {"discharge_capacity", LMB_REC_DISCHARGE_CAPACITY, 0},
    {"charge_energy", LMB_REC_CHARGE_ENERGY, 0},
    {"discharge_energy", LMB_REC_DISCHARGE_ENERGY, 0},
    {"temperature_1", LMB_REC_TEMPERATURE, 0},
    {"temperature", LMB_REC_TEMPERATURE, 1},
    {"cycle_index", LMB_REC_CYCLE_INDEX, 0},
    {"step_index", LMB_REC_STEP_INDEX, 0},
};

/* The header: test_time_s and voltage_V, as BDF never names them; the current is not asked for,
 * so that a file without it hears so from the reader. */
static int is_header(const char *line) {
    return lmb__vend_has_field(line, ',', "test_time_s", 0) &&
           lmb__vend_has_field(line, ',', "voltage_V", 0);
}

static int detect_landt(const char *buf, size_t len) {
    if (!lmb__vend_detect_text(buf, len))
        return 0;
    char line[LMB__VEND_DETECT_LINE];
    size_t off = 0;
    for (int n = 0;
         n < LMB__VEND_DETECT_LINES && lmb__vend_detect_line(buf, len, &off, line, sizeof line);
         n++)
        if (is_header(line)) /* BDF with short machine names has it on line 1, no step_name */
            return n > 0 || lmb__vend_has_field(line, ',', "step_name", 0);
    return 0;
}

/*
 * The nominal value of "Nominal capacity used to define the C rate:<after>,<next>,,,": a number
 * and a unit (of column c's kind) in either order, in after or next. Sets *si = 0 if there is no
 * number.
 */
static lmb_status nominal(lmb_ctx *ctx, const char *path, size_t line, lmb_rec_col c,
                          const char *after, const char *next, double *si_out) {
    char text[128];
    snprintf(text, sizeof text, "%s %s", after, next);
    char *tok[4];
    int nt = lmb__split_blanks(text, tok, 4);
    const char *unit = NULL;
    double x = NAN;
    int have = 0;
    for (int k = 0; k < nt; k++) {
        char *end = NULL;
        double v = strtod(tok[k], &end);
        if (end != tok[k] && !have) {
            have = 1;
            x = v;
            if (*end)
                unit = end;
        } else {
            unit = tok[k];
        }
    }
    *si_out = 0.0;
    if (!have)
        return LMB_OK;
    double scale, offset;
    if (!unit || !lmb__vend_unit(c, unit, &scale, &offset))
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s:%zu: the nominal value %g has %s \"%.20s\", not %s",
                  path, line, x, unit ? "the unit" : "no unit", unit ? unit : "",
                  lmb__vend_unit_kind(c));
    double si = x * scale;
    if (!(si > 0.0 && isfinite(si)))
        LMB__FAIL(ctx, LMB_ERANGE, "%.400s:%zu: the nominal value %g %s is not positive and finite",
                  path, line, x, unit);
    *si_out = si;
    return LMB_OK;
}

/* Reads the key:value block (lines before the header): notes, and the nominal capacity. */
static lmb_status key_value(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, char *line) {
    char *f[2];
    int nf = lmb__vend_split(line, ',', f, 2);
    char *colon = strchr(f[0], ':');
    if (!colon)
        return LMB_OK;
    *colon = '\0';
    const char *key = lmb__trim(f[0]), *val = lmb__trim(colon + 1);
    char empty[1] = "";
    char *rest = nf > 1 ? f[1] : empty;
    /* the second field is the remaining fields joined: the value may follow in it */
    char *comma = strchr(rest, ',');
    if (comma)
        *comma = '\0';
    rest = lmb__trim(rest);
    if (lmb__vend_iprefix(key, "Nominal capacity")) {
        double C;
        lmb_status st = nominal(ctx, r->path, t->lineno, LMB_REC_CHARGE_CAPACITY, val, rest, &C);
        if (st != LMB_OK || C == 0.0)
            return st;
        r->capacity_C = C;
        return lmb__record_note(ctx, r, "nominal capacity %.6g Ah (line %zu: \"%.60s\")",
                                C / 3600.0, t->lineno, key);
    }
    if (lmb__vend_iprefix(key, "Nominal energy")) { /* the record has no field for it */
        double E;
        lmb_status st = nominal(ctx, r->path, t->lineno, LMB_REC_CHARGE_ENERGY, val, rest, &E);
        if (st != LMB_OK || E == 0.0)
            return st;
        return lmb__record_note(ctx, r, "nominal energy %.6g Wh (line %zu: \"%.60s\"), not kept",
                                E / 3600.0, t->lineno, key);
    }
    if (*val == '\0' && *rest == '\0')
        return LMB_OK;
    return lmb__record_note(ctx, r, "Landt header: %.60s: %.80s%s%.60s", key, val,
                            *val && *rest ? " " : "", rest);
}

static lmb_status read_table(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, char *buf,
                             size_t len) {
    lmb_status st = lmb__vend_begin(ctx, t, r->path, buf, len, ',', 0);
    if (st != LMB_OK)
        return st;
    char *line;
    while ((line = lmb__vend_next(t)) != NULL && t->lineno <= LANDT_HEADER_LINES) {
        if (is_header(line))
            break;
        if ((st = key_value(ctx, r, t, line)) != LMB_OK)
            return st;
    }
    if (!line || t->lineno > LANDT_HEADER_LINES)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: no Landt header row (test_time_s, voltage_V, current_A, ...) in "
                  "the first %d lines",
                  r->path, t->lineno, LANDT_HEADER_LINES);
    if ((st = lmb__vend_header(ctx, t, line)) != LMB_OK)
        return st;
    for (int k = 0; k < t->n_names && st == LMB_OK; k++) {
        const char *nm = t->names[k];
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            size_t ql = strlen(names[i].quantity);
            if (!lmb__vend_iprefix(nm, names[i].quantity) || (nm[ql] != '\0' && nm[ql] != '_'))
                continue;
            const char *unit = nm[ql] == '_' ? nm + ql + 1 : "";
            double s, o;
            if (!lmb__vend_unit(names[i].col, unit, &s, &o))
                continue; /* "temperature" + "_2_C": another sensor, not read */
            st = lmb__vend_offer(ctx, t, names[i].col, k, names[i].prio, unit, 0);
            break;
        }
    }
    if (st == LMB_OK)
        st = lmb__vend_map_offers(ctx, r, t);
    if (st != LMB_OK)
        return st;
    static const char *const required[3] = {"test time (\"test_time_s\")",
                                            "voltage (\"voltage_V\")", "current (\"current_A\")"};
    if ((st = lmb__vend_require(ctx, t, required)) != LMB_OK)
        return st;
    int step_name = lmb__vend_find(t, "step_name");
    lmb__vend_use(t, step_name);
    int dt = lmb__vend_find(t, "date_time_iso_string");
    if (dt >= 0 && (st = lmb__vend_note_wallclock(ctx, r, t, dt)) != LMB_OK)
        return st;

    lmb__vend_sign sign = {0, 0, 0, 0};
    while (st == LMB_OK && (line = lmb__vend_next(t)) != NULL) {
        if (lmb__vend_blank(t, line))
            continue;
        double v[LMB_REC_N_COLS];
        int skip;
        st = lmb__vend_row(ctx, t, line, v, &skip);
        if (st != LMB_OK || skip)
            continue;
        if (step_name >= 0)
            lmb__vend_sign_see(&sign, lmb__vend_step_dir(t->fields[step_name]), v[LMB_REC_CURRENT],
                               t->lineno);
        st = lmb__record_push(ctx, r, v);
    }
    if (st == LMB_OK)
        st = lmb__vend_finish(ctx, r, t);
    if (st == LMB_OK && step_name >= 0)
        st = lmb__vend_sign_settle(ctx, r, r->path, &sign, "step_name", 1, 1);
    else if (st == LMB_OK)
        st = lmb__record_note(ctx, r,
                              "current sign: no step_name column to check it against; kept as "
                              "written (Landt: positive charges the cell)");
    return st;
}

static lmb_status read_landt(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    return lmb__vend_read(ctx, r, buf, len, read_table);
}

const lmb__record_reader lmb__reader_landt = {"landt-csv", detect_landt, read_landt};
