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

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    lmb_ctx *ctx = NULL;
    if (lmb_ctx_create(&ctx) != LMB_OK) {
        free(text);
        return 0;
    }
    lmb_cell *cell = NULL;
    lmb_status st = lmb_cell_parse(ctx, text, "fuzz.json", &cell);
    if (st != LMB_OK) {
        const char *msg = lmb_ctx_errmsg(ctx);
        if (!msg[0] || strchr(msg, '\n'))
            abort(); /* every error is one non-empty line */
    } else {
        lmb_cell_free(cell);
    }
    lmb_ctx_free(ctx);
    free(text);
    return 0;
}
