/* fuzz_record_neware.c - libFuzzer target for the neware-csv reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "neware-csv"
#include "fuzz_record.h"
