/*
 * lmb_ocv_table - writes a named open-circuit potential as the CSV table a cell file can read
 * (matprop.h): the generator of presets/li-licoo2/licoo2_ocv.csv,
 *   build/lmb_ocv_table dualfoil1998 2001 0 1 > presets/li-licoo2/licoo2_ocv.csv
 * tests/unit/test_reference.c checks that the shipped file is exactly this output.
 */
#include "model/lfp_ocv.h"
#include "model/matprop.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    lmb__lfp_ocv_kind kind;
    if (argc != 5 || lmb__lfp_ocv_parse(argv[1], &kind) != 0) {
        fprintf(stderr, "usage: lmb_ocv_table NAME ROWS Y_FROM Y_TO (NAME: prada2013, "
                        "safari2011, dualfoil1998)\n");
        return 2;
    }
    char *text = lmb__ocv_table_text((int)kind, atoi(argv[2]), atof(argv[3]), atof(argv[4]));
    if (!text) {
        fprintf(stderr, "lmb_ocv_table: bad rows or range\n");
        return 2;
    }
    fputs(text, stdout);
    free(text);
    return 0;
}
