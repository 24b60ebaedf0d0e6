/* fuzz_record_mps.c - libFuzzer target for the biologic-mps reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "biologic-mps"
#include "fuzz_record.h"
