/*
 * protocol_internal.h - what other modules see of the protocol parser: the lookup of the
 * built-in protocols (the files of protocols/, compiled in), which lmb_protocol_load and the
 * sweep-file reader share.
 */
#ifndef LMB_PROTOCOL_INTERNAL_H
#define LMB_PROTOCOL_INTERNAL_H

#include "io/presets.h"

/* The built-in protocol "protocol:<name>" (ref with its prefix); NULL if ref does not start
 * with "protocol:" or names no built-in protocol. */
const lmb__preset *lmb__protocol_builtin(const char *ref);

#endif
