/* fuzz_record_mpt.c - libFuzzer target for the biologic-mpt reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "biologic-mpt"
#include "fuzz_record.h"
