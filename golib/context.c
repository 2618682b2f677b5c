// Contexts with cancellation (Go's context/context.go cancelCtx and timerCtx): a
// tree of heap objects; cancelling a node closes its Done channel, cancels its
// subtree and unlinks it from its parent so a long-lived parent does not keep dead
// children alive (Go's removeChild).
#include "golib/context.h"

#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "rt/timer.h"
#include "rt/types.h"

struct goctx {
    chan_t *done;
    goctx_t *parent;
    goctx_t *children;   // first child
    goctx_t *next, *prev; // siblings
    rtimer_t timer;      // deadline (WithTimeout); timer.arg (a pointer) = this ctx
    const char *err;
};

static GOTYPE_STRUCT(ctx_type, goctx_t, "context.cancelCtx", offsetof(goctx_t, done),
                     offsetof(goctx_t, parent), offsetof(goctx_t, children),
                     offsetof(goctx_t, next), offsetof(goctx_t, prev),
                     offsetof(goctx_t, timer.arg));

static goctx_t background; // done nil, never cancelled, keeps no children

goctx_t *ctx_background(void) { return &background; }

static void cancel(goctx_t *c, const char *err) {
    if (c->err)
        return;
    c->err = err;
    chan_close(c->done);
    while (c->children)
        cancel(c->children, err); // unlinks itself from c
    if (c->parent) {
        goctx_t *p = c->parent;
        if (c->prev)
            GC_STORE(c->prev->next, c->next);
        else
            GC_STORE(p->children, c->next);
        if (c->next)
            GC_STORE(c->next->prev, c->prev);
        GC_STORE(c->next, NULL);
        GC_STORE(c->prev, NULL);
        GC_STORE(c->parent, NULL);
    }
    timer_del(&c->timer);
}

goctx_t *ctx_with_cancel(goctx_t *parent) {
    goctx_t *c = rt_new(&ctx_type);
    GC_STORE(c->done, chan_make(NULL, 0));
    if (parent->err) { // propagateCancel: a cancelled parent cancels the child now
        cancel(c, parent->err);
        return c;
    }
    if (parent->done) {
        GC_STORE(c->parent, parent);
        GC_STORE(c->next, parent->children);
        if (c->next)
            GC_STORE(c->next->prev, c);
        GC_STORE(parent->children, c);
    }
    return c;
}

static void deadline_fired(void *arg, uint64_t seq, int64_t now) {
    (void)seq, (void)now;
    cancel(arg, "context deadline exceeded");
}

goctx_t *ctx_with_timeout(goctx_t *parent, int64_t d) {
    goctx_t *c = ctx_with_cancel(parent);
    if (c->err)
        return c;
    GC_STORE(c->timer.arg, (void *)c);
    c->timer.f = deadline_fired;
    c->timer.when = timer_now() + (d > 0 ? d : 0);
    timer_add(&c->timer);
    return c;
}

void ctx_cancel(goctx_t *c) {
    if (c != &background)
        cancel(c, "context canceled");
}

chan_t *ctx_done(goctx_t *c) { return c->done; }
const char *ctx_err(goctx_t *c) { return c->err; }
