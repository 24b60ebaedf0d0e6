/* fuzz_record_arbin.c - libFuzzer target for the arbin-csv reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "arbin-csv"
#include "fuzz_record.h"
