/*
 * record_biologic.c - BioLogic EC-Lab files as cycling records (lmb/record.h): the binary .mpr
 * ("biologic-mpr", container read by io/mpr.c), the text export .mpt with its header block or
 * the bare column export ("biologic-mpt"), and the settings file .mps ("biologic-mps", no rows).
 *
 * Columns, by EC-Lab's export names (the .mpr column IDs in brackets), to SI:
 *   time/s [4]                      -> TIME [s]
 *   Ecell/V, else Ewe/V [6], else <Ewe>/V [77]               -> VOLTAGE [V]
 *   I/mA [8], else <I>/mA [76, 11]  -> CURRENT [A]; units mA, uA (latin-1 or UTF-8 micro sign), A
 *   Ns [131]                        -> STEP_INDEX
 *   half cycle [468, 212]           -> HALF_CYCLE
 *   cycle number [24]               -> CYCLE_INDEX
 *   (Q-Qo)/mA.h [13], (Q-Qo)/C [434]                          -> NET_CHARGE [C]
 *   Q charge/mA.h, Q discharge/mA.h (text export only)        -> CHARGE_, DISCHARGE_CAPACITY [C]
 *   Energy charge/W.h [123], Energy discharge/W.h [124]       -> CHARGE_, DISCHARGE_ENERGY [J]
 *   freq/Hz [32], Re(Z)/Ohm [37], -Im(Z)/Ohm [38] (negated to the physics sign), or |Z|/Ohm [36]
 *   with Phase(Z)/deg [35]          -> FREQUENCY, Z_RE, Z_IM; NaN on rows with f = 0, which are
 *                                      rows of another technique of the same record
 *   Temperature/degC [462]          -> TEMPERATURE [K]
 *
 * The current's sign is BioLogic's: positive when anodic at the working electrode. With the
 * positive electrode as working electrode that is charging, the BDF convention of record.h:
 * on biologic_gcpl_NaCoO2_coin_5cyc__datalab.mpr the rows of +0.0888 mA take Ewe from 2.0 V up
 * to 3.8 V and those of -0.0888 mA bring it back, so no sign is changed.
 *
 * Derived columns (each gets a note), as EC-Lab's export derives them:
 *   CURRENT when the file stores neither I nor <I> (the GCPL .mpr files): <I> = dq / (t_i -
 *     t_(i-1)), EC-Lab's "average current since the previous point", from dq/mA.h [7] (or dQ/mA.h
 *     [23], dQ/C [435]). EC-Lab computed its own P/W column from this current: on the two GCPL
 *     files of shared/data P/W = Ewe * dq/dt at every row, to P/W's float32 rounding (1e-7
 *     relative). control/V/mA [5]
 *     is the set point, not the current that flowed (the last rest row before a step already
 *     shows the step's current, with dq = 0), so it is not kept.
 *   CYCLE_INDEX when "cycle number" is not stored: floor(half cycle / 2). In the GCPL files the
 *     charges have even half cycles 2, 4, ... and the discharges odd ones 3, 5, ...; the rows
 *     before the first change of direction (rest and a first partial half cycle) are half cycle
 *     0, so they form cycle 0 and cycle k is the charge 2k with the discharge 2k+1 after it.
 *   CHARGE_ and DISCHARGE_CAPACITY: EC-Lab's per-half-cycle accumulators "Q charge" and
 *     "Q discharge". The .mpr stores their signed union Q charge/discharge/mA.h [467], which
 *     starts from 0 at each new half cycle; Q charge is its value where positive and 0 elsewhere,
 *     Q discharge minus its value where negative. Without it, the signed accumulator is (Q-Qo)
 *     minus (Q-Qo) at the last row of the previous half cycle (equal to [467] within 3e-8 mA.h
 *     on the NaCoO2 file, where the two accumulators drift apart by about 1e-11 mA.h a row).
 *
 * The .mpr's modules besides VMP data (offsets in the module's content):
 *   VMP Set  0x107 active material mass f32 [mg], 0x211 electrode surface area f32 [cm2], 0x25C
 *            battery capacity f32 with its unit u8 at 0x260 (0 A.h, 1 mA.h); the Pascal strings
 *            comments 0x007, electrode material 0x11E, electrolyte 0x1C0 and reference electrode
 *            0x215 must each end, zero padded, before the next field, or the layout is not taken
 *            as recognised and nothing is read from it. Offsets from yadg (dgbowl/yadg,
 *            extractors/eclab mpr_columns.py settings_dtypes). Units checked on shared/data: the
 *            .mps of the Li||Li experiment says "Mass of active material : 7000.000 mg",
 *            "Electrode surface area : 0.001 cm2", "Battery capacity : 0.000 A.h" where its
 *            .mpr holds 7000.0, 0.001 and unit code 0; biologic_peis_60pt__bdf.mpr holds 8.582 mg
 *            of NMC811 and 1.631 with code 1, i.e. 1.631 mA.h = 190 mAh/g, as NMC811 gives.
 *   VMP LOG  the acquisition start, an OLE date f64 (days since 1899-12-30) at 0x249 (yadg
 *            log_dtypes; galvani, galvani/BioLogic.py, tries bytes 465, 469, 473 and 585 =
 *            0x249), taken only where its calendar date equals the date in the header of the VMP
 *            Set module. EC-Lab stores the acquisition PC's local clock without a time zone; it
 *            is read as UTC. UNIX_TIME = start + time/s.
 *   VMP loop count u32, then count row indexes u32 where EC-Lab's loops start (galvani's
 *            loop_index); reported in a note.
 */
#include "lmb/record.h"
#include "lmb/units.h"

#include "core/ctx_internal.h"
#include "io/mpr.h"
#include "io/record_internal.h"
#include "io/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most columns a text export may name (EC-Lab's have about 20 to 40). */
#define BL_MAX_FIELDS 512
/* Most header lines an .mpt may announce. */
#define BL_MPT_MAX_HEADER 100000L
/* Most techniques a settings file may link. */
#define BL_MPS_MAX_TECHNIQUES 10000L
/* OLE dates accepted for the acquisition start [days since 1899-12-30]: 1954 to 2173. */
#define BL_OLE_MIN 20000.0
#define BL_OLE_MAX 100000.0
/* The OLE day of 1970-01-01 and seconds per day. */
#define BL_OLE_UNIX_EPOCH 25569.0
#define BL_DAY_S          86400.0
#define BL_MAH_C          3.6    /* [C per mA.h] */
#define BL_WH_J           3600.0 /* [J per W.h] */
#define BL_MG_KG          1e-6   /* [kg per mg] */
#define BL_CM2_M2         1e-4   /* [m2 per cm2] */
#define BL_PI             3.14159265358979323846
#define BL_ZERO_CELSIUS_K 273.15 /* [K] */

/* ---- shared: notes, names, units, derived columns ---- */

/* Appends text to a note list being built in buf (cap bytes); returns 0 once it is full. */
static int list_add(char *buf, size_t cap, const char *text, size_t *n_left_out) {
    size_t n = strlen(buf), t = strlen(text);
    if (n + t + 2 + 12 >= cap) { /* keep room for ", and N more" */
        (*n_left_out)++;
        return 0;
    }
    if (n > 0) {
        memcpy(buf + n, ", ", 2);
        n += 2;
    }
    memcpy(buf + n, text, t + 1);
    return 1;
}

/* Copies a column name for a note, latin-1 bytes turned into UTF-8 unless it already is UTF-8. */
static void name_for_note(char *out, size_t cap, const char *name) {
    const unsigned char *s = (const unsigned char *)name;
    int utf8 = 1;
    for (size_t k = 0; s[k] && utf8; k++) {
        if (s[k] < 0x80)
            continue;
        size_t n = (s[k] & 0xE0) == 0xC0   ? 1
                   : (s[k] & 0xF0) == 0xE0 ? 2
                   : (s[k] & 0xF8) == 0xF0 ? 3
                                           : 0;
        if (n == 0)
            utf8 = 0;
        for (size_t j = 1; j <= n && utf8; j++)
            if ((s[k + j] & 0xC0) != 0x80)
                utf8 = 0;
        k += utf8 ? n : 0;
    }
    size_t o = 0;
    for (size_t k = 0; s[k] && o + 3 < cap; k++) {
        if (s[k] < 0x80 || utf8) {
            out[o++] = (char)s[k];
        } else {
            out[o++] = (char)(0xC0 | s[k] >> 6);
            out[o++] = (char)(0x80 | (s[k] & 0x3F));
        }
    }
    out[o] = '\0';
}

/* What a unit is expected to measure: a dimension of lmb/units.h, or an angle, which it does
 * not have. */
enum { KIND_PHASE = LMB_DIM_COUNT + 1 };

/*
 * The SI factor and offset of a unit as EC-Lab writes it: "mA.h" is mAh, "Ohm" ohm, the micro
 * sign (latin-1 0xB5, UTF-8 C2 B5 or Greek mu CE BC) u, the degree sign before C dropped, the
 * superscript two (0xB2, C2 B2) 2. Angles, and the energies lmb/units.h does not list (kWh,
 * mJ), are looked up here. Returns 1 if the unit is known and of the expected kind.
 */
static int unit_si(const char *text, int kind, double *scale, double *offset) {
    char u[32];
    size_t o = 0;
    const unsigned char *s = (const unsigned char *)text;
    for (size_t k = 0; s[k]; k++) {
        if (o + 2 >= sizeof u)
            return 0;
        unsigned c = s[k];
        if (c == 0xC2 && (s[k + 1] == 0xB5 || s[k + 1] == 0xB0 || s[k + 1] == 0xB2))
            c = s[++k];
        else if (c == 0xCE && s[k + 1] == 0xBC) {
            k++;
            c = 0xB5;
        }
        if (c == 0xB5)
            u[o++] = 'u';
        else if (c == 0xB2)
            u[o++] = '2';
        else if (c == 0xB0 || c == '.')
            continue;
        else
            u[o++] = (char)c;
    }
    u[o] = '\0';
    *offset = 0.0;
    static const struct {
        int kind;
        const char *name;
        double scale;
    } local[] = {
        {LMB_DIM_ENERGY, "kWh", 1e3 * BL_WH_J},
        {LMB_DIM_ENERGY, "mJ", 1e-3},
        {KIND_PHASE, "deg", BL_PI / 180.0},
        {KIND_PHASE, "rad", 1.0},
    };
    for (size_t k = 0; k < sizeof local / sizeof local[0]; k++)
        if (local[k].kind == kind && strcmp(local[k].name, u) == 0) {
            *scale = local[k].scale;
            return 1;
        }
    if (kind == KIND_PHASE)
        return 0;
    if (strcmp(u, "Ohm") == 0 || strcmp(u, "mOhm") == 0 || strcmp(u, "kOhm") == 0)
        u[o - 3] = 'o'; /* "Ohm" -> "ohm" */
    if (kind == LMB_DIM_CHARGE && strcmp(u, "C") == 0)
        memcpy(u, "Coulomb", 8); /* "C" alone is Celsius in lmb's table */
    if (kind == LMB_DIM_NONE) {  /* a count: no unit */
        *scale = 1.0;
        return u[0] == '\0';
    }
    const lmb_unit *un = lmb_unit_find(u);
    if (!un || (int)un->dim != kind)
        return 0;
    *scale = un->scale;
    *offset = un->offset;
    return 1;
}

/* State of the columns derived row by row (see the file's comment). */
typedef struct derive_state {
    int current_from_dq; /* CURRENT = dq / dt */
    int cycle_from_half; /* CYCLE_INDEX = floor(half cycle / 2) */
    int q_split;         /* CHARGE_/DISCHARGE_CAPACITY from a signed per-half-cycle charge */
    int q_from_net;      /* ... which is (Q-Qo) minus its value where the half cycle began */
    int have_prev;
    double prev_t, prev_half, prev_net, base_net;
} derive_state;

/* Fills the derived entries of v[]; dq [C] is the charge since the previous row, qcd [C] the
 * signed charge of the half cycle so far (when q_split and not q_from_net). */
static void derive_row(derive_state *s, double *v, double dq, double qcd) {
    if (s->current_from_dq) {
        double dt = s->have_prev ? v[LMB_REC_TIME] - s->prev_t : NAN;
        double i_a = dt > 0.0 ? dq / dt : dq == 0.0 ? 0.0 : NAN;
        v[LMB_REC_CURRENT] = isfinite(i_a) ? i_a : NAN; /* dt of a few ulp gives no current */
    }
    if (s->cycle_from_half)
        v[LMB_REC_CYCLE_INDEX] = floor(v[LMB_REC_HALF_CYCLE] / 2.0);
    if (s->q_from_net) {
        if (!s->have_prev)
            s->base_net = 0.0;
        else if (v[LMB_REC_HALF_CYCLE] != s->prev_half)
            s->base_net = s->prev_net;
        qcd = v[LMB_REC_NET_CHARGE] - s->base_net;
    }
    if (s->q_split) {
        v[LMB_REC_CHARGE_CAPACITY] = qcd > 0.0 ? qcd : isnan(qcd) ? NAN : 0.0;
        v[LMB_REC_DISCHARGE_CAPACITY] = qcd < 0.0 ? -qcd : isnan(qcd) ? NAN : 0.0;
    }
    if (s->current_from_dq)
        s->prev_t = v[LMB_REC_TIME];
    if (s->q_from_net) {
        s->prev_half = v[LMB_REC_HALF_CYCLE];
        s->prev_net = v[LMB_REC_NET_CHARGE];
    }
    s->have_prev = 1;
}

/* The notes of the derived columns. */
static lmb_status derive_notes(lmb_ctx *ctx, lmb_record *r, const derive_state *s,
                               const char *dq_name, const char *qcd_name) {
    lmb_status st = LMB_OK;
    if (s->current_from_dq)
        st = lmb__record_note(ctx, r,
                              "Current / A derived: <I> = \"%.40s\" / (t_i - t_(i-1)), EC-Lab's "
                              "average current since the previous point; the file stores no I "
                              "or <I> (control/V/mA is the set point, not kept)",
                              dq_name);
    if (st == LMB_OK && s->cycle_from_half)
        st = lmb__record_note(ctx, r,
                              "Cycle Count / 1 derived: floor(half cycle / 2) (cycle k = charge "
                              "half cycle 2k and the discharge 2k+1 after it; rows before the "
                              "first change of direction are half cycle 0, cycle 0)");
    if (st == LMB_OK && s->q_split && !s->q_from_net)
        st = lmb__record_note(ctx, r,
                              "Charging / Discharging Capacity derived: EC-Lab's Q charge and Q "
                              "discharge, the part of \"%.40s\" above resp. below 0 (0 in the "
                              "other half cycles)",
                              qcd_name);
    if (st == LMB_OK && s->q_from_net)
        st = lmb__record_note(ctx, r,
                              "Charging / Discharging Capacity derived: EC-Lab's Q charge and Q "
                              "discharge, (Q-Qo) minus its value where the half cycle began, "
                              "above resp. below 0 (0 in the other half cycles)");
    return st;
}

/* Fills mass, area or capacity from a value > 0 and notes it; a zero or negative value is noted
 * as not given. */
static lmb_status set_cell_value(lmb_ctx *ctx, lmb_record *r, double *field, double si,
                                 const char *what, const char *as_written, const char *si_unit,
                                 const char *where) {
    if (si > 0.0 && isfinite(si)) {
        *field = si;
        return lmb__record_note(ctx, r, "%s %.60s (%s): %g %s", what, as_written, where, si,
                                si_unit);
    }
    return lmb__record_note(ctx, r, "%s %.60s (%s): not positive, taken as not given", what,
                            as_written, where);
}

/*
 * A header line of the text files, "Mass of active material : 7.5 mg", "Electrode surface area
 * : 1.1 cm2", "Battery capacity : 2 mA.h": fills the record's mass, area or capacity.
 */
static lmb_status cell_header_line(lmb_ctx *ctx, lmb_record *r, char *line, size_t lineno) {
    static const struct {
        const char *key;
        int kind;
        const char *what, *si_unit;
    } keys[] = {
        {"Mass of active material", LMB_DIM_MASS, "active mass", "kg"},
        {"Electrode surface area", LMB_DIM_AREA, "electrode area", "m2"},
        {"Battery capacity", LMB_DIM_CHARGE, "nominal capacity", "C"},
    };
    double *fields[3] = {&r->mass_kg, &r->area_m2, &r->capacity_C};
    for (int k = 0; k < 3; k++) {
        size_t kl = strlen(keys[k].key);
        if (strncmp(line, keys[k].key, kl) != 0)
            continue;
        char *colon = strchr(line + kl, ':');
        if (!colon)
            return LMB_OK;
        char shown[64];
        name_for_note(shown, sizeof shown, lmb__trim(colon + 1));
        char *f[3];
        int nf = lmb__split_blanks(colon + 1, f, 3);
        double x = 0.0, scale = 1.0, offset = 0.0;
        char where[32];
        snprintf(where, sizeof where, "line %zu", lineno);
        if (nf != 2 || !lmb__parse_number(f[0], 1, &x) ||
            !unit_si(f[1], keys[k].kind, &scale, &offset))
            return lmb__record_note(ctx, r,
                                    "%s \"%.60s\" (line %zu) not read: not a number and a "
                                    "known unit",
                                    keys[k].what, shown, lineno);
        return set_cell_value(ctx, r, fields[k], x * scale + offset, keys[k].what, shown,
                              keys[k].si_unit, where);
    }
    return LMB_OK;
}

/* ---- the binary .mpr ---- */

/* Offsets in the VMP Set module (see the file's comment). */
#define SET_COMMENTS   0x007
#define SET_MASS       0x107
#define SET_MATERIAL   0x11E
#define SET_ELECTROLYT 0x1C0
#define SET_AREA       0x211
#define SET_REFERENCE  0x215
#define SET_CHAR_MASS  0x24C
#define SET_CAPACITY   0x25C
#define SET_CAP_UNIT   0x260
#define LOG_START      0x249

/* Mass, area and capacity from the VMP Set module, when its layout is recognised. */
static lmb_status read_settings(lmb_ctx *ctx, lmb_record *r, const lmb__mpr *m) {
    const lmb__mpr_module *s = &m->set;
    if (!s->data)
        return lmb__record_note(ctx, r, "no VMP Set module: no active mass, area or capacity");
    static const size_t pascal[4][2] = {{SET_COMMENTS, SET_MASS},
                                        {SET_MATERIAL, SET_ELECTROLYT},
                                        {SET_ELECTROLYT, SET_AREA},
                                        {SET_REFERENCE, SET_CHAR_MASS}};
    const char *why = NULL;
    size_t bad = 0;
    if (s->len <= SET_CAP_UNIT) {
        why = "shorter than its fields";
    } else {
        for (int k = 0; k < 4 && !why; k++) {
            size_t end = pascal[k][0] + 1 + s->data[pascal[k][0]];
            if (end > pascal[k][1]) {
                why = "a text field runs into the next field";
                bad = pascal[k][0];
            }
            for (size_t j = end; j < pascal[k][1] && !why; j++)
                if (s->data[j] != 0) {
                    why = "a text field is not zero padded";
                    bad = j;
                }
        }
    }
    if (why)
        return lmb__record_note(ctx, r,
                                "VMP Set module (byte offset %zu, %zu bytes) not read: %s (byte "
                                "%zu); no active mass, area or capacity",
                                s->offset, s->len, why, bad);
    char where[64], shown[48];
    double mass_mg = lmb__mpr_f32(s->data + SET_MASS), area_cm2 = lmb__mpr_f32(s->data + SET_AREA),
           cap = lmb__mpr_f32(s->data + SET_CAPACITY);
    unsigned cap_unit = s->data[SET_CAP_UNIT];
    snprintf(where, sizeof where, "VMP Set byte offset %zu", s->offset + SET_MASS);
    snprintf(shown, sizeof shown, "%g mg", mass_mg);
    lmb_status st =
        set_cell_value(ctx, r, &r->mass_kg, mass_mg * BL_MG_KG, "active mass", shown, "kg", where);
    if (st != LMB_OK)
        return st;
    snprintf(where, sizeof where, "VMP Set byte offset %zu", s->offset + SET_AREA);
    snprintf(shown, sizeof shown, "%g cm2", area_cm2);
    st = set_cell_value(ctx, r, &r->area_m2, area_cm2 * BL_CM2_M2, "electrode area", shown, "m2",
                        where);
    if (st != LMB_OK)
        return st;
    snprintf(where, sizeof where, "VMP Set byte offset %zu", s->offset + SET_CAPACITY);
    if (cap_unit > 1)
        return lmb__record_note(ctx, r,
                                "nominal capacity %g (%s) not read: unit code %u is not known "
                                "(0 A.h, 1 mA.h)",
                                cap, where, cap_unit);
    snprintf(shown, sizeof shown, "%g %s", cap, cap_unit == 0 ? "A.h" : "mA.h");
    return set_cell_value(ctx, r, &r->capacity_C, cap * BL_MAH_C * (cap_unit == 0 ? 1e3 : 1.0),
                          "nominal capacity", shown, "C", where);
}

/* Days since 1970-01-01 to the calendar date (proleptic Gregorian; H. Hinnant's algorithm). */
static void civil_from_days(long z, long *y, unsigned *mo, unsigned *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *mo = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*mo <= 2);
}

/* A module header's date "mm/dd/yy" (or with '-' or '.'); 0 if it is not one. */
static int header_date(const char *s, long *y, unsigned *mo, unsigned *d) {
    for (int k = 0; k < 8; k++)
        if ((k == 2 || k == 5) ? !(s[k] == '/' || s[k] == '-' || s[k] == '.')
                               : !(s[k] >= '0' && s[k] <= '9'))
            return 0;
    *mo = (unsigned)((s[0] - '0') * 10 + (s[1] - '0'));
    *d = (unsigned)((s[3] - '0') * 10 + (s[4] - '0'));
    long yy = (s[6] - '0') * 10 + (s[7] - '0');
    *y = yy < 69 ? 2000 + yy : 1900 + yy; /* as strptime's %y */
    return 1;
}

/* The acquisition start [s since 1970, UTC taken for the PC's local clock], NaN if not found;
 * note (cap bytes) says where it was found or why not. */
static double log_start(const lmb__mpr *m, char *note, size_t cap) {
    long y;
    unsigned mo, d;
    if (!m->log.data || !m->set.data || !header_date(m->set.date, &y, &mo, &d)) {
        snprintf(note, cap, "no acquisition start: %s",
                 !m->log.data   ? "no VMP LOG module"
                 : !m->set.data ? "no VMP Set module to check its date against"
                                : "the VMP Set module's date is not mm/dd/yy");
        return NAN;
    }
    static const size_t offs[4] = {LOG_START, 465, 469, 473}; /* yadg's, then galvani's others */
    for (int k = 0; k < 4; k++) {
        if (offs[k] + 8 > m->log.len)
            continue;
        double ole = lmb__mpr_f64(m->log.data + offs[k]);
        if (!(ole > BL_OLE_MIN && ole < BL_OLE_MAX))
            continue;
        long yy;
        unsigned mm, dd;
        civil_from_days((long)floor(ole) - (long)BL_OLE_UNIX_EPOCH, &yy, &mm, &dd);
        if (yy != y || mm != mo || dd != d)
            continue;
        double t = (ole - BL_OLE_UNIX_EPOCH) * BL_DAY_S;
        double sod = fmod(t, BL_DAY_S);
        int hh = (int)(sod / 3600.0), mi = (int)(fmod(sod, 3600.0) / 60.0);
        double ss = fmod(sod, 60.0);
        snprintf(
            note, cap,
            "Unix Time = acquisition start %04ld-%02u-%02u %02d:%02d:%06.3f (OLE date %.6f at "
            "VMP LOG byte offset %zu; EC-Lab's local clock, no time zone stored: read as UTC) + "
            "time/s",
            yy, mm, dd, hh, mi, ss, ole, m->log.offset + offs[k]);
        return t;
    }
    snprintf(note, cap,
             "no acquisition start: no OLE date of the VMP Set date %.8s in the VMP LOG module "
             "(byte offset %zu)",
             m->set.date, m->log.offset);
    return NAN;
}

/* A note on the loop indexes of the VMP loop module. */
static lmb_status loop_note(lmb_ctx *ctx, lmb_record *r, const lmb__mpr *m) {
    const lmb__mpr_module *lp = &m->loop;
    if (!lp->data)
        return LMB_OK;
    uint32_t n = lp->len >= 4 ? lmb__mpr_u32(lp->data) : 0;
    const char *why = lp->version != 0        ? "version is not 0"
                      : lp->len < 4           ? "shorter than its count"
                      : n > (lp->len - 4) / 4 ? "its count exceeds its length"
                                              : NULL;
    char list[200] = "";
    size_t more = 0;
    for (uint32_t k = 0; !why && k < n; k++) {
        uint32_t at = lmb__mpr_u32(lp->data + 4 + 4 * (size_t)k);
        if (at > m->n_rows || (k > 0 && at < lmb__mpr_u32(lp->data + 4 * (size_t)k)))
            why = "its row indexes are not increasing within the rows";
        char num[16];
        snprintf(num, sizeof num, "%u", (unsigned)at);
        if (!why)
            list_add(list, sizeof list, num, &more);
    }
    if (why)
        return lmb__record_note(ctx, r, "VMP loop module (byte offset %zu) not read: %s",
                                lp->offset, why);
    if (more)
        snprintf(list + strlen(list), sizeof list - strlen(list), ", and %zu more", more);
    return lmb__record_note(ctx, r,
                            "VMP loop: %u loop indexes (rows where EC-Lab's loops start): %s",
                            (unsigned)n, n ? list : "none");
}

/* The first of the IDs the file has, -1 if none; *which gets its position in ids[]. */
static int find_any(const lmb__mpr *m, const unsigned *ids, int n, int *which) {
    for (int k = 0; k < n; k++) {
        int c = lmb__mpr_find(m, ids[k]);
        if (c >= 0) {
            if (which)
                *which = k;
            return c;
        }
    }
    return -1;
}

static lmb_status read_mpr(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    lmb__mpr m;
    lmb_status st = lmb__mpr_open(ctx, r->path, buf, len, &m);
    if (st != LMB_OK)
        return st;
    static const unsigned v_ids[] = {LMB__MPR_ID_EWE, LMB__MPR_ID_EWE_AVG};
    static const unsigned i_ids[] = {LMB__MPR_ID_I, LMB__MPR_ID_I_AVG, LMB__MPR_ID_I_AVG64};
    static const unsigned dq_ids[] = {LMB__MPR_ID_DQ, LMB__MPR_ID_DQ2, LMB__MPR_ID_DQ_C};
    static const unsigned net_ids[] = {LMB__MPR_ID_QQO, LMB__MPR_ID_QQO_C};
    static const unsigned half_ids[] = {LMB__MPR_ID_HALF, LMB__MPR_ID_HALF_OLD};
    int w_dq = 0, w_net = 0;
    /* the record column each VMP data column goes to, and its factor to SI */
    int col[LMB_REC_N_COLS];
    double scale[LMB_REC_N_COLS];
    for (int c = 0; c < LMB_REC_N_COLS; c++) {
        col[c] = -1;
        scale[c] = 1.0;
    }
    col[LMB_REC_TIME] = lmb__mpr_find(&m, LMB__MPR_ID_TIME);
    col[LMB_REC_VOLTAGE] = find_any(&m, v_ids, 2, NULL);
    col[LMB_REC_CURRENT] = find_any(&m, i_ids, 3, NULL);
    scale[LMB_REC_CURRENT] = 1e-3;
    col[LMB_REC_STEP_INDEX] = lmb__mpr_find(&m, LMB__MPR_ID_NS);
    col[LMB_REC_HALF_CYCLE] = find_any(&m, half_ids, 2, NULL);
    col[LMB_REC_CYCLE_INDEX] = lmb__mpr_find(&m, LMB__MPR_ID_CYCLE);
    col[LMB_REC_NET_CHARGE] = find_any(&m, net_ids, 2, &w_net);
    scale[LMB_REC_NET_CHARGE] = w_net == 0 ? BL_MAH_C : 1.0;
    col[LMB_REC_CHARGE_ENERGY] = lmb__mpr_find(&m, LMB__MPR_ID_ECHARGE);
    col[LMB_REC_DISCHARGE_ENERGY] = lmb__mpr_find(&m, LMB__MPR_ID_EDISCHARGE);
    scale[LMB_REC_CHARGE_ENERGY] = scale[LMB_REC_DISCHARGE_ENERGY] = BL_WH_J;
    col[LMB_REC_TEMPERATURE] = lmb__mpr_find(&m, LMB__MPR_ID_TEMP);
    int c_dq = find_any(&m, dq_ids, 3, &w_dq), c_qcd = lmb__mpr_find(&m, LMB__MPR_ID_QCD);
    double dq_scale = w_dq < 2 ? BL_MAH_C : 1.0;
    int c_f = lmb__mpr_find(&m, LMB__MPR_ID_FREQ), c_re = lmb__mpr_find(&m, LMB__MPR_ID_RE),
        c_mim = lmb__mpr_find(&m, LMB__MPR_ID_MIM), c_abs = lmb__mpr_find(&m, LMB__MPR_ID_ABSZ),
        c_ph = lmb__mpr_find(&m, LMB__MPR_ID_PHASE);
    int impedance = c_f >= 0 && ((c_re >= 0 && c_mim >= 0) || (c_abs >= 0 && c_ph >= 0));
    int polar = impedance && !(c_re >= 0 && c_mim >= 0);

    derive_state ds = {0};
    ds.current_from_dq = col[LMB_REC_CURRENT] < 0 && c_dq >= 0 && col[LMB_REC_TIME] >= 0;
    ds.cycle_from_half = col[LMB_REC_CYCLE_INDEX] < 0 && col[LMB_REC_HALF_CYCLE] >= 0;
    ds.q_split = c_qcd >= 0 || (col[LMB_REC_NET_CHARGE] >= 0 && col[LMB_REC_HALF_CYCLE] >= 0);
    ds.q_from_net = ds.q_split && c_qcd < 0;
    char start_note[241] = "";
    double start = col[LMB_REC_TIME] >= 0 ? log_start(&m, start_note, sizeof start_note) : NAN;

    /* the record's columns */
    int have[LMB_REC_N_COLS] = {0};
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        have[c] = col[c] >= 0;
    have[LMB_REC_CURRENT] |= ds.current_from_dq;
    have[LMB_REC_CYCLE_INDEX] |= ds.cycle_from_half;
    have[LMB_REC_CHARGE_CAPACITY] = have[LMB_REC_DISCHARGE_CAPACITY] = ds.q_split;
    have[LMB_REC_FREQUENCY] = have[LMB_REC_Z_RE] = have[LMB_REC_Z_IM] = impedance;
    have[LMB_REC_UNIX_TIME] = !isnan(start);
    int n_have = 0;
    for (int c = 0; c < LMB_REC_N_COLS && st == LMB_OK; c++)
        if (have[c]) {
            n_have++;
            st = lmb__record_add_column(ctx, r, (lmb_rec_col)c);
        }
    if (st == LMB_OK) /* the header's row count, checked against the module's size */
        st = lmb__record_reserve(ctx, r, m.n_rows);
    if (st != LMB_OK)
        return st;
    if (n_have == 0)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: none of the %zu columns of the VMP data table (byte offset %zu) is one "
                  "lmb reads (time/s, Ewe/V, I/mA, freq/Hz, ...)",
                  r->path, m.n_cols, m.data.offset);

    /* the notes: what was read, what was left */
    st = lmb__record_note(ctx, r,
                          "EC-Lab .mpr: VMP data module version %u at byte offset %zu, %zu "
                          "records of %zu bytes, %zu column IDs",
                          (unsigned)m.data.version, m.data.offset, m.n_rows, m.rec_len, m.n_cols);
    char list[232] = "";
    size_t more = 0;
    int used_ids[16], n_used = 0;
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        if (col[c] >= 0)
            used_ids[n_used++] = col[c];
    int extra[7] = {ds.current_from_dq ? c_dq : -1,
                    ds.q_split ? c_qcd : -1,
                    impedance ? c_f : -1,
                    impedance && !polar ? c_re : -1,
                    impedance && !polar ? c_mim : -1,
                    polar ? c_abs : -1,
                    polar ? c_ph : -1};
    for (int k = 0; k < 7; k++)
        if (extra[k] >= 0)
            used_ids[n_used++] = extra[k];
    for (size_t k = 0; k < m.n_cols; k++) {
        int used = 0;
        for (int j = 0; j < n_used; j++)
            used |= used_ids[j] == (int)k;
        if (used)
            continue;
        const char *nm = lmb__mpr_name(m.id[k]);
        char text[48];
        if (nm)
            snprintf(text, sizeof text, "%s", nm);
        else
            snprintf(text, sizeof text, "ID %u", m.id[k]);
        list_add(list, sizeof list, text, &more);
    }
    if (more)
        snprintf(list + strlen(list), sizeof list - strlen(list), ", and %zu more", more);
    if (st == LMB_OK && list[0])
        st = lmb__record_note(ctx, r, "not kept: %s", list);
    if (st == LMB_OK && impedance)
        st = lmb__record_note(ctx, r,
                              "impedance columns: %s; NaN on the rows with freq/Hz = 0 (other "
                              "techniques)",
                              polar ? "Z from |Z|/Ohm and Phase(Z)/deg (IDs 36, 35)"
                                    : "-Im(Z)/Ohm (ID 38) negated to the physics sign");
    if (st == LMB_OK)
        st = derive_notes(ctx, r, &ds, c_dq >= 0 ? lmb__mpr_name(m.id[c_dq]) : "",
                          "Q charge/discharge/mA.h");
    if (st == LMB_OK && start_note[0])
        st = lmb__record_note(ctx, r, "%s", start_note);
    if (st == LMB_OK)
        st = read_settings(ctx, r, &m);
    if (st == LMB_OK)
        st = loop_note(ctx, r, &m);
    if (st != LMB_OK)
        return st;

    /* the rows */
    for (size_t i = 0; i < m.n_rows; i++) {
        double v[LMB_REC_N_COLS];
        for (int c = 0; c < LMB_REC_N_COLS; c++)
            v[c] = col[c] >= 0 ? lmb__mpr_get(&m, i, col[c]) * scale[c] : NAN;
        if (col[LMB_REC_TEMPERATURE] >= 0)
            v[LMB_REC_TEMPERATURE] += BL_ZERO_CELSIUS_K; /* degC -> K */
        if (impedance) {
            double f = lmb__mpr_get(&m, i, c_f), re, im;
            if (polar) {
                double mag = lmb__mpr_get(&m, i, c_abs);
                double ph = lmb__mpr_get(&m, i, c_ph) * BL_PI / 180.0;
                re = mag * cos(ph);
                im = mag * sin(ph);
            } else {
                re = lmb__mpr_get(&m, i, c_re);
                im = -lmb__mpr_get(&m, i, c_mim);
            }
            int other = f == 0.0;
            v[LMB_REC_FREQUENCY] = other ? NAN : f;
            v[LMB_REC_Z_RE] = other ? NAN : re;
            v[LMB_REC_Z_IM] = other ? NAN : im;
        }
        v[LMB_REC_UNIX_TIME] = start + v[LMB_REC_TIME];
        derive_row(&ds, v, ds.current_from_dq ? lmb__mpr_get(&m, i, c_dq) * dq_scale : 0.0,
                   c_qcd >= 0 ? lmb__mpr_get(&m, i, c_qcd) * BL_MAH_C : NAN);
        for (int c = 0; c < LMB_REC_N_COLS; c++)
            if (have[c] && isinf(v[c]))
                LMB__FAIL(ctx, LMB_ERANGE,
                          "%.400s: record %zu of %zu (byte offset %zu): %s is infinite", r->path,
                          i + 1, m.n_rows, lmb__mpr_row_offset(&m, i), lmb_record_label(c));
        st = lmb__record_push(ctx, r, v);
        if (st != LMB_OK)
            return st;
    }
    return LMB_OK;
}

static int detect_mpr(const char *buf, size_t len) {
    return len >= 22 && memcmp(buf, "BIO-LOGIC MODULAR FILE", 22) == 0;
}

/* ---- the text export .mpt ---- */

/* What an export column holds: the quantity (name before the last '/'), its kind of unit. */
enum {
    T_TIME,
    T_ECELL,
    T_ECELL_AVG,
    T_EWE,
    T_EWE_AVG,
    T_I,
    T_I_AVG,
    T_DQ,
    T_DQ2,
    T_NS,
    T_HALF,
    T_CYCLE,
    T_NET,
    T_QCH,
    T_QDIS,
    T_QCD,
    T_ECH,
    T_EDIS,
    T_FREQ,
    T_RE,
    T_MIM,
    T_IM,
    T_ABSZ,
    T_PHASE,
    T_TEMP,
    T_N
};

static const struct {
    const char *quantity;
    int kind;
} text_cols[T_N] = {
    [T_TIME] = {"time", LMB_DIM_TIME},
    [T_ECELL] = {"Ecell", LMB_DIM_VOLTAGE},
    [T_ECELL_AVG] = {"<Ecell>", LMB_DIM_VOLTAGE},
    [T_EWE] = {"Ewe", LMB_DIM_VOLTAGE},
    [T_EWE_AVG] = {"<Ewe>", LMB_DIM_VOLTAGE},
    [T_I] = {"I", LMB_DIM_CURRENT},
    [T_I_AVG] = {"<I>", LMB_DIM_CURRENT},
    [T_DQ] = {"dq", LMB_DIM_CHARGE},
    [T_DQ2] = {"dQ", LMB_DIM_CHARGE},
    [T_NS] = {"Ns", LMB_DIM_NONE},
    [T_HALF] = {"half cycle", LMB_DIM_NONE},
    [T_CYCLE] = {"cycle number", LMB_DIM_NONE},
    [T_NET] = {"(Q-Qo)", LMB_DIM_CHARGE},
    [T_QCH] = {"Q charge", LMB_DIM_CHARGE},
    [T_QDIS] = {"Q discharge", LMB_DIM_CHARGE},
    [T_QCD] = {"Q charge/discharge", LMB_DIM_CHARGE},
    [T_ECH] = {"Energy charge", LMB_DIM_ENERGY},
    [T_EDIS] = {"Energy discharge", LMB_DIM_ENERGY},
    [T_FREQ] = {"freq", LMB_DIM_FREQUENCY},
    [T_RE] = {"Re(Z)", LMB_DIM_RESISTANCE},
    [T_MIM] = {"-Im(Z)", LMB_DIM_RESISTANCE},
    [T_IM] = {"Im(Z)", LMB_DIM_RESISTANCE},
    [T_ABSZ] = {"|Z|", LMB_DIM_RESISTANCE},
    [T_PHASE] = {"Phase(Z)", KIND_PHASE},
    [T_TEMP] = {"Temperature", LMB_DIM_TEMPERATURE},
};

/* The kind of an export column name, -1 if lmb does not read it; *unit points into name. */
static int text_kind(const char *name, const char **unit) {
    const char *slash = strrchr(name, '/');
    size_t ql = slash ? (size_t)(slash - name) : strlen(name);
    *unit = slash ? slash + 1 : "";
    for (int k = 0; k < T_N; k++)
        if (strlen(text_cols[k].quantity) == ql && strncmp(text_cols[k].quantity, name, ql) == 0)
            return k;
    return -1;
}

/* Parses the "Nb header lines : N" line 2 of an "EC-Lab ASCII FILE". */
static lmb_status mpt_header_count(lmb_ctx *ctx, const char *path, char *line, long *n) {
    const char *key = line ? strstr(line, "Nb header lines") : NULL;
    const char *colon = key ? strchr(key, ':') : NULL;
    char *e = NULL;
    *n = colon ? strtol(colon + 1, &e, 10) : 0;
    if (!colon || e == colon + 1 || *lmb__trim(e) != '\0')
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:2: expected \"Nb header lines : N\" after \"EC-Lab ASCII FILE\"", path);
    if (*n < 3 || *n > BL_MPT_MAX_HEADER)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s:2: Nb header lines %ld outside 3..%ld", path, *n,
                  BL_MPT_MAX_HEADER);
    return LMB_OK;
}

static lmb_status read_mpt(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    char *pos = buf, *end = buf + len, *line = lmb__next_line(&pos, end);
    size_t lineno = 1;
    long n_header = 1;
    lmb_status st = LMB_OK;
    if (strncmp(line, "EC-Lab ASCII FILE", 17) == 0) {
        line = lmb__next_line(&pos, end);
        lineno = 2;
        st = mpt_header_count(ctx, r->path, line, &n_header);
        if (st != LMB_OK)
            return st;
        while ((long)lineno < n_header && (line = lmb__next_line(&pos, end)) != NULL) {
            lineno++;
            if ((long)lineno < n_header)
                st = cell_header_line(ctx, r, line, lineno);
            if (st != LMB_OK)
                return st;
        }
        if ((long)lineno < n_header || !line)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: the file ends inside its header, which line 2 says has %ld "
                      "lines (truncated?)",
                      r->path, lineno, n_header);
    }
    size_t name_line = lineno;
    char *names[BL_MAX_FIELDS];
    int ncol = lmb__split_tabs(line, names, BL_MAX_FIELDS);
    if (ncol >= BL_MAX_FIELDS)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s:%zu: more than %d column names", r->path, name_line,
                  BL_MAX_FIELDS - 1);
    /* which column is what: the first of each kind */
    int at[T_N];
    double sc[T_N], off[T_N];
    for (int k = 0; k < T_N; k++)
        at[k] = -1;
    char list[232] = "";
    size_t more = 0;
    for (int c = 0; c < ncol; c++) {
        const char *unit = NULL;
        int k = text_kind(names[c], &unit);
        char shown[64];
        name_for_note(shown, sizeof shown, names[c]);
        if (k < 0 || at[k] >= 0) {
            if (names[c][0])
                list_add(list, sizeof list, shown, &more);
            continue;
        }
        if (!unit_si(unit, text_cols[k].kind, &sc[k], &off[k]))
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: column %d \"%.60s\": unit \"%.20s\" is not a unit lmb knows for "
                      "%s",
                      r->path, name_line, c + 1, shown, unit,
                      text_cols[k].kind == LMB_DIM_ENERGY ? "an energy"
                      : text_cols[k].kind == KIND_PHASE   ? "an angle"
                      : text_cols[k].kind == LMB_DIM_NONE
                          ? "a count (none expected)"
                          : lmb_dim_name((lmb_dim)text_cols[k].kind));
        at[k] = c;
    }
    /* the record column each export column goes to, by preference */
    int src[LMB_REC_N_COLS];
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        src[c] = -1;
    src[LMB_REC_TIME] = T_TIME;
    src[LMB_REC_VOLTAGE] = at[T_ECELL] >= 0       ? T_ECELL
                           : at[T_ECELL_AVG] >= 0 ? T_ECELL_AVG
                           : at[T_EWE] >= 0       ? T_EWE
                                                  : T_EWE_AVG;
    src[LMB_REC_CURRENT] = at[T_I] >= 0 ? T_I : T_I_AVG;
    src[LMB_REC_STEP_INDEX] = T_NS;
    src[LMB_REC_HALF_CYCLE] = T_HALF;
    src[LMB_REC_CYCLE_INDEX] = T_CYCLE;
    src[LMB_REC_NET_CHARGE] = T_NET;
    src[LMB_REC_CHARGE_CAPACITY] = T_QCH;
    src[LMB_REC_DISCHARGE_CAPACITY] = T_QDIS;
    src[LMB_REC_CHARGE_ENERGY] = T_ECH;
    src[LMB_REC_DISCHARGE_ENERGY] = T_EDIS;
    src[LMB_REC_TEMPERATURE] = T_TEMP;
    int t_dq = at[T_DQ] >= 0 ? T_DQ : T_DQ2;
    int impedance = at[T_FREQ] >= 0 && ((at[T_RE] >= 0 && (at[T_MIM] >= 0 || at[T_IM] >= 0)) ||
                                        (at[T_ABSZ] >= 0 && at[T_PHASE] >= 0));
    int polar = impedance && !(at[T_RE] >= 0 && (at[T_MIM] >= 0 || at[T_IM] >= 0));
    int t_im = at[T_MIM] >= 0 ? T_MIM : T_IM;

    derive_state ds = {0};
    ds.current_from_dq = at[src[LMB_REC_CURRENT]] < 0 && at[t_dq] >= 0 && at[T_TIME] >= 0;
    ds.cycle_from_half = at[T_CYCLE] < 0 && at[T_HALF] >= 0;
    int q_given = at[T_QCH] >= 0 && at[T_QDIS] >= 0;
    ds.q_split = !q_given && (at[T_QCD] >= 0 || (at[T_NET] >= 0 && at[T_HALF] >= 0));
    ds.q_from_net = ds.q_split && at[T_QCD] < 0;
    if (!q_given)
        src[LMB_REC_CHARGE_CAPACITY] = src[LMB_REC_DISCHARGE_CAPACITY] = -1;

    int have[LMB_REC_N_COLS] = {0}, n_have = 0, need = -1;
    for (int c = 0; c < LMB_REC_N_COLS; c++)
        have[c] = src[c] >= 0 && at[src[c]] >= 0;
    have[LMB_REC_CURRENT] |= ds.current_from_dq;
    have[LMB_REC_CYCLE_INDEX] |= ds.cycle_from_half;
    have[LMB_REC_CHARGE_CAPACITY] |= ds.q_split;
    have[LMB_REC_DISCHARGE_CAPACITY] |= ds.q_split;
    have[LMB_REC_FREQUENCY] = have[LMB_REC_Z_RE] = have[LMB_REC_Z_IM] = impedance;
    for (int c = 0; c < LMB_REC_N_COLS && st == LMB_OK; c++)
        if (have[c]) {
            n_have++;
            st = lmb__record_add_column(ctx, r, (lmb_rec_col)c);
        }
    if (st != LMB_OK)
        return st;
    if (n_have == 0)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: none of the %d column names is one lmb reads (time/s, Ewe/V, "
                  "I/mA, freq/Hz, ...)",
                  r->path, name_line, ncol);
    /* the export columns read on every row */
    int read_k[T_N], n_read = 0;
    for (int k = 0; k < T_N; k++) {
        int used = 0;
        for (int c = 0; c < LMB_REC_N_COLS; c++)
            used |= have[c] && src[c] == k;
        used |= ds.current_from_dq && k == t_dq;
        used |= ds.q_split && !ds.q_from_net && k == T_QCD;
        used |= impedance && (k == T_FREQ || (!polar && (k == T_RE || k == t_im)) ||
                              (polar && (k == T_ABSZ || k == T_PHASE)));
        used |= (ds.cycle_from_half || ds.q_from_net) && k == T_HALF;
        used |= ds.q_from_net && k == T_NET;
        if (used && at[k] >= 0) {
            read_k[n_read++] = k;
            if (at[k] > need)
                need = at[k];
        } else if (at[k] >= 0) {
            char shown[64];
            name_for_note(shown, sizeof shown, names[at[k]]);
            list_add(list, sizeof list, shown, &more);
        }
    }
    if (more)
        snprintf(list + strlen(list), sizeof list - strlen(list), ", and %zu more", more);
    if (name_line > 1)
        st = lmb__record_note(ctx, r,
                              "EC-Lab text export: header of %ld lines (line 2), %d column names "
                              "on line %zu",
                              n_header, ncol, name_line);
    else
        st = lmb__record_note(ctx, r, "EC-Lab column export without header: %d column names", ncol);
    if (st == LMB_OK && list[0])
        st = lmb__record_note(ctx, r, "not kept: %s", list);
    if (st == LMB_OK && impedance)
        st = lmb__record_note(ctx, r,
                              "impedance columns: %s; NaN on the rows with freq/Hz = 0 (other "
                              "techniques)",
                              polar            ? "Z from |Z| and Phase(Z)"
                              : at[T_MIM] >= 0 ? "-Im(Z) negated to the physics sign"
                                               : "Im(Z) kept");
    if (st == LMB_OK)
        st = derive_notes(ctx, r, &ds, at[t_dq] >= 0 ? names[at[t_dq]] : "",
                          at[T_QCD] >= 0 ? names[at[T_QCD]] : "");
    if (st != LMB_OK)
        return st;

    /* the rows */
    char *fields[BL_MAX_FIELDS];
    while ((line = lmb__next_line(&pos, end)) != NULL) {
        lineno++;
        if (*lmb__trim(line) == '\0')
            continue;
        int nf = lmb__split_tabs(line, fields, BL_MAX_FIELDS);
        if (nf <= need) {
            char shown[64];
            name_for_note(shown, sizeof shown, names[need]);
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s:%zu: %d field%s, but column \"%s\" is number %d (line %zu names %d "
                      "columns; truncated?)",
                      r->path, lineno, nf, nf == 1 ? "" : "s", shown, need + 1, name_line, ncol);
        }
        double x[T_N];
        for (int j = 0; j < n_read; j++) {
            int k = read_k[j];
            char *f = fields[at[k]], *comma = strchr(f, ',');
            if (*f == '\0') {
                x[k] = NAN; /* an empty cell */
            } else if (lmb__parse_number(f, 1, &x[k])) {
                x[k] = x[k] * sc[k] + off[k];
                if (isinf(x[k])) {
                    char shown[64];
                    name_for_note(shown, sizeof shown, names[at[k]]);
                    LMB__FAIL(ctx, LMB_ERANGE,
                              "%.400s:%zu: column %d (\"%s\"): %.40s is out of range", r->path,
                              lineno, at[k] + 1, shown, f);
                }
            } else {
                if (comma)
                    *comma = ','; /* show the field as written */
                char shown[64];
                name_for_note(shown, sizeof shown, names[at[k]]);
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: column %d (\"%s\") \"%.40s\" is not a number", r->path,
                          lineno, at[k] + 1, shown, f);
            }
        }
        double v[LMB_REC_N_COLS];
        for (int c = 0; c < LMB_REC_N_COLS; c++)
            v[c] = have[c] && src[c] >= 0 && at[src[c]] >= 0 ? x[src[c]] : NAN;
        if (impedance) {
            double f = x[T_FREQ], re, im;
            if (polar) {
                re = x[T_ABSZ] * cos(x[T_PHASE]);
                im = x[T_ABSZ] * sin(x[T_PHASE]);
            } else {
                re = x[T_RE];
                im = t_im == T_MIM ? -x[T_MIM] : x[T_IM];
            }
            int other = f == 0.0;
            v[LMB_REC_FREQUENCY] = other ? NAN : f;
            v[LMB_REC_Z_RE] = other ? NAN : re;
            v[LMB_REC_Z_IM] = other ? NAN : im;
        }
        if (ds.q_from_net || ds.cycle_from_half)
            v[LMB_REC_HALF_CYCLE] = x[T_HALF];
        if (ds.q_from_net)
            v[LMB_REC_NET_CHARGE] = x[T_NET];
        derive_row(&ds, v, ds.current_from_dq ? x[t_dq] : 0.0,
                   ds.q_split && !ds.q_from_net ? x[T_QCD] : NAN);
        st = lmb__record_push(ctx, r, v);
        if (st != LMB_OK)
            return st;
    }
    if (r->n == 0)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: no data rows after the column names (line %zu)",
                  r->path, name_line);
    return LMB_OK;
}

/* The names of a first line that mark an EC-Lab column export. */
static int ec_lab_name(const char *s, size_t n) {
    static const char *const names[] = {
        "time/s", "freq/Hz", "Ewe/V", "<Ewe>/V",     "Ecell/V",      "I/mA",     "<I>/mA",
        "mode",   "ox/red",  "Ns",    "(Q-Qo)/mA.h", "control/V/mA", "Re(Z)/Ohm"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
            return 1;
    return 0;
}

static int detect_mpt(const char *buf, size_t len) {
    if (len >= 17 && memcmp(buf, "EC-Lab ASCII FILE", 17) == 0)
        return 1;
    /* a bare export: a first line of tab-separated names, one of them EC-Lab's */
    size_t n = 0;
    int tab = 0, known = 0;
    while (n < len && n < 4096 && buf[n] != '\n' && buf[n] != '\0') {
        size_t e = n;
        while (e < len && e < 4096 && buf[e] != '\t' && buf[e] != '\n' && buf[e] != '\r' &&
               buf[e] != '\0')
            e++;
        known |= ec_lab_name(buf + n, e - n);
        tab |= e < len && buf[e] == '\t';
        n = e + (e < len && buf[e] != '\n' && buf[e] != '\0');
    }
    return tab && known;
}

/* ---- the settings file .mps ---- */

static lmb_status read_mps(lmb_ctx *ctx, lmb_record *r, char *buf, size_t len) {
    char *pos = buf, *end = buf + len, *line;
    size_t lineno = 0;
    long announced = -1, found = 0;
    size_t announced_line = 0;
    int expect_name = 0;
    lmb_status st = LMB_OK;
    while ((line = lmb__next_line(&pos, end)) != NULL && st == LMB_OK) {
        lineno++;
        char *t = lmb__trim(line);
        if (expect_name) {
            if (*t == '\0')
                continue;
            char shown[160];
            name_for_note(shown, sizeof shown, t);
            st = lmb__record_note(ctx, r, "technique %ld: %s", found, shown);
            expect_name = 0;
            continue;
        }
        if (strncmp(t, "Number of linked techniques", 27) == 0) {
            const char *colon = strchr(t, ':');
            char *e = NULL;
            announced = colon ? strtol(colon + 1, &e, 10) : -1;
            if (!colon || e == colon + 1 || *lmb__trim(e) != '\0' || announced < 1 ||
                announced > BL_MPS_MAX_TECHNIQUES)
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: expected \"Number of linked techniques : N\" with N in "
                          "1..%ld",
                          r->path, lineno, BL_MPS_MAX_TECHNIQUES);
            announced_line = lineno;
            st = lmb__record_note(ctx, r, "EC-Lab settings file: %ld linked technique%s (line %zu)",
                                  announced, announced == 1 ? "" : "s", lineno);
        } else if (strncmp(t, "Technique :", 11) == 0) {
            char *e = NULL;
            long k = strtol(t + 11, &e, 10);
            if (e == t + 11 || *lmb__trim(e) != '\0' || k != found + 1)
                LMB__FAIL(ctx, LMB_EPARSE,
                          "%.400s:%zu: expected \"Technique : %ld\" (the techniques are numbered "
                          "from 1)",
                          r->path, lineno, found + 1);
            found = k;
            expect_name = 1;
        } else if (found == 0) {
            st = cell_header_line(ctx, r, t, lineno);
        }
    }
    if (st != LMB_OK)
        return st;
    if (announced < 0)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: no \"Number of linked techniques : N\" line in %zu lines (truncated?)",
                  r->path, lineno);
    if (expect_name || found != announced)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s:%zu: the file ends after %ld complete technique%s, line %zu announces "
                  "%ld (truncated?)",
                  r->path, lineno, found - expect_name, found - expect_name == 1 ? "" : "s",
                  announced_line, announced);
    return LMB_OK;
}

static int detect_mps(const char *buf, size_t len) {
    return len >= 19 && memcmp(buf, "EC-LAB SETTING FILE", 19) == 0;
}

const lmb__record_reader lmb__reader_biologic_mpr = {"biologic-mpr", detect_mpr, read_mpr};
const lmb__record_reader lmb__reader_biologic_mps = {"biologic-mps", detect_mps, read_mps};
const lmb__record_reader lmb__reader_biologic_mpt = {"biologic-mpt", detect_mpt, read_mpt};
