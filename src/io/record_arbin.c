/*
 * record_arbin.c - the Arbin CSV export reader ("arbin-csv"), with its "_Metadata.csv" side file.
 *
 * The data file: one header row, comma-separated, then one row per data point. Column names are
 * either bare (Data_Point, Test_Time, DateTime, Step_Time, Step_Index, Cycle_Index, Current,
 * Voltage, Charge_Capacity, Discharge_Capacity, Charge_Energy, Discharge_Energy, dV/dt,
 * Internal_Resistance, Temperature) in Arbin's units s, A, V, Ah, Wh, degC, or carry the unit
 * ("Test_Time(s)", "Current(A)", "Charge_Capacity(Ah)"), converted through lmb__vend_unit.
 * DateTime is Unix seconds (it equals First_Start_DateTime of the metadata at the first row);
 * Date_Time, a local date without a time zone, is not read. An empty cell of a present column is
 * NaN (beep's test-TC-contact file leaves Step_Index and Cycle_Index empty); a note counts them.
 *
 * Sign: Arbin's current is positive on charge, lmb's convention; the reader keeps it and checks
 * it against the capacity counters (rows where Charge_Capacity grows should have I > 0, rows
 * where Discharge_Capacity grows I < 0), in a note. On beep's test-TC-contact file 206 rows
 * agree and none disagree; the FastCharge file is a rest (I = 0 throughout): nothing to check.
 *
 * The metadata side file "<stem>_Metadata.csv" (header ",Test_ID,..." in either case, one row of
 * values): read from beside a data file that was loaded from a path, for its schedule file name
 * and first start time (notes). When the file given is itself the metadata file, the data file
 * beside it (the same name without "_Metadata") is read and the note says so; from a buffer,
 * which has no "beside", that is an error.
 */
#include "io/record_vendor.h"

#include "core/ctx_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest metadata side file read [bytes]; beep's are under 500 bytes. */
#define ARBIN_META_MAX ((size_t)1024 * 1024)
/* Unix times outside [0, this] are not Unix seconds (an export in .NET ticks, say) [s]. */
#define ARBIN_UNIX_MAX 4102444800.0 /* 2100-01-01 */

static const lmb__vend_name names[] = {
    {"Test_Time", LMB_REC_TIME, 0, "s"},
    {"DateTime", LMB_REC_UNIX_TIME, 0, "s"},
    {"Step_Index", LMB_REC_STEP_INDEX, 0, ""},
    {"Cycle_Index", LMB_REC_CYCLE_INDEX, 0, ""},
    {"Current", LMB_REC_CURRENT, 0, "A"},
    {"Voltage", LMB_REC_VOLTAGE, 0, "V"},
    {"Charge_Capacity", LMB_REC_CHARGE_CAPACITY, 0, "Ah"},
    {"Discharge_Capacity", LMB_REC_DISCHARGE_CAPACITY, 0, "Ah"},
    {"Charge_Energy", LMB_REC_CHARGE_ENERGY, 0, "Wh"},
    {"Discharge_Energy", LMB_REC_DISCHARGE_ENERGY, 0, "Wh"},
    {"Temperature", LMB_REC_TEMPERATURE, 0, "degC"},
    {"Aux_Temperature_1", LMB_REC_TEMPERATURE, 1, "degC"},
};

/* ---- detection ---- */

static int is_metadata_header(const char *line) {
    return lmb__vend_iprefix(line, ",Test_ID");
}

/* The current is not asked for: a file without it should hear so from the reader. */
static int is_data_header(const char *line) {
    return lmb__vend_has_field(line, ',', "Data_Point", 1) &&
           lmb__vend_has_field(line, ',', "Test_Time", 1) &&
           lmb__vend_has_field(line, ',', "Voltage", 1);
}

static int first_line(const char *buf, size_t len, char *line, size_t cap) {
    size_t off = 0;
    return lmb__vend_detect_text(buf, len) && lmb__vend_detect_line(buf, len, &off, line, cap);
}

static int detect_arbin(const char *buf, size_t len) {
    char line[LMB__VEND_DETECT_LINE];
    if (!first_line(buf, len, line, sizeof line))
        return 0;
    return is_metadata_header(line) || is_data_header(line);
}

/* ---- the metadata side file ---- */

/* Writes the UTC date and time of Unix seconds u as "YYYY-MM-DD hh:mm:ss" (H. Hinnant's
 * civil_from_days). */
static void utc_text(double u, char *out, size_t cap) {
    long long s = (long long)floor(u);
    long long days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    long long sod = s - days * 86400;
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, cap, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", y, m, d, sod / 3600,
             sod / 60 % 60, sod % 60);
}

/*
 * Notes the schedule file name and first start time of a metadata file's content (buf, cut in
 * place). A content that is not what it should be gives a note, not an error: the data are read
 * all the same.
 */
static lmb_status note_metadata(lmb_ctx *ctx, lmb_record *r, const char *mpath, char *buf,
                                size_t len) {
    if (memchr(buf, '\0', len))
        return lmb__record_note(ctx, r, "Arbin metadata %.300s: binary content, not read", mpath);
    char *pos = buf, *end = buf + len;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        pos += 3;
    char *head = lmb__next_line(&pos, end), *vals = lmb__next_line(&pos, end);
    if (!head || !vals || !is_metadata_header(head))
        return lmb__record_note(ctx, r,
                                "Arbin metadata %.300s: no header \",Test_ID,...\" and row of "
                                "values; not read",
                                mpath);
    enum { MAXF = 64 };
    char *hn[MAXF], *hv[MAXF];
    int nh = lmb__vend_split(head, ',', hn, MAXF);
    int nv = lmb__vend_split(vals, ',', hv, MAXF);
    const char *schedule = NULL, *start = NULL;
    for (int k = 0; k < nh && k < nv; k++) {
        if (lmb__vend_ieq(hn[k], "Schedule_File_Name"))
            schedule = hv[k];
        else if (lmb__vend_ieq(hn[k], "First_Start_DateTime"))
            start = hv[k];
    }
    char when[160] = "not given";
    double u;
    char sbuf[64];
    if (start) {
        snprintf(sbuf, sizeof sbuf, "%s", start);
        if (lmb__parse_number(sbuf, 0, &u) && u >= 0.0 && u <= ARBIN_UNIX_MAX) {
            char utc[112];
            utc_text(u, utc, sizeof utc);
            snprintf(when, sizeof when, "%.0f s (%s UTC)", u, utc);
        } else {
            snprintf(when, sizeof when, "\"%.30s\" (not Unix seconds)", start);
        }
    }
    return lmb__record_note(ctx, r, "Arbin metadata %.100s: schedule \"%.60s\", first start %s",
                            mpath, schedule ? schedule : "not given", when);
}

/* The path with its extension (after the last '.' of the file name) replaced by suffix. */
static char *with_suffix(const char *path, const char *suffix) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    size_t sl = strlen(suffix);
    char *p = malloc(stem + sl + 1);
    if (!p)
        return NULL;
    memcpy(p, path, stem);
    memcpy(p + stem, suffix, sl + 1);
    return p;
}

/* Reads "<stem>_Metadata.csv" beside the data file at path, if there is one. */
static lmb_status side_file(lmb_ctx *ctx, lmb_record *r, const char *path) {
    char *mpath = with_suffix(path, "_Metadata.csv");
    if (!mpath)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", path);
    FILE *fp = fopen(mpath, "rb");
    if (!fp) { /* no side file: nothing to say */
        free(mpath);
        return LMB_OK;
    }
    fclose(fp);
    char *buf = NULL;
    size_t len = 0;
    lmb_status st =
        lmb__read_whole_file(ctx, mpath, ARBIN_META_MAX, "an Arbin metadata file", &buf, &len);
    if (st != LMB_OK) { /* the data are fine: the side file's trouble becomes a note */
        st = lmb__record_note(ctx, r, "Arbin metadata %.100s not read: %.100s", mpath,
                              lmb_ctx_errmsg(ctx));
        lmb_ctx_clear_error(ctx);
    } else {
        st = note_metadata(ctx, r, mpath, buf, len);
    }
    free(buf);
    free(mpath);
    return st;
}

/* ---- the data file ---- */

static lmb_status read_data(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, const char *path,
                            char *buf, size_t len) {
    lmb_status st = lmb__vend_begin(ctx, t, path, buf, len, ',', 0);
    if (st != LMB_OK)
        return st;
    char *line = lmb__vend_next(t);
    if (!line || !is_data_header(line))
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:1: no Arbin header (Data_Point, Test_Time, ..., Voltage)", path);
    if ((st = lmb__vend_header(ctx, t, line)) != LMB_OK)
        return st;
    if ((st = lmb__vend_offer_names(ctx, t, names, sizeof names / sizeof names[0])) != LMB_OK ||
        (st = lmb__vend_map_offers(ctx, r, t)) != LMB_OK)
        return st;
    static const char *const required[3] = {"time (\"Test_Time\" or \"Test_Time(s)\")",
                                            "voltage (\"Voltage\" or \"Voltage(V)\")",
                                            "current (\"Current\" or \"Current(A)\")"};
    if ((st = lmb__vend_require(ctx, t, required)) != LMB_OK)
        return st;
    int dt = lmb__vend_find(t, "Date_Time");
    if (dt >= 0 && (st = lmb__vend_note_wallclock(ctx, r, t, dt)) != LMB_OK)
        return st;

    lmb__vend_sign sign = {0, 0, 0, 0};
    double prev[2] = {NAN, NAN};
    size_t bad_unix = 0; /* the line of a DateTime that is not Unix seconds */
    while (st == LMB_OK && (line = lmb__vend_next(t)) != NULL) {
        if (lmb__vend_blank(t, line))
            continue;
        double v[LMB_REC_N_COLS];
        int skip;
        st = lmb__vend_row(ctx, t, line, v, &skip);
        if (st != LMB_OK || skip)
            continue;
        double u = v[LMB_REC_UNIX_TIME];
        if (!bad_unix && r->col[LMB_REC_UNIX_TIME] && (u < 0.0 || u > ARBIN_UNIX_MAX))
            bad_unix = t->lineno;
        lmb__vend_sign_capacity(&sign, v, prev, t->lineno);
        st = lmb__record_push(ctx, r, v);
    }
    if (st == LMB_OK)
        st = lmb__vend_finish(ctx, r, t);
    if (st == LMB_OK && bad_unix) {
        free(r->col[LMB_REC_UNIX_TIME]);
        r->col[LMB_REC_UNIX_TIME] = NULL;
        st = lmb__record_note(ctx, r,
                              "column DateTime is not Unix seconds (line %zu is outside 1970 to "
                              "2100): not read",
                              bad_unix);
    }
    if (st == LMB_OK) {
        if (r->col[LMB_REC_CHARGE_CAPACITY] && r->col[LMB_REC_DISCHARGE_CAPACITY])
            st = lmb__vend_sign_settle(ctx, r, path, &sign,
                                       "the capacity counters (Arbin: positive charges the cell)",
                                       0, 0);
        else
            st = lmb__record_note(ctx, r,
                                  "current sign: Arbin's, positive charges the cell (no capacity "
                                  "counters to check it against)");
    }
    return st;
}

/* The data file of a metadata file: the path without its (last) "_Metadata". */
static char *data_path_of(const char *mpath) {
    const char *base = strrchr(mpath, '/');
    base = base ? base + 1 : mpath;
    const char *hit = NULL;
    for (const char *p = base; *p; p++)
        if (lmb__vend_iprefix(p, "_Metadata"))
            hit = p;
    if (!hit)
        return NULL;
    size_t n = strlen(mpath), cut = 9;
    char *d = malloc(n - cut + 1);
    if (!d)
        return NULL;
    size_t a = (size_t)(hit - mpath);
    memcpy(d, mpath, a);
    memcpy(d + a, hit + cut, n - a - cut + 1);
    return d;
}

static lmb_status read_from_metadata(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, char *buf,
                                     size_t len) {
    if (!r->from_file)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:1: an Arbin metadata file (\",Test_ID,...\") holds no data, and a buffer "
                  "has no data file beside it; load the data file",
                  r->path);
    char *dpath = data_path_of(r->path);
    if (!dpath)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:1: an Arbin metadata file holds no data, and its name has no "
                  "\"_Metadata\" to find the data file by",
                  r->path);
    char *dbuf = NULL;
    size_t dlen = 0;
    lmb_status st =
        lmb__read_whole_file(ctx, dpath, LMB__RECORD_FILE_MAX, "an Arbin data file", &dbuf, &dlen);
    if (st != LMB_OK) {
        char prefix[480];
        snprintf(prefix, sizeof prefix, "%.400s:1: Arbin metadata; its data file", r->path);
        lmb__ctx_prefix_error(ctx, prefix);
        free(dpath);
        return st;
    }
    if (!detect_arbin(dbuf, dlen)) {
        st = lmb__ctx_fail(ctx, LMB_EPARSE,
                           "%.400s:1: not an Arbin data file (the data file of the metadata file "
                           "%.300s)",
                           dpath, r->path);
    } else {
        st = read_data(ctx, r, t, dpath, dbuf, dlen);
        if (st == LMB_OK)
            st = lmb__record_note(ctx, r,
                                  "the file given is Arbin metadata: the data were read from "
                                  "%.200s beside it",
                                  dpath);
        if (st == LMB_OK)
            st = note_metadata(ctx, r, r->path, buf, len);
    }
    free(dbuf);
    free(dpath);
    return st;
}

static lmb_status read_arbin(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    lmb__vend_table *t = calloc(1, sizeof *t);
    if (!t)
        LMB__FAIL(ctx, LMB_ENOMEM, "%.400s: out of memory", r->path);
    const char *p = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? buf + 3 : buf;
    lmb_status st;
    if (is_metadata_header(p)) {
        st = read_from_metadata(ctx, r, t, buf, len);
    } else {
        st = read_data(ctx, r, t, r->path, buf, len);
        if (st == LMB_OK && r->from_file)
            st = side_file(ctx, r, r->path);
    }
    free(t);
    return st;
}

const lmb__record_reader lmb__reader_arbin = {"arbin-csv", detect_arbin, read_arbin};
