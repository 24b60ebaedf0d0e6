/* fuzz_record_mpr.c - libFuzzer target for the biologic-mpr reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "biologic-mpr"
#include "fuzz_record.h"
