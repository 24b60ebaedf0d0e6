/*
 * cell_json.c - reading and writing cell files (JSON) and the built-in presets.
 *
 * A cell file is one JSON object (docs/cell-files.md):
 *   {"name": "...", "description": "...", "type": "li-li", "area_cm2": 0.502, "temperature_C": 25,
 *    "electrolyte": {...}, "separator": {...},
 *    "electrodes": {...},               both Li electrodes of a symmetric cell
 *    "negative": {...}, "positive": {...},   override "electrodes" key by key
 *    "lfp": {"ocv": "safari2011", ...},      the LiFePO4 positive of a li-lfp cell
 *    "numerics": {...}}
 * A li-lfp cell has one Li electrode, the negative: its file holds "negative" and "lfp", and
 * "positive" (the LFP is the positive) or "electrodes" (there is no second Li electrode to
 * share values with) is an error; so is "lfp" in a cell of another type.
 * Every numeric key ends with its unit in key form ("thickness_um", "exchange_current_mA_cm2");
 * any unit of the right dimension is accepted. A value is a number or a provenance object
 * {"value": 16, "source": "...", "fitted_to": "..."}. The key-to-parameter mapping, the ranges
 * and the defaults are the schema table of src/model/cell.c; this file only walks the JSON.
 *
 * Rules that make every input either load or fail with one line naming file and field:
 * - the same key twice in one object, or one parameter written twice in two units in the same
 *   section, is an error (LMB_EKEY); "negative"/"positive" over "electrodes" is an override,
 *   not a duplicate, whatever the order of the sections in the file;
 * - keys containing '.' are not accepted (nesting is written with objects);
 * - numbers must be finite (1e999 parses as infinity and is rejected), counts whole;
 * - the text must be one JSON object, with nothing after it; an empty file, a NUL byte, or a
 *   file larger than LMB__CELL_FILE_MAX are errors; nesting deeper than cJSON's limit (1000) is
 *   a syntax error.
 * Errors are raised in order: syntax, then the top level in file order, then sections that the
 * type does not allow, then the sections in the order electrolyte, separator, electrodes,
 * negative, positive, lfp, numerics, then the checks across parameters.
 */
#define _XOPEN_SOURCE 700 /* realpath, access */

#include "core/ctx_internal.h"
#include "io/presets.h"
#include "model/cell_internal.h"
#include "model/cell_schema.h"
#include "model/lfp_ocv.h"
#include "model/matprop.h"
#include "model/table.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Largest cell file read: far above any real one, small enough to never exhaust memory. */
#define LMB__CELL_FILE_MAX (16L * 1024 * 1024)

#define KEY_MAX 256

typedef struct loader {
    lmb_ctx *ctx;
    lmb_cell *cell;
    char origin[512]; /* escaped, for messages */
    char dir[4096];   /* where relative table paths start: the file's directory ("" = cwd) */
    int preset;       /* 1: a built-in preset, whose tables are built in too */
} loader;

/* Fails with "ORIGIN: <message>". */
#define LFAIL(L, st, fmt, ...) LMB__FAIL((L)->ctx, (st), "%s: " fmt, (L)->origin, __VA_ARGS__)

/* Adds the file name in front of a message raised by the schema code. */
static lmb_status prefixed(loader *L, lmb_status st) {
    lmb__ctx_prefix_error(L->ctx, L->origin);
    return st;
}

static const char *json_type(const cJSON *j) {
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsBool(j))
        return "boolean";
    if (cJSON_IsNumber(j))
        return "number";
    if (cJSON_IsString(j))
        return "string";
    if (cJSON_IsArray(j))
        return "array";
    if (cJSON_IsObject(j))
        return "object";
    return "invalid value";
}

/* "prefix.name" (or "name" at the top level) into dst; 0 if it does not fit. */
static int join(char *dst, size_t n, const char *prefix, const char *name) {
    int k = prefix[0] ? snprintf(dst, n, "%s.%s", prefix, name) : snprintf(dst, n, "%s", name);
    return k >= 0 && (size_t)k < n;
}

/* Rejects a member whose name already appeared in the same object. */
static lmb_status check_duplicate(loader *L, const cJSON *parent, const cJSON *item,
                                  const char *prefix) {
    for (const cJSON *o = parent->child; o && o != item; o = o->next) {
        if (o->string && item->string && strcmp(o->string, item->string) == 0) {
            char key[KEY_MAX], shown[300];
            join(key, sizeof key, prefix, item->string);
            lmb__escape(shown, sizeof shown, key);
            LFAIL(L, LMB_EKEY, "duplicate key '%s' (each key may appear once)", shown);
        }
    }
    return LMB_OK;
}

/*
 * A value of the JSON type `want` (number or string), written bare or boxed as {"value": ...,
 * "source": string, "fitted_to": string}: *value is the value's node, *source and *fitted the
 * provenance (NULL if not given). Messages name the key as shown.
 */
static lmb_status read_boxed(loader *L, const char *shown, const cJSON *item, int want,
                             const cJSON **value, const char **source, const char **fitted) {
    const char *type = want == cJSON_Number ? "number" : "string";
    *source = *fitted = NULL;
    *value = NULL;
    if ((item->type & 0xFF) == want) {
        *value = item;
        return LMB_OK;
    }
    if (!cJSON_IsObject(item))
        LFAIL(L, LMB_EPARSE, "%s must be a %s or an object {\"value\": ...}, not a %s", shown, type,
              json_type(item));
    for (const cJSON *m = item->child; m; m = m->next) {
        lmb_status st = check_duplicate(L, item, m, shown);
        if (st != LMB_OK)
            return st;
        const char *name = m->string ? m->string : "";
        if (strcmp(name, "value") == 0) {
            if ((m->type & 0xFF) != want)
                LFAIL(L, LMB_EPARSE, "%s.value must be a %s, not a %s", shown, type, json_type(m));
            *value = m;
        } else if (strcmp(name, "source") == 0 || strcmp(name, "fitted_to") == 0) {
            if (!cJSON_IsString(m))
                LFAIL(L, LMB_EPARSE, "%s.%s must be a string, not a %s", shown, name, json_type(m));
            *(name[0] == 's' ? source : fitted) = m->valuestring;
        } else {
            char nm[120];
            lmb__escape(nm, sizeof nm, name);
            LFAIL(L, LMB_EKEY,
                  "unknown key '%s.%s' (a value object holds only value, source and fitted_to)",
                  shown, nm);
        }
    }
    if (!*value)
        LFAIL(L, LMB_EKEY, "%s has no \"value\"", shown);
    return LMB_OK;
}

/* A number, bare or boxed (read_boxed). */
static lmb_status read_value(loader *L, const char *shown, const cJSON *item, double *v,
                             const char **source, const char **fitted) {
    const cJSON *value;
    lmb_status st = read_boxed(L, shown, item, cJSON_Number, &value, source, fitted);
    if (st == LMB_OK)
        *v = value->valuedouble;
    return st;
}

/* {"value": <number>, ...}: a number with its provenance (not a correlation or a table). */
static int boxed_number(const cJSON *item) {
    const cJSON *v = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, "value") : NULL;
    return v && cJSON_IsNumber(v);
}

const lmb__preset *lmb__preset_named(const char *name) {
    for (int i = 0; name && i < lmb__presets_count; i++)
        if (strcmp(lmb__presets[i].name, name) == 0)
            return &lmb__presets[i];
    return NULL;
}

const lmb__preset *lmb__preset_table(const char *path) {
    for (int i = 0; path && i < lmb__preset_tables_count; i++)
        if (strcmp(lmb__preset_tables[i].path, path) == 0)
            return &lmb__preset_tables[i];
    return NULL;
}

/* The bytes of a table a cell file names, and the path they are known by (the built-in copy of
 * a preset's table, or the file, relative to the cell file's directory). */
static lmb_status load_table(loader *L, const char *shown, const char *path, lmb__prop_id id,
                             lmb__table *t) {
    lmb_dim xd, yd;
    lmb__prop_dims(id, &xd, &yd);
    char joined[sizeof L->dir + 1024];
    int len = path[0] == '/' || !L->dir[0] ? snprintf(joined, sizeof joined, "%s", path)
                                           : snprintf(joined, sizeof joined, "%s%s", L->dir, path);
    if (len < 0 || (size_t)len >= sizeof joined)
        LFAIL(L, LMB_ERANGE, "%s: the table's path is longer than %zu characters", shown,
              sizeof joined - 1);
    /* a preset's tables are built in; a written-out preset names them by that path, which is
     * used when no such file exists where the cell file points */
    int on_disk = !L->preset && access(joined, F_OK) == 0;
    const lmb__preset *e = NULL;
    if (!on_disk && !(e = lmb__preset_table(joined)) && !L->preset)
        e = lmb__preset_table(path);
    if (e) {
        lmb_status st = lmb__table_parse(L->ctx, e->json, strlen(e->json), e->path, xd, yd, t);
        if (st != LMB_OK)
            lmb__ctx_prefix_error(L->ctx, shown);
        return st == LMB_OK ? st : prefixed(L, st);
    }
    if (L->preset)
        LFAIL(L, LMB_EIO,
              "%s: the table '%s' is not built in (presets/ holds the tables of the "
              "presets)",
              shown, joined);
    char abs[PATH_MAX];
    const char *use = realpath(joined, abs) ? abs : joined;
    if (strlen(use) >= sizeof t->origin)
        LFAIL(L, LMB_ERANGE, "%s: the table's path '%s' is longer than %zu characters", shown, use,
              sizeof t->origin - 1);
    lmb_status st = lmb__table_load(L->ctx, use, xd, yd, t);
    if (st != LMB_OK)
        lmb__ctx_prefix_error(L->ctx, shown);
    return st == LMB_OK ? st : prefixed(L, st);
}

/*
 * A function-valued parameter (cell_schema.h): "name", {"value": "name", "source": ...} or
 * {"table": "file.csv", "interpolation": "steffen" | "akima", "source": ..., "fitted_to": ...}.
 */
static lmb_status read_prop(loader *L, const cJSON *item, int pi, const char *shown, int level) {
    lmb__prop_id id = lmb__prop_id_at(pi);
    const char *name = NULL, *table = NULL, *source = NULL, *fitted = NULL, *interp = NULL;
    if (cJSON_IsString(item)) {
        name = item->valuestring;
    } else if (cJSON_IsObject(item)) {
        for (const cJSON *m = item->child; m; m = m->next) {
            lmb_status st = check_duplicate(L, item, m, shown);
            if (st != LMB_OK)
                return st;
            const char *k = m->string ? m->string : "";
            const char **dst = strcmp(k, "value") == 0           ? &name
                               : strcmp(k, "table") == 0         ? &table
                               : strcmp(k, "source") == 0        ? &source
                               : strcmp(k, "fitted_to") == 0     ? &fitted
                               : strcmp(k, "interpolation") == 0 ? &interp
                                                                 : NULL;
            if (!dst) {
                char nm[120];
                lmb__escape(nm, sizeof nm, k);
                LFAIL(L, LMB_EKEY,
                      "unknown key '%s.%s' (a value object holds only value, source and "
                      "fitted_to; a table object table, interpolation, source and fitted_to)",
                      shown, nm);
            }
            if (!cJSON_IsString(m))
                LFAIL(L, LMB_EPARSE, "%s.%s must be a string, not a %s", shown, k, json_type(m));
            *dst = m->valuestring;
        }
        if (!name && !table)
            LFAIL(L, LMB_EKEY, "%s has no \"value\" (a name) or \"table\" (a CSV file)", shown);
        if (name && table)
            LFAIL(L, LMB_EKEY, "%s has both a \"value\" and a \"table\": give one", shown);
        if (interp && !table)
            LFAIL(L, LMB_EKEY, "%s.interpolation applies to a table only", shown);
    } else {
        LFAIL(L, LMB_EPARSE,
              "%s must be %sa string (a name), {\"value\": name} or {\"table\": \"file.csv\"}, "
              "not a %s",
              shown, lmb__schema_index(lmb__prop_key(pi)) >= 0 ? "a number with its unit, " : "",
              json_type(item));
    }
    lmb_prop v = {.kind = table ? LMB_PROP_TABLE : LMB_PROP_NAMED};
    lmb__table t = {0};
    if (name && lmb__prop_named_parse(id, name, &v.named) != 0) {
        char nv[120], choices[160];
        lmb__escape(nv, sizeof nv, name);
        lmb__prop_named_choices(id, choices, sizeof choices);
        LFAIL(L, LMB_ERANGE, "%s = '%s' is not a known %s (%s%s; or {\"table\": \"file.csv\"})",
              shown, nv, id == LMB__PROP_OCV ? "open-circuit potential" : "correlation",
              choices[0] ? "choices: " : "none is built in: give a number", choices);
    }
    if (interp) {
        lmb__interp k;
        if (lmb__interp_parse(interp, &k) != 0) {
            char iv[120];
            lmb__escape(iv, sizeof iv, interp);
            LFAIL(L, LMB_ERANGE, "%s.interpolation = '%s' is not known (choices: steffen, akima)",
                  shown, iv);
        }
        v.interp = (int)k;
    }
    if (table) {
        lmb_status st = load_table(L, shown, table, id, &t);
        if (st != LMB_OK)
            return st;
    }
    lmb_status st = lmb__cell_assign_prop(L->ctx, L->cell, pi, &v, table ? &t : NULL, shown, source,
                                          fitted, level, 1);
    lmb__table_free(&t);
    return st == LMB_OK ? st : prefixed(L, st);
}

/* One parameter "name": value inside the section prefix. */
static lmb_status read_param(loader *L, const cJSON *item, const char *prefix, int level) {
    const char *name = item->string ? item->string : "";
    char key[KEY_MAX], shown[160]; /* a longer key is cut with "..." in messages */
    int fits = join(key, sizeof key, prefix, name);
    lmb__escape(shown, sizeof shown, key);
    if (strchr(name, '.'))
        LFAIL(L, LMB_EKEY,
              "unknown key '%s': keys do not contain '.'; nest objects instead, "
              "e.g. {\"separator\": {\"thickness_um\": 16}}",
              shown);
    if (!fits)
        LFAIL(L, LMB_EKEY, "unknown key '%s'", shown);
    int pi = lmb__prop_index(key);
    if (pi >= 0 && ((!cJSON_IsNumber(item) && !boxed_number(item)) || lmb__schema_index(key) < 0))
        return read_prop(L, item, pi, shown, level);
    int row;
    const lmb_unit *unit;
    lmb_status st = lmb__schema_resolve(L->ctx, key, &row, &unit);
    if (st != LMB_OK)
        return prefixed(L, st);
    double v = 0.0;
    const char *source, *fitted;
    if ((st = read_value(L, shown, item, &v, &source, &fitted)) != LMB_OK)
        return st;
    st = lmb__cell_assign(L->ctx, L->cell, row, v, unit, shown, source, fitted, level, 1);
    return st == LMB_OK ? st : prefixed(L, st);
}

/* A section whose members are all parameters (electrolyte, separator, numerics, coating). */
static lmb_status read_section(loader *L, const cJSON *obj, const char *prefix, int level) {
    for (const cJSON *m = obj->child; m; m = m->next) {
        lmb_status st = check_duplicate(L, obj, m, prefix);
        if (st == LMB_OK)
            st = read_param(L, m, prefix, level);
        if (st != LMB_OK)
            return st;
    }
    return LMB_OK;
}

/* "electrodes", "negative" or "positive". *coating: 1 object given, -1 null, 0 absent; *kind:
 * 0 not given, 1 "li-metal", 2 "cu". */
static lmb_status read_electrode(loader *L, const cJSON *obj, const char *prefix, int level,
                                 int *coating, int *kind) {
    *coating = 0;
    *kind = 0;
    for (const cJSON *m = obj->child; m; m = m->next) {
        lmb_status st = check_duplicate(L, obj, m, prefix);
        if (st != LMB_OK)
            return st;
        const char *name = m->string ? m->string : "";
        if (strcmp(name, "kind") == 0) {
            if (!cJSON_IsString(m))
                LFAIL(L, LMB_EPARSE, "%s.kind must be a string, not a %s", prefix, json_type(m));
            if (strcmp(m->valuestring, "li-metal") == 0) {
                *kind = 1;
            } else if (strcmp(m->valuestring, "cu") == 0 && strcmp(prefix, "positive") == 0) {
                *kind = 2;
            } else {
                char v[120];
                lmb__escape(v, sizeof v, m->valuestring);
                LFAIL(L, LMB_ERANGE,
                      "%s.kind = '%s' is not supported (kinds: li-metal; cu for the positive, "
                      "working electrode of a li-cu cell)",
                      prefix, v);
            }
        } else if (strcmp(name, "coating") == 0) {
            char sub[64];
            snprintf(sub, sizeof sub, "%s.coating", prefix);
            if (cJSON_IsNull(m)) {
                *coating = -1;
            } else if (cJSON_IsObject(m)) {
                *coating = 1;
                if ((st = read_section(L, m, sub, level)) != LMB_OK)
                    return st;
            } else {
                LFAIL(L, LMB_EPARSE, "%s must be an object (or null for no coating), not a %s", sub,
                      json_type(m));
            }
        } else if ((st = read_param(L, m, prefix, level)) != LMB_OK) {
            return st;
        }
    }
    return LMB_OK;
}

static lmb_status read_text(loader *L, const cJSON *item, char *dst, size_t n) {
    if (!cJSON_IsString(item))
        LFAIL(L, LMB_EPARSE, "%s must be a string, not a %s", item->string, json_type(item));
    size_t len = strlen(item->valuestring);
    if (len >= n)
        LFAIL(L, LMB_ERANGE, "%s is %zu characters long (at most %zu)", item->string, len, n - 1);
    memcpy(dst, item->valuestring, len + 1);
    return LMB_OK;
}

static const char *const k_sections[] = {"electrolyte", "separator", "electrodes", "negative",
                                         "positive",    "lfp",       "porous",     "numerics"};
enum {
    SEC_ELECTROLYTE,
    SEC_SEPARATOR,
    SEC_ELECTRODES,
    SEC_NEGATIVE,
    SEC_POSITIVE,
    SEC_LFP,
    SEC_POROUS,
    SEC_NUMERICS,
    N_SECTIONS
};

/* Sections that the cell's type does not allow (see the top of the file). */
static lmb_status check_sections(loader *L, const lmb_params *p, const cJSON *const *sec) {
    if (lmb__type_porous(p->type)) {
        const char *tn = lmb__cell_type_name(p->type);
        const char *pos = p->type == LMB_CELL_LI_LFP ? "lfp" : "porous";
        if (sec[SEC_POSITIVE])
            LFAIL(L, LMB_EKEY,
                  "positive: a %s cell's positive electrode is the '%s' section (its Li "
                  "electrode is 'negative')",
                  tn, pos);
        if (sec[SEC_ELECTRODES])
            LFAIL(L, LMB_EKEY,
                  "electrodes: a %s cell has one Li electrode; write its parameters in "
                  "'negative' (the positive electrode is the '%s' section)",
                  tn, pos);
    }
    if (sec[SEC_LFP] && p->type != LMB_CELL_LI_LFP)
        LFAIL(L, LMB_EKEY,
              "lfp: only a li-lfp cell has an LFP electrode (this cell is %s; write "
              "\"type\": \"li-lfp\")",
              lmb__cell_type_name(p->type));
    if (sec[SEC_POROUS] && p->type != LMB_CELL_LI_POROUS)
        LFAIL(L, LMB_EKEY,
              "porous: only a li-porous cell has a 'porous' electrode (this cell is %s; write "
              "\"type\": \"li-porous\")",
              lmb__cell_type_name(p->type));
    return LMB_OK;
}

static lmb_status read_root(loader *L, const cJSON *root) {
    lmb_params *p = lmb__cell_params_mut(L->cell);
    const cJSON *sec[N_SECTIONS] = {0};
    lmb_status st;
    for (const cJSON *m = root->child; m; m = m->next) {
        if ((st = check_duplicate(L, root, m, "")) != LMB_OK)
            return st;
        const char *name = m->string ? m->string : "";
        int s = -1;
        for (int k = 0; k < N_SECTIONS; k++)
            if (strcmp(name, k_sections[k]) == 0)
                s = k;
        if (s >= 0) {
            if (!cJSON_IsObject(m))
                LFAIL(L, LMB_EPARSE, "%s must be an object, not a %s", name, json_type(m));
            sec[s] = m;
        } else if (strcmp(name, "name") == 0) {
            st = read_text(L, m, p->name, sizeof p->name);
        } else if (strcmp(name, "description") == 0) {
            st = read_text(L, m, p->description, sizeof p->description);
        } else if (strcmp(name, "type") == 0) {
            if (!cJSON_IsString(m))
                LFAIL(L, LMB_EPARSE, "type must be a string, not a %s", json_type(m));
            static const lmb_cell_type types[] = {LMB_CELL_LI_LI, LMB_CELL_LI_CU, LMB_CELL_LI_LFP,
                                                  LMB_CELL_LI_POROUS};
            int found = 0;
            char list[96] = "";
            for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
                const char *tn = lmb__cell_type_name(types[k]);
                size_t len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", tn);
                if (strcmp(m->valuestring, tn) == 0) {
                    lmb__params_set_type(p, types[k]);
                    found = 1;
                }
            }
            if (!found) {
                char v[120];
                lmb__escape(v, sizeof v, m->valuestring);
                LFAIL(L, LMB_ERANGE, "type = '%s' is not supported (types: %s)", v, list);
            }
        } else {
            st = read_param(L, m, "", LMB__GIVEN_OWN);
        }
        if (st != LMB_OK)
            return st;
    }

    if ((st = check_sections(L, p, sec)) != LMB_OK)
        return st;
    int coating[N_SECTIONS] = {0}, kind[N_SECTIONS] = {0};
    for (int k = 0; k < N_SECTIONS; k++) {
        if (!sec[k])
            continue;
        if (k == SEC_ELECTRODES || k == SEC_NEGATIVE || k == SEC_POSITIVE)
            st = read_electrode(L, sec[k], k_sections[k],
                                k == SEC_ELECTRODES ? LMB__GIVEN_SHARED : LMB__GIVEN_OWN,
                                &coating[k], &kind[k]);
        else
            st = read_section(L, sec[k], k_sections[k], LMB__GIVEN_OWN);
        if (st != LMB_OK)
            return st;
    }
    /* an electrode has a coating if its own section gives one, or if "electrodes" does and its
     * own section does not remove it with "coating": null */
    p->neg.coating.present =
        coating[SEC_NEGATIVE] == 1 || (coating[SEC_NEGATIVE] == 0 && coating[SEC_ELECTRODES] == 1);
    p->pos.coating.present =
        coating[SEC_POSITIVE] == 1 || (coating[SEC_POSITIVE] == 0 && coating[SEC_ELECTRODES] == 1);
    /* a li-cu cell's working electrode is Cu (its kind may say so; it may not say otherwise) */
    if (p->type == LMB_CELL_LI_CU && kind[SEC_POSITIVE] == 1)
        LFAIL(L, LMB_ERANGE,
              "positive.kind = '%s' in a li-cu cell: its positive (working) "
              "electrode is the Cu",
              "li-metal");
    if (p->type == LMB_CELL_LI_LI && kind[SEC_POSITIVE] == 2)
        LFAIL(L, LMB_ERANGE, "positive.kind = 'cu' needs \"type\": \"%s\"", "li-cu");
    p->neg.is_cu = 0;
    p->pos.is_cu = p->type == LMB_CELL_LI_CU;

    st = lmb__params_finish(L->ctx, p);
    return st == LMB_OK ? st : prefixed(L, st);
}

/* Depth of open objects and arrays at position at (strings skipped). */
static int nesting_depth(const char *text, const char *at) {
    int depth = 0, in_string = 0;
    for (const char *c = text; c < at && *c; c++) {
        if (in_string) {
            if (*c == '\\' && c[1])
                c++;
            else if (*c == '"')
                in_string = 0;
        } else if (*c == '"') {
            in_string = 1;
        } else if (*c == '[' || *c == '{') {
            depth++;
        } else if (*c == ']' || *c == '}') {
            depth--;
        }
    }
    return depth;
}

/*
 * "FILE:LINE:COL: JSON syntax error near '...'" for the position cJSON stopped at. That position
 * is often one character past the culprit, so the excerpt shows the line on both sides of it.
 */
static lmb_status syntax_error(loader *L, const char *text, const char *at) {
    int line = 1, col = 1;
    const char *line_start = text;
    for (const char *c = text; c < at && *c; c++) {
        if (*c == '\n') {
            line++;
            col = 1;
            line_start = c + 1;
        } else {
            col++;
        }
    }
    enum { CONTEXT = 12 };
    const char *a = at - line_start > CONTEXT ? at - CONTEXT : line_start;
    const char *b = at;
    while (*b && *b != '\n' && *b != '\r' && b - at < CONTEXT)
        b++;
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    char raw[2 * CONTEXT + 1], near[4 * (2 * CONTEXT + 1) + 4];
    memcpy(raw, a, (size_t)(b - a));
    raw[b - a] = '\0';
    lmb__escape(near, sizeof near, raw);
    const char *rest = at;
    while (*rest == ' ' || *rest == '\t' || *rest == '\n' || *rest == '\r')
        rest++;
    const char *why = *rest ? "" : " at the end of the file (truncated?)";
    if (nesting_depth(text, at) >= CJSON_NESTING_LIMIT)
        why = " (objects and arrays nested too deeply)";
    LMB__FAIL(L->ctx, LMB_EPARSE, "%s:%d:%d: JSON syntax error near '%s'%s", L->origin, line, col,
              near, why);
}

/* lmb_cell_parse of a cell file's text, or (preset not NULL) of a built-in preset's. */
static lmb_status parse_cell(lmb_ctx *ctx, const char *json, const char *origin,
                             const lmb__preset *preset, lmb_cell **out) {
    if (out)
        *out = NULL;
    if (!json || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_cell_parse: NULL argument");
    loader L = {.ctx = ctx, .preset = preset != NULL};
    lmb__escape(L.origin, sizeof L.origin, origin ? origin : "<string>");
    /* relative table paths start in the cell file's directory; a preset's are built in */
    if (preset)
        snprintf(L.dir, sizeof L.dir, "%s", preset->path);
    else if (origin && strcmp(origin, "<string>") != 0)
        snprintf(L.dir, sizeof L.dir, "%s", origin);
    char *slash = strrchr(L.dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        L.dir[0] = '\0';

    const char *text = json;
    if ((unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        text += 3; /* UTF-8 byte-order mark */
    const char *c = text;
    while (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
        c++;
    if (!*c)
        LMB__FAIL(ctx, LMB_EPARSE, "%s: empty file (a cell file is one JSON object)", L.origin);

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root)
        return syntax_error(&L, text, end ? end : text);
    lmb_status st;
    if (!cJSON_IsObject(root)) {
        const char *t = json_type(root);
        cJSON_Delete(root);
        LMB__FAIL(ctx, LMB_EPARSE, "%s: the top level must be a JSON object, not a%s %s", L.origin,
                  (t[0] == 'a' || t[0] == 'o' || t[0] == 'i') ? "n" : "", t);
    }
    if ((st = lmb__cell_new(ctx, origin ? origin : "<string>", &L.cell)) != LMB_OK) {
        cJSON_Delete(root);
        return st;
    }
    st = read_root(&L, root);
    cJSON_Delete(root);
    if (st != LMB_OK) {
        lmb_cell_free(L.cell);
        return st;
    }
    *out = L.cell;
    return LMB_OK;
}

lmb_status lmb_cell_parse(lmb_ctx *ctx, const char *json, const char *origin, lmb_cell **out) {
    return parse_cell(ctx, json, origin, NULL, out);
}

/* Reads a whole file; NUL bytes and sizes above LMB__CELL_FILE_MAX are refused. */
static lmb_status read_file(lmb_ctx *ctx, const char *path, const char *shown, char **out) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        LMB__FAIL(ctx, LMB_EIO, "%s: cannot open: %s", shown, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", shown);
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= (size_t)LMB__CELL_FILE_MAX) {
                free(buf);
                fclose(f);
                LMB__FAIL(ctx, LMB_EIO, "%s: larger than %ld MiB; not a cell file", shown,
                          LMB__CELL_FILE_MAX / (1024 * 1024));
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                LMB__FAIL(ctx, LMB_ENOMEM, "%s: out of memory", shown);
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        free(buf);
        LMB__FAIL(ctx, LMB_EIO, "%s: cannot read: %s", shown, strerror(err));
    }
    buf[n] = '\0';
    const char *nul = memchr(buf, '\0', n);
    if (nul) {
        long off = (long)(nul - buf);
        free(buf);
        LMB__FAIL(ctx, LMB_EPARSE, "%s: NUL byte at offset %ld: not a JSON text file", shown, off);
    }
    *out = buf;
    return LMB_OK;
}

int lmb_preset_count(void) {
    return lmb__presets_count;
}

const char *lmb_preset_name(int i) {
    return (i >= 0 && i < lmb__presets_count) ? lmb__presets[i].name : NULL;
}

/*
 * Coating-loading variants of a preset: "li-li:cspbcl3-4mg" is the preset "li-li:cspbcl3-<M>mg"
 * with its coatings' loading (both, or the negative's in a li-lfp cell) set to 4 mg/cm2 (the study
 * simulates 1, 2 and 4 mg/cm2 from one parameter set in which only the loading changes). Returns
 * LMB_ENOTFOUND when the name is not of that form or no such preset exists, without touching the
 * context.
 */
static lmb_status load_loading_variant(lmb_ctx *ctx, const char *name, lmb_cell **out) {
    const char *dash = strrchr(name, '-');
    if (!dash)
        return LMB_ENOTFOUND;
    char *end = NULL;
    double mg = strtod(dash + 1, &end);
    if (end == dash + 1 || strcmp(end, "mg") != 0 || dash[1] == '-' || dash[1] == '+')
        return LMB_ENOTFOUND;
    size_t stem = (size_t)(dash - name) + 1; /* "li-li:cspbcl3-" */
    for (int i = 0; i < lmb__presets_count; i++) {
        const char *pn = lmb__presets[i].name;
        if (strncmp(pn, name, stem) != 0)
            continue;
        char *pend = NULL;
        strtod(pn + stem, &pend);
        if (pend == pn + stem || strcmp(pend, "mg") != 0)
            continue;
        lmb_status st = parse_cell(ctx, lmb__presets[i].json, pn, &lmb__presets[i], out);
        if (st == LMB_OK)
            st = lmb_cell_set(ctx, *out, "negative.coating.loading_mg_cm2", mg);
        /* a li-lfp cell has one Li electrode, the negative */
        if (st == LMB_OK && !lmb__type_porous(lmb__cell_params(*out)->type))
            st = lmb_cell_set(ctx, *out, "positive.coating.loading_mg_cm2", mg);
        if (st != LMB_OK) {
            lmb__ctx_prefix_error(ctx, name);
            lmb_cell_free(*out);
            *out = NULL;
            return st == LMB_ENOTFOUND ? LMB_EINVAL : st;
        }
        lmb_params *p = lmb__cell_params_mut(*out);
        snprintf(p->name, sizeof p->name, "%s", name);
        return LMB_OK;
    }
    return LMB_ENOTFOUND;
}

lmb_status lmb_cell_load(lmb_ctx *ctx, const char *path_or_preset, lmb_cell **out) {
    if (out)
        *out = NULL;
    if (!path_or_preset || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_cell_load: NULL argument");
    char shown[512];
    lmb__escape(shown, sizeof shown, path_or_preset);
    if (strchr(path_or_preset, ':') && !strchr(path_or_preset, '/') &&
        !strchr(path_or_preset, '\\')) {
        const lmb__preset *e = lmb__preset_named(path_or_preset);
        if (e)
            return parse_cell(ctx, e->json, e->name, e, out);
        lmb_status vst = load_loading_variant(ctx, path_or_preset, out);
        if (vst != LMB_ENOTFOUND)
            return vst;
        char list[512] = "";
        for (int i = 0; i < lmb__presets_count; i++) {
            size_t k = strlen(list);
            snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", lmb__presets[i].name);
        }
        LMB__FAIL(ctx, LMB_ENOTFOUND,
                  "unknown preset '%s' (presets: %s; coated presets take any loading, e.g. "
                  "li-li:cspbcl3-4mg; a file whose name has a ':' is read as ./NAME)",
                  shown, list[0] ? list : "none");
    }
    char *text;
    lmb_status st = read_file(ctx, path_or_preset, shown, &text);
    if (st != LMB_OK)
        return st;
    st = lmb_cell_parse(ctx, text, path_or_preset, out);
    free(text);
    return st;
}

/* ---- writing ---- */

/* A function-valued parameter as a value (read_prop's forms), with its provenance as the
 * numbers have it (source "default" where it was not given); NULL for a constant. */
static cJSON *prop_value(const lmb_cell *cell, int pi) {
    const lmb_prop *v;
    const char *source, *fitted;
    int is_default;
    lmb__cell_prop_info(cell, pi, &v, &source, &fitted, &is_default);
    if (!v || v->kind == LMB_PROP_CONSTANT)
        return NULL;
    const char *name =
        v->kind == LMB_PROP_NAMED ? lmb__prop_named_name(lmb__prop_id_at(pi), v->named) : NULL;
    if (v->kind == LMB_PROP_NAMED && !name)
        return NULL;
    if (name && !is_default && !source[0] && !fitted[0])
        return cJSON_CreateString(name);
    cJSON *o = cJSON_CreateObject();
    int ok = o != NULL;
    if (ok && name)
        ok = cJSON_AddStringToObject(o, "value", name) != NULL;
    if (ok && !name) {
        ok = v->table && cJSON_AddStringToObject(o, "table", v->table->origin) &&
             cJSON_AddStringToObject(o, "interpolation", lmb__interp_name((lmb__interp)v->interp));
    }
    if (ok && (is_default || source[0]))
        ok = cJSON_AddStringToObject(o, "source", is_default ? "default" : source) != NULL;
    if (ok && fitted[0])
        ok = cJSON_AddStringToObject(o, "fitted_to", fitted) != NULL;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Adds the cell's function-valued parameters to root (their sections created as needed). 0 if
 * out of memory. */
static cJSON *section_at(const lmb_cell *cell, cJSON *root, const char *path);
static int add_props(const lmb_cell *cell, cJSON *root) {
    for (int pi = 0; pi < lmb__prop_count(); pi++) {
        if (!lmb__prop_in_type(cell, pi))
            continue;
        const lmb_prop *v;
        lmb__cell_prop_info(cell, pi, &v, NULL, NULL, NULL);
        if (!v || v->kind == LMB_PROP_CONSTANT)
            continue;
        char path[KEY_MAX];
        snprintf(path, sizeof path, "%s", lmb__prop_key(pi));
        char *dot = strrchr(path, '.');
        if (!dot)
            continue;
        *dot = '\0';
        cJSON *sec = section_at(cell, root, path);
        cJSON *o = sec ? prop_value(cell, pi) : NULL;
        if (!o || !cJSON_AddItemToObject(sec, dot + 1, o)) {
            cJSON_Delete(o);
            return 0;
        }
    }
    return 1;
}

/* Starts a new top-level section: an electrode with its kind (the positive electrode of a
 * li-cu cell is the Cu). 0 if out of memory. */
static int section_start(const lmb_cell *cell, const char *name, cJSON *sec) {
    const lmb_params *p = lmb__cell_params(cell);
    if (strcmp(name, "negative") == 0 || strcmp(name, "positive") == 0) {
        int cu = p->type == LMB_CELL_LI_CU && strcmp(name, "positive") == 0;
        return cJSON_AddStringToObject(sec, "kind", cu ? "cu" : "li-metal") != NULL;
    }
    return 1;
}

/* The object at "a.b" under root (created when missing, see section_start). */
static cJSON *section_at(const lmb_cell *cell, cJSON *root, const char *path) {
    char buf[KEY_MAX];
    size_t len = strlen(path);
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, path, len + 1);
    cJSON *obj = root;
    for (char *part = buf; part && *part;) {
        char *dot = strchr(part, '.');
        if (dot)
            *dot = '\0';
        cJSON *next = cJSON_GetObjectItemCaseSensitive(obj, part);
        if (!next) {
            next = cJSON_AddObjectToObject(obj, part);
            if (!next)
                return NULL;
            if (obj == root && !section_start(cell, part, next))
                return NULL;
        }
        obj = next;
        part = dot ? dot + 1 : NULL;
    }
    return obj;
}

lmb_status lmb_cell_to_json(lmb_ctx *ctx, const lmb_cell *cell, char **out) {
    if (out)
        *out = NULL;
    if (!cell || !out)
        LMB__FAIL(ctx, LMB_EINVAL, "lmb_cell_to_json: NULL argument");
    const lmb_params *p = lmb__cell_params(cell);
    cJSON *root = cJSON_CreateObject();
    int ok = root != NULL;
    if (ok && p->name[0])
        ok = cJSON_AddStringToObject(root, "name", p->name) != NULL;
    if (ok && p->description[0])
        ok = cJSON_AddStringToObject(root, "description", p->description) != NULL;
    const char *type = lmb__cell_type_name(p->type);
    if (ok)
        ok = type && cJSON_AddStringToObject(root, "type", type) != NULL;
    int n = lmb_cell_param_count(cell);
    for (int i = 0; ok && i < n; i++) {
        lmb_param_info info;
        lmb_cell_param_at(cell, i, &info);
        char path[KEY_MAX], leaf[KEY_MAX + 32];
        snprintf(path, sizeof path, "%s", info.key);
        char *dot = strrchr(path, '.');
        const char *base = dot ? dot + 1 : path;
        const lmb_unit *u = lmb_unit_find(info.unit);
        if (u && u->dim != LMB_DIM_NONE)
            snprintf(leaf, sizeof leaf, "%s_%s", base, u->key);
        else
            snprintf(leaf, sizeof leaf, "%s", base);
        if (dot)
            *dot = '\0';
        cJSON *sec = dot ? section_at(cell, root, path) : root;
        cJSON *v = sec ? cJSON_AddObjectToObject(sec, leaf) : NULL;
        ok = v && cJSON_AddNumberToObject(v, "value", info.value);
        if (ok && (info.is_default || info.source[0]))
            ok = cJSON_AddStringToObject(v, "source", info.is_default ? "default" : info.source) !=
                 NULL;
        if (ok && info.fitted_to[0])
            ok = cJSON_AddStringToObject(v, "fitted_to", info.fitted_to) != NULL;
    }
    if (ok)
        ok = add_props(cell, root);
    char *text = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        LMB__FAIL(ctx, LMB_ENOMEM, "out of memory writing %s as JSON", lmb_cell_name(cell));
    *out = text;
    return LMB_OK;
}
