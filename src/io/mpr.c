/*
 * mpr.c - the BioLogic EC-Lab binary container (.mpr): magic, module walk, the VMP data column
 * table and the record layout (mpr.h has the layout and its sources).
 *
 * The table of column IDs below is the one place lmb knows the widths. Its entries come from
 * galvani (echemdata/galvani, galvani/BioLogic.py: VMPdata_colID_dtype_map and
 * VMPdata_colID_flag_map) and yadg (dgbowl/yadg, extractors/eclab/mpr_columns.py: data_columns,
 * flag_columns, including the IDs yadg lists for EC-Lab >= 11.50's one-byte numbering); where the
 * two agree on the width the ID is listed. IDs 498-502 (|Ece h2..h6|/V) are f32 in both sources
 * (an earlier lmb table had f64). Names are those of EC-Lab's text export, given where a source
 * names the ID; they are used in notes only.
 */
#include "io/mpr.h"

#include "core/ctx_internal.h"

#include <string.h>

static const struct {
    unsigned short id;
    char type; /* 'f' f32, 'd' f64, 'H' u16, 'I' u32, 'B' u8, 'F' a bit of the flags byte */
    const char *name;
} columns[] = {
    {1, 'F', "mode"},
    {2, 'F', "ox/red"},
    {3, 'F', "error"},
    {4, 'd', "time/s"},
    {5, 'f', "control/V/mA"},
    {6, 'f', "Ewe/V"},
    {7, 'd', "dq/mA.h"},
    {8, 'f', "I/mA"},
    {9, 'f', "Ece/V"},
    {11, 'd', "<I>/mA"},
    {13, 'd', "(Q-Qo)/mA.h"},
    {15, 'f', NULL},
    {16, 'f', "Analog IN 1/V"},
    {17, 'f', "Analog IN 2/V"},
    {19, 'f', "control/V"},
    {20, 'f', "control/mA"},
    {21, 'F', "control changes"},
    {23, 'd', "dQ/mA.h"},
    {24, 'd', "cycle number"},
    {26, 'f', "Rapp/Ohm"},
    {27, 'f', "Ewe-Ece/V"},
    {31, 'F', "Ns changes"},
    {32, 'f', "freq/Hz"},
    {33, 'f', "|Ewe|/V"},
    {34, 'f', "|I|/A"},
    {35, 'f', "Phase(Z)/deg"},
    {36, 'f', "|Z|/Ohm"},
    {37, 'f', "Re(Z)/Ohm"},
    {38, 'f', "-Im(Z)/Ohm"},
    {39, 'H', "I Range"},
    {45, 'f', NULL},
    {46, 'f', NULL},
    {50, 'f', "E0/V"},
    {65, 'F', "counter inc."},
    {69, 'f', "R/Ohm"},
    {70, 'f', "P/W"},
    {73, 'f', "rotation rate/rpm"},
    {74, 'd', "|Energy|/W.h"},
    {75, 'f', "Analog OUT/V"},
    {76, 'f', "<I>/mA"},
    {77, 'f', "<Ewe>/V"},
    {78, 'f', "Cs-2/uF-2"},
    {96, 'f', "|Ece|/V"},
    {98, 'f', "Phase(Zce)/deg"},
    {99, 'f', "|Zce|/Ohm"},
    {100, 'f', "Re(Zce)/Ohm"},
    {101, 'f', "-Im(Zce)/Ohm"},
    {105, 'f', NULL},
    {106, 'f', NULL},
    {110, 'd', NULL},
    {112, 'd', NULL},
    {115, 'd', NULL},
    {116, 'd', NULL},
    {123, 'd', "Energy charge/W.h"},
    {124, 'd', "Energy discharge/W.h"},
    {125, 'd', "Capacitance charge/uF"},
    {126, 'd', "Capacitance discharge/uF"},
    {131, 'H', "Ns"},
    {135, 'f', NULL},
    {136, 'f', NULL},
    {163, 'f', "|Estack|/V"},
    {166, 'f', NULL},
    {167, 'f', NULL},
    {168, 'f', "Rcmp/Ohm"},
    {169, 'f', "Cs/uF"},
    {172, 'f', "Cp/uF"},
    {173, 'f', "Cp-2/uF-2"},
    {174, 'f', NULL},
    {175, 'f', NULL},
    {176, 'f', NULL},
    {177, 'f', NULL},
    {178, 'f', "(Q-Qo)/C"},
    {179, 'f', "dQ/C"},
    {182, 'd', "step time/s"},
    {185, 'f', NULL},
    {206, 'f', NULL},
    {211, 'd', NULL},
    {212, 'I', "half cycle"},
    {213, 'I', "z cycle"},
    {215, 'f', NULL},
    {217, 'f', "THD Ewe/%"},
    {218, 'f', "THD I/%"},
    {219, 'f', NULL},
    {220, 'f', "NSD Ewe/%"},
    {221, 'f', "NSD I/%"},
    {222, 'f', NULL},
    {223, 'f', "NSR Ewe/%"},
    {224, 'f', "NSR I/%"},
    {225, 'f', NULL},
    {230, 'f', NULL},
    {231, 'f', NULL},
    {232, 'f', NULL},
    {233, 'f', NULL},
    {234, 'f', NULL},
    {235, 'f', NULL},
    {236, 'f', NULL},
    {237, 'f', NULL},
    {238, 'f', NULL},
    {239, 'f', NULL},
    {240, 'f', NULL},
    {241, 'f', NULL},
    {242, 'f', NULL},
    {243, 'f', NULL},
    {244, 'f', NULL},
    {245, 'f', NULL},
    {246, 'f', NULL},
    {247, 'f', NULL},
    {248, 'f', NULL},
    {249, 'f', NULL},
    {253, 'B', NULL},
    {271, 'f', NULL},
    {272, 'f', NULL},
    {273, 'f', NULL},
    {274, 'f', NULL},
    {275, 'f', NULL},
    {276, 'f', NULL},
    {277, 'f', NULL},
    {278, 'f', NULL},
    {295, 'H', NULL},
    {301, 'f', NULL},
    {302, 'f', NULL},
    {303, 'f', NULL},
    {304, 'f', NULL},
    {305, 'f', NULL},
    {306, 'f', NULL},
    {307, 'f', NULL},
    {308, 'f', NULL},
    {326, 'f', NULL},
    {331, 'f', NULL},
    {332, 'f', NULL},
    {333, 'f', NULL},
    {334, 'f', NULL},
    {335, 'f', NULL},
    {336, 'f', NULL},
    {337, 'f', NULL},
    {338, 'f', NULL},
    {361, 'f', NULL},
    {362, 'f', NULL},
    {363, 'f', NULL},
    {364, 'f', NULL},
    {365, 'f', NULL},
    {366, 'f', NULL},
    {367, 'f', NULL},
    {368, 'f', NULL},
    {379, 'd', NULL},
    {391, 'f', NULL},
    {392, 'f', NULL},
    {393, 'f', NULL},
    {394, 'f', NULL},
    {395, 'f', NULL},
    {396, 'f', NULL},
    {397, 'f', NULL},
    {398, 'f', NULL},
    {422, 'f', "Phase(Zstack)/deg"},
    {423, 'f', "|Zstack|/Ohm"},
    {424, 'f', "Re(Zstack)/Ohm"},
    {425, 'f', "-Im(Zstack)/Ohm"},
    {426, 'f', "<Estack>/V"},
    {430, 'f', "Phase(Zwe-ce)/deg"},
    {431, 'f', "|Zwe-ce|/Ohm"},
    {432, 'f', "Re(Zwe-ce)/Ohm"},
    {433, 'f', "-Im(Zwe-ce)/Ohm"},
    {434, 'f', "(Q-Qo)/C"},
    {435, 'f', "dQ/C"},
    {438, 'd', "step time/s"},
    {441, 'f', "<Ecv>/V"},
    {462, 'f', "Temperature/degC"},
    {467, 'd', "Q charge/discharge/mA.h"},
    {468, 'I', "half cycle"},
    {469, 'I', "z cycle"},
    {471, 'f', "<Ece>/V"},
    {473, 'f', "THD Ewe/%"},
    {474, 'f', "THD I/%"},
    {475, 'f', "THD Ece/%"},
    {476, 'f', "NSD Ewe/%"},
    {477, 'f', "NSD I/%"},
    {478, 'f', "NSD Ece/%"},
    {479, 'f', "NSR Ewe/%"},
    {480, 'f', "NSR I/%"},
    {481, 'f', "NSR Ece/%"},
    {486, 'f', "|Ewe h2|/V"},
    {487, 'f', "|Ewe h3|/V"},
    {488, 'f', "|Ewe h4|/V"},
    {489, 'f', "|Ewe h5|/V"},
    {490, 'f', "|Ewe h6|/V"},
    {491, 'f', "|Ewe h7|/V"},
    {492, 'f', "|I h2|/A"},
    {493, 'f', "|I h3|/A"},
    {494, 'f', "|I h4|/A"},
    {495, 'f', "|I h5|/A"},
    {496, 'f', "|I h6|/A"},
    {497, 'f', "|I h7|/A"},
    {498, 'f', "|Ece h2|/V"},
    {499, 'f', "|Ece h3|/V"},
    {500, 'f', "|Ece h4|/V"},
    {501, 'f', "|Ece h5|/V"},
    {502, 'f', "|Ece h6|/V"},
    {503, 'f', "|Ece h7|/V"},
    {505, 'f', "Rdc/Ohm"},
    {509, 'B', "Acir/Dcir Control"},
};

static int column_index(unsigned id) {
    for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++)
        if (columns[k].id == id)
            return (int)k;
    return -1;
}

char lmb__mpr_type(unsigned id) {
    int k = column_index(id);
    return k < 0 ? 0 : columns[k].type;
}

const char *lmb__mpr_name(unsigned id) {
    int k = column_index(id);
    return k < 0 ? NULL : columns[k].name;
}

/* The bits of the flags byte each flag ID stands for: mask and shift. */
static unsigned flag_bits(unsigned id, unsigned *shift) {
    switch (id) {
    case 1:
        *shift = 0;
        return 0x03;
    case 2:
        *shift = 2;
        return 0x04;
    case 3:
        *shift = 3;
        return 0x08;
    case 21:
        *shift = 4;
        return 0x10;
    case 31:
        *shift = 5;
        return 0x20;
    default: /* 65, counter inc. */
        *shift = 7;
        return 0x80;
    }
}

uint32_t lmb__mpr_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

float lmb__mpr_f32(const unsigned char *p) {
    uint32_t u = lmb__mpr_u32(p);
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

double lmb__mpr_f64(const unsigned char *p) {
    uint64_t u = (uint64_t)lmb__mpr_u32(p) | (uint64_t)lmb__mpr_u32(p + 4) << 32;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

int lmb__mpr_find(const lmb__mpr *m, unsigned id) {
    for (size_t k = 0; k < m->n_cols; k++)
        if (m->id[k] == id)
            return (int)k;
    return -1;
}

size_t lmb__mpr_row_offset(const lmb__mpr *m, size_t i) {
    return m->rows_offset + i * m->rec_len;
}

int lmb__mpr_flags(const lmb__mpr *m, size_t i) {
    return m->flag_off < 0 ? -1 : m->rows[i * m->rec_len + (size_t)m->flag_off];
}

double lmb__mpr_get(const lmb__mpr *m, size_t i, int c) {
    const unsigned char *p = m->rows + i * m->rec_len + m->col_off[c];
    switch (m->type[c]) {
    case 'f':
        return (double)lmb__mpr_f32(p);
    case 'd':
        return lmb__mpr_f64(p);
    case 'H':
        return (double)((unsigned)p[0] | (unsigned)p[1] << 8);
    case 'I':
        return (double)lmb__mpr_u32(p);
    case 'F': {
        unsigned shift = 0, mask = flag_bits(m->id[c], &shift);
        return (double)((p[0] & mask) >> shift);
    }
    default:
        return (double)p[0];
    }
}

/* The module a short name stands for, NULL for one lmb does not read. */
static lmb__mpr_module *module_slot(lmb__mpr *m, const unsigned char *short_name) {
    static const char *const names[4] = {"VMP Set   ", "VMP data  ", "VMP LOG   ", "VMP loop  "};
    lmb__mpr_module *slots[4] = {&m->set, &m->data, &m->log, &m->loop};
    for (int k = 0; k < 4; k++)
        if (memcmp(short_name, names[k], 10) == 0)
            return slots[k];
    return NULL;
}

/* A module's short name for a message: the bytes outside printable ASCII as '?'. */
static const char *short_name(char out[11], const unsigned char *h) {
    for (int k = 0; k < 10; k++)
        out[k] = h[k] >= 0x20 && h[k] < 0x7f ? (char)h[k] : '?';
    out[10] = '\0';
    return out;
}

static lmb_status walk_modules(lmb_ctx *ctx, lmb__mpr *m, const unsigned char *b, size_t len) {
    size_t pos = LMB__MPR_MAGIC_LEN;
    while (pos < len) {
        if (len - pos < 6 + 51 || memcmp(b + pos, "MODULE", 6) != 0)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s: byte offset %zu: expected a module header (\"MODULE\") of at least "
                      "57 bytes (truncated .mpr?)",
                      m->name, pos);
        const unsigned char *h = b + pos + 6;
        int v2 = lmb__mpr_u32(h + 35) == 0xFFFFFFFFu;
        size_t hlen = v2 ? 59 : 51;
        if (len - pos - 6 < hlen)
            LMB__FAIL(ctx, LMB_EPARSE, "%.400s: byte offset %zu: module header truncated", m->name,
                      pos);
        size_t mlen = lmb__mpr_u32(h + (v2 ? 39 : 35));
        uint32_t mver = lmb__mpr_u32(h + (v2 ? 43 : 39));
        size_t start = pos + 6 + hlen;
        char nm[11];
        if (mlen > len - start)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s: byte offset %zu: module \"%.10s\" announces %zu bytes, the file "
                      "holds %zu more (truncated .mpr?)",
                      m->name, pos, short_name(nm, h), mlen, len - start);
        lmb__mpr_module *mod = module_slot(m, h);
        if (mod && mod->data)
            LMB__FAIL(ctx, LMB_EPARSE,
                      "%.400s: byte offset %zu: a second \"%.10s\" module (the first is at byte "
                      "offset %zu)",
                      m->name, pos, short_name(nm, h), mod->header_offset);
        if (mod) {
            mod->data = b + start;
            mod->len = mlen;
            mod->offset = start;
            mod->header_offset = pos;
            mod->version = mver;
            memcpy(mod->date, h + hlen - 8, 8);
            mod->date[8] = '\0';
        }
        pos = start + mlen;
    }
    return LMB_OK;
}

/* Reads the column IDs and finds where the records start. */
static lmb_status column_table(lmb_ctx *ctx, lmb__mpr *m) {
    const unsigned char *data = m->data.data;
    size_t data_len = m->data.len;
    uint32_t version = m->data.version;
    if (data_len < 5)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: the VMP data module (offset %zu) has %zu bytes",
                  m->name, m->data.offset, data_len);
    m->n_rows = lmb__mpr_u32(data);
    m->n_cols = data[4];
    size_t ncol = m->n_cols, rec0, table_end;
    if (version == 0 && data_len > 5 && data[5] != 0) {
        rec0 = 100;
        table_end = 5 + ncol;
    } else if (version == 0) {
        rec0 = 1007;
        table_end = 5 + 2 * ncol;
    } else if (version == 2 || version == 3) {
        rec0 = version == 2 ? 405 : 406;
        table_end = 5 + 2 * ncol;
    } else {
        LMB__FAIL(ctx, LMB_EUNSUPPORTED,
                  "%.400s: unsupported format: VMP data module version %u (known: 0, 2, 3; module "
                  "at byte offset %zu)",
                  m->name, (unsigned)version, m->data.header_offset);
    }
    if (table_end > rec0 || rec0 > data_len)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: the VMP data module (offset %zu, %zu bytes, %zu columns) is shorter "
                  "than its column table (truncated .mpr?)",
                  m->name, m->data.offset, data_len, ncol);
    for (size_t k = 0; k < ncol; k++) {
        if (version == 0 && rec0 == 100)
            m->id[k] = data[5 + k];
        else if (version == 0)
            m->id[k] = data[6 + 2 * k];
        else
            m->id[k] = (unsigned)data[5 + 2 * k] | (unsigned)data[6 + 2 * k] << 8;
    }
    m->rows = data + rec0;
    m->rows_offset = m->data.offset + rec0;
    return LMB_OK;
}

lmb_status lmb__mpr_open(lmb_ctx *ctx, const char *name, const void *buf, size_t len, lmb__mpr *m) {
    memset(m, 0, sizeof *m);
    m->name = name;
    m->flag_off = -1;
    const unsigned char *b = buf;
    static const char magic[] = "BIO-LOGIC MODULAR FILE\x1a";
    if (len < LMB__MPR_MAGIC_LEN)
        LMB__FAIL(ctx, LMB_EPARSE, "%.400s: truncated .mpr: %zu bytes, shorter than its header",
                  name, len);
    for (size_t k = 0; k < LMB__MPR_MAGIC_LEN; k++)
        if (b[k] != (k < sizeof magic - 1 ? (unsigned char)magic[k] : k < 48 ? ' ' : 0))
            LMB__FAIL(ctx, LMB_EPARSE, "%.400s: byte %zu of the .mpr magic is 0x%02x", name, k,
                      b[k]);
    lmb_status st = walk_modules(ctx, m, b, len);
    if (st != LMB_OK)
        return st;
    if (!m->data.data)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: no \"VMP data\" module among the modules from byte offset %d to the "
                  "end at %zu",
                  name, LMB__MPR_MAGIC_LEN, len);
    st = column_table(ctx, m);
    if (st != LMB_OK)
        return st;
    /* the record layout: the flag IDs share one byte where the first of them stands */
    size_t rec = 0;
    for (size_t k = 0; k < m->n_cols; k++) {
        char t = lmb__mpr_type(m->id[k]);
        if (!t)
            LMB__FAIL(ctx, LMB_EUNSUPPORTED,
                      "%.400s: unsupported .mpr: column ID %u (column %zu of %zu in the VMP data "
                      "table at byte offset %zu) is not known to lmb, so the record layout cannot "
                      "be read",
                      name, m->id[k], k + 1, m->n_cols, m->data.offset + 5);
        m->type[k] = t;
        if (t == 'F') {
            if (m->flag_off < 0)
                m->flag_off = (long)rec++;
            m->col_off[k] = (size_t)m->flag_off;
            continue;
        }
        m->col_off[k] = rec;
        rec += t == 'd' ? 8 : t == 'f' || t == 'I' ? 4 : t == 'H' ? 2 : 1;
    }
    m->rec_len = rec;
    size_t bytes = m->data.len - (size_t)(m->rows - m->data.data);
    if (rec == 0 || bytes / rec < m->n_rows || bytes != m->n_rows * rec)
        LMB__FAIL(ctx, LMB_EPARSE,
                  "%.400s: the VMP data module (byte offset %zu) holds %zu bytes of records, the "
                  "header announces %zu points of %zu bytes (truncated .mpr, or a column of "
                  "another width)",
                  name, m->data.offset, bytes, m->n_rows, rec);
    return LMB_OK;
}
