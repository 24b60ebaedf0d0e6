/* fuzz_record_maccor.c - libFuzzer target for the maccor-text reader; see fuzz_record.h. */
#define LMB_FUZZ_FORMAT "maccor-text"
#include "fuzz_record.h"
