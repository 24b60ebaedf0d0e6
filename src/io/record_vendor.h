/*
 * record_vendor.h - what the readers of vendor cycler exports share (record_bdf.c,
 * record_arbin.c, record_maccor.c, record_neware.c, record_landt.c): detection on the first
 * bytes, units named in column headers, and one table reader that turns the rows of a
 * comma- or tab-separated export into record rows.
 *
 * A reader finds its header line, offers each column it knows to a record column
 * (lmb__vend_offer: the field, a priority when two columns could give the same quantity, and
 * the unit the header names), and lmb__vend_map_offers makes the winners record columns with
 * their conversion to SI. Then every data line goes through lmb__vend_row, which splits it,
 * parses the mapped fields (empty cell: NaN, counted; a text that is not a number: an error
 * naming file, line and column; a value not finite: LMB_ERANGE) and converts them; the reader
 * adds what is vendor-specific (the sign of the current, a State column) and pushes the row.
 * lmb__vend_finish adds the notes (empty cells, columns not read) and refuses a file without
 * data rows.
 *
 * Rows with too few fields: an error naming the line and the column that is missing, except a
 * last line that is newline-terminated, which is dropped with a note (cellpy's maccor_two.txt
 * was cut by hand to a test size: its last line ends with a newline after 9 of 28 fields). A
 * last line with too few fields and no line end is a file cut while being written or copied:
 * an error. A complete last line without a line end is kept, with a note.
 *
 * Text: NUL bytes make the detectors say no and the readers fail ("binary content"); a UTF-8
 * byte-order mark is skipped. Fields are trimmed; a field that starts with '"' is unquoted
 * (RFC 4180, "" inside a quoted field is one quote), so a separator inside quotes is text.
 */
#ifndef LMB_IO_RECORD_VENDOR_H
#define LMB_IO_RECORD_VENDOR_H

#include "io/record_internal.h"

#include <stddef.h>

/* Most fields a header or row may have; Arbin exports with many auxiliary channels have a few
 * hundred. */
#define LMB__VEND_MAX_FIELDS 1024
/* Detectors look at no more than this many bytes [bytes] and lines. */
#define LMB__VEND_DETECT_BYTES ((size_t)64 * 1024)
#define LMB__VEND_DETECT_LINES 64
/* The longest line a detector looks at in full [bytes]; a longer header is cut there. */
#define LMB__VEND_DETECT_LINE 16384

/* A field or a column name shortened for messages, so that a sentence stays within the context's
 * buffer. */
#define LMB__VEND_FIELD_FMT "\"%.40s\""
#define LMB__VEND_NAME_FMT  "\"%.60s\""

/* ---- small string helpers ---- */

/* Case-insensitive (ASCII) equality, and whether s starts with prefix. */
int lmb__vend_ieq(const char *a, const char *b);
int lmb__vend_iprefix(const char *s, const char *prefix);
/* Whether s contains sub, ignoring ASCII case. */
int lmb__vend_icontains(const char *s, const char *sub);

/*
 * Splits a column name such as "Current(A)", "Current (A)", "Voltage [V]" into its base
 * ("Current") and the unit inside the trailing brackets ("A"); unit is "" if there are none.
 * Both are copied, cut to their capacity.
 */
void lmb__vend_split_name(const char *name, char *base, size_t base_cap, char *unit,
                          size_t unit_cap);

/*
 * Splits a line at sep in place into at most max trimmed fields, unquoting fields that start
 * with '"' (only if the line has a quote; otherwise lmb__split_at of text.h). Returns the number
 * of fields.
 */
int lmb__vend_split(char *s, char sep, char **fields, int max);

/* ---- detection ---- */

/* 1 if the first bytes (at most LMB__VEND_DETECT_BYTES) hold no NUL. */
int lmb__vend_detect_text(const char *buf, size_t len);

/*
 * Copies the next line of the detection window, from *off, into out (NUL-terminated, cut to cap
 * - 1 bytes, a trailing '\r' dropped; a UTF-8 byte-order mark at offset 0 skipped) and advances
 * *off. Returns 0 when the window (LMB__VEND_DETECT_BYTES) holds no more lines.
 */
int lmb__vend_detect_line(const char *buf, size_t len, size_t *off, char *out, size_t cap);

/*
 * Whether the line (sep-separated, not modified) has a trimmed, unquoted field equal to name
 * (ignoring ASCII case); with prefix, a field that starts with name.
 */
int lmb__vend_has_field(const char *line, char sep, const char *name, int prefix);

/* ---- units ---- */

/*
 * The conversion of a unit named in a header to the SI unit of record column c: si = value *
 * scale + offset. Accepts lmb_unit_find's names of the column's dimension and the spellings of
 * cycler exports: s, sec, Sec, ms, min, h, hr, Hr; V, mV; A, mA, uA; Ah, mAh; Wh, mWh, kWh, J
 * (lmb/units.h has no energy); degC, C, K, the degree sign and U+2103 in UTF-8; Hz; ohm, Ohm;
 * "1" or "" for the counters. Returns 1, or 0 if the unit is not one of c's.
 */
int lmb__vend_unit(lmb_rec_col c, const char *unit, double *scale, double *offset);

/* What lmb__vend_unit accepts for column c, for messages ("a time: s, ms, min, h"). */
const char *lmb__vend_unit_kind(lmb_rec_col c);

/* ---- durations ---- */

/*
 * Parses a duration "h:mm:ss[.fff]" (hours may exceed 24), "d-h:mm:ss[.fff]" or
 * "d:hh:mm:ss[.fff]" into seconds. Returns 1, or 0 if the text is not such a duration.
 */
int lmb__vend_parse_duration(const char *s, double *seconds);

/* ---- the table ---- */

typedef struct lmb__vend_col {
    int field;       /* index of the field in a row */
    lmb_rec_col col; /* the record column it fills */
    double scale;    /* si = value * scale + offset */
    double offset;
    int duration;       /* the field is a duration text (lmb__vend_parse_duration), then scaled */
    int required;       /* an empty cell is an error, not NaN */
    size_t n_empty;     /* empty cells read as NaN */
    size_t first_empty; /* the line of the first */
} lmb__vend_col;

typedef struct lmb__vend_offer_t {
    int field; /* -1: none offered */
    int prio;  /* lower wins */
    int duration;
    char unit[32];
} lmb__vend_offer_t;

typedef struct lmb__vend_table {
    const char *path; /* the file named in messages */
    char sep;
    int decimal_comma;
    char *pos, *end;
    int ends_nl;              /* the buffer's last byte is '\n' */
    size_t lineno;            /* of the line last returned, from 1 */
    size_t header_line;       /* 0 before lmb__vend_header */
    size_t unterminated_line; /* a complete last row without a line end */
    size_t dropped_line;      /* a short, newline-terminated last row that was dropped */
    int n_names;              /* columns the header names */
    char *names[LMB__VEND_MAX_FIELDS];
    unsigned char used[LMB__VEND_MAX_FIELDS];
    lmb__vend_offer_t offer[LMB_REC_N_COLS];
    lmb__vend_col cols[LMB_REC_N_COLS];
    int n_cols;
    int need; /* fields a row must have: largest field used + 1 */
    char *fields[LMB__VEND_MAX_FIELDS];
} lmb__vend_table;

/*
 * Starts reading buf (NUL-terminated at buf[len]): fails with "binary content" if it holds a NUL
 * byte; skips a UTF-8 byte-order mark. Statuses: LMB_OK, LMB_EPARSE.
 */
lmb_status lmb__vend_begin(lmb_ctx *ctx, lmb__vend_table *t, const char *path, char *buf,
                           size_t len, char sep, int decimal_comma);

/* The next line (cut in place), or NULL at the end; t->lineno is its number. */
char *lmb__vend_next(lmb__vend_table *t);

/* 1 if the line holds nothing but blanks and separators. */
int lmb__vend_blank(const lmb__vend_table *t, const char *line);

/* Splits the header line into t->names. Statuses: LMB_OK; LMB_EPARSE (too many columns). */
lmb_status lmb__vend_header(lmb_ctx *ctx, lmb__vend_table *t, char *line);

/* The index of the column named name (ignoring ASCII case), -1 if none. */
int lmb__vend_find(const lmb__vend_table *t, const char *name);

/* Marks a column that the reader uses itself (a State or Step Type text), so that rows must
 * have it and it is not listed as "not read". */
void lmb__vend_use(lmb__vend_table *t, int field);

/*
 * Offers column field as record column c in the given unit, with priority prio (lower wins; two
 * offers of equal priority for one column are an error: the file is ambiguous). A losing offer
 * is "not read". Statuses: LMB_OK, LMB_EPARSE.
 */
lmb_status lmb__vend_offer(lmb_ctx *ctx, lmb__vend_table *t, lmb_rec_col c, int field, int prio,
                           const char *unit, int duration);

/*
 * Makes every winning offer a record column with its conversion (LMB_EPARSE if the header's
 * unit is not one of the column's); the time column is required (an empty cell is an error).
 */
lmb_status lmb__vend_map_offers(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t);

/* A column name a reader knows: its base (the name without a unit in brackets, compared
 * ignoring ASCII case), the record column, a priority (lower wins) and the unit the vendor uses
 * when the name gives none. */
typedef struct lmb__vend_name {
    const char *base;
    lmb_rec_col col;
    int prio;
    const char *unit;
} lmb__vend_name;

/*
 * Offers every header column whose base name is in list, in the unit its name gives or else the
 * list's. A counter (step, cycle) matches only a name without a unit ("Step (Sec)" is not the
 * step); a specific or areal quantity ("Chg. Cap.(mAh/g)") matches nothing.
 */
lmb_status lmb__vend_offer_names(lmb_ctx *ctx, lmb__vend_table *t, const lmb__vend_name *list,
                                 size_t n);

/* Notes that column field is a wall-clock date and time without a time zone, not read as Unix
 * time, and marks it so that it is not listed again as "not read". */
lmb_status lmb__vend_note_wallclock(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t, int field);

/* The mapped column of c, NULL if the file has none. */
lmb__vend_col *lmb__vend_col_of(lmb__vend_table *t, lmb_rec_col c);

/* Fails: the header on t->header_line has no column for what (e.g. "current (\"Current(A)\")"). */
lmb_status lmb__vend_missing(lmb_ctx *ctx, const lmb__vend_table *t, const char *what);

/* The same for the first of time, voltage and current the table has not mapped; what[k] names
 * each as the vendor writes it. LMB_OK if all three are there. */
lmb_status lmb__vend_require(lmb_ctx *ctx, lmb__vend_table *t, const char *const what[3]);

/* Reads a whole file with read_table on a table allocated for it (the table is too large for the
 * stack) and freed after: the body of every table reader. */
lmb_status lmb__vend_read(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len,
                          lmb_status (*read_table)(lmb_ctx *, lmb_record *, lmb__vend_table *,
                                                   char *, size_t));

/*
 * Splits and parses one data line into v (LMB_REC_N_COLS entries; NaN where the record has no
 * column or the cell is empty). t->fields holds the split fields afterwards (for the reader's
 * own text columns). *skip is 1 for a dropped last line. Statuses: LMB_OK, LMB_EPARSE, LMB_ERANGE.
 */
lmb_status lmb__vend_row(lmb_ctx *ctx, lmb__vend_table *t, char *line, double *v, int *skip);

/*
 * After the last row: fails if there were no data rows (naming the header line); adds the notes
 * on empty cells, a dropped or unterminated last line, and the columns not read.
 */
lmb_status lmb__vend_finish(lmb_ctx *ctx, lmb_record *r, lmb__vend_table *t);

/* ---- the sign of the current ---- */

/* Counts of rows whose current agrees or disagrees in sign with what the file says the row is. */
typedef struct lmb__vend_sign {
    size_t agree, oppose;
    size_t first_agree, first_oppose; /* lines */
} lmb__vend_sign;

/* +1 for a charge step name ("CC Chg", "charge CC"), -1 for a discharge one ("CC DChg",
 * "discharge CC"), 0 for rest or unknown. */
int lmb__vend_step_dir(const char *name);

/* Records one row: dir +1 (a charging row) or -1 (discharging), I its current as written. */
void lmb__vend_sign_see(lmb__vend_sign *s, int dir, double I, size_t line);

/*
 * Records one row from the capacity counters: a charging counter that grew since the previous
 * row (and a discharging one that did not) makes it a charging row, and the reverse. prev holds
 * the previous row's two counters (NaN at the start) and is updated.
 */
void lmb__vend_sign_capacity(lmb__vend_sign *s, const double *v, double prev[2], size_t line);

/*
 * Settles the sign of the current column from the counts against what (e.g. "Step Type"):
 * none oppose: kept, noted; all that tell oppose and flip_allowed: negated, noted; otherwise
 * (mixed, or opposed without flip_allowed) an LMB_EPARSE error if strict, else a note and kept.
 */
lmb_status lmb__vend_sign_settle(lmb_ctx *ctx, lmb_record *r, const char *path,
                                 const lmb__vend_sign *s, const char *what, int flip_allowed,
                                 int strict);

#endif
