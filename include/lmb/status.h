/*
 * lmb/status.h - status codes of the lmb library.
 *
 * Every public function that can fail returns an lmb_status. LMB_OK is zero, every error is
 * negative. The list below is the single source of both the enum and the messages of
 * lmb_strerror() (an X-macro, as libuv does it). Beside the code, the context keeps a sentence
 * that says what failed, with the value, unit and the file/line/field of the input
 * (lmb_ctx_errmsg).
 */
#ifndef LMB_STATUS_H
#define LMB_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, message) */
#define LMB_STATUS_LIST(X)                                                                         \
    X(LMB_OK, 0, "success")                                                                        \
    X(LMB_ENOMEM, -1, "out of memory")                                                             \
    X(LMB_EINVAL, -2, "invalid argument")                                                          \
    X(LMB_EIO, -3, "input/output error")                                                           \
    X(LMB_EPARSE, -4, "syntax error in input")                                                     \
    X(LMB_EUNIT, -5, "unit not recognised or of the wrong dimension")                              \
    X(LMB_ERANGE, -6, "value out of its allowed range")                                            \
    X(LMB_EKEY, -7, "unknown or missing key")                                                      \
    X(LMB_ESOLVER, -8, "the DAE solver failed")                                                    \
    X(LMB_ENOTFOUND, -9, "not found")                                                              \
    X(LMB_ESTATE, -10, "operation not valid in the present state")                                 \
    X(LMB_EUNSUPPORTED, -11, "not supported")

typedef enum lmb_status {
#define LMB__STATUS_ENUM(name, value, msg) name = value,
    LMB_STATUS_LIST(LMB__STATUS_ENUM)
#undef LMB__STATUS_ENUM
} lmb_status;

/* Static text for a status code; never NULL ("unknown status" for values not in the list). */
const char *lmb_strerror(int status);

/* The enumerator's name ("LMB_ERANGE"); never NULL. */
const char *lmb_status_name(int status);

#ifdef __cplusplus
}
#endif
#endif
