// Channels, after Go's runtime/chan.go. Invariants (one P, so no locks):
//   - at most one of recvq and sendq is non-empty;
//   - a buffered channel with waiting receivers has an empty buffer, and one with
//     waiting senders has a full buffer;
//   - a sudog of a select whose G already won another case (g.selectdone) is skipped
//     and dropped by waitq_dequeue; the selecting G unlinks the rest when it wakes.
// A send to a waiting receiver copies straight into the receiver's frame; a receive
// from a waiting sender on a full buffered channel takes the head and puts the
// sender's value at the tail, keeping FIFO order (chan.go recv).
#include "rt/chan.h"
#include "rt/panic.h"

#include <string.h>
#include "rt/alloc.h"
#include "rt/gc_barrier.h"
#include "rt/sched_internal.h"
#include "rt/types.h"
#include "sys/sys.h"

static GOTYPE_STRUCT(chan_type, chan_t, "runtime.hchan", offsetof(chan_t, buf));

chan_t *chan_make(const gotype_t *elem, size_t cap) {
    size_t size = elem ? elem->size : 0;
    if (size > 65535) // chan.go: "makechan: invalid channel element type"
        rt_panic("makechan: invalid channel element type");
    chan_t *c = rt_new(&chan_type);
    c->elemtype = elem;
    c->elemsize = size;
    c->dataqsiz = cap;
    if (cap && size)
        c->buf = rt_newarray(elem, cap);
    return c;
}

// ---- wait queues ----------------------------------------------------------------

void waitq_enqueue(waitq_t *q, sudog_t *sg) {
    sg->next = NULL;
    sg->prev = q->last;
    if (q->last)
        q->last->next = sg;
    else
        q->first = sg;
    q->last = sg;
    sg->queued = true;
}

void waitq_remove(waitq_t *q, sudog_t *sg) {
    if (!sg->queued)
        return;
    if (sg->prev)
        sg->prev->next = sg->next;
    else
        q->first = sg->next;
    if (sg->next)
        sg->next->prev = sg->prev;
    else
        q->last = sg->prev;
    sg->next = sg->prev = NULL;
    sg->queued = false;
}

// The first waiter that may still be woken, unlinked; NULL when none.
static sudog_t *waitq_dequeue(waitq_t *q) {
    for (;;) {
        sudog_t *sg = q->first;
        if (!sg)
            return NULL;
        waitq_remove(q, sg);
        if (sg->is_select) {
            if (sg->g->selectdone)
                continue; // its select already won elsewhere
            sg->g->selectdone = true;
        }
        return sg;
    }
}

static inline void *slot(chan_t *c, size_t i) { return (char *)c->buf + i * c->elemsize; }

// Copies one element (word-sized ones, the common case, without a call).
static inline void move_elem(size_t size, void *dst, const void *src) {
    if (__builtin_expect(gc_marking, 0)) // a buffer slot may hold pointers (typedmemmove)
        gc_barrier_bulk(dst, size);
    if (size == 8)
        __builtin_memcpy(dst, src, 8);
    else if (size)
        memcpy(dst, src, size);
}

static inline void copy_elem(chan_t *c, void *dst, const void *src) {
    if (dst)
        move_elem(c->elemsize, dst, src);
}

static inline void zero_elem(chan_t *c, void *dst) {
    if (dst && c->elemsize)
        gc_memclr_ptrs(dst, c->elemsize);
}

// Wakes sg's goroutine after a communication (ok) or a close (!ok).
static void wake(sudog_t *sg, bool ok) {
    sg->success = ok;
    GC_STORE(sg->g->param, (void *)sg);
    sched_wake(sg->g);
}

// ---- send ----------------------------------------------------------------------------

// Whether q holds a waiter that may still be woken (not a select that already won).
static bool waitq_live(const waitq_t *q) {
    for (const sudog_t *sg = q->first; sg; sg = sg->next)
        if (!sg->is_select || !sg->g->selectdone)
            return true;
    return false;
}

bool chan_can_send(const chan_t *c) {
    return c && (c->closed || c->qcount < c->dataqsiz || waitq_live(&c->recvq));
}

bool chan_can_recv(const chan_t *c) {
    return c && (c->closed || c->qcount > 0 || waitq_live(&c->sendq));
}

// Sends when it can proceed now: returns false when it would block.
static bool send_now(chan_t *c, const void *elem) {
    if (c->closed)
        rt_panic("send on closed channel");
    sudog_t *sg = waitq_dequeue(&c->recvq);
    if (sg) {
        copy_elem(c, sg->elem, elem);
        wake(sg, true);
        return true;
    }
    if (c->qcount < c->dataqsiz) {
        move_elem(c->elemsize, slot(c, c->sendx), elem);
        if (++c->sendx == c->dataqsiz)
            c->sendx = 0;
        c->qcount++;
        return true;
    }
    return false;
}

void chan_send(chan_t *c, const void *elem) {
    if (!c) {
        sched_park(WAIT_CHAN_SEND_NIL, NULL);
        sys_panic("chan_send: woken on a nil channel");
    }
    if (send_now(c, elem))
        return;
    sudog_t sg = {.g = sched_cur(), .elem = (void *)elem, .c = c};
    waitq_enqueue(&c->sendq, &sg);
    sched_park(WAIT_CHAN_SEND, c);
    if (!sg.success)
        rt_panic("send on closed channel");
}

bool chan_trysend(chan_t *c, const void *elem) { return c && send_now(c, elem); }


// ---- receive -------------------------------------------------------------------------

// Receives when it can proceed now: returns false when it would block; *ok tells a
// value from a closed channel.
static bool recv_now(chan_t *c, void *out, bool *ok) {
    if (c->closed && c->qcount == 0) {
        zero_elem(c, out);
        *ok = false;
        return true;
    }
    sudog_t *sg = waitq_dequeue(&c->sendq);
    if (sg) {
        if (c->dataqsiz == 0) {
            copy_elem(c, out, sg->elem);
        } else { // buffer full: take its head, put the sender's value at its tail
            copy_elem(c, out, slot(c, c->recvx));
            move_elem(c->elemsize, slot(c, c->recvx), sg->elem);
            if (++c->recvx == c->dataqsiz)
                c->recvx = 0;
            c->sendx = c->recvx;
        }
        wake(sg, true);
        *ok = true;
        return true;
    }
    if (c->qcount > 0) {
        void *s = slot(c, c->recvx);
        copy_elem(c, out, s);
        zero_elem(c, s); // the buffer must not keep what the receiver took
        if (++c->recvx == c->dataqsiz)
            c->recvx = 0;
        c->qcount--;
        *ok = true;
        return true;
    }
    return false;
}

bool chan_recv2(chan_t *c, void *out) {
    if (!c) {
        sched_park(WAIT_CHAN_RECV_NIL, NULL);
        sys_panic("chan_recv: woken on a nil channel");
    }
    bool ok;
    if (recv_now(c, out, &ok))
        return ok;
    sudog_t sg = {.g = sched_cur(), .elem = out, .c = c};
    waitq_enqueue(&c->recvq, &sg);
    sched_park(WAIT_CHAN_RECV, c);
    return sg.success;
}

void chan_recv(chan_t *c, void *out) { (void)chan_recv2(c, out); }

bool chan_tryrecv(chan_t *c, void *out, bool *ok) {
    bool got;
    if (!c || !recv_now(c, out, &got))
        return false;
    if (ok)
        *ok = got;
    return true;
}


// ---- close, len, cap -----------------------------------------------------------------

void chan_close(chan_t *c) {
    if (!c)
        rt_panic("close of nil channel");
    if (c->closed)
        rt_panic("close of closed channel");
    c->closed = true;
    sudog_t *sg;
    while ((sg = waitq_dequeue(&c->recvq))) {
        zero_elem(c, sg->elem);
        wake(sg, false);
    }
    while ((sg = waitq_dequeue(&c->sendq)))
        wake(sg, false); // the sender panics when it runs
}

size_t chan_len(const chan_t *c) { return c ? c->qcount : 0; }
size_t chan_cap(const chan_t *c) { return c ? c->dataqsiz : 0; }
bool chan_closed(const chan_t *c) { return c && c->closed; }
