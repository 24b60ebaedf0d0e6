/* fuzz_record_detect.c - libFuzzer target for the content detection of lmb_record_read_buffer
 * (every reader); see fuzz_record.h. */
#define LMB_FUZZ_FORMAT NULL
#include "fuzz_record.h"
