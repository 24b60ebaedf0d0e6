/*
 * lmb/record.h - a measured cycling record: the time series of a cycler or potentiostat file in
 * one in-memory form, whatever the instrument.
 *
 * lmb_record_load reads a file; the format is detected from the content, not from the extension:
 *   "biologic-mpr"   EC-Lab binary (.mpr): modules "VMP Set", "VMP data", "VMP LOG", "VMP loop"
 *   "biologic-mpt"   EC-Lab text export (.mpt with its header block, or the bare column export
 *                    such as "time/s<TAB>Ewe/V"); LF or CRLF, latin-1, decimal commas
 *   "biologic-mps"   EC-Lab settings file (.mps): settings only, no rows
 *   "bdf-csv"        Battery Data Format CSV: preferred labels ("Test Time / s") or
 *                    machine-readable names ("test_time_second")
 *   "arbin-csv"      Arbin CSV export (Data_Point, Test_Time, Step_Index, Cycle_Index, ...), and
 *                    its "_Metadata.csv" side file
 *   "maccor-text"    Maccor tab-separated text export (Rec#, Cyc#, Step, Test (Sec), ...)
 *   "neware-csv"     Neware BTS CSV export
 *   "landt-csv"      Landt CSV export
 *   "eis-text"       an impedance spectrum as text columns f, Re(Z), Im(Z) (lmb/eis_data.h)
 *
 * Every record keeps the quantities it has as columns of one table, in SI units and with the
 * Battery Data Format's sign convention (positive current charges the cell; for a two-electrode
 * BioLogic record, positive current is anodic on the working electrode). A column the file does
 * not have is absent (NULL), never made up; a cell of a present column the file leaves empty is
 * NaN. Where a reader derives a column (BioLogic: the cycle number and the charge/discharge
 * capacities from "half cycle", "Ns" and the flags byte, as EC-Lab's export does), it says so in
 * a note.
 */
#ifndef LMB_RECORD_H
#define LMB_RECORD_H

#include <stddef.h>

#include "lmb/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The quantities of a record. Units are SI; the BDF label of each is lmb_record_label(). */
typedef enum lmb_rec_col {
    LMB_REC_TIME = 0,           /* test time since the record's start [s] */
    LMB_REC_VOLTAGE,            /* cell voltage (BioLogic: Ecell if recorded, else Ewe) [V] */
    LMB_REC_CURRENT,            /* [A], positive charges the cell */
    LMB_REC_STEP_INDEX,         /* the program's step (BioLogic Ns, Arbin Step_Index) [1] */
    LMB_REC_CYCLE_INDEX,        /* the instrument's cycle number [1] */
    LMB_REC_UNIX_TIME,          /* [s] since 1970-01-01 00:00 UTC */
    LMB_REC_CHARGE_CAPACITY,    /* the instrument's charging capacity [C] */
    LMB_REC_DISCHARGE_CAPACITY, /* the instrument's discharging capacity [C] */
    LMB_REC_CHARGE_ENERGY,      /* the instrument's charging energy [J] */
    LMB_REC_DISCHARGE_ENERGY,   /* the instrument's discharging energy [J] */
    LMB_REC_NET_CHARGE,         /* the instrument's net charge passed, e.g. BioLogic Q-Qo [C] */
    LMB_REC_TEMPERATURE,        /* cell or ambient temperature [K] */
    LMB_REC_HALF_CYCLE,         /* BioLogic half cycle [1] */
    LMB_REC_FREQUENCY,          /* impedance rows: frequency [Hz] (0 or NaN on other rows) */
    LMB_REC_Z_RE,               /* impedance rows: Re(Z) [ohm] */
    LMB_REC_Z_IM,               /* impedance rows: Im(Z) [ohm], physics sign (capacitive < 0) */
    LMB_REC_N_COLS
} lmb_rec_col;

typedef struct lmb_record lmb_record;

/*
 * Reads the record in the file at path. *out is NULL on failure, else owned by the caller
 * (lmb_record_free). Statuses: LMB_OK; LMB_EINVAL (NULL argument); LMB_EIO (cannot open or
 * read); LMB_EPARSE (empty, truncated or malformed content, a format not recognised, a required
 * column missing); LMB_ERANGE (a value out of its range); LMB_EUNSUPPORTED (an .mpr column ID of
 * unknown width, a module version lmb does not read); LMB_ENOMEM. The sentence names the file
 * and the line and column (text) or the byte offset (binary) where reading failed.
 */
lmb_status lmb_record_load(lmb_ctx *ctx, const char *path, lmb_record **out);

/*
 * The same from bytes in memory; name is used in messages (and to find side files, which a
 * buffer has none of). The buffer is not kept.
 */
lmb_status lmb_record_read_buffer(lmb_ctx *ctx, const char *name, const void *buf, size_t len,
                                  lmb_record **out);

void lmb_record_free(lmb_record *r);

size_t lmb_record_rows(const lmb_record *r);

/* The values of a column (lmb_record_rows of them), or NULL if the record does not have it. */
const double *lmb_record_column(const lmb_record *r, lmb_rec_col c);

/* The Battery Data Format label of a column ("Test Time / s"), in the unit lmb_record_bdf_scale
 * converts to; NULL for an invalid c. */
const char *lmb_record_label(lmb_rec_col c);

/* The factor from lmb's SI value to the BDF label's unit (C -> Ah: 1/3600), and the offset
 * (K -> degC: -273.15): bdf = si * scale + offset. */
double lmb_record_bdf_scale(lmb_rec_col c);
double lmb_record_bdf_offset(lmb_rec_col c);

/* The detected format ("biologic-mpr", ...), and the path or name the record was read from. */
const char *lmb_record_format(const lmb_record *r);
const char *lmb_record_path(const lmb_record *r);

/* What the file says of the cell, 0 if it says nothing: active mass [kg], electrode area [m2],
 * nominal capacity [C]. */
double lmb_record_active_mass(const lmb_record *r);
double lmb_record_area(const lmb_record *r);
double lmb_record_nominal_capacity(const lmb_record *r);

/* Notes on how the record was read: columns derived, skipped or renamed, side files used. */
size_t lmb_record_note_count(const lmb_record *r);
const char *lmb_record_note(const lmb_record *r, size_t i);

/*
 * Writes the record as Battery Data Format CSV: a header of the present columns' BDF labels
 * (lmb_record_label), then every row in the labels' units; a value the file left empty is an
 * empty field. Atomic (path.tmp, then rename). Statuses: LMB_OK, LMB_EINVAL (a record without
 * time, voltage or current, which BDF requires; the sentence names the record), LMB_EIO.
 */
lmb_status lmb_record_write_bdf(lmb_ctx *ctx, const lmb_record *r, const char *path);

#ifdef __cplusplus
}
#endif
#endif
