/*
 * test_tmpdir.h - the scratch directory of a unit test program: made in the cmocka group set-up,
 * removed with everything in it in the tear-down. Include after defining _POSIX_C_SOURCE
 * 200809L (mkdtemp).
 */
#ifndef LMB_TEST_TMPDIR_H
#define LMB_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

/* Makes /tmp/lmb_<name>_XXXXXX into dir (size bytes); 0, or -1 if it cannot. */
static inline int lmb_test_tmpdir_make(char *dir, size_t size, const char *name) {
    int n = snprintf(dir, size, "/tmp/lmb_%s_XXXXXX", name);
    return n > 0 && (size_t)n < size && mkdtemp(dir) ? 0 : -1;
}

/* Removes dir and what is in it; 0, or -1 if it cannot. */
static inline int lmb_test_tmpdir_remove(const char *dir) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
