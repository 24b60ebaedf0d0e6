/*
 * spec.c - reading a sweep file (lmb/sweep.h, docs/sweeps.md) into its points.
 *
 * The file names a base cell and protocol, fixed changes to the cell ("set"), the values of
 * the protocol's placeholders ("defaults") and one design:
 *   grid  the Cartesian product of one axis per parameter, the last parameter varying fastest;
 *         an axis is a list of values or {"from", "to", "n", "scale": "linear"|"log"}
 *   list  the points as written, each an object with the same parameters
 *   lhs   a Latin hypercube (McKay, Beckman and Conover, Technometrics 1979, 21, 239): for
 *         each parameter the N points fall one in each of N equal-probability strata of its
 *         range, the strata paired at random across parameters, the position inside a stratum
 *         uniform; linear or log scale. Random numbers from GSL's MT19937 with the file's seed,
 *         drawn in a fixed order (parameter by parameter: a shuffle of the strata, then one
 *         uniform per point), so that a seed gives the same points everywhere.
 *
 * Every value is checked here against the cell schema (one lmb_cell_set on a copy of the base
 * cell per distinct grid value, per range end of a hypercube, per point of a list), so a value
 * out of range stops the sweep before anything runs, with the file, the parameter and the value
 * named. Combinations can still be rejected when a point's cell is built; such a point is
 * "invalid" in the catalogue, with the reason.
 *
 * The fingerprint is FNV-1a (64 bit) over the canonical settings, the resolved base cell (its
 * JSON, every parameter, and the values of its tables) and the protocol template: editing any
 * input makes a different sweep.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep/sweep_internal.h"

#include "core/ctx_internal.h"
#include "protocol/protocol_internal.h"
#include "io/text.h"
#include "model/cell_schema.h"
#include "model/table.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SWEEP_FILE_MAX   ((size_t)64 << 20) /* a sweep file (a long list) up to 64 MiB */
#define SWEEP_VALUES_MAX 1e8                /* parameter values of all points: 800 MB */

void lmb__sweep_format_number(double x, char *buf, size_t size) {
    snprintf(buf, size, "%.15g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, size, "%.17g", x);
}

/* ---- protocol placeholders ---- */

static int is_name_start(char c) {
    return isalpha((unsigned char)c) || c == '_';
}
static int is_name_char(char c) {
    return isalnum((unsigned char)c) || c == '_';
}

/* The value of placeholder name (length n) at point (< 0: defaults only); 1 if it has one. */
static int placeholder_value(const lmb_sweep *sw, long point, const char *name, size_t n,
                             double *v) {
    if (point >= 0)
        for (int j = 0; j < sw->n_params; j++) {
            const char *p = sw->params[j].placeholder;
            if (p && strlen(p) == n && memcmp(p, name, n) == 0) {
                *v = sw->values[(size_t)point * (size_t)sw->n_params + (size_t)j];
                return 1;
            }
        }
    for (int k = 0; k < sw->n_defaults; k++)
        if (strlen(sw->default_name[k]) == n && memcmp(sw->default_name[k], name, n) == 0) {
            *v = sw->default_value[k];
            return 1;
        }
    return 0;
}

/*
 * Walks the template: calls visit(name, n, line) for each {NAME} outside comments and, with
 * out non-NULL, writes the text with each placeholder replaced by repl(). Returns 0, or the
 * non-zero value visit returned.
 */
typedef int (*visit_fn)(void *user, const char *name, size_t n, int line, char *repl,
                        size_t repl_size);

static int walk_template(const char *text, visit_fn visit, void *user, char *out, size_t *len) {
    int line = 1, in_comment = 0;
    size_t k = 0;
    for (const char *s = text; *s; s++) {
        if (*s == '\n') {
            line++;
            in_comment = 0;
        } else if (*s == '#') {
            in_comment = 1;
        } else if (*s == '{' && !in_comment && is_name_start(s[1])) {
            const char *e = s + 1;
            while (is_name_char(*e))
                e++;
            if (*e == '}') {
                char repl[64] = "";
                int rc = visit(user, s + 1, (size_t)(e - s - 1), line, repl, sizeof repl);
                if (rc)
                    return rc;
                size_t rn = strlen(repl);
                if (out)
                    memcpy(out + k, repl, rn);
                k += rn;
                s = e;
                continue;
            }
        }
        if (out)
            out[k] = *s;
        k++;
    }
    if (out)
        out[k] = '\0';
    *len = k;
    return 0;
}

typedef struct subst_state {
    lmb_ctx *ctx;
    const lmb_sweep *sw;
    long point;
} subst_state;

static int subst_visit(void *user, const char *name, size_t n, int line, char *repl, size_t size) {
    subst_state *st = user;
    double v;
    if (!placeholder_value(st->sw, st->point, name, n, &v)) {
        lmb__ctx_fail(st->ctx, LMB_EKEY,
                      "%s: %s:%d: placeholder {%.*s} has no value: give it in \"defaults\" or "
                      "sweep \"protocol.%.*s\"",
                      st->sw->origin, st->sw->protocol_name, line, (int)n, name, (int)n, name);
        return 1;
    }
    lmb__sweep_format_number(v, repl, size);
    return 0;
}

char *lmb__sweep_protocol_text(lmb_ctx *ctx, const lmb_sweep *sw, long point) {
    subst_state st = {ctx, sw, point};
    size_t len = 0;
    if (walk_template(sw->protocol_text, subst_visit, &st, NULL, &len))
        return NULL;
    char *out = malloc(len + 1);
    if (!out) {
        lmb__ctx_fail(ctx, LMB_ENOMEM, "%s: out of memory", sw->protocol_name);
        return NULL;
    }
    walk_template(sw->protocol_text, subst_visit, &st, out, &len);
    return out;
}

/* Is placeholder `name` used by the template? */
typedef struct find_state {
    const char *name;
    int found, any;
} find_state;

static int find_visit(void *user, const char *name, size_t n, int line, char *repl, size_t size) {
    (void)line;
    find_state *f = user;
    f->any = 1;
    if (f->name && strlen(f->name) == n && memcmp(f->name, name, n) == 0)
        f->found = 1;
    snprintf(repl, size, "0");
    return 0;
}

static int template_uses(const char *text, const char *name, int *any) {
    find_state f = {name, 0, 0};
    size_t len;
    walk_template(text, find_visit, &f, NULL, &len);
    if (any)
        *any = f.any;
    return f.found;
}

/* ---- the file ---- */

static const char *const k_top_keys[] = {"cell",       "protocol", "protocol_text",
                                         "set",        "defaults", "grid",
                                         "list",       "lhs",      "retention_threshold_percent",
                                         "timeseries", "sparse",   "description"};

static lmb_status check_keys(lmb_ctx *ctx, const char *origin, const cJSON *root) {
    const cJSON *it;
    cJSON_ArrayForEach(it, root) {
        int ok = 0;
        for (size_t k = 0; k < sizeof k_top_keys / sizeof k_top_keys[0]; k++)
            ok |= it->string && strcmp(it->string, k_top_keys[k]) == 0;
        if (!ok)
            LMB__FAIL(ctx, LMB_EKEY,
                      "%s: unknown key \"%s\" (a sweep file has cell, protocol or "
                      "protocol_text, set, defaults, one of grid, list, lhs, "
                      "retention_threshold_percent, timeseries, sparse, description)",
                      origin, it->string ? it->string : "?");
    }
    return LMB_OK;
}

/* A path relative to the sweep file's directory (absolute paths and presets unchanged). */
static char *resolve_path(const char *base_dir, const char *p) {
    if (p[0] == '/' || !base_dir || !base_dir[0] || strcmp(base_dir, ".") == 0)
        return strdup(p);
    size_t n = strlen(base_dir) + strlen(p) + 2;
    char *r = malloc(n);
    if (r)
        snprintf(r, n, "%s/%s", base_dir, p);
    return r;
}

static int is_preset_name(const char *s) {
    return strchr(s, ':') && !strchr(s, '/') && !strchr(s, '\\');
}

static lmb_status load_cell(lmb_ctx *ctx, lmb_sweep *sw, const cJSON *root, const char *base_dir) {
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "cell");
    if (!cJSON_IsString(c) || !c->valuestring[0])
        LMB__FAIL(ctx, LMB_EKEY, "%s: \"cell\" must name a preset (\"li-li:bare\") or a cell file",
                  sw->origin);
    sw->cell_arg = is_preset_name(c->valuestring) ? strdup(c->valuestring)
                                                  : resolve_path(base_dir, c->valuestring);
    if (!sw->cell_arg)
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", sw->origin);
    lmb_status st = lmb_cell_load(ctx, sw->cell_arg, &sw->base);
    if (st != LMB_OK) {
        lmb__ctx_prefix_error(ctx, sw->origin);
        return st;
    }
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(root, "set");
    if (set && !cJSON_IsObject(set))
        LMB__FAIL(ctx, LMB_EPARSE, "%s: \"set\" must be an object of cell keys and numbers",
                  sw->origin);
    const cJSON *it;
    cJSON_ArrayForEach(it, set) {
        if (!cJSON_IsNumber(it))
            LMB__FAIL(ctx, LMB_EPARSE, "%s: set: \"%s\" must be a number", sw->origin, it->string);
        if ((st = lmb_cell_set(ctx, sw->base, it->string, it->valuedouble)) != LMB_OK) {
            char pre[512];
            snprintf(pre, sizeof pre, "%s: set", sw->origin);
            lmb__ctx_prefix_error(ctx, pre);
            return st;
        }
    }
    return LMB_OK;
}

static lmb_status load_protocol(lmb_ctx *ctx, lmb_sweep *sw, const cJSON *root,
                                const char *base_dir) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "protocol");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "protocol_text");
    if ((p != NULL) == (t != NULL))
        LMB__FAIL(ctx, LMB_EKEY,
                  "%s: give the protocol as \"protocol\" (a file or protocol:<name>) or as "
                  "\"protocol_text\", one of the two",
                  sw->origin);
    if (t) {
        if (!cJSON_IsString(t))
            LMB__FAIL(ctx, LMB_EPARSE, "%s: \"protocol_text\" must be a string", sw->origin);
        size_t n = strlen(sw->origin) + 16;
        sw->protocol_name = malloc(n);
        sw->protocol_text = strdup(t->valuestring);
        if (sw->protocol_name)
            snprintf(sw->protocol_name, n, "%s:protocol_text", sw->origin);
    } else {
        if (!cJSON_IsString(p) || !p->valuestring[0])
            LMB__FAIL(ctx, LMB_EPARSE, "%s: \"protocol\" must be a file path or protocol:<name>",
                      sw->origin);
        if (strncmp(p->valuestring, "protocol:", 9) == 0) {
            const lmb__preset *b = lmb__protocol_builtin(p->valuestring);
            if (!b)
                LMB__FAIL(ctx, LMB_EIO, "%s: protocol: no built-in protocol \"%s\"", sw->origin,
                          p->valuestring);
            sw->protocol_text = strdup(b->json);
            sw->protocol_name = strdup(p->valuestring);
        } else {
            sw->protocol_name = resolve_path(base_dir, p->valuestring);
            if (!sw->protocol_name)
                LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", sw->origin);
            size_t len;
            lmb_status st = lmb__read_whole_file(ctx, sw->protocol_name, LMB_PROTOCOL_MAX_BYTES,
                                                 "protocol file", &sw->protocol_text, &len);
            if (st != LMB_OK) {
                lmb__ctx_prefix_error(ctx, sw->origin);
                return st;
            }
            if (strlen(sw->protocol_text) != len)
                LMB__FAIL(ctx, LMB_EPARSE, "%s: holds a NUL byte; not a protocol file",
                          sw->protocol_name);
        }
    }
    if (!sw->protocol_name || !sw->protocol_text)
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", sw->origin);
    template_uses(sw->protocol_text, NULL, &sw->protocol_has_placeholders);

    const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "defaults");
    if (d && !cJSON_IsObject(d))
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%s: \"defaults\" must be an object of placeholder names and "
                  "numbers",
                  sw->origin);
    const cJSON *it;
    cJSON_ArrayForEach(it, d) {
        if (!cJSON_IsNumber(it))
            LMB__FAIL(ctx, LMB_EPARSE, "%s: defaults: \"%s\" must be a number", sw->origin,
                      it->string);
        if (strlen(it->string) >= LMB__SWEEP_NAME_MAX || sw->n_defaults >= LMB__SWEEP_MAX_SET)
            LMB__FAIL(ctx, LMB_ERANGE, "%s: defaults: too many or too long names", sw->origin);
        if (!template_uses(sw->protocol_text, it->string, NULL))
            LMB__FAIL(ctx, LMB_EKEY, "%s: defaults: the protocol %s has no placeholder {%s}",
                      sw->origin, sw->protocol_name, it->string);
        snprintf(sw->default_name[sw->n_defaults], LMB__SWEEP_NAME_MAX, "%s", it->string);
        sw->default_value[sw->n_defaults++] = it->valuedouble;
    }
    return LMB_OK;
}

/* Adds parameter `name` (a cell key or protocol.NAME), checked against the cell and template. */
static lmb_status add_param(lmb_ctx *ctx, lmb_sweep *sw, const char *where, const char *name) {
    for (int j = 0; j < sw->n_params; j++)
        if (strcmp(sw->params[j].name, name) == 0)
            LMB__FAIL(ctx, LMB_EKEY, "%s: %s: parameter \"%s\" given twice", sw->origin, where,
                      name);
    if (sw->n_params >= LMB_SWEEP_MAX_PARAMS)
        LMB__FAIL(ctx, LMB_ERANGE, "%s: %s: more than %d parameters", sw->origin, where,
                  LMB_SWEEP_MAX_PARAMS);
    if (strlen(name) >= LMB__SWEEP_NAME_MAX)
        LMB__FAIL(ctx, LMB_ERANGE, "%s: %s: parameter name longer than %d bytes", sw->origin, where,
                  LMB__SWEEP_NAME_MAX - 1);
    lmb__sweep_param *p = &sw->params[sw->n_params];
    snprintf(p->name, sizeof p->name, "%s", name);
    if (strncmp(name, "protocol.", 9) == 0) {
        p->is_protocol = 1;
        p->placeholder = p->name + 9;
        if (!template_uses(sw->protocol_text, p->placeholder, NULL))
            LMB__FAIL(ctx, LMB_EKEY,
                      "%s: %s: \"%s\": the protocol %s has no placeholder {%s} (write it where the "
                      "value goes, e.g. \"Plate at {%s} mA/cm2\")",
                      sw->origin, where, name, sw->protocol_name, p->placeholder, p->placeholder);
    } else {
        double v;
        lmb_status st = lmb_cell_get(ctx, sw->base, name, &v);
        if (st != LMB_OK) {
            char pre[512];
            snprintf(pre, sizeof pre, "%s: %s", sw->origin, where);
            lmb__ctx_prefix_error(ctx, pre);
            return st;
        }
    }
    sw->n_params++;
    return LMB_OK;
}

/* Checks one value of parameter j: a cell value by setting it on `cell` (NULL: on a copy of the
 * base cell), a protocol value for being finite and positive (it stands for a magnitude in the
 * protocol text). */
static lmb_status check_value(lmb_ctx *ctx, lmb_sweep *sw, const char *where, int j, double v,
                              lmb_cell *cell) {
    const lmb__sweep_param *p = &sw->params[j];
    if (!isfinite(v))
        LMB__FAIL(ctx, LMB_ERANGE, "%s: %s: \"%s\": value is not a finite number", sw->origin,
                  where, p->name);
    if (p->is_protocol) {
        if (!(v > 0.0))
            LMB__FAIL(ctx, LMB_ERANGE,
                      "%s: %s: \"%s\" = %g: a protocol value must be > 0 (the protocol's "
                      "quantities are magnitudes)",
                      sw->origin, where, p->name, v);
        return LMB_OK;
    }
    lmb_cell *c = NULL;
    lmb_status st = cell ? LMB_OK : lmb_cell_copy(ctx, sw->base, &c);
    if (st == LMB_OK)
        st = lmb_cell_set(ctx, cell ? cell : c, p->name, v);
    lmb_cell_free(c);
    if (st != LMB_OK) {
        char pre[512];
        snprintf(pre, sizeof pre, "%s: %s", sw->origin, where);
        lmb__ctx_prefix_error(ctx, pre);
    }
    return st;
}

static lmb_status alloc_values(lmb_ctx *ctx, lmb_sweep *sw, double n) {
    if (!(n >= 1.0) || n > (double)LMB_SWEEP_MAX_POINTS)
        LMB__FAIL(ctx, LMB_ERANGE, "%s: %s: %.0f points; a sweep has 1 to %ld", sw->origin,
                  sw->design, n, LMB_SWEEP_MAX_POINTS);
    const int per_point = sw->n_params > 0 ? sw->n_params : 1; /* values of a point */
    if (n * per_point > SWEEP_VALUES_MAX)
        LMB__FAIL(ctx, LMB_ERANGE,
                  "%s: %s: %.0f points of %d parameters are more than the %.0f values one sweep "
                  "holds in memory; split it into several sweeps",
                  sw->origin, sw->design, n, sw->n_params, SWEEP_VALUES_MAX);
    sw->n_points = (long)n;
    size_t cells = (size_t)sw->n_points * (size_t)per_point;
    sw->values = malloc(cells * sizeof *sw->values);
    if (!sw->values)
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory for %ld points", sw->origin, sw->n_points);
    return LMB_OK;
}

/* A range {"from", "to", "scale"} (and "n" for a grid axis when want_n). */
typedef struct range {
    double from, to;
    int log, n;
} range;

static lmb_status read_range(lmb_ctx *ctx, const lmb_sweep *sw, const char *where, const cJSON *o,
                             int want_n, range *r) {
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "from");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "to");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "n");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "scale");
    const cJSON *it;
    cJSON_ArrayForEach(it, o) {
        if (strcmp(it->string, "from") && strcmp(it->string, "to") && strcmp(it->string, "scale") &&
            (!want_n || strcmp(it->string, "n")))
            LMB__FAIL(ctx, LMB_EKEY, "%s: %s: unknown key \"%s\" (a range has from, to%s, scale)",
                      sw->origin, where, it->string, want_n ? ", n" : "");
    }
    if (!cJSON_IsNumber(f) || !cJSON_IsNumber(t))
        LMB__FAIL(ctx, LMB_EPARSE, "%s: %s: a range needs numbers \"from\" and \"to\"", sw->origin,
                  where);
    r->from = f->valuedouble;
    r->to = t->valuedouble;
    r->log = 0;
    if (s) {
        if (!cJSON_IsString(s) ||
            (strcmp(s->valuestring, "log") && strcmp(s->valuestring, "linear")))
            LMB__FAIL(ctx, LMB_EPARSE, "%s: %s: \"scale\" is \"linear\" or \"log\"", sw->origin,
                      where);
        r->log = strcmp(s->valuestring, "log") == 0;
    }
    if (r->log && !(r->from > 0.0 && r->to > 0.0))
        LMB__FAIL(ctx, LMB_ERANGE, "%s: %s: a log scale needs from > 0 and to > 0 (got %g, %g)",
                  sw->origin, where, r->from, r->to);
    if (want_n) {
        if (!cJSON_IsNumber(n) || n->valuedouble != floor(n->valuedouble) || n->valuedouble < 1 ||
            n->valuedouble > 1e7)
            LMB__FAIL(ctx, LMB_EPARSE, "%s: %s: \"n\" must be a whole number of values, 1 or more",
                      sw->origin, where);
        r->n = (int)n->valuedouble;
    }
    return LMB_OK;
}

/* Value k of n of a range's axis: both ends included. */
static double range_at(const range *r, int k) {
    if (r->n <= 1 || k == 0)
        return r->from;
    double u = (double)k / (double)(r->n - 1);
    if (k == r->n - 1)
        return r->to;
    return r->log ? exp(log(r->from) + u * (log(r->to) - log(r->from)))
                  : r->from + u * (r->to - r->from);
}

static lmb_status parse_grid(lmb_ctx *ctx, lmb_sweep *sw, const cJSON *grid) {
    if (!cJSON_IsObject(grid) || !grid->child)
        LMB__FAIL(ctx, LMB_EPARSE, "%s: \"grid\" must be an object of parameters and their axes",
                  sw->origin);
    int n_axis[LMB_SWEEP_MAX_PARAMS];
    double *axis[LMB_SWEEP_MAX_PARAMS] = {0};
    double total = 1.0;
    lmb_status st = LMB_OK;
    const cJSON *it;
    cJSON_ArrayForEach(it, grid) {
        if ((st = add_param(ctx, sw, "grid", it->string)) != LMB_OK)
            break;
        int j = sw->n_params - 1;
        char where[256];
        snprintf(where, sizeof where, "grid: \"%s\"", it->string);
        if (cJSON_IsArray(it)) {
            n_axis[j] = cJSON_GetArraySize(it);
            if (n_axis[j] < 1) {
                st = lmb__ctx_fail(ctx, LMB_EPARSE, "%s: %s: an empty list", sw->origin, where);
                break;
            }
            axis[j] = malloc((size_t)n_axis[j] * sizeof(double));
            if (!axis[j]) {
                st = lmb__ctx_fail(ctx, LMB_ENOMEM, "%s: out of memory", sw->origin);
                break;
            }
            int k = 0;
            const cJSON *v;
            cJSON_ArrayForEach(v, it) {
                if (!cJSON_IsNumber(v)) {
                    st = lmb__ctx_fail(ctx, LMB_EPARSE, "%s: %s: value %d is not a number",
                                       sw->origin, where, k + 1);
                    break;
                }
                axis[j][k++] = v->valuedouble;
            }
        } else if (cJSON_IsObject(it)) {
            range r;
            if ((st = read_range(ctx, sw, where, it, 1, &r)) != LMB_OK)
                break;
            n_axis[j] = r.n;
            axis[j] = malloc((size_t)r.n * sizeof(double));
            if (!axis[j]) {
                st = lmb__ctx_fail(ctx, LMB_ENOMEM, "%s: out of memory", sw->origin);
                break;
            }
            for (int k = 0; k < r.n; k++)
                axis[j][k] = range_at(&r, k);
        } else {
            st = lmb__ctx_fail(ctx, LMB_EPARSE,
                               "%s: %s: an axis is a list of numbers or {\"from\", \"to\", \"n\"}",
                               sw->origin, where);
        }
        if (st != LMB_OK)
            break;
        for (int k = 0; k < n_axis[j] && st == LMB_OK; k++)
            st = check_value(ctx, sw, where, j, axis[j][k], NULL);
        if (st != LMB_OK)
            break;
        total *= n_axis[j];
    }
    if (st == LMB_OK)
        st = alloc_values(ctx, sw, total);
    if (st == LMB_OK) {
        int P = sw->n_params;
        for (long i = 0; i < sw->n_points; i++) {
            long rest = i;
            for (int j = P - 1; j >= 0; j--) {
                sw->values[(size_t)i * (size_t)P + (size_t)j] = axis[j][rest % n_axis[j]];
                rest /= n_axis[j];
            }
        }
    }
    for (int j = 0; j < LMB_SWEEP_MAX_PARAMS; j++)
        free(axis[j]);
    return st;
}

static lmb_status parse_list(lmb_ctx *ctx, lmb_sweep *sw, const cJSON *list) {
    if (!cJSON_IsArray(list) || !list->child || !cJSON_IsObject(list->child) || !list->child->child)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%s: \"list\" must be an array of points, each an object of parameters and "
                  "values",
                  sw->origin);
    const cJSON *it;
    cJSON_ArrayForEach(it, list->child) {
        lmb_status st = add_param(ctx, sw, "list", it->string);
        if (st != LMB_OK)
            return st;
    }
    lmb_status st = alloc_values(ctx, sw, (double)cJSON_GetArraySize(list));
    if (st != LMB_OK)
        return st;
    long i = 0;
    const cJSON *pt;
    cJSON_ArrayForEach(pt, list) {
        char where[64];
        snprintf(where, sizeof where, "list: point %ld", i);
        if (!cJSON_IsObject(pt) || cJSON_GetArraySize(pt) != sw->n_params)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%s: %s: every point must give the same %d parameters as "
                      "the first",
                      sw->origin, where, sw->n_params);
        lmb_cell *c = NULL;
        if ((st = lmb_cell_copy(ctx, sw->base, &c)) != LMB_OK)
            return st;
        for (int j = 0; j < sw->n_params && st == LMB_OK; j++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(pt, sw->params[j].name);
            if (!cJSON_IsNumber(v)) {
                st = lmb__ctx_fail(ctx, LMB_EPARSE, "%s: %s: \"%s\" missing or not a number",
                                   sw->origin, where, sw->params[j].name);
                break;
            }
            sw->values[(size_t)i * (size_t)sw->n_params + (size_t)j] = v->valuedouble;
            /* the point's values together, as its cell will be built */
            st = check_value(ctx, sw, where, j, v->valuedouble, c);
        }
        lmb_cell_free(c);
        if (st != LMB_OK)
            return st;
        i++;
    }
    return LMB_OK;
}

static lmb_status parse_lhs(lmb_ctx *ctx, lmb_sweep *sw, const cJSON *lhs) {
    const cJSON *np = cJSON_GetObjectItemCaseSensitive(lhs, "points");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(lhs, "seed");
    const cJSON *ranges = cJSON_GetObjectItemCaseSensitive(lhs, "ranges");
    const cJSON *it;
    cJSON_ArrayForEach(it, lhs) {
        if (strcmp(it->string, "points") && strcmp(it->string, "seed") &&
            strcmp(it->string, "ranges"))
            LMB__FAIL(ctx, LMB_EKEY, "%s: lhs: unknown key \"%s\" (lhs has points, seed, ranges)",
                      sw->origin, it->string);
    }
    if (!cJSON_IsNumber(np) || np->valuedouble != floor(np->valuedouble))
        LMB__FAIL(ctx, LMB_EPARSE, "%s: lhs: \"points\" must be a whole number", sw->origin);
    if (seed && (!cJSON_IsNumber(seed) || seed->valuedouble != floor(seed->valuedouble) ||
                 seed->valuedouble < 0 || seed->valuedouble > 4294967295.0))
        LMB__FAIL(ctx, LMB_EPARSE, "%s: lhs: \"seed\" must be a whole number in [0, 2^32)",
                  sw->origin);
    if (!cJSON_IsObject(ranges) || !ranges->child)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%s: lhs: \"ranges\" must be an object of parameters and "
                  "{\"from\", \"to\"}",
                  sw->origin);
    range r[LMB_SWEEP_MAX_PARAMS];
    lmb_status st;
    cJSON_ArrayForEach(it, ranges) {
        if ((st = add_param(ctx, sw, "lhs", it->string)) != LMB_OK)
            return st;
        int j = sw->n_params - 1;
        char where[256];
        snprintf(where, sizeof where, "lhs: \"%s\"", it->string);
        if (!cJSON_IsObject(it))
            LMB__FAIL(ctx, LMB_EPARSE, "%s: %s: a range is {\"from\", \"to\", \"scale\"}",
                      sw->origin, where);
        if ((st = read_range(ctx, sw, where, it, 0, &r[j])) != LMB_OK ||
            (st = check_value(ctx, sw, where, j, r[j].from, NULL)) != LMB_OK ||
            (st = check_value(ctx, sw, where, j, r[j].to, NULL)) != LMB_OK)
            return st;
    }
    if ((st = alloc_values(ctx, sw, np->valuedouble)) != LMB_OK)
        return st;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    size_t *perm = malloc((size_t)sw->n_points * sizeof *perm);
    if (!rng || !perm) {
        gsl_rng_free(rng);
        free(perm);
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", sw->origin);
    }
    gsl_rng_set(rng, seed ? (unsigned long)seed->valuedouble : 1UL);
    size_t N = (size_t)sw->n_points, P = (size_t)sw->n_params;
    for (size_t j = 0; j < P; j++) {
        for (size_t i = 0; i < N; i++)
            perm[i] = i;
        gsl_ran_shuffle(rng, perm, N, sizeof *perm);
        for (size_t i = 0; i < N; i++) {
            double u = ((double)perm[i] + gsl_rng_uniform(rng)) / (double)N; /* in [0, 1) */
            const range *q = &r[j];
            sw->values[i * P + j] = q->log ? exp(log(q->from) + u * (log(q->to) - log(q->from)))
                                           : q->from + u * (q->to - q->from);
        }
    }
    free(perm);
    gsl_rng_free(rng);
    return LMB_OK;
}

static lmb_status parse_design(lmb_ctx *ctx, lmb_sweep *sw, const cJSON *root) {
    const char *names[3] = {"grid", "list", "lhs"};
    const cJSON *d[3];
    int n = 0, which = -1;
    for (int k = 0; k < 3; k++)
        if ((d[k] = cJSON_GetObjectItemCaseSensitive(root, names[k])) != NULL)
            n++, which = k;
    if (n != 1)
        LMB__FAIL(ctx, LMB_EKEY, "%s: give exactly one design: \"grid\", \"list\" or \"lhs\"%s",
                  sw->origin, n ? " (found more than one)" : "");
    snprintf(sw->design, sizeof sw->design, "%s", names[which]);
    lmb_status st = which == 0   ? parse_grid(ctx, sw, d[0])
                    : which == 1 ? parse_list(ctx, sw, d[1])
                                 : parse_lhs(ctx, sw, d[2]);
    if (st != LMB_OK)
        return st;
    /* every placeholder of the template must have a value at every point */
    char *text = lmb__sweep_protocol_text(ctx, sw, 0);
    if (!text)
        return lmb_ctx_errcode(ctx);
    lmb_protocol *p = NULL;
    st = lmb_protocol_parse(ctx, text, sw->protocol_name, &p);
    free(text);
    lmb_protocol_free(p);
    if (st != LMB_OK)
        lmb__ctx_prefix_error(ctx, sw->origin);
    return st;
}

static uint64_t fnv1a_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++) {
        h ^= b[k];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t fnv1a(uint64_t h, const char *s) {
    return fnv1a_bytes(h, s, strlen(s));
}

/* ... over the bytes of the values of the cell's tables (a table file edited between two runs
 * is another sweep, though the cell's JSON names it by the same path) */
static uint64_t fnv1a_tables(uint64_t h, const lmb_cell *cell) {
    for (int i = 0; i < lmb__prop_count(); i++) {
        const lmb_prop *v = NULL;
        lmb__cell_prop_info(cell, i, &v, NULL, NULL, NULL);
        if (!v || v->kind != LMB_PROP_TABLE || !v->table)
            continue;
        size_t bytes = (size_t)v->table->n * sizeof(double);
        h = fnv1a_bytes(fnv1a_bytes(h, v->table->x, bytes), v->table->y, bytes);
    }
    return h;
}

static lmb_status canonical(lmb_ctx *ctx, lmb_sweep *sw, const cJSON *root) {
    cJSON *c = cJSON_CreateObject();
    if (!c)
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", sw->origin);
    cJSON_AddStringToObject(c, "cell", sw->cell_arg);
    cJSON_AddStringToObject(c, "protocol", sw->protocol_name);
    static const char *const copied[] = {"set", "defaults", "grid", "list", "lhs"};
    for (size_t k = 0; k < sizeof copied / sizeof copied[0]; k++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(root, copied[k]);
        if (x)
            cJSON_AddItemToObject(c, copied[k], cJSON_Duplicate(x, 1));
    }
    cJSON_AddNumberToObject(c, "retention_threshold_percent", sw->retention_threshold * 100.0);
    cJSON_AddBoolToObject(c, "timeseries", sw->timeseries);
    cJSON_AddBoolToObject(c, "sparse", sw->sparse);
    sw->json = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    char *cell_json = NULL;
    lmb_status st = sw->json ? lmb_cell_to_json(ctx, sw->base, &cell_json) : LMB_ENOMEM;
    if (st != LMB_OK)
        LMB__FAIL(ctx, st, "%s: out of memory", sw->origin);
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, sw->json);
    h = fnv1a(h, "\n");
    h = fnv1a(h, cell_json);
    h = fnv1a(h, "\n");
    h = fnv1a(h, sw->protocol_text);
    h = fnv1a_tables(h, sw->base);
    free(cell_json);
    snprintf(sw->fingerprint, sizeof sw->fingerprint, "%016llx", (unsigned long long)h);
    return LMB_OK;
}

lmb_status lmb_sweep_parse(lmb_ctx *ctx, const char *json, const char *origin, const char *base_dir,
                           lmb_sweep **out) {
    if (out)
        *out = NULL;
    if (!json || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sweep_parse: NULL argument");
    lmb_sweep *sw = calloc(1, sizeof *sw);
    if (!sw)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory");
    sw->origin = strdup(origin ? origin : "sweep");
    sw->sparse = 1;
    sw->retention_threshold = 0.8;
    lmb_status st = sw->origin ? LMB_OK : LMB_ENOMEM;
    cJSON *root = st == LMB_OK ? cJSON_Parse(json) : NULL;
    if (st != LMB_OK) {
        st = lmb__ctx_fail(ctx, LMB_ENOMEM, "out of memory");
    } else if (!root) {
        const char *at = cJSON_GetErrorPtr();
        int line = 1;
        for (const char *s = json; at && s < at && *s; s++)
            line += *s == '\n';
        st = lmb__ctx_fail(ctx, LMB_EPARSE, "%s:%d: not valid JSON", sw->origin, line);
    } else if (!cJSON_IsObject(root)) {
        st = lmb__ctx_fail(ctx, LMB_EPARSE, "%s: a sweep file is a JSON object", sw->origin);
    } else {
        st = check_keys(ctx, sw->origin, root);
    }
    if (st == LMB_OK) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "retention_threshold_percent");
        const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "timeseries");
        const cJSON *sp = cJSON_GetObjectItemCaseSensitive(root, "sparse");
        if (r && (!cJSON_IsNumber(r) || !(r->valuedouble >= 0.0 && r->valuedouble < 100.0)))
            st = lmb__ctx_fail(ctx, LMB_ERANGE,
                               "%s: \"retention_threshold_percent\" must be a number in [0, 100) "
                               "(0: no end of life by capacity)",
                               sw->origin);
        else if (r)
            sw->retention_threshold = r->valuedouble / 100.0;
        if (st == LMB_OK && ts && !cJSON_IsBool(ts))
            st = lmb__ctx_fail(ctx, LMB_EPARSE, "%s: \"timeseries\" must be true or false",
                               sw->origin);
        else if (ts)
            sw->timeseries = cJSON_IsTrue(ts);
        if (st == LMB_OK && sp && !cJSON_IsBool(sp))
            st = lmb__ctx_fail(ctx, LMB_EPARSE, "%s: \"sparse\" must be true or false", sw->origin);
        else if (sp)
            sw->sparse = cJSON_IsTrue(sp);
    }
    if (st == LMB_OK)
        st = load_cell(ctx, sw, root, base_dir);
    if (st == LMB_OK)
        st = load_protocol(ctx, sw, root, base_dir);
    if (st == LMB_OK)
        st = parse_design(ctx, sw, root);
    if (st == LMB_OK)
        st = canonical(ctx, sw, root);
    cJSON_Delete(root);
    if (st != LMB_OK) {
        lmb_sweep_free(sw);
        return st;
    }
    *out = sw;
    return LMB_OK;
}

lmb_status lmb_sweep_load(lmb_ctx *ctx, const char *path, lmb_sweep **out) {
    if (out)
        *out = NULL;
    if (!path || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_sweep_load: NULL argument");
    char *text = NULL;
    size_t len = 0;
    lmb_status st = lmb__read_whole_file(ctx, path, SWEEP_FILE_MAX, "sweep file", &text, &len);
    if (st != LMB_OK)
        return st;
    char *dir = strdup(path);
    if (!dir) {
        free(text);
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory");
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    st = lmb_sweep_parse(ctx, text, path, slash ? dir : ".", out);
    free(dir);
    free(text);
    return st;
}

void lmb_sweep_free(lmb_sweep *sw) {
    if (!sw)
        return;
    lmb_cell_free(sw->base);
    free(sw->origin);
    free(sw->cell_arg);
    free(sw->protocol_name);
    free(sw->protocol_text);
    free(sw->values);
    free(sw->json);
    free(sw);
}

long lmb_sweep_point_count(const lmb_sweep *sw) {
    return sw ? sw->n_points : 0;
}
int lmb_sweep_param_count(const lmb_sweep *sw) {
    return sw ? sw->n_params : 0;
}

const char *lmb_sweep_param_name(const lmb_sweep *sw, int j) {
    return sw && j >= 0 && j < sw->n_params ? sw->params[j].name : NULL;
}

int lmb_sweep_param_is_protocol(const lmb_sweep *sw, int j) {
    return sw && j >= 0 && j < sw->n_params ? sw->params[j].is_protocol : 0;
}

double lmb_sweep_value(const lmb_sweep *sw, long i, int j) {
    if (!sw || i < 0 || i >= sw->n_points || j < 0 || j >= sw->n_params)
        return NAN;
    return sw->values[(size_t)i * (size_t)sw->n_params + (size_t)j];
}

const char *lmb_sweep_design(const lmb_sweep *sw) {
    return sw ? sw->design : NULL;
}
int lmb_sweep_wants_timeseries(const lmb_sweep *sw) {
    return sw ? sw->timeseries : 0;
}
const char *lmb_sweep_fingerprint(const lmb_sweep *sw) {
    return sw ? sw->fingerprint : NULL;
}
const char *lmb_sweep_json(const lmb_sweep *sw) {
    return sw ? sw->json : NULL;
}
const char *lmb_sweep_cell_name(const lmb_sweep *sw) {
    return sw ? sw->cell_arg : NULL;
}
const char *lmb_sweep_protocol_name(const lmb_sweep *sw) {
    return sw ? sw->protocol_name : NULL;
}
