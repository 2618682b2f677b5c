// Cancellation, after Go's context package: a context has a Done channel that is
// closed when it is cancelled (by its cancel function, its parent, or a deadline),
// and an Err saying why. Enough for a fan-out whose workers select on Done and shut
// down cleanly.
//
//   goctx_t *ctx = ctx_with_cancel(ctx_background());
//   ... workers: select { case <-ctx_done(ctx): return; case ... }
//   ctx_cancel(ctx);
#ifndef SPANLAB_RT_CONTEXT_H
#define SPANLAB_RT_CONTEXT_H

#include <stdint.h>
#include "rt/chan.h"

typedef struct goctx goctx_t;

// context.Background(): never cancelled; its Done channel is nil.
goctx_t *ctx_background(void);

// context.WithCancel(parent): a child cancelled by ctx_cancel or with its parent.
goctx_t *ctx_with_cancel(goctx_t *parent);

// context.WithTimeout(parent, d): also cancelled d ns from now ("context deadline
// exceeded").
goctx_t *ctx_with_timeout(goctx_t *parent, int64_t d);

// The cancel function: closes Done, cancels every child, detaches from the parent,
// stops the deadline timer. Idempotent.
void ctx_cancel(goctx_t *c);

// ctx.Done(): closed once c is cancelled (nil for Background).
chan_t *ctx_done(goctx_t *c);

// ctx.Err(): NULL while live, then "context canceled" or "context deadline exceeded".
const char *ctx_err(goctx_t *c);

#endif
