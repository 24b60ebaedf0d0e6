/*
 * mpr.h - the BioLogic EC-Lab binary container (.mpr): the one parser of its modules and of the
 * "VMP data" record table, shared by the impedance reader (eis_read.c) and the cycling-record
 * reader (record_biologic.c).
 *
 * The layout was reverse engineered by the galvani project (echemdata/galvani,
 * galvani/BioLogic.py) and by yadg (dgbowl/yadg, extractors/eclab); lmb checks it on the files
 * of ../shared/data (PROVENANCE.md). All integers are little-endian.
 *
 *   magic    52 bytes: "BIO-LOGIC MODULAR FILE\x1a" padded with spaces to 48 bytes, 4 zero bytes
 *   modules  each "MODULE", a 10-byte short name ("VMP data  "), a 25-byte long name, then either
 *            (EC-Lab < 11.50) length u32, version u32, date 8 bytes (51 bytes in all), or
 *            (>= 11.50, marked by 0xFFFFFFFF where the length would be) max length u32, length
 *            u32, version u32, u32, date 8 bytes (59 bytes); then length bytes of content.
 *   VMP data points u32, columns u8, then the column IDs: version 0: u8 each, records from byte
 *            100; or, if the first ID byte is 0 (EC-Lab >= 11.50), u8 pairs whose second byte is
 *            the ID, records from byte 1007; versions 2 and 3: u16 each, records from byte 405
 *            resp. 406. Then one record per point: the columns in ID order, each of the width its
 *            ID implies, except the flag IDs (1 mode, 2 ox/red, 3 error, 21 control changes,
 *            31 Ns changes, 65 counter inc.), which share one byte at the position of the first
 *            of them: mode is bits 0-1, ox/red bit 2, error bit 3, control changes bit 4,
 *            Ns changes bit 5, counter inc. bit 7.
 *
 * A column ID of unknown width makes every record unreadable, so lmb__mpr_open refuses it
 * (LMB_EUNSUPPORTED, naming the ID and its place in the table) rather than guessing. Every
 * error sentence names the file and a byte offset. lmb__mpr_open does not copy: the struct
 * points into the caller's buffer, which must outlive it.
 */
#ifndef LMB_IO_MPR_H
#define LMB_IO_MPR_H

#include "lmb/status.h"

#include <stddef.h>
#include <stdint.h>

struct lmb_ctx;

#define LMB__MPR_MAGIC_LEN 52
#define LMB__MPR_MAX_COLS  255 /* the column count is a u8 */

/* Column IDs of the VMP data table that lmb's readers use (names as in EC-Lab's export). */
enum {
    LMB__MPR_ID_MODE = 1,         /* flag: mode (1 galvanostatic, 2 potentiostatic, 3 rest) */
    LMB__MPR_ID_OXRED = 2,        /* flag: ox/red */
    LMB__MPR_ID_TIME = 4,         /* time/s, f64 */
    LMB__MPR_ID_CONTROL = 5,      /* control/V/mA, f32: the set point, V or mA by mode */
    LMB__MPR_ID_EWE = 6,          /* Ewe/V, f32 */
    LMB__MPR_ID_DQ = 7,           /* dq/mA.h, f64: charge since the previous point */
    LMB__MPR_ID_I = 8,            /* I/mA, f32 */
    LMB__MPR_ID_I_AVG64 = 11,     /* <I>/mA, f64 */
    LMB__MPR_ID_QQO = 13,         /* (Q-Qo)/mA.h, f64 */
    LMB__MPR_ID_DQ2 = 23,         /* dQ/mA.h, f64 */
    LMB__MPR_ID_CYCLE = 24,       /* cycle number, f64 */
    LMB__MPR_ID_FREQ = 32,        /* freq/Hz, f32 */
    LMB__MPR_ID_PHASE = 35,       /* Phase(Z)/deg, f32 */
    LMB__MPR_ID_ABSZ = 36,        /* |Z|/Ohm, f32 */
    LMB__MPR_ID_RE = 37,          /* Re(Z)/Ohm, f32 */
    LMB__MPR_ID_MIM = 38,         /* -Im(Z)/Ohm, f32 */
    LMB__MPR_ID_I_AVG = 76,       /* <I>/mA, f32 */
    LMB__MPR_ID_EWE_AVG = 77,     /* <Ewe>/V, f32 */
    LMB__MPR_ID_ECHARGE = 123,    /* Energy charge/W.h, f64 */
    LMB__MPR_ID_EDISCHARGE = 124, /* Energy discharge/W.h, f64 */
    LMB__MPR_ID_NS = 131,         /* Ns, u16 */
    LMB__MPR_ID_HALF_OLD = 212,   /* half cycle, u32 (numbering of older files) */
    LMB__MPR_ID_ZCYCLE_OLD = 213, /* z cycle, u32 (numbering of older files) */
    LMB__MPR_ID_QQO_C = 434,      /* (Q-Qo)/C, f32 */
    LMB__MPR_ID_DQ_C = 435,       /* dQ/C, f32 */
    LMB__MPR_ID_TEMP = 462,       /* Temperature/degC, f32 */
    LMB__MPR_ID_QCD = 467,        /* Q charge/discharge/mA.h, f64 */
    LMB__MPR_ID_HALF = 468,       /* half cycle, u32 */
    LMB__MPR_ID_ZCYCLE = 469      /* z cycle, u32 */
};

/* One module: its content points into the file's bytes; data is NULL if the file has none. */
typedef struct lmb__mpr_module {
    const unsigned char *data;
    size_t len;           /* bytes of content */
    size_t offset;        /* byte offset of the content in the file */
    size_t header_offset; /* byte offset of its "MODULE" */
    uint32_t version;
    char date[9]; /* the header's 8 date characters ("08/11/23"), NUL-terminated */
} lmb__mpr_module;

/* An opened .mpr: its modules and the layout of the VMP data records. */
typedef struct lmb__mpr {
    const char *name; /* for messages */
    lmb__mpr_module set, data, log, loop;
    size_t n_rows, n_cols;
    unsigned id[LMB__MPR_MAX_COLS];
    char type[LMB__MPR_MAX_COLS];      /* 'f' f32, 'd' f64, 'H' u16, 'I' u32, 'B' u8, 'F' flag */
    size_t col_off[LMB__MPR_MAX_COLS]; /* offset of the value in a record */
    size_t rec_len;                    /* bytes per record */
    long flag_off;                     /* offset of the shared flags byte, -1 if no flag column */
    const unsigned char *rows;         /* the first record */
    size_t rows_offset;                /* its byte offset in the file */
} lmb__mpr;

/*
 * Checks the magic, walks the modules (each of "VMP Set", "VMP data", "VMP LOG", "VMP loop" at
 * most once; others are skipped) and lays out the VMP data records. name is kept for messages
 * (not copied). Statuses: LMB_OK; LMB_EPARSE (truncated or malformed, no VMP data module);
 * LMB_EUNSUPPORTED (a data module version other than 0, 2, 3, or a column ID of unknown width).
 */
lmb_status lmb__mpr_open(struct lmb_ctx *ctx, const char *name, const void *buf, size_t len,
                         lmb__mpr *m);

/* The value width type of a column ID ('f', 'd', 'H', 'I', 'B', 'F'), 0 if unknown. */
char lmb__mpr_type(unsigned id);

/* The export's name of a column ID ("freq/Hz"), NULL if lmb knows only its width. */
const char *lmb__mpr_name(unsigned id);

/* The index of the first column with the given ID, -1 if none. */
int lmb__mpr_find(const lmb__mpr *m, unsigned id);

/* The value of column c in row i as a double; a flag column gives its bits (mode 0..3, the
 * others 0 or 1). c and i must be in range. */
double lmb__mpr_get(const lmb__mpr *m, size_t i, int c);

/* The shared flags byte of row i, -1 if the table has no flag column. */
int lmb__mpr_flags(const lmb__mpr *m, size_t i);

/* Byte offset in the file of row i's record (for messages). */
size_t lmb__mpr_row_offset(const lmb__mpr *m, size_t i);

/* Little-endian readers for the modules' fixed fields. */
uint32_t lmb__mpr_u32(const unsigned char *p);
float lmb__mpr_f32(const unsigned char *p);
double lmb__mpr_f64(const unsigned char *p);

#endif
