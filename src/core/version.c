/* version.c - the library version string. */
#include "lmb/lmb.h"

const char *lmb_version(void) {
    return "0.1.0";
}
