/* fuzz_record_bdf.c - libFuzzer target for the bdf-csv reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "bdf-csv"
#include "fuzz_record.h"
