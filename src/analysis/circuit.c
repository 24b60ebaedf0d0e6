/*
 * circuit.c - equivalent circuits of impedance spectra (lmb/circuit.h): a recursive-descent
 * parser of impedance.py's circuit strings, the impedance of the circuit tree, a default initial
 * guess read off the spectrum, and a least-squares fit.
 *
 * Grammar (blanks skipped):
 *   series  := term ('-' term)*
 *   term    := 'p' '(' series (',' series)+ ')' | element
 *   element := letters digits          letters one of the types of lmb/circuit.h
 * The tree is kept in one array of nodes; children are linked by index. Element formulas are
 * those of impedance.py (impedance/models/circuits/elements.py), except Zarc, which impedance.py
 * does not define and which is written here as R / (1 + (j omega tau)^gamma).
 *
 * The fit: residuals r = (Z_model - Z_data) / w, real parts then imaginary parts (2n of them),
 * w = 1 or |Z_data|; minimised over u with p = exp(u) (positive parameters) or p = 1/(1+e^-u)
 * (alpha, gamma) by GSL's trust-region Levenberg-Marquardt (gsl_multifit_nlinear, QR solver,
 * central-difference Jacobian). The covariance of u is s^2 (J^T J)^-1 with s^2 = SSR/(2n - p);
 * the standard error of p is |dp/du| times that of u. GSL's global error handler is not
 * touched: every input is validated before GSL sees it and the residual function returns finite
 * numbers only (a non-finite model value becomes a huge residual, so the step is rejected).
 */
#include "lmb/circuit.h"

#include "core/ctx_internal.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

#include <complex.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWO_PI  6.283185307179586
#define HALF_PI 1.5707963267948966

/* ---- element table ---- */

typedef enum { PK_POS, PK_FRAC } param_kind; /* p = exp(u) or p = logistic(u) */

typedef enum { E_R, E_C, E_L, E_CPE, E_W, E_WO, E_WS, E_K, E_ZARC, E_G, E_GS, E_TLMQ } elem_type;

typedef struct elem_info {
    const char *name;
    int np;
    const char *unit[3];
    param_kind kind[3];
} elem_info;

static const elem_info ELEMS[] = {
    [E_R] = {"R", 1, {"ohm"}, {PK_POS}},
    [E_C] = {"C", 1, {"F"}, {PK_POS}},
    [E_L] = {"L", 1, {"H"}, {PK_POS}},
    [E_CPE] = {"CPE", 2, {"F s^(alpha-1)", "1"}, {PK_POS, PK_FRAC}},
    [E_W] = {"W", 1, {"ohm s^-1/2"}, {PK_POS}},
    [E_WO] = {"Wo", 2, {"ohm", "s"}, {PK_POS, PK_POS}},
    [E_WS] = {"Ws", 2, {"ohm", "s"}, {PK_POS, PK_POS}},
    [E_K] = {"K", 2, {"ohm", "s"}, {PK_POS, PK_POS}},
    [E_ZARC] = {"Zarc", 3, {"ohm", "s", "1"}, {PK_POS, PK_POS, PK_FRAC}},
    [E_G] = {"G", 2, {"ohm", "s"}, {PK_POS, PK_POS}},
    [E_GS] = {"Gs", 3, {"ohm", "s", "1"}, {PK_POS, PK_POS, PK_POS}},
    [E_TLMQ] = {"TLMQ", 3, {"ohm", "F s^(gamma-1)", "1"}, {PK_POS, PK_POS, PK_FRAC}},
};
#define N_ELEMS (sizeof ELEMS / sizeof ELEMS[0])

/* ---- the circuit tree ---- */

typedef enum { N_SERIES, N_PARALLEL, N_ELEMENT } node_kind;

#define NONE SIZE_MAX

typedef struct node {
    node_kind kind;
    elem_type type;                      /* N_ELEMENT */
    size_t p0;                           /* N_ELEMENT: index of its first parameter */
    size_t col;                          /* 1-based column where it starts */
    size_t first, last, next;            /* first/last child, next sibling (NONE) */
    char name[LMB_CIRCUIT_NAME_MAX + 1]; /* N_ELEMENT */
} node;

typedef struct pname {
    char s[LMB_CIRCUIT_NAME_MAX + 17]; /* name, "_", an int, NUL */
} pname;

struct lmb_circuit {
    node *nodes;
    size_t n_nodes, cap_nodes, root;
    size_t np;
    pname *names;
    const char **units;
    param_kind *kinds;
    size_t *owner; /* node of each parameter */
    char *text;
};

void lmb_circuit_free(lmb_circuit *c) {
    if (!c)
        return;
    free(c->nodes);
    free(c->names);
    free(c->units);
    free(c->kinds);
    free(c->owner);
    free(c->text);
    free(c);
}

const char *lmb_circuit_text(const lmb_circuit *c) {
    return c ? c->text : NULL;
}

size_t lmb_circuit_param_count(const lmb_circuit *c) {
    return c ? c->np : 0;
}

const char *lmb_circuit_param_name(const lmb_circuit *c, size_t i) {
    return c && i < c->np ? c->names[i].s : NULL;
}

const char *lmb_circuit_param_unit(const lmb_circuit *c, size_t i) {
    return c && i < c->np ? c->units[i] : NULL;
}

/* ---- parser ---- */

typedef struct parser {
    lmb_ctx *ctx;
    lmb_circuit *c;
    const char *s;
    size_t pos;
    int depth;
} parser;

static void skip_blanks(parser *ps) {
    while (ps->s[ps->pos] == ' ' || ps->s[ps->pos] == '\t')
        ps->pos++;
}

static lmb_status new_node(parser *ps, node_kind kind, size_t col, size_t *id) {
    lmb_circuit *c = ps->c;
    if (c->n_nodes == c->cap_nodes) {
        size_t cap = c->cap_nodes ? 2 * c->cap_nodes : 16;
        node *nn = realloc(c->nodes, cap * sizeof *nn);
        if (!nn)
            LMB__FAIL(ps->ctx, LMB_ENOMEM, "circuit: out of memory for %zu nodes", cap);
        c->nodes = nn;
        c->cap_nodes = cap;
    }
    node *n = &c->nodes[c->n_nodes];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->col = col;
    n->first = n->last = n->next = NONE;
    *id = c->n_nodes++;
    return LMB_OK;
}

static void add_child(lmb_circuit *c, size_t parent, size_t child) {
    node *p = &c->nodes[parent];
    if (p->first == NONE)
        p->first = child;
    else
        c->nodes[p->last].next = child;
    p->last = child;
}

#define PARSE_FAIL(ps, col, ...)                                                                   \
    do {                                                                                           \
        char msg_[256];                                                                            \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);                                                  \
        LMB__FAIL((ps)->ctx, LMB_EPARSE, "circuit \"%s\", column %zu: %s", (ps)->s, (size_t)(col), \
                  msg_);                                                                           \
    } while (0)

static lmb_status parse_series(parser *ps, size_t *out);

static lmb_status add_params(parser *ps, size_t id) {
    lmb_circuit *c = ps->c;
    node *e = &c->nodes[id];
    const elem_info *ei = &ELEMS[e->type];
    size_t np = c->np + (size_t)ei->np;
    pname *names = realloc(c->names, np * sizeof *names);
    if (names)
        c->names = names;
    const char **units = realloc(c->units, np * sizeof *units);
    if (units)
        c->units = units;
    param_kind *kinds = realloc(c->kinds, np * sizeof *kinds);
    if (kinds)
        c->kinds = kinds;
    size_t *owner = realloc(c->owner, np * sizeof *owner);
    if (owner)
        c->owner = owner;
    if (!names || !units || !kinds || !owner)
        LMB__FAIL(ps->ctx, LMB_ENOMEM, "circuit: out of memory for %zu parameters", np);
    e->p0 = c->np;
    for (int k = 0; k < ei->np; k++) {
        size_t i = c->np + (size_t)k;
        if (ei->np == 1)
            snprintf(c->names[i].s, sizeof c->names[i].s, "%s", e->name);
        else
            snprintf(c->names[i].s, sizeof c->names[i].s, "%s_%d", e->name, k);
        c->units[i] = ei->unit[k];
        c->kinds[i] = ei->kind[k];
        c->owner[i] = id;
    }
    c->np = np;
    return LMB_OK;
}

/* An element or a parallel group, starting at a letter. */
static lmb_status parse_term(parser *ps, size_t *out) {
    skip_blanks(ps);
    size_t start = ps->pos, col = start + 1;
    char ch = ps->s[start];
    if (ch == '\0')
        PARSE_FAIL(ps, col, "expected an element or p(...) but the string ends");
    if (!isalpha((unsigned char)ch)) {
        if (ch == ')')
            PARSE_FAIL(ps, col, "unexpected ')': unbalanced parentheses or an empty branch");
        PARSE_FAIL(ps, col, "expected an element or p(...), found '%c'", ch);
    }
    size_t e = start;
    while (isalpha((unsigned char)ps->s[e]))
        e++;
    size_t nlet = e - start;
    size_t after = e;
    while (ps->s[after] == ' ' || ps->s[after] == '\t')
        after++;
    if (nlet == 1 && ch == 'p' && ps->s[after] == '(') {
        if (ps->depth >= LMB_CIRCUIT_DEPTH_MAX)
            PARSE_FAIL(ps, col, "parallel groups nested deeper than %d", LMB_CIRCUIT_DEPTH_MAX);
        size_t open_col = after + 1, id, branch;
        lmb_status st = new_node(ps, N_PARALLEL, col, &id);
        if (st)
            return st;
        ps->pos = after + 1;
        ps->depth++;
        int nbranch = 0;
        for (;;) {
            st = parse_series(ps, &branch);
            if (st)
                return st;
            add_child(ps->c, id, branch);
            nbranch++;
            skip_blanks(ps);
            char d = ps->s[ps->pos];
            if (d == ',') {
                ps->pos++;
                continue;
            }
            if (d == ')') {
                ps->pos++;
                break;
            }
            if (d == '\0')
                PARSE_FAIL(ps, ps->pos + 1,
                           "the string ends inside p(...): unbalanced parentheses ('(' at "
                           "column %zu has no ')')",
                           open_col);
            PARSE_FAIL(ps, ps->pos + 1, "expected ',' or ')' in p(...) (opened at column %zu)",
                       open_col);
        }
        ps->depth--;
        if (nbranch < 2)
            PARSE_FAIL(ps, col, "p(...) needs at least two branches, it has %d", nbranch);
        *out = id;
        return LMB_OK;
    }
    /* an element: letters then digits */
    size_t d = e;
    while (isdigit((unsigned char)ps->s[d]))
        d++;
    int type = -1;
    for (size_t k = 0; k < N_ELEMS; k++)
        if (strlen(ELEMS[k].name) == nlet && strncmp(ELEMS[k].name, ps->s + start, nlet) == 0)
            type = (int)k;
    if (type < 0)
        PARSE_FAIL(ps, col,
                   "unknown element '%.*s' (known: R, C, L, CPE, W, Wo, Ws, K, Zarc, G, Gs, "
                   "TLMQ, and p(...) for parallel)",
                   (int)(nlet > 40 ? 40 : nlet), ps->s + start);
    if (d == e)
        PARSE_FAIL(ps, e + 1, "element '%.*s' needs a number after its type (e.g. %.*s0)",
                   (int)nlet, ps->s + start, (int)nlet, ps->s + start);
    if (d - start > LMB_CIRCUIT_NAME_MAX)
        PARSE_FAIL(ps, col, "element name longer than %d characters", LMB_CIRCUIT_NAME_MAX);
    char name[LMB_CIRCUIT_NAME_MAX + 1];
    memcpy(name, ps->s + start, d - start);
    name[d - start] = '\0';
    for (size_t k = 0; k < ps->c->n_nodes; k++)
        if (ps->c->nodes[k].kind == N_ELEMENT && strcmp(ps->c->nodes[k].name, name) == 0)
            PARSE_FAIL(ps, col, "element name '%s' used twice (first at column %zu)", name,
                       ps->c->nodes[k].col);
    size_t id;
    lmb_status st = new_node(ps, N_ELEMENT, col, &id);
    if (st)
        return st;
    node *n = &ps->c->nodes[id];
    n->type = (elem_type)type;
    memcpy(n->name, name, d - start + 1);
    ps->pos = d;
    st = add_params(ps, id);
    if (st)
        return st;
    *out = id;
    return LMB_OK;
}

static lmb_status parse_series(parser *ps, size_t *out) {
    size_t id, t;
    skip_blanks(ps);
    lmb_status st = new_node(ps, N_SERIES, ps->pos + 1, &id);
    if (st)
        return st;
    for (;;) {
        st = parse_term(ps, &t);
        if (st)
            return st;
        add_child(ps->c, id, t);
        skip_blanks(ps);
        if (ps->s[ps->pos] != '-')
            break;
        ps->pos++;
    }
    *out = id;
    return LMB_OK;
}

/* Appends the canonical text of node id to buf (size cap, length *len). */
static void print_node(const lmb_circuit *c, size_t id, char *buf, size_t cap, size_t *len) {
    const node *n = &c->nodes[id];
    if (n->kind == N_ELEMENT) {
        *len += (size_t)snprintf(buf + *len, cap - *len, "%s", n->name);
        return;
    }
    if (n->kind == N_PARALLEL)
        *len += (size_t)snprintf(buf + *len, cap - *len, "p(");
    for (size_t k = n->first; k != NONE; k = c->nodes[k].next) {
        if (k != n->first)
            *len += (size_t)snprintf(buf + *len, cap - *len, n->kind == N_SERIES ? "-" : ",");
        print_node(c, k, buf, cap, len);
    }
    if (n->kind == N_PARALLEL)
        *len += (size_t)snprintf(buf + *len, cap - *len, ")");
}

lmb_status lmb_circuit_parse(lmb_ctx *ctx, const char *text, lmb_circuit **out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_circuit_parse: NULL argument");
    *out = NULL;
    if (!text)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_circuit_parse: NULL circuit string");
    lmb_circuit *c = calloc(1, sizeof *c);
    if (!c)
        LMB__FAIL(ctx, LMB_ENOMEM, "circuit: out of memory");
    parser ps = {ctx, c, text, 0, 0};
    lmb_status st = LMB_OK;
    skip_blanks(&ps);
    if (text[ps.pos] == '\0') {
        lmb_circuit_free(c);
        LMB__FAIL(ctx, LMB_EPARSE, "circuit \"%s\", column 1: the circuit string is empty", text);
    }
    st = parse_series(&ps, &c->root);
    if (st == LMB_OK) {
        skip_blanks(&ps);
        char ch = text[ps.pos];
        if (ch == ')')
            st = lmb__ctx_fail(ctx, LMB_EPARSE,
                               "circuit \"%s\", column %zu: unexpected ')': unbalanced "
                               "parentheses (no '(' to close)",
                               text, ps.pos + 1);
        else if (ch != '\0')
            st = lmb__ctx_fail(ctx, LMB_EPARSE,
                               "circuit \"%s\", column %zu: expected '-' or the end, found '%c'",
                               text, ps.pos + 1, ch);
    }
    if (st == LMB_OK) {
        size_t cap = strlen(text) + 1, len = 0;
        c->text = malloc(cap);
        if (!c->text)
            st = lmb__ctx_fail(ctx, LMB_ENOMEM, "circuit: out of memory");
        else
            print_node(c, c->root, c->text, cap, &len);
    }
    if (st != LMB_OK) {
        lmb_circuit_free(c);
        return st;
    }
    *out = c;
    return LMB_OK;
}

/* ---- impedance ---- */

/* re + j im: CMPLX is missing from glibc's <complex.h> under clang (the fuzz build). The values
 * here are finite, for which re + im I is exact. */
static double complex cplx(double re, double im) {
    return re + im * I;
}

/* (j w)^a for w > 0: w^a (cos(a pi/2) + j sin(a pi/2)), exact on the axis for a = 1. */
static double complex jw_pow(double w, double a) {
    double m = pow(w, a), ph = a * HALF_PI;
    return cplx(m * cos(ph), m * sin(ph));
}

static double complex elem_z(elem_type t, const double *p, double w) {
    switch (t) {
    case E_R:
        return p[0];
    case E_C:
        return cplx(0.0, -1.0 / (w * p[0]));
    case E_L:
        return cplx(0.0, w * p[0]);
    case E_CPE:
        return 1.0 / (p[0] * jw_pow(w, p[1]));
    case E_W:
        return p[0] / sqrt(w) * cplx(1.0, -1.0);
    case E_WO: {
        double complex x = csqrt(cplx(0.0, w * p[1]));
        return p[0] / (x * ctanh(x));
    }
    case E_WS: {
        double complex x = csqrt(cplx(0.0, w * p[1]));
        return p[0] * ctanh(x) / x;
    }
    case E_K:
        return p[0] / cplx(1.0, w * p[1]);
    case E_ZARC:
        return p[0] / (1.0 + jw_pow(w * p[1], p[2]));
    case E_G:
        return p[0] / csqrt(cplx(1.0, w * p[1]));
    case E_GS: {
        double complex x = csqrt(cplx(1.0, w * p[1]));
        return p[0] / (x * ctanh(p[2] * x));
    }
    case E_TLMQ: {
        double complex y = p[1] * jw_pow(w, p[2]);
        return csqrt(p[0] / y) / ctanh(csqrt(p[0] * y));
    }
    }
    return NAN;
}

static double complex node_z(const lmb_circuit *c, size_t id, const double *p, double w) {
    const node *n = &c->nodes[id];
    if (n->kind == N_ELEMENT)
        return elem_z(n->type, p + n->p0, w);
    double complex s = 0.0;
    for (size_t k = n->first; k != NONE; k = c->nodes[k].next) {
        double complex z = node_z(c, k, p, w);
        s += n->kind == N_SERIES ? z : 1.0 / z;
    }
    return n->kind == N_SERIES ? s : 1.0 / s;
}

lmb_status lmb_circuit_impedance(const lmb_circuit *c, const double *params, const double *f_Hz,
                                 size_t n, double *Z_re, double *Z_im) {
    if (!c || (c->np && !params) || (n && (!f_Hz || !Z_re || !Z_im)))
        return LMB_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double complex z = node_z(c, c->root, params, TWO_PI * f_Hz[i]);
        Z_re[i] = creal(z);
        Z_im[i] = cimag(z);
    }
    return LMB_OK;
}

/* ---- default guess ---- */

typedef struct spec_pt {
    double f, re, mim; /* frequency, Z', -Z'' */
} spec_pt;

static int by_freq_desc(const void *a, const void *b) {
    double x = ((const spec_pt *)a)->f, y = ((const spec_pt *)b)->f;
    return (x < y) - (x > y);
}

/* Prominence of a -Z'' maximum, relative to the largest -Z'', for it to count as a relaxation. */
#define GUESS_PEAK_FRACTION 0.05
/* Exponent of CPE, Zarc and TLMQ in the guess. */
#define GUESS_ALPHA 0.8

/* Marks every element below node id with group g. */
static void mark_group(const lmb_circuit *c, size_t id, int g, int *group) {
    const node *n = &c->nodes[id];
    if (n->kind == N_ELEMENT) {
        group[id] = g;
        return;
    }
    for (size_t k = n->first; k != NONE; k = c->nodes[k].next)
        mark_group(c, k, g, group);
}

static int is_relaxation(elem_type t) {
    return t == E_K || t == E_ZARC || t == E_G || t == E_GS || t == E_TLMQ;
}

lmb_status lmb_circuit_default_guess(const lmb_circuit *c, const double *f_Hz, const double *Z_re,
                                     const double *Z_im, size_t n, double *p0) {
    if (!c || !f_Hz || !Z_re || !Z_im || !p0 || n < 3)
        return LMB_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!(f_Hz[i] > 0.0) || !isfinite(f_Hz[i]) || !isfinite(Z_re[i]) || !isfinite(Z_im[i]))
            return LMB_EINVAL;
    spec_pt *s = malloc(n * sizeof *s);
    int *group = malloc(c->n_nodes * sizeof *group);
    /* per group: -Z'' maximum frequency, time constant, resistance (ng <= n_nodes) */
    double *pk_f = malloc(3 * (c->n_nodes + 1) * sizeof *pk_f);
    if (!s || !group || !pk_f) {
        free(s);
        free(group);
        free(pk_f);
        return LMB_ENOMEM;
    }
    double *tau_g = pk_f + c->n_nodes + 1, *rg = tau_g + c->n_nodes + 1;
    for (size_t i = 0; i < n; i++)
        s[i] = (spec_pt){f_Hz[i], Z_re[i], -Z_im[i]};
    qsort(s, n, sizeof *s, by_freq_desc);

    /* Relaxation groups: top-level parallel groups and relaxation elements, in order. */
    const node *root = &c->nodes[c->root];
    int ng = 0;
    for (size_t k = 0; k < c->n_nodes; k++)
        group[k] = -1;
    for (size_t k = root->first; k != NONE; k = c->nodes[k].next) {
        const node *t = &c->nodes[k];
        if (t->kind == N_PARALLEL || (t->kind == N_ELEMENT && is_relaxation(t->type)))
            mark_group(c, k, ng++, group);
    }

    /* Scales of the spectrum. */
    double re_min = s[0].re, re_lf = s[n - 1].re, top = 0.0;
    for (size_t i = 0; i < n; i++) {
        re_min = fmin(re_min, s[i].re);
        top = fmax(top, s[i].mim);
    }
    double zmag_hf = hypot(s[0].re, s[0].mim);
    double span = re_lf - re_min;
    if (!(span > 0.0))
        span = fmax(hypot(re_lf, s[n - 1].mim), 1e-12);
    double w_max = TWO_PI * s[0].f, w_min = TWO_PI * s[n - 1].f;

    /* Prominent maxima of -Z'' (3-point mean), from high to low frequency. */
    int npk = 0;
    for (size_t i = 1; i + 1 < n && npk < ng; i++) {
        double a = s[i - 1].mim, b = s[i].mim, d = s[i + 1].mim;
        if (!(b > a && b >= d && b > GUESS_PEAK_FRACTION * top && top > 0.0))
            continue;
        /* it must stand out from the lowest points on both sides before a higher one */
        double lo_l = b, lo_r = b;
        for (size_t k = i; k-- > 0 && s[k].mim <= b;)
            lo_l = fmin(lo_l, s[k].mim);
        for (size_t k = i + 1; k < n && s[k].mim <= b; k++)
            lo_r = fmin(lo_r, s[k].mim);
        if (b - lo_l > GUESS_PEAK_FRACTION * top && b - lo_r > GUESS_PEAK_FRACTION * top)
            pk_f[npk++] = s[i].f;
    }
    double lf_max = log(s[0].f), lf_min = log(s[n - 1].f);
    for (int g = 0; g < ng; g++) {
        double fg = g < npk ? pk_f[g] : exp(lf_max - (g + 1.0) / (ng + 1.0) * (lf_max - lf_min));
        tau_g[g] = 1.0 / (TWO_PI * fg);
    }

    /* Resistance shares: series R's take the high-frequency real part, the rest the span. */
    int n_series_r = 0, n_share = 0;
    for (size_t k = 0; k < c->n_nodes; k++) {
        const node *e = &c->nodes[k];
        if (e->kind != N_ELEMENT)
            continue;
        if (e->type == E_R && group[k] < 0)
            n_series_r++;
        else if (e->type == E_R || is_relaxation(e->type) || e->type == E_WO || e->type == E_WS)
            n_share++;
    }
    double r_hf = re_min > 0.0 ? re_min : 0.01 * span;
    double r_share = span / (n_share > 0 ? n_share : 1);
    /* resistance of each group: the sum of its shares */
    for (int g = 0; g < ng; g++)
        rg[g] = 0.0;
    for (size_t k = 0; k < c->n_nodes; k++) {
        const node *e = &c->nodes[k];
        if (e->kind == N_ELEMENT && group[k] >= 0 && group[k] < ng &&
            (e->type == E_R || is_relaxation(e->type) || e->type == E_WO || e->type == E_WS))
            rg[group[k]] += r_share;
    }

    double mim_lf = s[n - 1].mim > 0.0 ? s[n - 1].mim : 0.1 * span;
    for (size_t k = 0; k < c->n_nodes; k++) {
        const node *e = &c->nodes[k];
        if (e->kind != N_ELEMENT)
            continue;
        int g = group[k] < ng ? group[k] : -1;
        double t = g >= 0 ? tau_g[g] : 1.0 / w_min;
        double R = g >= 0 && rg[g] > 0.0 ? rg[g] : r_share;
        double *q = p0 + e->p0;
        switch (e->type) {
        case E_R:
            q[0] = g < 0 ? r_hf / n_series_r : r_share;
            break;
        case E_C:
            q[0] = g >= 0 ? t / R : 1.0 / (w_min * mim_lf);
            break;
        case E_L:
            q[0] = -s[0].mim > 0.0 ? -s[0].mim / w_max : 1e-3 * zmag_hf / w_max;
            break;
        case E_CPE:
            q[1] = GUESS_ALPHA;
            q[0] = g >= 0 ? pow(t, GUESS_ALPHA) / R : 1.0 / (pow(w_min, GUESS_ALPHA) * mim_lf);
            break;
        case E_W:
            q[0] = mim_lf * sqrt(w_min);
            break;
        case E_WO:
        case E_WS:
            q[0] = r_share;
            q[1] = t;
            break;
        case E_K:
        case E_G:
            q[0] = r_share;
            q[1] = t;
            break;
        case E_ZARC:
            q[0] = r_share;
            q[1] = t;
            q[2] = GUESS_ALPHA;
            break;
        case E_GS:
            q[0] = r_share;
            q[1] = t;
            q[2] = 1.0;
            break;
        case E_TLMQ:
            q[0] = r_share;
            q[1] = pow(t, GUESS_ALPHA) / r_share;
            q[2] = GUESS_ALPHA;
            break;
        }
    }
    free(s);
    free(group);
    free(pk_f);
    return LMB_OK;
}

/* ---- fit ---- */

/* Tolerances of the GSL driver: relative step, gradient and cost change. */
#define FIT_XTOL 1e-10
#define FIT_GTOL 1e-12
#define FIT_FTOL 0.0
/* How far a transformed parameter (log p, logit of an exponent) may move from its start before
 * it counts as having run to its bound [1] */
#define FIT_BOUND_U     25.0
#define FIT_BOUND_LOGIT 13.8 /* |logit p| > 13.8: p within 1e-6 of 0 or 1 */
/* A non-finite model value is replaced by this residual, so that the step is rejected. */
#define FIT_HUGE_RESIDUAL 1e100
/* Multistart spread: log-parameters move by up to ln(10), logit-parameters by up to 1.5. */
#define FIT_SPREAD_LOG  2.302585092994046
#define FIT_SPREAD_FRAC 1.5
/* Guesses of alpha/gamma at 1 are moved this far inside (0, 1), where the logit is finite. */
#define FIT_FRAC_EDGE 1e-9

typedef struct fit_data {
    const lmb_circuit *c;
    const double *f, *re, *im, *w; /* w: weights (1 or |Z|) */
    size_t n;
    double *p; /* scratch: parameters from u */
} fit_data;

static void u_to_p(const lmb_circuit *c, const double *u, double *p) {
    for (size_t i = 0; i < c->np; i++)
        p[i] = c->kinds[i] == PK_POS ? exp(u[i]) : 1.0 / (1.0 + exp(-u[i]));
}

/* dp/du at p */
static double dp_du(param_kind k, double p) {
    return k == PK_POS ? p : p * (1.0 - p);
}

static int fit_f(const gsl_vector *x, void *data, gsl_vector *r) {
    fit_data *d = data;
    u_to_p(d->c, x->data, d->p);
    for (size_t i = 0; i < d->n; i++) {
        double complex z = node_z(d->c, d->c->root, d->p, TWO_PI * d->f[i]);
        double a = (creal(z) - d->re[i]) / d->w[i], b = (cimag(z) - d->im[i]) / d->w[i];
        gsl_vector_set(r, i, isfinite(a) ? a : FIT_HUGE_RESIDUAL);
        gsl_vector_set(r, d->n + i, isfinite(b) ? b : FIT_HUGE_RESIDUAL);
    }
    return GSL_SUCCESS;
}

/* splitmix64: the multistart's deterministic generator (state on the stack, no globals) */
static uint64_t splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* uniform in (-1, 1) */
static double uniform_pm1(uint64_t *s) {
    return 2.0 * ((double)(splitmix64(s) >> 11) + 0.5) / 9007199254740992.0 - 1.0;
}

lmb_circuit_fit_options lmb_circuit_fit_options_default(void) {
    lmb_circuit_fit_options o = {NULL, LMB_CIRCUIT_WEIGHT_MODULUS, 0, 0};
    return o;
}

void lmb_circuit_fit_result_free(lmb_circuit_fit_result *r) {
    if (!r)
        return;
    free(r->params);
    free(r->std_err);
    r->params = r->std_err = NULL;
    r->n_params = 0;
}

lmb_status lmb_circuit_fit(lmb_ctx *ctx, const lmb_circuit *c, const double *f_Hz,
                           const double *Z_re, const double *Z_im, size_t n,
                           const lmb_circuit_fit_options *opt, lmb_circuit_fit_result *out) {
    if (!out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_circuit_fit: NULL result");
    memset(out, 0, sizeof *out);
    if (!c || !f_Hz || !Z_re || !Z_im)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_circuit_fit: NULL argument");
    lmb_circuit_fit_options o = opt ? *opt : lmb_circuit_fit_options_default();
    const size_t np = c->np;
    if (2 * n <= np || n < 3)
        LMB__FAIL(ctx, LMB_EINVAL,
                  "circuit fit of %s: %zu points give %zu residuals, more than the %zu "
                  "parameters and at least 3 points are needed",
                  c->text, n, 2 * n, np);
    if (o.weighting != LMB_CIRCUIT_WEIGHT_UNIT && o.weighting != LMB_CIRCUIT_WEIGHT_MODULUS)
        LMB__FAIL(ctx, LMB_EINVAL, "circuit fit: unknown weighting %d", o.weighting);
    if (o.multistart < 0 || o.max_iter < 0)
        LMB__FAIL(ctx, LMB_EINVAL, "circuit fit: multistart (%d) and max_iter (%d) must be >= 0",
                  o.multistart, o.max_iter);
    for (size_t i = 0; i < n; i++)
        if (!(f_Hz[i] > 0.0) || !isfinite(f_Hz[i]) || !isfinite(Z_re[i]) || !isfinite(Z_im[i]) ||
            (o.weighting == LMB_CIRCUIT_WEIGHT_MODULUS && !(hypot(Z_re[i], Z_im[i]) > 0.0)))
            LMB__FAIL(ctx, LMB_EINVAL,
                      "circuit fit: point %zu (f = %g Hz, Z = %g %+g j ohm) is not usable", i,
                      f_Hz[i], Z_re[i], Z_im[i]);

    /* one allocation for the scratch arrays: w[n], p[np], u0[np], ustart[np], ubest[np] */
    double *buf = malloc((n + 4 * np) * sizeof *buf);
    out->params = malloc(np * sizeof *out->params);
    out->std_err = malloc(np * sizeof *out->std_err);
    gsl_matrix *cov = gsl_matrix_alloc(np, np);
    if (!buf || !out->params || !out->std_err || !cov) {
        free(buf);
        gsl_matrix_free(cov);
        lmb_circuit_fit_result_free(out);
        LMB__FAIL(ctx, LMB_ENOMEM, "circuit fit: out of memory");
    }
    double *w = buf, *p = w + n, *u0 = p + np, *us = u0 + np, *ub = us + np;
    for (size_t i = 0; i < n; i++)
        w[i] = o.weighting == LMB_CIRCUIT_WEIGHT_MODULUS ? hypot(Z_re[i], Z_im[i]) : 1.0;

    lmb_status st = LMB_OK;
    if (o.guess)
        memcpy(p, o.guess, np * sizeof *p);
    else
        st = lmb_circuit_default_guess(c, f_Hz, Z_re, Z_im, n, p);
    if (st != LMB_OK) {
        free(buf);
        gsl_matrix_free(cov);
        lmb_circuit_fit_result_free(out);
        LMB__FAIL(ctx, st, "circuit fit: no default guess for %s", c->text);
    }
    for (size_t i = 0; i < np; i++) {
        double v = p[i];
        int ok = isfinite(v) && v > 0.0 && (c->kinds[i] == PK_POS || v <= 1.0);
        if (!ok) {
            free(buf);
            gsl_matrix_free(cov);
            lmb_circuit_fit_result_free(out);
            LMB__FAIL(ctx, LMB_ERANGE,
                      "circuit fit: the guess of %s is %g %s, outside its range (%s)",
                      c->names[i].s, v, c->units[i], c->kinds[i] == PK_POS ? "> 0" : "(0, 1]");
        }
        if (c->kinds[i] == PK_POS)
            u0[i] = log(v);
        else {
            v = fmin(v, 1.0 - FIT_FRAC_EDGE);
            u0[i] = log(v / (1.0 - v));
        }
    }

    fit_data d = {c, f_Hz, Z_re, Z_im, w, n, p};
    gsl_multifit_nlinear_fdf fdf;
    fdf.f = fit_f;
    fdf.df = NULL; /* finite differences (central, below) */
    fdf.fvv = NULL;
    fdf.n = 2 * n;
    fdf.p = np;
    fdf.params = &d;
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    fp.trs = gsl_multifit_nlinear_trs_lm;
    fp.fdtype = GSL_MULTIFIT_NLINEAR_CTRDIFF;
    gsl_multifit_nlinear_workspace *ws =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, 2 * n, np);
    if (!ws) {
        free(buf);
        gsl_matrix_free(cov);
        lmb_circuit_fit_result_free(out);
        LMB__FAIL(ctx, LMB_ENOMEM, "circuit fit: out of memory for the GSL workspace");
    }
    /* GSL reports its errors through a handler that aborts by default: for the fit, errors are
     * statuses (the previous handler is restored below) */
    gsl_error_handler_t *gsl_handler = gsl_set_error_handler_off();
    gsl_vector_view x0 = gsl_vector_view_array(us, np);
    const size_t max_iter = (size_t)(o.max_iter > 0 ? o.max_iter : LMB_CIRCUIT_FIT_MAX_ITER);
    uint64_t seed = LMB_CIRCUIT_FIT_SEED;
    double best = INFINITY;
    int best_gsl = GSL_SUCCESS, last_gsl = GSL_SUCCESS;
    for (int k = 0; k <= o.multistart; k++) {
        for (size_t i = 0; i < np; i++)
            us[i] =
                u0[i] + (k == 0 ? 0.0
                                : uniform_pm1(&seed) *
                                      (c->kinds[i] == PK_POS ? FIT_SPREAD_LOG : FIT_SPREAD_FRAC));
        int info = 0;
        int gs = gsl_multifit_nlinear_init(&x0.vector, &fdf, ws);
        if (gs == GSL_SUCCESS)
            gs = gsl_multifit_nlinear_driver(max_iter, FIT_XTOL, FIT_GTOL, FIT_FTOL, NULL, NULL,
                                             &info, ws);
        last_gsl = gs;
        /* GSL_ENOPROG: no step lowers the cost any more, which at a minimum is the normal end
         * in floating point; GSL_EMAXITER: keep the point, flagged as not converged */
        if (gs != GSL_SUCCESS && gs != GSL_ENOPROG && gs != GSL_EMAXITER)
            continue;
        double cost;
        gsl_blas_ddot(gsl_multifit_nlinear_residual(ws), gsl_multifit_nlinear_residual(ws), &cost);
        if (!(cost < best))
            continue;
        best = cost;
        best_gsl = gs;
        memcpy(ub, gsl_multifit_nlinear_position(ws)->data, np * sizeof *ub);
        out->iterations = (int)gsl_multifit_nlinear_niter(ws);
        out->best_start = k;
        /* covariance of u at this optimum; J of the last evaluation is at x */
        gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(ws), 0.0, cov);
    }
    gsl_set_error_handler(gsl_handler);
    if (!isfinite(best)) {
        gsl_multifit_nlinear_free(ws);
        free(buf);
        gsl_matrix_free(cov);
        lmb_circuit_fit_result_free(out);
        LMB__FAIL(ctx, LMB_ESOLVER, "circuit fit of %s: GSL failed on every start (%s)", c->text,
                  gsl_strerror(last_gsl));
    }
    out->n_params = np;
    out->ssr = best;
    out->converged = best_gsl != GSL_EMAXITER;
    /* a positive parameter e^25 from its start, or an exponent within 1e-6 of 0 or 1, is a
     * parameter at its bound: the minimum is on the boundary */
    for (size_t i = 0; i < np; i++)
        if (c->kinds[i] == PK_POS ? fabs(ub[i] - u0[i]) > FIT_BOUND_U
                                  : fabs(ub[i]) > FIT_BOUND_LOGIT)
            out->at_bound = 1;
    if (out->at_bound)
        out->converged = 1;
    u_to_p(c, ub, out->params);
    double s2 = best / (double)(2 * n - np);
    for (size_t i = 0; i < np; i++)
        out->std_err[i] =
            fabs(dp_du(c->kinds[i], out->params[i])) * sqrt(s2 * gsl_matrix_get(cov, i, i));
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double complex z = node_z(c, c->root, out->params, TWO_PI * f_Hz[i]);
        ss += pow(creal(z) - Z_re[i], 2) + pow(cimag(z) - Z_im[i], 2);
    }
    out->rmse_ohm = sqrt(ss / (double)n);
    gsl_multifit_nlinear_free(ws);
    free(buf);
    gsl_matrix_free(cov);
    return LMB_OK;
}
