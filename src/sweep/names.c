/*
 * names.c - the names of a sweep point's status and of the end of its life (lmb/sweep.h), as the
 * catalogue's points table writes them in its status and life_end columns.
 */
#include "lmb/sweep.h"

#include <stddef.h>

const char *lmb_sweep_point_status_name(int status) {
    switch (status) {
    case LMB_SWEEP_POINT_OK:
        return "ok";
    case LMB_SWEEP_POINT_FAILED:
        return "failed";
    case LMB_SWEEP_POINT_INVALID:
        return "invalid";
    }
    return NULL;
}

const char *lmb_sweep_life_end_name(int end) {
    switch (end) {
    case LMB_SWEEP_LIFE_SHORT:
        return "short";
    case LMB_SWEEP_LIFE_RETENTION:
        return "retention";
    }
    return NULL; /* LMB_SWEEP_LIFE_NONE: censored */
}
