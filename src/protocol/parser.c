/*
 * parser.c - the protocol language (docs/protocols.md): text -> lmb_protocol, and the canonical
 * text of a parsed step (lmb/protocol.h).
 *
 * The language is line oriented. Each line is cut at '#' (comment) and stripped of trailing
 * blanks; blank lines are skipped. What is left is one step, read left to right with a cursor:
 * a verb, then the keywords and quantities that verb takes (no recursion, no backtracking beyond
 * one token). Keywords are case-insensitive; unit symbols are case-sensitive because the table
 * needs it ("mHz" and "MHz" differ), except the word forms of times ("hours", "Minutes").
 * Quantities go through lmb_quantity_parse() and the unit table of lmb/units.h; "C" is taken as
 * a C-rate before the table sees it (there it is degrees Celsius).
 *
 * Blocks: a "Repeat N times:" line opens a block whose body is the following lines indented more
 * than it, all at the same indentation (the first body line sets it); a line indented less
 * closes blocks until its indentation matches an enclosing one. Indentation is by spaces only:
 * a tab in the indentation is an error, because its width is a matter of the editor and a
 * silently wrong loop body is worse than a refused file. Blocks are kept on an explicit stack
 * (at most LMB_PROTOCOL_MAX_DEPTH), so no input can exhaust the C stack.
 *
 * Output: a flat array of steps in file order; a Repeat entry is followed by its body (body_len
 * entries, nested blocks included). Quantities are SI with the kind of unit the user wrote:
 * currents in A, A/m2 or C-rate [1/h]; capacities in C or C/m2; times in s; voltages in V;
 * frequencies in Hz. Currents are magnitudes; the verb gives the sign (lmb/run.h).
 *
 * Errors: every failure is one line "ORIGIN:LINE:COL: found 'X', expected Y" with COL the
 * 1-based byte column of the offending token (or "found end of line" / "found end of file").
 * LMB_EPARSE for syntax, LMB_EUNIT for an unknown unit or a quantity of the wrong dimension,
 * LMB_ERANGE for a value outside its range. Input is bounded (LMB_PROTOCOL_MAX_BYTES,
 * LMB_PROTOCOL_MAX_STEPS), every scan stays inside the current line, and tokens quoted in
 * messages are escaped and shortened, so arbitrary bytes give a status and a one-line message.
 */
#include "lmb/protocol.h"
#include "lmb/units.h"

#include "core/ctx_internal.h"
#include "io/presets.h"
#include "protocol/protocol_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lmb_protocol {
    char *origin;
    lmb_protocol_step *steps;
    int n, cap;
};

/* ---- characters and messages ---- */

static int is_blank(char c) {
    return c == ' ' || c == '\t';
}
static int is_digit(char c) {
    return c >= '0' && c <= '9';
}
static int is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive comparison of s[0..n) with the NUL-terminated word. */
static int word_eq(const char *s, size_t n, const char *word) {
    size_t k = 0;
    for (; k < n && word[k]; k++)
        if (to_lower(s[k]) != to_lower(word[k]))
            return 0;
    return k == n && word[k] == '\0';
}

/* Most bytes of a token quoted in a message: long enough to recognise it, short enough that a
 * message stays one readable line. */
#define QUOTE_MAX 40

/* Most bytes of a file name written in a message; control bytes in it are written as text. */
#define ORIGIN_MAX 200

/* Writes s[0..n) into dst escaping control bytes (\xNN), shortened to max bytes with "..." and
 * cut at a UTF-8 character boundary. */
static void escape_span(char *dst, size_t size, const char *s, size_t n, size_t max) {
    size_t k = 0;
    int cut = 0;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* do not split a multi-byte character */
        cut = 1;
    }
    for (size_t i = 0; i < n && k + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            snprintf(dst + k, 5, "\\x%02x", c);
            k += 4;
        } else {
            dst[k++] = (char)c;
        }
    }
    if (cut && k + 4 < size) {
        memcpy(dst + k, "...", 3);
        k += 3;
    }
    dst[k] = '\0';
}

/* ---- the parser's state ---- */

typedef struct block {
    int indent;      /* spaces before the Repeat line */
    int body_indent; /* spaces before each line of its body (-1 until the first one) */
    int index;       /* the Repeat entry */
    int line;        /* its line */
} block;

typedef struct parser {
    lmb_ctx *ctx;
    char origin[ORIGIN_MAX + 8]; /* escaped, for messages */
    lmb_protocol *p;
    const char *s; /* the present line (not NUL-terminated) */
    size_t len;    /* its length without comment, trailing blanks and line end */
    size_t pos;    /* the cursor, an offset into s */
    int line;      /* 1-based */
    block stack[LMB_PROTOCOL_MAX_DEPTH];
    int depth;
} parser;

/* Size of a quoted token: QUOTE_MAX bytes, each escaped to at most 4, quotes and "...". */
#define QUOTED_SIZE (QUOTE_MAX * 4 + 16)

/* Fails at (line, col) with "ORIGIN:LINE:COL: found FOUND, expected <fmt...>"; FOUND is free
 * text ("'Plat'", "end of file", "a tab"). */
static lmb_status vfail(parser *ps, lmb_status st, int line, size_t col, const char *found,
                        const char *fmt, va_list ap) {
    char expected[512];
    vsnprintf(expected, sizeof expected, fmt, ap);
    return lmb__ctx_fail(ps->ctx, st, "%s:%d:%zu: found %s, expected %s", ps->origin, line, col,
                         found, expected);
}

static lmb_status fail_text(parser *ps, lmb_status st, int line, size_t col, const char *found,
                            const char *fmt, ...) LMB__PRINTF(6, 7);
static lmb_status fail_text(parser *ps, lmb_status st, int line, size_t col, const char *found,
                            const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lmb_status rc = vfail(ps, st, line, col, found, fmt, ap);
    va_end(ap);
    return rc;
}

/* "'TOKEN'" for the span s[at..at+n) of the present line, "end of line" when n == 0. */
static void quote(const parser *ps, size_t at, size_t n, char *dst) {
    if (n == 0) {
        strcpy(dst, "end of line");
        return;
    }
    char tok[QUOTED_SIZE - 2]; /* room for the quotes */
    escape_span(tok, sizeof tok, ps->s + at, n, QUOTE_MAX);
    snprintf(dst, QUOTED_SIZE, "'%s'", tok);
}

/* Fails at the span s[at..at+n) of the present line (n == 0: the end of the line). */
static lmb_status fail_span(parser *ps, lmb_status st, size_t at, size_t n, const char *fmt, ...)
    LMB__PRINTF(5, 6);
static lmb_status fail_span(parser *ps, lmb_status st, size_t at, size_t n, const char *fmt, ...) {
    char found[QUOTED_SIZE];
    quote(ps, at, n, found);
    va_list ap;
    va_start(ap, fmt);
    lmb_status rc = vfail(ps, st, ps->line, at + 1, found, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- tokens ---- */

static void skip_blanks(parser *ps) {
    while (ps->pos < ps->len && is_blank(ps->s[ps->pos]))
        ps->pos++;
}

static int at_end(parser *ps) {
    skip_blanks(ps);
    return ps->pos >= ps->len;
}

/* Length of the token at `at`: a run of non-blank bytes that stops before ':' (a ':' is a token
 * of its own). 0 at the end of the line. */
static size_t tok_len(const parser *ps, size_t at) {
    if (at >= ps->len)
        return 0;
    if (ps->s[at] == ':')
        return 1;
    size_t e = at;
    while (e < ps->len && !is_blank(ps->s[e]) && ps->s[e] != ':')
        e++;
    return e - at;
}

/* Consumes the next token if it is `word` (case-insensitive). */
static int accept(parser *ps, const char *word) {
    skip_blanks(ps);
    size_t n = tok_len(ps, ps->pos);
    if (n > 0 && word_eq(ps->s + ps->pos, n, word)) {
        ps->pos += n;
        return 1;
    }
    return 0;
}

/* Fails at the next token (or the end of the line). */
static lmb_status fail_next(parser *ps, lmb_status st, const char *fmt, ...) LMB__PRINTF(3, 4);
static lmb_status fail_next(parser *ps, lmb_status st, const char *fmt, ...) {
    skip_blanks(ps);
    char found[QUOTED_SIZE];
    quote(ps, ps->pos, tok_len(ps, ps->pos), found);
    va_list ap;
    va_start(ap, fmt);
    lmb_status rc = vfail(ps, st, ps->line, ps->pos + 1, found, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- quantities ---- */

/* Classes of quantity a context accepts (bit mask). */
enum {
    QC_TIME = 1 << 0,
    QC_CHARGE = 1 << 1,       /* Ah, mAh, uAh */
    QC_AREAL_CHARGE = 1 << 2, /* mAh/cm2 */
    QC_VOLTAGE = 1 << 3,
    QC_CURRENT = 1 << 4, /* A, mA, uA */
    QC_DENSITY = 1 << 5, /* mA/cm2 */
    QC_CRATE = 1 << 6,   /* C/10, 2C */
    QC_FREQ = 1 << 7
};
#define QC_CAPACITY    (QC_CHARGE | QC_AREAL_CHARGE)
#define QC_ANY_CURRENT (QC_CURRENT | QC_DENSITY | QC_CRATE)

/* Units named in "expected a unit such as ..." messages, per class. */
static const struct {
    int cls;
    const char *names;
} k_class_units[] = {
    {QC_VOLTAGE, "V, mV"},          {QC_CURRENT, "A, mA, uA"}, {QC_DENSITY, "mA/cm2, uA/cm2"},
    {QC_TIME, "s, min, h"},         {QC_CHARGE, "Ah, mAh"},    {QC_AREAL_CHARGE, "mAh/cm2"},
    {QC_FREQ, "mHz, Hz, kHz, MHz"},
};

/* Spelled-out and abbreviated times that are not in the unit table. Words (second, hours, ...)
 * must be separated from their number by a space; abbreviations may touch it ("10sec"). */
static const struct {
    const char *alias;
    const char *symbol;
    int word;
} k_time_aliases[] = {
    {"sec", "s", 0},    {"secs", "s", 0},     {"second", "s", 1},    {"seconds", "s", 1},
    {"mins", "min", 0}, {"minute", "min", 1}, {"minutes", "min", 1}, {"hr", "h", 0},
    {"hrs", "h", 0},    {"hour", "h", 1},     {"hours", "h", 1},     {"day", "day", 1},
    {"days", "day", 1},
};

typedef struct qty {
    size_t start, end; /* its span in the line ("3.6 V") */
    int cls;           /* one QC_ bit, 0 for units of other dimensions */
    int sign;          /* a '+' or '-' was written */
    double si;         /* SI value; C-rates in 1/h */
} qty;

static int qty_class(lmb_dim dim) {
    switch (dim) {
    case LMB_DIM_TIME:
        return QC_TIME;
    case LMB_DIM_CHARGE:
        return QC_CHARGE;
    case LMB_DIM_AREAL_CHARGE:
        return QC_AREAL_CHARGE;
    case LMB_DIM_VOLTAGE:
        return QC_VOLTAGE;
    case LMB_DIM_CURRENT:
        return QC_CURRENT;
    case LMB_DIM_CURRENT_DENSITY:
        return QC_DENSITY;
    case LMB_DIM_FREQUENCY:
        return QC_FREQ;
    default:
        return 0;
    }
}

static lmb_qty_kind qty_kind(int cls) {
    return (cls & (QC_DENSITY | QC_AREAL_CHARGE)) ? LMB_QTY_AREAL
           : (cls & QC_CRATE)                     ? LMB_QTY_CRATE
                                                  : LMB_QTY_ABSOLUTE;
}

/* Scans an unsigned decimal number (digits, optional fraction, optional exponent) in
 * s[at..lim); returns its end, or `at` when there is none. */
static size_t scan_number(const char *s, size_t at, size_t lim) {
    size_t i = at, digits = 0;
    while (i < lim && is_digit(s[i]))
        i++, digits++;
    if (i < lim && s[i] == '.') {
        i++;
        while (i < lim && is_digit(s[i]))
            i++, digits++;
    }
    if (digits == 0)
        return at;
    if (i < lim && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < lim && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < lim && is_digit(s[j])) {
            while (j < lim && is_digit(s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

/* Largest magnitude of a quantity in SI units; the smallest non-zero one is its inverse. */
#define QTY_MAX_SI 1e100

/* Longest number accepted (digits, sign, point, exponent). */
#define NUMBER_MAX 64

/* strtod on s[at..end), which scan_number has checked; copying keeps strtod from reading past
 * the span (it would take "0x10" as hexadecimal). */
static int to_double(const char *s, size_t at, size_t end, double *v) {
    char buf[NUMBER_MAX + 1];
    if (end - at > NUMBER_MAX)
        return 0;
    memcpy(buf, s + at, end - at);
    buf[end - at] = '\0';
    *v = strtod(buf, NULL);
    return 1;
}

/* "a unit such as V, mV" for the classes in `allowed`. */
static void units_hint(char *dst, size_t size, int allowed) {
    size_t k = (size_t)snprintf(dst, size, "a unit such as");
    const char *sep = " ";
    for (size_t i = 0; i < sizeof k_class_units / sizeof k_class_units[0]; i++)
        if ((allowed & k_class_units[i].cls & ~QC_CRATE) && k < size) {
            int w = snprintf(dst + k, size - k, "%s%s", sep, k_class_units[i].names);
            k += w > 0 ? (size_t)w : 0;
            sep = ", ";
        }
    if ((allowed & QC_CRATE) && k < size)
        snprintf(dst + k, size - k, ", or a C-rate such as C/10 or 2C");
}

/* Reads a quantity: "3.6 V", "1mA/cm2", "12 hours", "C/10", "2C", "0.5 C". `allowed` is the
 * mask of classes the context takes and `what` how messages name them ("a time or a capacity").
 * Checks syntax, unit and class; the caller checks the value. */
static lmb_status read_qty(parser *ps, int allowed, const char *what, qty *q) {
    skip_blanks(ps);
    const char *s = ps->s;
    size_t start = ps->pos, n = tok_len(ps, start);
    memset(q, 0, sizeof *q);
    q->start = start;
    if (n == 0 || s[start] == ':')
        return fail_span(ps, LMB_EPARSE, start, n, "%s", what);
    double v = 0.0;
    size_t u_at = 0, u_len = 0;
    if (s[start] == 'C' && (n == 1 || s[start + 1] == '/')) {
        /* a C-rate before any number: "C" or "C/N" */
        q->cls = QC_CRATE;
        q->end = start + n;
        if (n == 1) {
            q->si = 1.0;
        } else {
            size_t e = scan_number(s, start + 2, start + n);
            double d = 0.0;
            if (e != start + n || !to_double(s, start + 2, e, &d))
                return fail_span(ps, LMB_EPARSE, start, n, "a C-rate such as C/10 or 2C");
            if (!(d > 0.0) || !isfinite(d))
                return fail_span(ps, LMB_ERANGE, start, n, "a C-rate with a divisor > 0");
            q->si = 1.0 / d;
        }
        ps->pos = q->end;
        goto check;
    }
    size_t i = start;
    if (s[i] == '+' || s[i] == '-') {
        q->sign = 1;
        i++;
    }
    size_t num_end = scan_number(s, i, start + n);
    if (num_end == i)
        return fail_span(ps, LMB_EPARSE, start, n, "%s", what);
    if (num_end - start > NUMBER_MAX)
        return fail_span(ps, LMB_EPARSE, start, n, "a number of at most %d characters", NUMBER_MAX);
    if (num_end < start + n) {
        /* the unit touches the number: "1mA/cm2", "2C" */
        u_at = num_end;
        u_len = start + n - num_end;
        if (!is_alpha(s[u_at]))
            return fail_span(ps, LMB_EPARSE, start, n, "%s", what);
        for (size_t a = 0; a < sizeof k_time_aliases / sizeof k_time_aliases[0]; a++)
            if (k_time_aliases[a].word && word_eq(s + u_at, u_len, k_time_aliases[a].alias)) {
                char num[QUOTED_SIZE], word[QUOTED_SIZE];
                escape_span(num, sizeof num, s + start, num_end - start, QUOTE_MAX);
                escape_span(word, sizeof word, s + u_at, u_len, QUOTE_MAX);
                return fail_span(ps, LMB_EPARSE, start, n, "a space between '%s' and '%s'", num,
                                 word);
            }
    } else {
        ps->pos = num_end;
        skip_blanks(ps);
        u_at = ps->pos;
        u_len = tok_len(ps, u_at);
        if (u_len == 0) {
            char hint[256];
            units_hint(hint, sizeof hint, allowed);
            return fail_span(ps, LMB_EUNIT, u_at, 0, "%s", hint);
        }
    }
    q->end = u_at + u_len;
    ps->pos = q->end;
    /* number and unit symbol (word forms replaced) go through the library's quantity parser */
    const char *unit = NULL;
    char text[NUMBER_MAX + 40];
    if (u_len < 32) {
        unit = "";
        for (size_t a = 0; a < sizeof k_time_aliases / sizeof k_time_aliases[0]; a++)
            if (word_eq(s + u_at, u_len, k_time_aliases[a].alias))
                unit = k_time_aliases[a].symbol;
        snprintf(text, sizeof text, "%.*s %.*s", (int)(num_end - start), s + start,
                 unit[0] ? (int)strlen(unit) : (int)u_len, unit[0] ? unit : s + u_at);
    }
    const lmb_unit *u = NULL;
    lmb_status rc = unit ? lmb_quantity_parse(NULL, text, LMB_DIM_COUNT, &v, &u) : LMB_EUNIT;
    if (rc == LMB_EPARSE) /* the syntax was checked above: the number is out of range */
        return fail_span(ps, LMB_ERANGE, start, q->end - start,
                         "a magnitude from 1e-100 to 1e100 in SI units");
    if (rc != LMB_OK) {
        char hint[256];
        units_hint(hint, sizeof hint, allowed);
        return fail_span(ps, LMB_EUNIT, u_at, u_len, "%s", hint);
    }
    if (u_len == 1 && s[u_at] == 'C') {
        /* "C" after a number is a C-rate here; in the unit table it is degrees Celsius */
        q->cls = QC_CRATE;
        q->si = v;
    } else {
        q->cls = qty_class(u->dim);
        q->si = lmb_unit_to_si(u, v);
    }
check:
    if (!(q->cls & allowed))
        return fail_span(ps, LMB_EUNIT, q->start, q->end - q->start, "%s", what);
    /* far outside anything physical, and keeps every later product and the canonical text
     * finite and non-zero */
    if (!(fabs(q->si) <= QTY_MAX_SI) || (q->si != 0.0 && fabs(q->si) < 1.0 / QTY_MAX_SI))
        return fail_span(ps, LMB_ERANGE, q->start, q->end - q->start,
                         "a magnitude from 1e-100 to 1e100 in SI units");
    return LMB_OK;
}

/* Reads a whole number (an optional sign and digits) in [lo, hi]; `what` names it. */
static lmb_status read_count(parser *ps, long lo, long hi, const char *what, long *out) {
    skip_blanks(ps);
    size_t at = ps->pos, n = tok_len(ps, at), i = 0;
    const char *s = ps->s + at;
    int neg = 0;
    if (n > 0 && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return fail_span(ps, LMB_EPARSE, at, n, "a whole number of %s", what);
    long long v = 0;
    for (; i < n; i++) {
        if (!is_digit(s[i]))
            return fail_span(ps, LMB_EPARSE, at, n, "a whole number of %s", what);
        if (v <= hi) /* stop growing once out of range: no overflow */
            v = v * 10 + (s[i] - '0');
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return fail_span(ps, LMB_ERANGE, at, n, "a number of %s from %ld to %ld", what, lo, hi);
    ps->pos = at + n;
    *out = (long)v;
    return LMB_OK;
}

/* ---- limits: "for X or until Y or Z ..." ---- */

typedef struct limits {
    int for_allowed; /* classes after "for" */
    const char *for_what;
    int until_allowed; /* classes of a quantity after "until" */
    const char *until_what;
} limits;

static const limits k_lim_current = {QC_TIME | QC_CAPACITY, "a time or a capacity",
                                     QC_VOLTAGE | QC_TIME | QC_CAPACITY,
                                     "a voltage, a time, a capacity, 'short' or 'total time'"};
static const limits k_lim_hold = {QC_TIME | QC_CAPACITY, "a time or a capacity",
                                  QC_ANY_CURRENT | QC_TIME | QC_CAPACITY,
                                  "a current, a time, a capacity, 'short' or 'total time'"};
static const limits k_lim_rest = {QC_TIME, "a time", QC_VOLTAGE | QC_TIME,
                                  "a voltage, a time, 'short' or 'total time'"};

/* Checks the value of a time, capacity or current limit and turns it into a condition. */
static lmb_status make_condition(parser *ps, const qty *q, lmb_condition *c) {
    size_t at = q->start, n = q->end - q->start;
    c->value = q->si;
    c->qty = LMB_QTY_ABSOLUTE;
    switch (q->cls) {
    case QC_TIME:
        c->kind = LMB_COND_STEP_TIME;
        if (!(q->si > 0.0))
            return fail_span(ps, LMB_ERANGE, at, n, "a time > 0");
        return LMB_OK;
    case QC_CHARGE:
    case QC_AREAL_CHARGE:
        c->kind = LMB_COND_CAPACITY;
        c->qty = qty_kind(q->cls);
        if (!(q->si > 0.0))
            return fail_span(ps, LMB_ERANGE, at, n, "a capacity > 0");
        return LMB_OK;
    case QC_VOLTAGE:
        c->kind = LMB_COND_VOLTAGE;
        return LMB_OK;
    default:
        c->kind = LMB_COND_CURRENT;
        c->qty = qty_kind(q->cls);
        if (q->sign)
            return fail_span(ps, LMB_ERANGE, at, n,
                             "a current without a sign (the limit is on its magnitude)");
        if (!(q->si > 0.0))
            return fail_span(ps, LMB_ERANGE, at, n, "a current > 0");
        return LMB_OK;
    }
}

/* One condition after "until" (or after "or" in "until A or B"). */
static lmb_status read_until(parser *ps, const limits *lim, lmb_condition *c) {
    skip_blanks(ps);
    c->line = ps->line;
    c->column = (int)ps->pos + 1;
    c->qty = LMB_QTY_ABSOLUTE;
    if (accept(ps, "short")) {
        c->kind = LMB_COND_SHORT;
        c->value = 0.0;
        return LMB_OK;
    }
    if (accept(ps, "total") || accept(ps, "test")) {
        if (!accept(ps, "time"))
            return fail_next(ps, LMB_EPARSE, "'time' (as in 'until total time 600 h')");
        qty q;
        lmb_status rc = read_qty(ps, QC_TIME, "a time", &q);
        if (rc != LMB_OK)
            return rc;
        if (!(q.si > 0.0))
            return fail_span(ps, LMB_ERANGE, q.start, q.end - q.start, "a time > 0");
        c->kind = LMB_COND_TOTAL_TIME;
        c->value = q.si;
        return LMB_OK;
    }
    qty q;
    lmb_status rc = read_qty(ps, lim->until_allowed, lim->until_what, &q);
    return rc != LMB_OK ? rc : make_condition(ps, &q, c);
}

/* The limits of a current, hold or rest step; at least one. */
static lmb_status read_limits(parser *ps, const limits *lim, lmb_protocol_step *st) {
    int last_until = 0;
    for (;;) {
        if (at_end(ps)) {
            if (st->n_conditions > 0)
                return LMB_OK;
            return fail_next(ps, LMB_EPARSE, "'for' or 'until' (a step needs a limit)");
        }
        if (st->n_conditions > 0 && !accept(ps, "or"))
            return fail_next(ps, LMB_EPARSE, "'or' or end of line");
        skip_blanks(ps);
        size_t at = ps->pos;
        if (st->n_conditions == LMB_PROTOCOL_MAX_CONDITIONS)
            return fail_span(ps, LMB_ERANGE, at, tok_len(ps, at),
                             "at most %d limits joined by 'or'", LMB_PROTOCOL_MAX_CONDITIONS);
        lmb_condition *c = &st->conditions[st->n_conditions];
        lmb_status rc;
        if (accept(ps, "for")) {
            skip_blanks(ps);
            c->line = ps->line;
            c->column = (int)ps->pos + 1;
            qty q;
            rc = read_qty(ps, lim->for_allowed, lim->for_what, &q);
            if (rc == LMB_OK)
                rc = make_condition(ps, &q, c);
            last_until = 0;
        } else if (accept(ps, "until") || last_until) {
            rc = read_until(ps, lim, c);
            last_until = 1;
        } else {
            return fail_next(ps, LMB_EPARSE, "'for' or 'until'");
        }
        if (rc != LMB_OK)
            return rc;
        st->n_conditions++;
    }
}

/* ---- steps ---- */

static lmb_status read_current_step(parser *ps, lmb_protocol_step *st) {
    if (!accept(ps, "at"))
        return fail_next(ps, LMB_EPARSE, "'at' and a current");
    qty q;
    lmb_status rc = read_qty(ps, QC_ANY_CURRENT, "a current or a C-rate", &q);
    if (rc != LMB_OK)
        return rc;
    if (q.sign)
        return fail_span(ps, LMB_ERANGE, q.start, q.end - q.start,
                         "a current without a sign (the verb gives the direction)");
    if (!(q.si > 0.0))
        return fail_span(ps, LMB_ERANGE, q.start, q.end - q.start, "a current > 0");
    st->current = q.si;
    st->current_qty = qty_kind(q.cls);
    return read_limits(ps, &k_lim_current, st);
}

static lmb_status read_hold(parser *ps, lmb_protocol_step *st) {
    if (!accept(ps, "at"))
        return fail_next(ps, LMB_EPARSE, "'at' and a voltage");
    qty q;
    lmb_status rc = read_qty(ps, QC_VOLTAGE, "a voltage", &q);
    if (rc != LMB_OK)
        return rc;
    st->voltage = q.si;
    return read_limits(ps, &k_lim_hold, st);
}

static lmb_status read_frequency(parser *ps, double *f) {
    qty q;
    lmb_status rc = read_qty(ps, QC_FREQ, "a frequency", &q);
    if (rc != LMB_OK)
        return rc;
    if (!(q.si > 0.0))
        return fail_span(ps, LMB_ERANGE, q.start, q.end - q.start, "a frequency > 0");
    *f = q.si;
    return LMB_OK;
}

static lmb_status read_eis(parser *ps, lmb_protocol_step *st) {
    if (!accept(ps, "from"))
        return fail_next(ps, LMB_EPARSE, "'from' and a frequency");
    lmb_status rc = read_frequency(ps, &st->f_start_Hz);
    if (rc != LMB_OK)
        return rc;
    if (!accept(ps, "to"))
        return fail_next(ps, LMB_EPARSE, "'to' and a frequency");
    skip_blanks(ps);
    size_t f2_at = ps->pos;
    if ((rc = read_frequency(ps, &st->f_end_Hz)) != LMB_OK)
        return rc;
    /* equal to 1e-9 relative counts as equal: the canonical text (12 digits) keeps them apart */
    if (fabs(st->f_end_Hz - st->f_start_Hz) <= 1e-9 * st->f_start_Hz)
        return fail_span(ps, LMB_ERANGE, f2_at, ps->pos - f2_at,
                         "a frequency different from the first one");
    st->points_per_decade = LMB_PROTOCOL_DEFAULT_POINTS_PER_DECADE;
    st->amplitude = LMB_PROTOCOL_DEFAULT_AMPLITUDE_V;
    st->amplitude_is_current = 0;
    st->amplitude_qty = LMB_QTY_ABSOLUTE;
    int seen_with = 0, seen_at = 0;
    while (!at_end(ps)) {
        if (!seen_with && accept(ps, "with")) {
            long n = 0;
            if ((rc = read_count(ps, 1, LMB_PROTOCOL_MAX_POINTS_PER_DECADE, "points per decade",
                                 &n)) != LMB_OK)
                return rc;
            if (!accept(ps, "points") && !accept(ps, "point"))
                return fail_next(ps, LMB_EPARSE, "'points per decade'");
            if (!accept(ps, "per"))
                return fail_next(ps, LMB_EPARSE, "'per decade'");
            if (!accept(ps, "decade"))
                return fail_next(ps, LMB_EPARSE, "'decade'");
            st->points_per_decade = (int)n;
            seen_with = 1;
        } else if (!seen_at && accept(ps, "at")) {
            qty q;
            rc = read_qty(ps, QC_VOLTAGE | QC_CURRENT | QC_DENSITY, "a voltage or a current", &q);
            if (rc != LMB_OK)
                return rc;
            if (!(q.si > 0.0))
                return fail_span(ps, LMB_ERANGE, q.start, q.end - q.start, "an amplitude > 0");
            st->amplitude = q.si;
            st->amplitude_is_current = q.cls != QC_VOLTAGE;
            st->amplitude_qty = qty_kind(q.cls);
            seen_at = 1;
        } else {
            return fail_next(ps, LMB_EPARSE, "%s",
                             !seen_with && !seen_at ? "'with', 'at' or end of line"
                             : !seen_with           ? "'with' or end of line"
                             : !seen_at             ? "'at' or end of line"
                                                    : "end of line");
        }
    }
    return LMB_OK;
}

static lmb_status read_repeat(parser *ps, lmb_protocol_step *st) {
    lmb_status rc = read_count(ps, 1, LMB_PROTOCOL_MAX_REPEAT, "repetitions", &st->count);
    if (rc != LMB_OK)
        return rc;
    if (!accept(ps, "times") && !accept(ps, "time"))
        return fail_next(ps, LMB_EPARSE, "'times:'");
    if (!accept(ps, ":"))
        return fail_next(ps, LMB_EPARSE, "':'");
    if (!at_end(ps))
        return fail_next(ps, LMB_EPARSE, "end of line (the body goes on the next lines)");
    return LMB_OK;
}

static const struct {
    const char *word;  /* as matched and compared for suggestions */
    const char *shown; /* as suggested */
    lmb_pstep_kind kind;
} k_verbs[] = {
    {"charge", "Charge", LMB_PSTEP_CHARGE},
    {"discharge", "Discharge", LMB_PSTEP_DISCHARGE},
    {"plate", "Plate", LMB_PSTEP_PLATE},
    {"strip", "Strip", LMB_PSTEP_STRIP},
    {"hold", "Hold", LMB_PSTEP_HOLD},
    {"rest", "Rest", LMB_PSTEP_REST},
    {"eis", "EIS", LMB_PSTEP_EIS},
    {"repeat", "Repeat", LMB_PSTEP_REPEAT},
    {"new", "New cycle", LMB_PSTEP_NEW_CYCLE},
};
#define N_VERBS ((int)(sizeof k_verbs / sizeof k_verbs[0]))

/* Case-insensitive edit distance (Levenshtein) between s[0..n) and word; n <= 32. */
static int edit_distance(const char *s, size_t n, const char *word) {
    int prev[33], cur[33];
    size_t m = strlen(word);
    for (size_t j = 0; j <= m; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int sub = prev[j - 1] + (to_lower(s[i - 1]) != to_lower(word[j - 1]));
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof prev);
    }
    return prev[m];
}

static lmb_status unknown_verb(parser *ps, size_t at, size_t n) {
    int best = -1, best_d = 1 << 20;
    if (n <= 32)
        for (int v = 0; v < N_VERBS; v++) {
            /* "NewCycle" and "new_cycle" are close to the two-word verb */
            const char *w = k_verbs[v].kind == LMB_PSTEP_NEW_CYCLE ? "newcycle" : k_verbs[v].word;
            int d = edit_distance(ps->s + at, n, w);
            if (d < best_d) {
                best_d = d;
                best = v;
            }
        }
    int len = best >= 0 ? (int)strlen(k_verbs[best].word) : 0;
    if (best >= 0 && best_d <= (len / 3 > 2 ? len / 3 : 2) && (size_t)best_d < n)
        return fail_span(ps, LMB_EPARSE, at, n, "a step: did you mean '%s'?", k_verbs[best].shown);
    return fail_span(ps, LMB_EPARSE, at, n,
                     "a step (Charge, Discharge, Plate, Strip, Hold, Rest, EIS, Repeat or New "
                     "cycle)");
}

/* Parses the step on the present line, from the cursor. */
static lmb_status read_step(parser *ps, lmb_protocol_step *st) {
    skip_blanks(ps);
    size_t at = ps->pos, n = tok_len(ps, at);
    int v = 0;
    while (v < N_VERBS && !word_eq(ps->s + at, n, k_verbs[v].word))
        v++;
    if (v == N_VERBS)
        return unknown_verb(ps, at, n);
    ps->pos += n;
    st->kind = k_verbs[v].kind;
    st->line = ps->line;
    switch (st->kind) {
    case LMB_PSTEP_CHARGE:
    case LMB_PSTEP_DISCHARGE:
    case LMB_PSTEP_PLATE:
    case LMB_PSTEP_STRIP:
        return read_current_step(ps, st);
    case LMB_PSTEP_HOLD:
        return read_hold(ps, st);
    case LMB_PSTEP_REST:
        return read_limits(ps, &k_lim_rest, st);
    case LMB_PSTEP_EIS:
        return read_eis(ps, st);
    case LMB_PSTEP_REPEAT:
        return read_repeat(ps, st);
    case LMB_PSTEP_NEW_CYCLE:
        if (!accept(ps, "cycle"))
            return fail_next(ps, LMB_EPARSE, "'cycle' (the line 'New cycle')");
        if (!at_end(ps))
            return fail_next(ps, LMB_EPARSE, "end of line");
        return LMB_OK;
    }
    return fail_span(ps, LMB_EPARSE, at, n, "a step");
}

/* ---- blocks and lines ---- */

static lmb_status push_step(parser *ps, const lmb_protocol_step *st) {
    lmb_protocol *p = ps->p;
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 16;
        lmb_protocol_step *ns = realloc(p->steps, (size_t)cap * sizeof *ns);
        if (!ns)
            LMB__FAIL(ps->ctx, LMB_ENOMEM, "%s:%d: out of memory", ps->origin, ps->line);
        p->steps = ns;
        p->cap = cap;
    }
    p->steps[p->n++] = *st;
    return LMB_OK;
}

/* Ends the innermost open block: its body is every entry after the Repeat. */
static void close_block(parser *ps) {
    block *b = &ps->stack[--ps->depth];
    ps->p->steps[b->index].body_len = ps->p->n - b->index - 1;
}

/* One line, already cut at '#' and stripped of trailing blanks; indent leading spaces. */
static lmb_status do_line(parser *ps, int indent) {
    size_t first = (size_t)indent, n = tok_len(ps, first);
    int pending = ps->depth > 0 && ps->stack[ps->depth - 1].body_indent < 0;
    if (pending) {
        block *b = &ps->stack[ps->depth - 1];
        if (indent <= b->indent)
            return fail_span(ps, LMB_EPARSE, first, n,
                             "an indented line (the body of the Repeat on line %d)", b->line);
        b->body_indent = indent;
    } else {
        while (ps->depth > 0 && indent < ps->stack[ps->depth - 1].body_indent)
            close_block(ps);
        int level = ps->depth > 0 ? ps->stack[ps->depth - 1].body_indent : 0;
        if (indent != level) {
            char found[QUOTED_SIZE + 64], tok[QUOTED_SIZE];
            quote(ps, first, n, tok);
            snprintf(found, sizeof found, "%s indented by %d space%s", tok, indent,
                     indent == 1 ? "" : "s");
            if (ps->depth == 0)
                return fail_text(ps, LMB_EPARSE, ps->line, first + 1, found,
                                 "no indentation (only the body of a Repeat is indented)");
            return fail_text(ps, LMB_EPARSE, ps->line, first + 1, found,
                             "%d spaces, as the other lines of its block", level);
        }
    }
    if (ps->p->n >= LMB_PROTOCOL_MAX_STEPS)
        return fail_span(ps, LMB_ERANGE, first, n, "at most %d steps (use Repeat)",
                         LMB_PROTOCOL_MAX_STEPS);
    lmb_protocol_step st;
    memset(&st, 0, sizeof st);
    ps->pos = first;
    lmb_status rc = read_step(ps, &st);
    if (rc != LMB_OK)
        return rc;
    if (st.kind == LMB_PSTEP_REPEAT && ps->depth == LMB_PROTOCOL_MAX_DEPTH)
        return fail_span(ps, LMB_ERANGE, first, n, "at most %d nested Repeats",
                         LMB_PROTOCOL_MAX_DEPTH);
    if ((rc = push_step(ps, &st)) != LMB_OK)
        return rc;
    if (st.kind == LMB_PSTEP_REPEAT)
        ps->stack[ps->depth++] = (block){indent, -1, ps->p->n - 1, ps->line};
    return LMB_OK;
}

static lmb_status parse_text(parser *ps, const char *text) {
    const char *cur = text;
    if (strncmp(cur, "\xEF\xBB\xBF", 3) == 0)
        cur += 3; /* a UTF-8 byte-order mark, as some Windows editors write */
    int eof_line = 1;
    size_t eof_col = 1;
    while (*cur) {
        ps->line++;
        size_t raw = strcspn(cur, "\r\n");
        const char *next = cur + raw;
        /* line ends: "\n", "\r\n" and a lone "\r" */
        if (*next == '\r')
            next++;
        if (*next == '\n' && (next == cur + raw || next[-1] == '\r'))
            next++;
        if (*next == '\0') {
            eof_line = next > cur + raw ? ps->line + 1 : ps->line;
            eof_col = next > cur + raw ? 1 : raw + 1;
        }
        ps->s = cur;
        ps->len = raw;
        const char *hash = memchr(cur, '#', raw);
        if (hash)
            ps->len = (size_t)(hash - cur);
        while (ps->len > 0 && is_blank(cur[ps->len - 1]))
            ps->len--;
        size_t ind = 0;
        while (ind < ps->len && is_blank(cur[ind]))
            ind++;
        cur = next;
        if (ind == ps->len)
            continue; /* blank or comment */
        const char *tab = memchr(ps->s, '\t', ind);
        if (tab)
            return fail_text(ps, LMB_EPARSE, ps->line, (size_t)(tab - ps->s) + 1, "a tab",
                             "spaces (indentation is by spaces only)");
        lmb_status rc = do_line(ps, (int)ind);
        if (rc != LMB_OK)
            return rc;
    }
    if (ps->depth > 0 && ps->stack[ps->depth - 1].body_indent < 0)
        return fail_text(ps, LMB_EPARSE, eof_line, eof_col, "end of file",
                         "an indented line (the body of the Repeat on line %d)",
                         ps->stack[ps->depth - 1].line);
    while (ps->depth > 0)
        close_block(ps);
    for (int i = 0; i < ps->p->n; i++)
        if (ps->p->steps[i].kind != LMB_PSTEP_REPEAT && ps->p->steps[i].kind != LMB_PSTEP_NEW_CYCLE)
            return LMB_OK;
    return fail_text(ps, LMB_EPARSE, eof_line, eof_col, "end of file", "at least one step");
}

/* ---- public API ---- */

lmb_status lmb_protocol_parse(lmb_ctx *ctx, const char *text, const char *origin,
                              lmb_protocol **out) {
    if (out)
        *out = NULL;
    if (!text || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_protocol_parse: NULL argument");
    if (!origin)
        origin = "<protocol>";
    parser *ps = calloc(1, sizeof *ps);
    lmb_protocol *p = calloc(1, sizeof *p);
    char *orig = malloc(strlen(origin) + 1);
    if (!ps || !p || !orig) {
        free(ps);
        free(p);
        free(orig);
        LMB__FAIL(ctx, LMB_ENOMEM, "lmb_protocol_parse: out of memory");
    }
    strcpy(orig, origin);
    p->origin = orig;
    ps->ctx = ctx;
    ps->p = p;
    escape_span(ps->origin, sizeof ps->origin, origin, strlen(origin), ORIGIN_MAX);
    lmb_status rc = LMB_OK;
    size_t size = 0;
    while (size <= (size_t)LMB_PROTOCOL_MAX_BYTES && text[size])
        size++;
    if (size > (size_t)LMB_PROTOCOL_MAX_BYTES)
        rc = lmb__ctx_fail(ctx, LMB_ERANGE, "%s: larger than %d MiB; not a protocol file",
                           ps->origin, LMB_PROTOCOL_MAX_BYTES / (1024 * 1024));
    else
        rc = parse_text(ps, text);
    free(ps);
    if (rc != LMB_OK) {
        lmb_protocol_free(p);
        return rc;
    }
    *out = p;
    return LMB_OK;
}

const lmb__preset *lmb__protocol_builtin(const char *ref) {
    if (!ref || strncmp(ref, "protocol:", 9) != 0)
        return NULL;
    for (int i = 0; i < lmb__protocol_files_count; i++)
        if (strcmp(ref + 9, lmb__protocol_files[i].name) == 0)
            return &lmb__protocol_files[i];
    return NULL;
}

lmb_status lmb_protocol_load(lmb_ctx *ctx, const char *path, lmb_protocol **out) {
    if (out)
        *out = NULL;
    if (!path || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_protocol_load: NULL argument");
    char shown[ORIGIN_MAX + 8];
    escape_span(shown, sizeof shown, path, strlen(path), ORIGIN_MAX);
    /* a built-in protocol: "protocol:li-li-1mA" is protocols/li-li-1mA.txt as compiled in */
    if (strncmp(path, "protocol:", 9) == 0) {
        const lmb__preset *b = lmb__protocol_builtin(path);
        if (b)
            return lmb_protocol_parse(ctx, b->json, b->path, out);
        LMB__FAIL(ctx, LMB_EIO, "%s: no such built-in protocol (see protocols/ in the sources)",
                  shown);
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        LMB__FAIL(ctx, LMB_EIO, "%s: cannot open: %s", shown, strerror(errno));
    /* read in growing chunks up to one byte past the limit: works for pipes too */
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    lmb_status rc = LMB_OK;
    int err = 0;
    if (!buf)
        rc = lmb__ctx_fail(ctx, LMB_ENOMEM, "%s: out of memory", shown);
    while (rc == LMB_OK) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                rc = lmb__ctx_fail(ctx, LMB_ENOMEM, "%s: out of memory", shown);
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t want = cap - 1 - n;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (n > (size_t)LMB_PROTOCOL_MAX_BYTES)
            rc = lmb__ctx_fail(ctx, LMB_ERANGE, "%s: larger than %d MiB; not a protocol file",
                               shown, LMB_PROTOCOL_MAX_BYTES / (1024 * 1024));
        if (got < want) {
            err = ferror(f) ? (errno ? errno : EIO) : 0;
            break;
        }
    }
    fclose(f);
    if (rc == LMB_OK && err)
        rc = lmb__ctx_fail(ctx, LMB_EIO, "%s: cannot read: %s", shown, strerror(err));
    if (rc == LMB_OK) {
        buf[n] = '\0';
        const char *nul = memchr(buf, '\0', n);
        if (nul) {
            /* line and column of the first NUL, for a message like the parser's */
            int line = 1;
            size_t col = 1;
            for (const char *c = buf; c < nul; c++) {
                if (*c == '\n' || (*c == '\r' && c[1] != '\n')) {
                    line++;
                    col = 1;
                } else if (*c != '\r') {
                    col++;
                }
            }
            rc = lmb__ctx_fail(ctx, LMB_EPARSE,
                               "%s:%d:%zu: found a NUL byte, expected text (a protocol is a text "
                               "file)",
                               shown, line, col);
        }
    }
    if (rc == LMB_OK)
        rc = lmb_protocol_parse(ctx, buf, path, out);
    free(buf);
    return rc;
}

void lmb_protocol_free(lmb_protocol *p) {
    if (!p)
        return;
    free(p->steps);
    free(p->origin);
    free(p);
}

int lmb_protocol_step_count(const lmb_protocol *p) {
    return p ? p->n : 0;
}

const lmb_protocol_step *lmb_protocol_step_at(const lmb_protocol *p, int i) {
    return (p && i >= 0 && i < p->n) ? &p->steps[i] : NULL;
}

const char *lmb_protocol_origin(const lmb_protocol *p) {
    return p ? p->origin : "";
}

/* ---- canonical text ---- */

typedef struct sbuf {
    char b[1024]; /* far more than any step needs: 8 limits of about 30 bytes */
    size_t n;
} sbuf;

static void sb_add(sbuf *sb, const char *fmt, ...) LMB__PRINTF(2, 3);
static void sb_add(sbuf *sb, const char *fmt, ...) {
    if (sb->n + 1 >= sizeof sb->b)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(sb->b + sb->n, sizeof sb->b - sb->n, fmt, ap);
    va_end(ap);
    if (w > 0)
        sb->n = sb->n + (size_t)w < sizeof sb->b ? sb->n + (size_t)w : sizeof sb->b - 1;
}

/* Significant digits written: enough that the text reads back to within 1e-12 relative, few
 * enough that unit conversions do not show ("0.4", not "0.40000000000000002"). */
#define FMT_DIGITS 12

/* Writes si in the first of the units (largest first) whose value is >= its threshold, in that
 * unit; the last unit takes everything else. The slack keeps values at a threshold that a scale
 * factor rounded just below it (100 uA/cm2 -> 0.09999999999999998 mA/cm2) in the larger unit. */
static void sb_qty(sbuf *sb, double si, const char *const *units, const double *min_value,
                   int n_units) {
    int k = 0;
    while (k < n_units - 1 &&
           !(fabs(lmb_unit_from_si(lmb_unit_find(units[k]), si)) >= min_value[k] * (1 - 1e-9)))
        k++;
    sb_add(sb, "%.*g %s", FMT_DIGITS, lmb_unit_from_si(lmb_unit_find(units[k]), si), units[k]);
}

static int is_whole(double x) {
    return x >= 1.0 && fabs(x - nearbyint(x)) <= 1e-9 * x;
}

static void sb_crate(sbuf *sb, double r) {
    if (r > 0.0 && r < 1.0 && is_whole(1.0 / r))
        sb_add(sb, "C/%.0f", 1.0 / r);
    else
        sb_add(sb, "%.*gC", FMT_DIGITS, r);
}

static void sb_current(sbuf *sb, double v, lmb_qty_kind q) {
    static const char *const abs_u[] = {"A", "mA", "uA"};
    static const double abs_min[] = {1.0, 0.1, 0.0};
    static const char *const areal_u[] = {"mA/cm2", "uA/cm2"};
    static const double areal_min[] = {0.1, 0.0};
    if (q == LMB_QTY_CRATE)
        sb_crate(sb, v);
    else if (q == LMB_QTY_AREAL)
        sb_qty(sb, v, areal_u, areal_min, 2);
    else
        sb_qty(sb, v, abs_u, abs_min, 3);
}

static void sb_capacity(sbuf *sb, double v, lmb_qty_kind q) {
    static const char *const abs_u[] = {"Ah", "mAh", "uAh"};
    static const double abs_min[] = {1.0, 0.1, 0.0};
    static const char *const areal_u[] = {"mAh/cm2", "uAh/cm2"};
    static const double areal_min[] = {0.1, 0.0};
    if (q == LMB_QTY_AREAL)
        sb_qty(sb, v, areal_u, areal_min, 2);
    else
        sb_qty(sb, v, abs_u, abs_min, 3);
}

/* Times in the largest of h, min, s that gives a whole number ("72 min", not "1.2 h"), else in
 * the largest unit in which the value is >= 1. */
static void sb_time(sbuf *sb, double t) {
    static const char *const u[] = {"h", "min", "s"};
    static const double scale[] = {3600.0, 60.0, 1.0};
    for (int k = 0; k < 3; k++)
        if (is_whole(t / scale[k])) {
            sb_add(sb, "%.*g %s", FMT_DIGITS, t / scale[k], u[k]);
            return;
        }
    int k = 0;
    while (k < 2 && !(t / scale[k] >= 1.0))
        k++;
    sb_add(sb, "%.*g %s", FMT_DIGITS, t / scale[k], u[k]);
}

static void sb_frequency(sbuf *sb, double f) {
    static const char *const u[] = {"MHz", "kHz", "Hz", "mHz"};
    static const double min_value[] = {1.0, 1.0, 1.0, 0.0};
    sb_qty(sb, f, u, min_value, 4);
}

static void sb_condition(sbuf *sb, const lmb_condition *c) {
    switch (c->kind) {
    case LMB_COND_STEP_TIME:
        sb_add(sb, "for ");
        sb_time(sb, c->value);
        return;
    case LMB_COND_CAPACITY:
        sb_add(sb, "for ");
        sb_capacity(sb, c->value, c->qty);
        return;
    case LMB_COND_VOLTAGE:
        sb_add(sb, "until %.*g V", FMT_DIGITS, c->value);
        return;
    case LMB_COND_CURRENT:
        sb_add(sb, "until ");
        sb_current(sb, c->value, c->qty);
        return;
    case LMB_COND_TOTAL_TIME:
        sb_add(sb, "until total time ");
        sb_time(sb, c->value);
        return;
    case LMB_COND_SHORT:
        sb_add(sb, "until short");
        return;
    }
    sb_add(sb, "until ?");
}

int lmb_protocol_step_format(const lmb_protocol_step *s, char *buf, int size) {
    sbuf sb;
    sb.n = 0;
    sb.b[0] = '\0';
    int has_limits = 0;
    if (s) {
        switch (s->kind) {
        case LMB_PSTEP_CHARGE:
        case LMB_PSTEP_DISCHARGE:
        case LMB_PSTEP_PLATE:
        case LMB_PSTEP_STRIP:
            sb_add(&sb, "%s at ",
                   s->kind == LMB_PSTEP_CHARGE      ? "Charge"
                   : s->kind == LMB_PSTEP_DISCHARGE ? "Discharge"
                   : s->kind == LMB_PSTEP_PLATE     ? "Plate"
                                                    : "Strip");
            sb_current(&sb, s->current, s->current_qty);
            has_limits = 1;
            break;
        case LMB_PSTEP_HOLD:
            sb_add(&sb, "Hold at %.*g V", FMT_DIGITS, s->voltage);
            has_limits = 1;
            break;
        case LMB_PSTEP_REST:
            sb_add(&sb, "Rest");
            has_limits = 1;
            break;
        case LMB_PSTEP_EIS: {
            static const char *const amp_v[] = {"V", "mV"};
            static const double amp_v_min[] = {1.0, 0.0};
            sb_add(&sb, "EIS from ");
            sb_frequency(&sb, s->f_start_Hz);
            sb_add(&sb, " to ");
            sb_frequency(&sb, s->f_end_Hz);
            sb_add(&sb, " with %d points per decade at ", s->points_per_decade);
            if (s->amplitude_is_current)
                sb_current(&sb, s->amplitude, s->amplitude_qty);
            else
                sb_qty(&sb, s->amplitude, amp_v, amp_v_min, 2);
            break;
        }
        case LMB_PSTEP_REPEAT:
            sb_add(&sb, "Repeat %ld %s:", s->count, s->count == 1 ? "time" : "times");
            break;
        case LMB_PSTEP_NEW_CYCLE:
            sb_add(&sb, "New cycle");
            break;
        default:
            sb_add(&sb, "?");
            break;
        }
        int nc = has_limits ? s->n_conditions : 0;
        if (nc > LMB_PROTOCOL_MAX_CONDITIONS)
            nc = LMB_PROTOCOL_MAX_CONDITIONS;
        for (int k = 0; k < nc; k++) {
            sb_add(&sb, k ? " or " : " ");
            sb_condition(&sb, &s->conditions[k]);
        }
    }
    if (buf && size > 0)
        snprintf(buf, (size_t)size, "%s", sb.b);
    return (int)sb.n;
}
