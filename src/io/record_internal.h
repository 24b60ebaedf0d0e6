/*
 * record_internal.h - how the cycler-file readers build an lmb_record (lmb/record.h).
 *
 * Each reader is one lmb__record_reader: a format name, a detector that looks at the first bytes
 * and says whether the content is its format, and a reader that fills an empty record from the
 * whole file. record.c holds the table and tries the detectors in order (binary magic first,
 * the loosest text format last). The buffer a reader gets is a private, NUL-terminated copy
 * (buf[len] == '\0') that it may cut in place.
 *
 * Building: lmb__record_add_column makes a column present (rows already pushed get NaN in it);
 * lmb__record_push appends one row, taking v[c] for every present column c (v[] has
 * LMB_REC_N_COLS entries; entries of absent columns are ignored).
 */
#ifndef LMB_IO_RECORD_INTERNAL_H
#define LMB_IO_RECORD_INTERNAL_H

#include "lmb/record.h"

struct lmb_record {
    char *path;         /* the path or buffer name */
    int from_file;      /* 1 if read from path (side files may be looked for beside it) */
    const char *format; /* a reader's format name */
    size_t n, cap;
    double *col[LMB_REC_N_COLS];
    double mass_kg, area_m2, capacity_C; /* 0 if the file says nothing */
    char **notes;
    size_t n_notes;
};

typedef struct lmb__record_reader {
    const char *format;
    /* 1 if the content (len bytes, NUL-terminated) is this reader's format */
    int (*detect)(const char *buf, size_t len);
    lmb_status (*read)(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len);
} lmb__record_reader;

/* The readers, each defined in its own source file. */
extern const lmb__record_reader lmb__reader_biologic_mpr; /* record_biologic.c */
extern const lmb__record_reader lmb__reader_biologic_mps;
extern const lmb__record_reader lmb__reader_biologic_mpt;
extern const lmb__record_reader lmb__reader_maccor; /* record_<vendor>.c */
extern const lmb__record_reader lmb__reader_arbin;
extern const lmb__record_reader lmb__reader_neware;
extern const lmb__record_reader lmb__reader_landt;
extern const lmb__record_reader lmb__reader_bdf;
extern const lmb__record_reader lmb__reader_eis_text; /* record.c: through lmb/eis_data.h */

/* The reader of a format name, NULL if none. */
const lmb__record_reader *lmb__record_reader_find(const char *format);

/* Reads bytes with a given reader (no detection): for the fuzz targets of each reader. */
lmb_status lmb__record_read_as(lmb_ctx *ctx, const lmb__record_reader *rd, const char *name,
                               const void *buf, size_t len, lmb_record **out);

/* An empty record named name (no columns, no rows; format NULL until a reader sets it). */
lmb_status lmb__record_new(lmb_ctx *ctx, const char *name, lmb_record **out);

lmb_status lmb__record_add_column(lmb_ctx *ctx, lmb_record *r, lmb_rec_col c);
lmb_status lmb__record_push(lmb_ctx *ctx, lmb_record *r, const double *v);
/* Makes room for at least n rows in every present column (a reader that knows its row count
 * from a header avoids the copies of growing); columns added later get the same room. */
lmb_status lmb__record_reserve(lmb_ctx *ctx, lmb_record *r, size_t n);

/* Adds a note (printf format), at most 240 characters. */
lmb_status lmb__record_note(lmb_ctx *ctx, lmb_record *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Largest file a reader accepts [bytes]. */
#define LMB__RECORD_FILE_MAX ((size_t)2 * 1024 * 1024 * 1024)

#endif
