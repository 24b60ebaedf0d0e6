/*
 * record_maccor.c - the Maccor tab-separated text export reader ("maccor-text").
 *
 * Two layouts are read (both in ../shared/data/cycler):
 *  1. a first line "Today's Date ... Date of Test: ... Filename: ... Procedure: ..." (noted),
 *     then the header "Rec#  Cyc#  Step  Test (Sec)  Step (Sec)  Amp-hr  Watt-hr  Amps  Volts
 *     State  ES  DPt Time ..." (beep's PreDiag export);
 *  2. a block of "key<TAB>value" lines (Name, Channel, Procedure, Started, SCap, ...; noted),
 *     a blank line, the header "Rec  Cycle P  Cycle C  Step  TestTime  StepTime  Cap. [Ah]
 *     Ener. [Wh]  Current [A]  Voltage [V]  Md  ES  DPT Time ...", and numbers with decimal
 *     commas (cellpy's maccor_two.txt). Fields are tab-separated, so a comma in a number can only
 *     be a decimal comma: both are accepted in every layout.
 * Units: A, V, Ah, Wh unless the header names others in brackets. "Cyc#" is the cycle index;
 * "Cycle P" and "Cycle C" are two counters the file does not define: not read (noted).
 *
 * Test time: "Test (Sec)" / "Test (Min)" / "Test (Hr)" in the unit named; a bare "TestTime" or
 * "Test Time" column holds either durations ([d:]h:mm:ss, parsed) or numbers without a unit.
 * For numbers the unit is read from the file itself: the wall clock "DPT Time" (MM/DD/YYYY
 * hh:mm:ss, local) must advance 1, 60 or 3600 s per unit of test time, within 2 %, over at least
 * 60 s of rows on the same date; otherwise the file is refused. In maccor_two.txt the wall clock
 * advances 60 s per unit over 212 rows: TestTime is in minutes (noted).
 *
 * State ("State" or "Md"): C charge, D discharge, R rest, other letters other modes. The sign of
 * the current: Maccor's own exports write |I| with the State telling the direction, but beep's
 * PreDiag export writes "Amps" signed: all 1453 D rows are negative and all 2183 C rows
 * positive (checked with an independent awk/python count over the file, and in
 * test_record_vendor.c). The reader therefore decides from the data: the first D row with a
 * non-zero current tells whether the column is signed (negative) or a magnitude (positive, then
 * negated on D rows); a later D row of the other sign, or a C row with a negative current, is an
 * error, and so are non-zero currents on rows of other states in a magnitude file (their
 * direction is unknown). maccor_two.txt is a rest (R, 0 A) throughout: nothing to decide.
 *
 * Capacity and energy: "Amp-hr"/"Cap. [Ah]" and "Watt-hr"/"Ener. [Wh]" are per-step counters
 * of the charge and energy passed in the State's direction: on beep's file they restart at each
 * step, never decrease within one, are 0 on every R row, and equal the integral of |I| dt
 * (|I| V dt) over the step within 0.01 % on the long C and D steps. So on C rows they are the
 * charging capacity and energy (the discharging ones 0: a charge step passes no discharge), on
 * D rows the discharging ones (charging 0), on R rows both equal the counter (0); on rows of
 * other states both are NaN (noted).
 */
#include "io/record_vendor.h"

#include "core/ctx_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines searched for the header row "Rec#..." / "Rec..." */
#define MACCOR_HEADER_LINES 256
/* The unit of a bare test-time column must match the wall clock within this [1] ... */
#define MACCOR_UNIT_TOL 0.02
/* ... over at least this much wall-clock time [s] */
#define MACCOR_UNIT_SPAN_S 60.0

/* Capacity and energy are offered as the charging columns; the State moves them (see above). */
static const lmb__vend_name names[] = {
    {"Amps", LMB_REC_CURRENT, 0, "A"},
    {"Current", LMB_REC_CURRENT, 0, "A"},
    {"Volts", LMB_REC_VOLTAGE, 0, "V"},
    {"Voltage", LMB_REC_VOLTAGE, 0, "V"},
    {"Amp-hr", LMB_REC_CHARGE_CAPACITY, 0, "Ah"},
    {"Cap.", LMB_REC_CHARGE_CAPACITY, 0, "Ah"},
    {"Capacity", LMB_REC_CHARGE_CAPACITY, 0, "Ah"},
    {"Watt-hr", LMB_REC_CHARGE_ENERGY, 0, "Wh"},
    {"Ener.", LMB_REC_CHARGE_ENERGY, 0, "Wh"},
    {"Energy", LMB_REC_CHARGE_ENERGY, 0, "Wh"},
    {"Cyc#", LMB_REC_CYCLE_INDEX, 0, ""},
    {"Step", LMB_REC_STEP_INDEX, 0, ""},
};

/* ---- detection ---- */

static int is_header(char *line) {
    char *f[LMB__VEND_MAX_FIELDS];
    if (!strchr(line, '\t'))
        return 0;
    int nf = lmb__split_at(line, '\t', f, LMB__VEND_MAX_FIELDS);
    if (nf < 4 || !(strcmp(f[0], "Rec#") == 0 || strcmp(f[0], "Rec") == 0))
        return 0;
    int step = 0, test = 0;
    for (int k = 1; k < nf; k++) {
        step |= strcmp(f[k], "Step") == 0;
        test |= lmb__vend_iprefix(f[k], "Test");
    }
    return step && test;
}

static int detect_maccor(const char *buf, size_t len) {
    if (!lmb__vend_detect_text(buf, len))
        return 0;
    char line[LMB__VEND_DETECT_LINE];
    size_t off = 0;
    for (int n = 0;
         n < LMB__VEND_DETECT_LINES && lmb__vend_detect_line(buf, len, &off, line, sizeof line);
         n++)
        if (is_header(line))
            return 1;
    return 0;
}

/* ---- the wall clock ---- */

/* Splits "MM/DD/YYYY hh:mm:ss[ AM|PM]" into the date text (copied) and the time of day [s]. */
static int wall_clock(const char *s, char *date, size_t cap, double *tod) {
    const char *sp = strchr(s, ' ');
    if (!sp || (size_t)(sp - s) >= cap)
        return 0;
    memcpy(date, s, (size_t)(sp - s));
    date[sp - s] = '\0';
    while (*sp == ' ')
        sp++;
    int h, m;
    double sec;
    char ampm[3] = "";
    int n = sscanf(sp, "%2d:%2d:%lf %2s", &h, &m, &sec, ampm);
    if (n < 3 || h < 0 || h > 23 || m < 0 || m > 59 || !(sec >= 0.0 && sec < 61.0))
        return 0;
    if (n == 4) {
        int pm = lmb__vend_ieq(ampm, "PM");
        if (!pm && !lmb__vend_ieq(ampm, "AM"))
            return 0;
        if (h < 1 || h > 12)
            return 0;
        h = h % 12 + (pm ? 12 : 0);
    }
    *tod = h * 3600.0 + m * 60.0 + sec;
    return 1;
}

typedef struct clock_fit {
    char date[32];
    double tod, test; /* of the previous row */
    int have;
    double wall, dtest; /* sums over pairs of rows on one date [s], [file unit] */
    size_t bad_line;    /* first row whose wall clock could not be read */
} clock_fit;

static void clock_see(clock_fit *c, const char *text, double test, size_t line) {
    char date[32];
    double tod;
    if (!wall_clock(text, date, sizeof date, &tod)) {
        if (!c->bad_line)
            c->bad_line = line;
        c->have = 0;
        return;
    }
    if (c->have && strcmp(date, c->date) == 0 && isfinite(test)) {
        c->wall += tod - c->tod;
        c->dtest += test - c->test;
    }
    memcpy(c->date, date, sizeof date);
    c->tod = tod;
    c->test = test;
    c->have = isfinite(test);
}

/* ---- the header block ---- */

/* One note of the lines before the header: their text with tabs as spaces, cut to fit. */
static lmb_status note_block(lmb_ctx *ctx, lmb_record *r, char **lines, int n) {
    char text[220];
    size_t k = 0;
    for (int i = 0; i < n && k + 1 < sizeof text; i++) {
        const char *s = lines[i];
        if (*s == '\0')
            continue;
        if (k > 0 && k + 2 < sizeof text) {
            text[k++] = ';';
            text[k++] = ' ';
        }
        for (; *s && k + 1 < sizeof text; s++)
            text[k++] = *s == '\t' ? ' ' : *s;
    }
    text[k] = '\0';
    if (k == 0)
        return LMB_OK;
    return lmb__record_note(ctx, r, "Maccor header: %s", text);
}

/* ---- reading ---- */

typedef struct maccor_state {
    int mode;             /* the current column: 0 not known yet, 1 signed, -1 magnitude */
    size_t mode_line;     /* the D row that told */
    size_t other_nonzero; /* rows of other states with a non-zero current */
    size_t other_line;
    size_t other_rows; /* rows of other states (capacity NaN) */
} maccor_state;

static lmb_status read_table(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, char *buf,
                             size_t len) {
    lmb_status st = lmb__vend_begin(ctx, t, r->path, buf, len, '\t', 1);
    if (st != LMB_OK)
        return st;
    char *block[24];
    int nblock = 0;
    char *line;
    while ((line = lmb__vend_next(t)) != NULL && t->lineno <= MACCOR_HEADER_LINES) {
        char probe[LMB__VEND_DETECT_LINE];
        snprintf(probe, sizeof probe, "%s", line);
        if (is_header(probe))
            break;
        if (nblock < (int)(sizeof block / sizeof block[0]))
            block[nblock++] = lmb__trim(line);
    }
    if (!line || t->lineno > MACCOR_HEADER_LINES)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: no Maccor header row (\"Rec#<TAB>Cyc#<TAB>Step<TAB>Test ...\") "
                  "in the first %d lines",
                  r->path, t->lineno, MACCOR_HEADER_LINES);
    if ((st = lmb__vend_header(ctx, t, line)) != LMB_OK ||
        (st = note_block(ctx, r, block, nblock)) != LMB_OK ||
        (st = lmb__vend_offer_names(ctx, t, names, sizeof names / sizeof names[0])) != LMB_OK)
        return st;

    /* the test time */
    int unit_from_clock = 0, time_field = -1;
    for (int k = 0; k < t->n_names && time_field < 0; k++) {
        char base[64], unit[32];
        lmb__vend_split_name(t->names[k], base, sizeof base, unit, sizeof unit);
        if (!lmb__vend_ieq(base, "Test") && !lmb__vend_ieq(base, "Test Time") &&
            !lmb__vend_ieq(base, "TestTime"))
            continue;
        time_field = k;
        unit_from_clock = *unit == '\0';
        st = lmb__vend_offer(ctx, t, LMB_REC_TIME, k, 0, *unit ? unit : "s", 0);
    }
    if (st == LMB_OK)
        st = lmb__vend_map_offers(ctx, r, t);
    if (st != LMB_OK)
        return st;
    if (time_field < 0)
        return lmb__vend_missing(ctx, t, "test time (\"Test (Sec)\" or \"TestTime\")");
    if (!lmb__vend_col_of(t, LMB_REC_VOLTAGE))
        return lmb__vend_missing(ctx, t, "voltage (\"Volts\" or \"Voltage [V]\")");
    if (!lmb__vend_col_of(t, LMB_REC_CURRENT))
        return lmb__vend_missing(ctx, t, "current (\"Amps\" or \"Current [A]\")");
    int state = lmb__vend_find(t, "State");
    if (state < 0)
        state = lmb__vend_find(t, "Md");
    if (state < 0)
        return lmb__vend_missing(ctx, t, "state (\"State\" or \"Md\": C, D, R, ...)");
    lmb__vend_use(t, state);
    int dpt = lmb__vend_find(t, "DPt Time");
    if (dpt >= 0)
        lmb__vend_use(t, dpt);
    int has_cap = r->col[LMB_REC_CHARGE_CAPACITY] != NULL;
    int has_e = r->col[LMB_REC_CHARGE_ENERGY] != NULL;
    if (has_cap && (st = lmb__record_add_column(ctx, r, LMB_REC_DISCHARGE_CAPACITY)) != LMB_OK)
        return st;
    if (has_e && (st = lmb__record_add_column(ctx, r, LMB_REC_DISCHARGE_ENERGY)) != LMB_OK)
        return st;
    lmb__vend_col *tc = lmb__vend_col_of(t, LMB_REC_TIME);
    int cur = lmb__vend_col_of(t, LMB_REC_CURRENT)->field;
    int time_mode = unit_from_clock ? 0 : 1; /* 0: not known yet, 1: numbers, 2: durations */

    maccor_state ms = {0, 0, 0, 0, 0};
    clock_fit clk;
    memset(&clk, 0, sizeof clk);
    double tmax = 0.0; /* the largest |test time| before its unit is known, and its line */
    size_t tmax_line = 0;
    while (st == LMB_OK && (line = lmb__vend_next(t)) != NULL) {
        if (lmb__vend_blank(t, line))
            continue;
        if (time_mode == 0) { /* the first row tells durations from numbers */
            const char *p = line;
            for (int k = 0; k < time_field && p; k++) {
                p = strchr(p, '\t');
                if (p)
                    p++;
            }
            const char *tab = p ? strchr(p, '\t') : NULL, *colon = p ? strchr(p, ':') : NULL;
            time_mode = colon && (!tab || colon < tab) ? 2 : 1;
            tc->duration = time_mode == 2;
        }
        double v[LMB_REC_N_COLS];
        int skip;
        st = lmb__vend_row(ctx, t, line, v, &skip);
        if (st != LMB_OK || skip)
            continue;
        const char *sv = t->fields[state];
        char s = sv[0] && !sv[1] ? sv[0] : '?';
        double *I = &v[LMB_REC_CURRENT];
        if (s == 'D' && *I != 0.0 && !isnan(*I)) {
            int m = *I < 0.0 ? 1 : -1;
            if (ms.mode == 0) {
                ms.mode = m;
                ms.mode_line = t->lineno;
            } else if (m != ms.mode) {
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: column %d (" LMB__VEND_NAME_FMT
                          ") is %s on this D (discharge) row but %s on the D row of line %zu: "
                          "cannot tell whether the current is signed",
                          r->path, t->lineno, cur + 1, t->names[cur],
                          m == 1 ? "negative" : "positive", m == 1 ? "positive" : "negative",
                          ms.mode_line);
            }
        } else if (s == 'C' && *I < 0.0) {
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: column " LMB__VEND_NAME_FMT
                      ": a negative current on a C (charge) row",
                      r->path, t->lineno, t->names[cur]);
        } else if (s != 'C' && s != 'D' && s != 'R' && *I != 0.0 && !isnan(*I)) {
            if (ms.other_nonzero++ == 0)
                ms.other_line = t->lineno;
        }
        if (s == 'D' && ms.mode == -1)
            *I = -*I;
        /* the per-step counters by State */
        static const lmb_rec_col from[2] = {LMB_REC_CHARGE_CAPACITY, LMB_REC_CHARGE_ENERGY};
        static const lmb_rec_col to[2] = {LMB_REC_DISCHARGE_CAPACITY, LMB_REC_DISCHARGE_ENERGY};
        for (int k = 0; k < 2; k++) {
            double q = v[from[k]];
            if (s == 'C') {
                v[to[k]] = 0.0;
            } else if (s == 'D') {
                v[to[k]] = q;
                v[from[k]] = 0.0;
            } else if (s == 'R') {
                v[to[k]] = q;
            } else {
                v[from[k]] = v[to[k]] = NAN;
            }
        }
        if (s != 'C' && s != 'D' && s != 'R')
            ms.other_rows++;
        if (dpt >= 0 && unit_from_clock)
            clock_see(&clk, t->fields[dpt], v[LMB_REC_TIME], t->lineno);
        if (fabs(v[LMB_REC_TIME]) > tmax) {
            tmax = fabs(v[LMB_REC_TIME]);
            tmax_line = t->lineno;
        }
        st = lmb__record_push(ctx, r, v);
    }
    if (st == LMB_OK)
        st = lmb__vend_finish(ctx, r, t);
    if (st != LMB_OK)
        return st;
    if (ms.mode == -1 && ms.other_nonzero)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: a non-zero current on a row whose State is neither C, D nor R, in a "
                  "file that writes the current as a magnitude: its direction is unknown",
                  r->path, ms.other_line);
    if (ms.mode == 1)
        st = lmb__record_note(ctx, r,
                              "current: written signed (negative on D rows from line %zu on), "
                              "checked against State on every row",
                              ms.mode_line);
    else if (ms.mode == -1)
        st = lmb__record_note(ctx, r,
                              "current: written as a magnitude (positive on D rows from line %zu "
                              "on): negated on D (discharge) rows",
                              ms.mode_line);
    else
        st = lmb__record_note(ctx, r,
                              "current: no D row with a non-zero current, so the file cannot say "
                              "whether it is signed; charging rows are positive either way");
    if (st == LMB_OK && (has_cap || has_e))
        st = lmb__record_note(ctx, r,
                              "capacity and energy: Maccor's per-step counters, as charging on C "
                              "rows and discharging on D rows (the other 0)%s",
                              ms.other_rows ? "; NaN on rows of other states" : "");
    static const char *const cycle_names[] = {"Cycle P", "Cycle C"};
    for (int i = 0; i < 2 && st == LMB_OK; i++) {
        int k = lmb__vend_find(t, cycle_names[i]);
        if (k >= 0 && !lmb__vend_col_of(t, LMB_REC_CYCLE_INDEX))
            st = lmb__record_note(ctx, r,
                                  "column \"%s\": a cycle counter the file does not define; not "
                                  "read as the cycle index",
                                  cycle_names[i]);
    }
    if (st == LMB_OK && dpt >= 0)
        st = lmb__record_note(ctx, r,
                              "column " LMB__VEND_NAME_FMT
                              " holds local date and time without a time zone: not read as Unix "
                              "time",
                              t->names[dpt]);
    if (st != LMB_OK || time_mode != 1 || !unit_from_clock)
        return st;

    /* a bare test-time column of numbers: its unit from the wall clock */
    const char *tname = t->names[time_field];
    if (dpt < 0)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: column " LMB__VEND_NAME_FMT
                  " has no unit, and the file has no \"DPT Time\" wall clock to tell it",
                  r->path, t->header_line, tname);
    static const struct {
        double s;
        const char *name;
    } units[] = {{1.0, "seconds"}, {60.0, "minutes"}, {3600.0, "hours"}};
    double ratio = clk.dtest > 0.0 ? clk.wall / clk.dtest : NAN;
    for (size_t i = 0; i < 3; i++) {
        if (clk.wall >= MACCOR_UNIT_SPAN_S && fabs(ratio / units[i].s - 1.0) <= MACCOR_UNIT_TOL) {
            if (!isfinite(tmax * units[i].s))
                LMB__FAIL(ctx, LMB_ERANGE,
                          "%.400s:%zu: column " LMB__VEND_NAME_FMT
                          ": %g %s is not finite in seconds",
                          r->path, tmax_line, tname, tmax, units[i].name);
            double *T = r->col[LMB_REC_TIME];
            for (size_t j = 0; j < r->n; j++)
                T[j] *= units[i].s;
            return lmb__record_note(ctx, r,
                                    "column " LMB__VEND_NAME_FMT
                                    " has no unit; the wall clock " LMB__VEND_NAME_FMT
                                    " advances %.4g s per unit of it over %.0f s: read as %s",
                                    tname, t->names[dpt], ratio, clk.wall, units[i].name);
        }
    }
    LMB__FAIL(ctx, LMB_EPARSE,
              "%.400s:%zu: column " LMB__VEND_NAME_FMT
              " has no unit, and the wall clock " LMB__VEND_NAME_FMT
              " (%.0f s of it%s) does not advance 1, 60 or 3600 s per unit of "
              "it (%.4g s): the unit cannot be told",
              r->path, t->header_line, tname, t->names[dpt], clk.wall,
              clk.bad_line ? ", some of it unreadable" : "", ratio);
}

static lmb_status read_maccor(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    return lmb__vend_read(ctx, r, buf, len, read_table);
}

const lmb__record_reader lmb__reader_maccor = {"maccor-text", detect_maccor, read_maccor};
