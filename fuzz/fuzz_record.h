/*
 * fuzz_record.h - the body of the libFuzzer targets of the cycler-file readers: each
 * fuzz_record_<reader>.c defines LMB_FUZZ_FORMAT (a reader's format name, or NULL for the
 * content detection of lmb_record_read_buffer) and includes this file.
 *
 * Any input must give LMB_OK or an error status with a non-empty one-line message naming the
 * input, and no record. A record that reads must be consistent: every present column has
 * lmb_record_rows values, the time, frequency and impedance columns hold no infinity, a BDF
 * label for every column, and it survives the analysis (lmb_record_analyze) without a crash.
 * Seeds: the first kilobytes of the files of ../shared/data of that format (make fuzz).
 */
#include "lmb/lmb.h"

#include "io/record_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(lmb_ctx *ctx, const lmb_record *r) {
    size_t n = lmb_record_rows(r);
    for (int c = 0; c < LMB_REC_N_COLS; c++) {
        const double *v = lmb_record_column(r, (lmb_rec_col)c);
        if (!lmb_record_label((lmb_rec_col)c))
            abort();
        for (size_t i = 0; v && i < n; i++) {
            volatile double x = v[i]; /* every value readable (ASan checks the bounds) */
            (void)x;
        }
    }
    for (size_t i = 0; i < lmb_record_note_count(r); i++)
        if (!lmb_record_note(r, i) || strchr(lmb_record_note(r, i), '\n'))
            abort();
    lmb_analysis *a = NULL;
    if (lmb_record_analyze(ctx, r, NULL, &a) == LMB_OK) {
        size_t nh = 0;
        lmb_analysis_half_charges(a, &nh);
        if (nh != lmb_analysis_half_cycle_count(a))
            abort();
        lmb_analysis_free(a);
    } else if (a) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK)
        return 0;
    const char *format = LMB_FUZZ_FORMAT;
    const lmb__record_reader *rd = format ? lmb__record_reader_find(format) : NULL;
    if (format && !rd)
        abort(); /* the target names a reader that does not exist */
    lmb_record *r = NULL;
    lmb_status st = rd ? lmb__record_read_as(ctx, rd, "fuzz-input", data, size, &r)
                       : lmb_record_read_buffer(ctx, "fuzz-input", data, size, &r);
    if (st != LMB_OK) {
        const char *msg = lmb_ctx_errmsg(ctx);
        if (!msg[0] || strchr(msg, '\n') || r)
            abort(); /* every error is one non-empty line, and nothing is returned */
        if (st != LMB_ENOMEM && !strstr(msg, "fuzz-input"))
            abort(); /* and names the input */
    } else {
        check(ctx, r);
        lmb_record_free(r);
    }
    lmb_ctx_free(ctx);
    return 0;
}
