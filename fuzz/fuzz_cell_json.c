/*
 * fuzz_cell_json.c - libFuzzer target for the cell-file parser (src/io/cell_json.c).
 *
 * Feeds arbitrary bytes to lmb_cell_parse. Any input must give LMB_OK or an error status with
 * a non-empty one-line message; crashes, leaks and undefined behaviour are what the fuzzer and
 * its sanitizers look for. Seed corpus: the preset files under presets/.
 *
 * Build: cmake -DLMB_FUZZ=ON -DCMAKE_C_COMPILER=clang; run: make fuzz (one minute per target).
 */
#include "lmb/lmb.h"

#include "fuzz_util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lmb_ctx *ctx = NULL;
    char *text = fuzz_text(data, size, &ctx);
    if (!text)
        return 0;
    lmb_cell *cell = NULL;
    lmb_status st = lmb_cell_parse(ctx, text, "fuzz.json", &cell);
    if (st != LMB_OK) {
        fuzz_check_msg(ctx); /* every error is one non-empty line */
    } else {
        lmb_cell_free(cell);
    }
    lmb_ctx_free(ctx);
    free(text);
    return 0;
}
