/* fuzz_record_landt.c - libFuzzer target for the landt-csv reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "landt-csv"
#include "fuzz_record.h"
