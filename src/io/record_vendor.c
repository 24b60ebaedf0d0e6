/*
 * record_vendor.c - detection, units, the table reader and the current-sign check shared by the
 * readers of vendor cycler exports (record_vendor.h).
 */
#include "io/record_vendor.h"

#include "lmb/units.h"

#include "core/ctx_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small string helpers ---- */

static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int lmb__vend_ieq(const char *a, const char *b) {
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

int lmb__vend_iprefix(const char *s, const char *prefix) {
    while (*prefix && lower((unsigned char)*s) == lower((unsigned char)*prefix)) {
        s++;
        prefix++;
    }
    return *prefix == '\0';
}

int lmb__vend_icontains(const char *s, const char *sub) {
    for (; *s; s++)
        if (lmb__vend_iprefix(s, sub))
            return 1;
    return *sub == '\0';
}

static void copy_cut(char *dst, size_t cap, const char *src, size_t n) {
    if (cap == 0)
        return;
    if (n > cap - 1)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void lmb__vend_split_name(const char *name, char *base, size_t base_cap, char *unit,
                          size_t unit_cap) {
    size_t n = strlen(name);
    while (n > 0 && lmb__is_blank(name[n - 1]))
        n--;
    size_t b = n, u0 = n, u1 = n;
    if (n > 0 && (name[n - 1] == ')' || name[n - 1] == ']')) {
        char open = name[n - 1] == ')' ? '(' : '[';
        size_t k = n - 1;
        while (k > 0 && name[k - 1] != open)
            k--;
        if (k > 0) { /* name[k - 1] is the opening bracket */
            b = k - 1;
            u0 = k;
            u1 = n - 1;
        }
    }
    while (b > 0 && lmb__is_blank(name[b - 1]))
        b--;
    while (u0 < u1 && lmb__is_blank(name[u0]))
        u0++;
    while (u1 > u0 && lmb__is_blank(name[u1 - 1]))
        u1--;
    size_t a = 0;
    while (a < b && lmb__is_blank(name[a]))
        a++;
    copy_cut(base, base_cap, name + a, b - a);
    copy_cut(unit, unit_cap, name + u0, u1 - u0);
}

/* Splits with quotes: "a","b ""c""",d -> a | b "c" | d. In place: the writer never passes the
 * reader. */
static int split_quoted(char *s, char sep, char **fields, int max) {
    int nf = 0;
    char *w = s;
    while (nf < max) {
        char *start = w;
        while (lmb__is_blank(*s))
            s++;
        if (*s == '"') {
            s++;
            while (*s) {
                if (*s == '"') {
                    if (s[1] == '"') {
                        *w++ = '"';
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                *w++ = *s++;
            }
        }
        while (*s && *s != sep)
            *w++ = *s++;
        int more = *s == sep;
        if (more)
            s++;
        *w++ = '\0';
        fields[nf++] = lmb__trim(start);
        if (!more)
            break;
    }
    return nf;
}

int lmb__vend_split(char *s, char sep, char **fields, int max) {
    if (max <= 0)
        return 0;
    return strchr(s, '"') ? split_quoted(s, sep, fields, max) : lmb__split_at(s, sep, fields, max);
}

/* ---- detection ---- */

static size_t window(size_t len) {
    return len < LMB__VEND_DETECT_BYTES ? len : LMB__VEND_DETECT_BYTES;
}

int lmb__vend_detect_text(const char *buf, size_t len) {
    return buf && memchr(buf, '\0', window(len)) == NULL;
}

int lmb__vend_detect_line(const char *buf, size_t len, size_t *off, char *out, size_t cap) {
    size_t w = window(len), o = *off;
    if (o == 0 && w >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        o = 3;
    if (o >= w || cap == 0)
        return 0;
    const char *nl = memchr(buf + o, '\n', w - o);
    size_t e = nl ? (size_t)(nl - buf) : w;
    size_t n = e - o;
    if (n > 0 && buf[e - 1] == '\r')
        n--;
    copy_cut(out, cap, buf + o, n);
    *off = nl ? e + 1 : w;
    return 1;
}

int lmb__vend_has_field(const char *line, char sep, const char *name, int prefix) {
    size_t nlen = strlen(name);
    const char *s = line;
    for (;;) {
        const char *e = strchr(s, sep);
        if (!e)
            e = s + strlen(s);
        const char *a = s, *b = e;
        while (a < b && lmb__is_blank(*a))
            a++;
        while (b > a && lmb__is_blank(b[-1]))
            b--;
        if (b - a >= 2 && *a == '"' && b[-1] == '"') {
            a++;
            b--;
        }
        size_t n = (size_t)(b - a);
        if ((prefix ? n >= nlen : n == nlen) && lmb__vend_iprefix(a, name))
            return 1;
        if (*e == '\0')
            return 0;
        s = e + 1;
    }
}

/* ---- units ---- */

typedef enum kind {
    K_TIME,
    K_VOLTAGE,
    K_CURRENT,
    K_COUNT,
    K_CHARGE,
    K_ENERGY,
    K_TEMP,
    K_FREQ,
    K_RES
} kind;

static kind kind_of(lmb_rec_col c) {
    switch (c) {
    case LMB_REC_TIME:
    case LMB_REC_UNIX_TIME:
        return K_TIME;
    case LMB_REC_VOLTAGE:
        return K_VOLTAGE;
    case LMB_REC_CURRENT:
        return K_CURRENT;
    case LMB_REC_CHARGE_CAPACITY:
    case LMB_REC_DISCHARGE_CAPACITY:
    case LMB_REC_NET_CHARGE:
        return K_CHARGE;
    case LMB_REC_CHARGE_ENERGY:
    case LMB_REC_DISCHARGE_ENERGY:
        return K_ENERGY;
    case LMB_REC_TEMPERATURE:
        return K_TEMP;
    case LMB_REC_FREQUENCY:
        return K_FREQ;
    case LMB_REC_Z_RE:
    case LMB_REC_Z_IM:
        return K_RES;
    default:
        return K_COUNT;
    }
}

const char *lmb__vend_unit_kind(lmb_rec_col c) {
    static const char *const text[] = {
        [K_TIME] = "a time (s, ms, min, h)",        [K_VOLTAGE] = "a voltage (V, mV)",
        [K_CURRENT] = "a current (A, mA, uA)",      [K_COUNT] = "a count (1 or no unit)",
        [K_CHARGE] = "a charge (Ah, mAh, uAh)",     [K_ENERGY] = "an energy (Wh, mWh, kWh, J)",
        [K_TEMP] = "a temperature (degC, C, K)",    [K_FREQ] = "a frequency (Hz, kHz, mHz)",
        [K_RES] = "a resistance (ohm, mohm, kohm)",
    };
    return text[kind_of(c)];
}

/* Spellings of cycler exports that lmb/units.h does not have, by kind; compared ignoring ASCII
 * case, except the single letters where case is the unit. */
static const struct {
    kind k;
    const char *name;
    double scale, offset;
} aliases[] = {
    {K_TIME, "sec", 1.0, 0.0},
    {K_TIME, "second", 1.0, 0.0},
    {K_TIME, "seconds", 1.0, 0.0},
    {K_TIME, "min", 60.0, 0.0},
    {K_TIME, "minute", 60.0, 0.0},
    {K_TIME, "hr", 3600.0, 0.0},
    {K_TIME, "hour", 3600.0, 0.0},
    {K_TIME, "hours", 3600.0, 0.0},
    {K_VOLTAGE, "volt", 1.0, 0.0},
    {K_CURRENT, "amp", 1.0, 0.0},
    {K_CURRENT, "amps", 1.0, 0.0},
    {K_ENERGY, "kWh", 3.6e6, 0.0},
    {K_ENERGY, "kJ", 1e3, 0.0},
    {K_TEMP, "celsius", 1.0, 273.15},
    {K_TEMP,
     "\xC2\xB0"
     "C",
     1.0, 273.15},
    {K_TEMP, "\xE2\x84\x83", 1.0, 273.15},
    {K_TEMP, "kelvin", 1.0, 0.0},
    {K_RES, "Ohm", 1.0, 0.0},
    {K_RES, "Ohms", 1.0, 0.0},
    {K_RES, "mOhm", 1e-3, 0.0},
    {K_RES, "kOhm", 1e3, 0.0},
};

static lmb_dim dim_of(kind k) {
    switch (k) {
    case K_TIME:
        return LMB_DIM_TIME;
    case K_VOLTAGE:
        return LMB_DIM_VOLTAGE;
    case K_CURRENT:
        return LMB_DIM_CURRENT;
    case K_CHARGE:
        return LMB_DIM_CHARGE;
    case K_TEMP:
        return LMB_DIM_TEMPERATURE;
    case K_FREQ:
        return LMB_DIM_FREQUENCY;
    case K_RES:
        return LMB_DIM_RESISTANCE;
    case K_ENERGY:
        return LMB_DIM_ENERGY;
    default:
        return LMB_DIM_COUNT; /* counts are not looked up in lmb/units.h */
    }
}

int lmb__vend_unit(lmb_rec_col c, const char *unit, double *scale, double *offset) {
    kind k = kind_of(c);
    if (k == K_COUNT) {
        if (*unit == '\0' || strcmp(unit, "1") == 0) {
            *scale = 1.0;
            *offset = 0.0;
            return 1;
        }
        return 0;
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (aliases[i].k != k)
            continue;
        /* the energies' letters are exact ("mWh" is not "MWh"); words ignore case */
        int match = k == K_ENERGY ? strcmp(unit, aliases[i].name) == 0
                                  : lmb__vend_ieq(unit, aliases[i].name);
        if (match) {
            *scale = aliases[i].scale;
            *offset = aliases[i].offset;
            return 1;
        }
    }
    lmb_dim d = dim_of(k);
    const lmb_unit *u = d == LMB_DIM_COUNT ? NULL : lmb_unit_find(unit);
    if (!u || u->dim != d)
        return 0;
    *scale = u->scale;
    *offset = u->offset;
    return 1;
}

/* ---- durations ---- */

/* Reads up to 9 digits as an integer; returns the number of digits read. */
static int read_int(const char **s, double *v) {
    int n = 0;
    double x = 0.0;
    while (**s >= '0' && **s <= '9' && n < 10) {
        x = 10.0 * x + (**s - '0');
        (*s)++;
        n++;
    }
    *v = x;
    return n > 0 && n < 10 ? n : 0;
}

int lmb__vend_parse_duration(const char *s, double *seconds) {
    while (lmb__is_blank(*s))
        s++;
    double part[4], days = 0.0;
    int np = 0;
    const char *p = s;
    double x;
    if (!read_int(&p, &x))
        return 0;
    if (*p == '-') { /* d-h:mm:ss */
        days = x;
        p++;
        if (!read_int(&p, &x))
            return 0;
    }
    part[np++] = x;
    while (*p == ':' && np < 4) {
        p++;
        const char *q = p;
        if (!read_int(&p, &x) || p - q != 2)
            return 0;
        part[np++] = x;
    }
    double frac = 0.0;
    if (*p == '.') {
        p++;
        double scale = 0.1;
        int nd = 0;
        while (*p >= '0' && *p <= '9' && nd < 12) {
            frac += (*p - '0') * scale;
            scale *= 0.1;
            p++;
            nd++;
        }
        if (nd == 0 || (*p >= '0' && *p <= '9'))
            return 0;
    }
    while (lmb__is_blank(*p))
        p++;
    if (*p != '\0' || np < 3 || (np == 4 && days != 0.0))
        return 0;
    if (np == 4) { /* d:hh:mm:ss */
        days = part[0];
        part[0] = part[1];
        part[1] = part[2];
        part[2] = part[3];
        if (part[0] >= 24.0)
            return 0;
    }
    if (part[1] >= 60.0 || part[2] >= 60.0)
        return 0;
    *seconds = ((days * 24.0 + part[0]) * 60.0 + part[1]) * 60.0 + part[2] + frac;
    return 1;
}

/* ---- the table ---- */

lmb_status lmb__vend_begin(lmb_ctx *ctx, lmb__vend_table *t, const char *path, char *buf,
                           size_t len, char sep, int decimal_comma) {
    t->path = path;
    t->sep = sep;
    t->decimal_comma = decimal_comma;
    t->pos = buf;
    t->end = buf + len;
    t->ends_nl = len > 0 && buf[len - 1] == '\n';
    t->lineno = 0;
    t->header_line = 0;
    t->n_names = 0;
    t->n_cols = 0;
    t->need = 0;
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        t->offer[c].field = -1;
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        size_t line = 1;
        for (const char *p = buf; p < nul; p++)
            line += *p == '\n';
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: binary content (a NUL byte at offset %zu), not a text export", path,
                  line, (size_t)(nul - buf));
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        t->pos += 3;
    return LMB_OK;
}

char *lmb__vend_next(lmb__vend_table *t) {
    char *line = lmb__next_line(&t->pos, t->end);
    if (line)
        t->lineno++;
    return line;
}

int lmb__vend_blank(const lmb__vend_table *t, const char *line) {
    for (; *line; line++)
        if (!lmb__is_blank(*line) && *line != t->sep)
            return 0;
    return 1;
}

lmb_status lmb__vend_header(lmb_ctx *ctx, lmb__vend_table *t, char *line) {
    t->header_line = t->lineno;
    t->n_names = lmb__vend_split(line, t->sep, t->names, LMB__VEND_MAX_FIELDS);
    if (t->n_names >= LMB__VEND_MAX_FIELDS)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s:%zu: the header names %d or more columns; lmb reads %d",
                  t->path, t->lineno, LMB__VEND_MAX_FIELDS, LMB__VEND_MAX_FIELDS - 1);
    memset(t->used, 0, sizeof t->used);
    return LMB_OK;
}

int lmb__vend_find(const lmb__vend_table *t, const char *name) {
    for (int k = 0; k < t->n_names; k++)
        if (lmb__vend_ieq(t->names[k], name))
            return k;
    return -1;
}

void lmb__vend_use(lmb__vend_table *t, int field) {
    if (field < 0 || field >= t->n_names)
        return;
    t->used[field] = 1;
    if (field + 1 > t->need)
        t->need = field + 1;
}

lmb_status lmb__vend_offer(lmb_ctx *ctx, lmb__vend_table *t, lmb_rec_col c, int field, int prio,
                           const char *unit, int duration) {
    lmb__vend_offer_t *o = &t->offer[c];
    if (o->field >= 0 && o->prio == prio)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: columns %d (" LMB__VEND_NAME_FMT ") and %d (" LMB__VEND_NAME_FMT
                  ") both give the %s: the file is ambiguous",
                  t->path, t->header_line, o->field + 1, t->names[o->field], field + 1,
                  t->names[field], lmb_record_label(c));
    if (o->field >= 0 && o->prio < prio)
        return LMB_OK;
    o->field = field;
    o->prio = prio;
    o->duration = duration;
    copy_cut(o->unit, sizeof o->unit, unit, strlen(unit));
    return LMB_OK;
}

lmb_status lmb__vend_map_offers(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t) {
    for (int c = 0; c < LMB_REC_N_COLS; c++) {
        const lmb__vend_offer_t *o = &t->offer[c];
        if (o->field < 0)
            continue;
        lmb__vend_col *m = &t->cols[t->n_cols];
        memset(m, 0, sizeof *m);
        m->field = o->field;
        m->col = (lmb_rec_col)c;
        m->duration = o->duration;
        m->required = c == LMB_REC_TIME;
        if (!lmb__vend_unit(m->col, o->unit, &m->scale, &m->offset))
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: column %d (" LMB__VEND_NAME_FMT "): unit \"%.30s\" is not %s",
                      t->path, t->header_line, o->field + 1, t->names[o->field], o->unit,
                      lmb__vend_unit_kind(m->col));
        lmb_status st = lmb__record_add_column(ctx, r, m->col);
        if (st != LMB_OK)
            return st;
        t->n_cols++;
        lmb__vend_use(t, o->field);
    }
    return LMB_OK;
}

lmb_status lmb__vend_offer_names(lmb_ctx *ctx, lmb__vend_table *t, const lmb__vend_name *list,
                                 size_t n) {
    for (int k = 0; k < t->n_names; k++) {
        char base[96], unit[32];
        lmb__vend_split_name(t->names[k], base, sizeof base, unit, sizeof unit);
        if (strstr(unit, "/g") || strstr(unit, "/cm"))
            continue;
        for (size_t i = 0; i < n; i++) {
            if (!lmb__vend_ieq(base, list[i].base))
                continue;
            int counter = kind_of(list[i].col) == K_COUNT;
            if (counter && *unit && strcmp(unit, "1") != 0)
                continue;
            lmb_status st = lmb__vend_offer(ctx, t, list[i].col, k, list[i].prio,
                                            *unit ? unit : list[i].unit, 0);
            if (st != LMB_OK)
                return st;
            break;
        }
    }
    return LMB_OK;
}

lmb_status lmb__vend_note_wallclock(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, int field) {
    if (field < 0 || field >= t->n_names)
        return LMB_OK;
    t->used[field] = 1;
    return lmb__record_note(ctx, r,
                            "column " LMB__VEND_NAME_FMT
                            " holds local date and time without a time zone: not read as Unix time",
                            t->names[field]);
}

lmb__vend_col *lmb__vend_col_of(lmb__vend_table *t, lmb_rec_col c) {
    for (int k = 0; k < t->n_cols; k++)
        if (t->cols[k].col == c)
            return &t->cols[k];
    return NULL;
}

lmb_status lmb__vend_missing(lmb_ctx *ctx, const lmb__vend_table *t, const char *what) {
    LMB__FAIL(ctx, LMB_EPARSE, "%.400s:%zu: no %s column among the %d column names of the header",
              t->path, t->header_line, what, t->n_names);
}

lmb_status lmb__vend_require(lmb_ctx *ctx, lmb__vend_table *t, const char *const what[3]) {
    static const lmb_rec_col cols[3] = {LMB_REC_TIME, LMB_REC_VOLTAGE, LMB_REC_CURRENT};
    for (int k = 0; k < 3; k++)
        if (!lmb__vend_col_of(t, cols[k]))
            return lmb__vend_missing(ctx, t, what[k]);
    return LMB_OK;
}

lmb_status lmb__vend_read(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len,
                          lmb_status (*read_table)(lmb_ctx *, lmb_record *, lmb__vend_table *,
                                                   char *, size_t)) {
    lmb__vend_table *t = calloc(1, sizeof *t);
    if (!t)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", r->path);
    lmb_status st = read_table(ctx, r, t, buf, len);
    free(t);
    return st;
}

static int rest_blank(const char *p, const char *end) {
    for (; p < end; p++)
        if (!lmb__is_blank(*p) && *p != '\n')
            return 0;
    return 1;
}

lmb_status lmb__vend_row(lmb_ctx *ctx, lmb__vend_table *t, char *line, double *v, int *skip) {
    *skip = 0;
    int max = t->need + 1 < LMB__VEND_MAX_FIELDS ? t->need + 1 : LMB__VEND_MAX_FIELDS;
    int nf = lmb__vend_split(line, t->sep, t->fields, max);
    int unterminated = t->pos == t->end && !t->ends_nl;
    if (nf < t->need) {
        int miss = nf; /* the first column the row lacks that is read */
        while (miss < t->need && !t->used[miss])
            miss++;
        if (miss >= t->need)
            miss = t->need - 1;
        if (rest_blank(t->pos, t->end)) {
            if (unterminated)
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: the last line ends after %d field%s without a line end, "
                          "before column %d (" LMB__VEND_NAME_FMT "): the file is truncated",
                          t->path, t->lineno, nf, nf == 1 ? "" : "s", miss + 1, t->names[miss]);
            t->dropped_line = t->lineno;
            *skip = 1;
            return LMB_OK;
        }
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: %d field%s, but column %d (" LMB__VEND_NAME_FMT
                  ") is read (the header on line %zu names %d columns)",
                  t->path, t->lineno, nf, nf == 1 ? "" : "s", miss + 1, t->names[miss],
                  t->header_line, t->n_names);
    }
    if (unterminated)
        t->unterminated_line = t->lineno;
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        v[c] = NAN;
    for (int k = 0; k < t->n_cols; k++) {
        lmb__vend_col *m = &t->cols[k];
        char *s = t->fields[m->field];
        if (*s == '\0') {
            if (m->required)
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: column %d (" LMB__VEND_NAME_FMT
                          ") is empty; every row needs its %s",
                          t->path, t->lineno, m->field + 1, t->names[m->field],
                          lmb_record_label(m->col));
            if (m->n_empty++ == 0)
                m->first_empty = t->lineno;
            continue;
        }
        double x;
        int ok = m->duration ? lmb__vend_parse_duration(s, &x)
                             : lmb__parse_number(s, t->decimal_comma, &x);
        if (!ok)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: column %d (" LMB__VEND_NAME_FMT ") " LMB__VEND_FIELD_FMT
                      " is not %s",
                      t->path, t->lineno, m->field + 1, t->names[m->field], s,
                      m->duration ? "a duration h:mm:ss" : "a number");
        double si = x * m->scale + m->offset;
        if (!isfinite(si))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%.400s:%zu: column %d (" LMB__VEND_NAME_FMT ") " LMB__VEND_FIELD_FMT
                      " is not finite in SI units",
                      t->path, t->lineno, m->field + 1, t->names[m->field], s);
        v[m->col] = si;
    }
    return LMB_OK;
}

lmb_status lmb__vend_finish(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t) {
    if (r->n == 0)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s:%zu: no data rows after the header on line %zu", t->path,
                  t->lineno, t->header_line);
    lmb_status st = LMB_OK;
    for (int k = 0; k < t->n_cols && st == LMB_OK; k++) {
        const lmb__vend_col *m = &t->cols[k];
        if (m->n_empty)
            st = lmb__record_note(ctx, r,
                                  "column " LMB__VEND_NAME_FMT
                                  ": %zu empty cell%s read as NaN (the first on line %zu)",
                                  t->names[m->field], m->n_empty, m->n_empty == 1 ? "" : "s",
                                  m->first_empty);
    }
    if (st == LMB_OK && t->dropped_line)
        st = lmb__record_note(ctx, r,
                              "line %zu, the last, has fewer fields than the header: dropped as a "
                              "truncated row",
                              t->dropped_line);
    if (st == LMB_OK && t->unterminated_line)
        st = lmb__record_note(ctx, r,
                              "line %zu, the last, has no line end (the file may have been cut "
                              "while written); its values are kept",
                              t->unterminated_line);
    const double *T = r->col[LMB_REC_TEMPERATURE];
    if (st == LMB_OK && T) {
        size_t i = 0;
        while (i < r->n && T[i] == 273.15)
            i++;
        if (i == r->n)
            st = lmb__record_note(ctx, r,
                                  "the temperature is 0 degC in every row: the sensor may not "
                                  "have been connected");
    }
    if (st != LMB_OK)
        return st;
    /* the columns not read, in one note */
    char text[200];
    size_t n = 0, more = 0;
    text[0] = '\0';
    for (int k = 0; k < t->n_names; k++) {
        if (t->used[k] || t->names[k][0] == '\0')
            continue;
        if (more == 0) {
            int w = snprintf(text + n, sizeof text - n, "%s\"%.40s\"", n ? ", " : "", t->names[k]);
            if (w >= 0 && (size_t)w < sizeof text - n) {
                n += (size_t)w;
                continue;
            }
            text[n] = '\0';
        }
        more++;
    }
    if (n == 0 && more == 0)
        return LMB_OK;
    if (more)
        return lmb__record_note(ctx, r, "columns not read: %s and %zu more", text, more);
    return lmb__record_note(ctx, r, "columns not read: %s", text);
}

/* ---- the sign of the current ---- */

int lmb__vend_step_dir(const char *name) {
    if (lmb__vend_icontains(name, "dchg") || lmb__vend_icontains(name, "discharg"))
        return -1;
    if (lmb__vend_icontains(name, "chg") || lmb__vend_icontains(name, "charg"))
        return 1;
    return 0;
}

void lmb__vend_sign_see(lmb__vend_sign *s, int dir, double I, size_t line) {
    if (dir == 0 || !(I != 0.0) || isnan(I))
        return;
    if ((I > 0.0) == (dir > 0)) {
        if (s->agree++ == 0)
            s->first_agree = line;
    } else if (s->oppose++ == 0) {
        s->first_oppose = line;
    }
}

void lmb__vend_sign_capacity(lmb__vend_sign *s, const double *v, double prev[2], size_t line) {
    double qc = v[LMB_REC_CHARGE_CAPACITY], qd = v[LMB_REC_DISCHARGE_CAPACITY];
    double dc = qc - prev[0], dd = qd - prev[1];
    prev[0] = qc;
    prev[1] = qd;
    /* NaN differences compare false: the first row and empty cells tell nothing */
    if (dc > 0.0 && !(dd > 0.0))
        lmb__vend_sign_see(s, 1, v[LMB_REC_CURRENT], line);
    else if (dd > 0.0 && !(dc > 0.0))
        lmb__vend_sign_see(s, -1, v[LMB_REC_CURRENT], line);
}

lmb_status lmb__vend_sign_settle(lmb_ctx *ctx, lmb_record *r, const char *path,
                                 const lmb__vend_sign *s, const char *what, int flip_allowed,
                                 int strict) {
    if (s->agree == 0 && s->oppose == 0)
        return lmb__record_note(ctx, r,
                                "current sign: no row with a non-zero current tells its direction "
                                "through %s; kept as written (positive charges the cell)",
                                what);
    if (s->oppose == 0)
        return lmb__record_note(ctx, r,
                                "current sign checked against %s: %zu rows agree that positive "
                                "current charges the cell",
                                what, s->agree);
    if (s->agree == 0 && flip_allowed) {
        double *I = r->col[LMB_REC_CURRENT];
        for (size_t i = 0; i < r->n; i++)
            I[i] = -I[i];
        return lmb__record_note(ctx, r,
                                "current sign: on all %zu rows that tell, %s says the opposite of "
                                "the written sign: negated (positive charges the cell)",
                                s->oppose, what);
    }
    if (strict)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: column Current: the sign disagrees with %s here and on %zu rows in "
                  "all, but agrees on %zu (the first on line %zu): the sign convention is unclear",
                  path, s->first_oppose, what, s->oppose, s->agree, s->first_agree);
    return lmb__record_note(ctx, r,
                            "current sign: %zu rows agree with %s, %zu disagree (the first on line "
                            "%zu); kept as written",
                            s->agree, what, s->oppose, s->first_oppose);
}
