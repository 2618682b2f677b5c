// Channels: Go's hchan (runtime/chan.go) — a ring buffer of elements plus two queues
// of waiting goroutines. Send, receive (with ok), close, len, cap, and non-blocking
// forms for select with a default case. Elements are copied by value (elemsize bytes).
//
//   chan_t *c = chan_make(&gotype_int64, 0);     // make(chan int64)
//   chan_send(c, &(int64_t){1});                 // c <- 1
//   int64_t v; bool ok = chan_recv2(c, &v);      // v, ok := <-c
//   CHAN_RANGE(c, &v) { ... }                    // for v := range c
#ifndef SPANLAB_RT_CHAN_H
#define SPANLAB_RT_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/gotype.h"
#include "rt/sched.h"

typedef struct sudog sudog_t;

// A goroutine waiting on a channel (Go's sudog). spanlab never moves a stack, so a
// sudog lives in the blocked goroutine's own frame: blocking allocates nothing, and
// the GC sees what it references through that goroutine's stack.
struct sudog {
    g_t *g;
    sudog_t *next, *prev;  // in the channel's wait queue
    void *elem;            // the value to send, or where a received value goes (or NULL)
    struct hchan *c;
    bool is_select;        // part of a select: only one of its sudogs may win
    bool success;          // woken by a communication (true) or by close (false)
    bool queued;           // still linked in c's queue
};

typedef struct waitq {
    sudog_t *first, *last;
} waitq_t;

// The channel. A heap object: buf (word 0) is its only heap pointer; buf is an array
// of the element type, so the GC scans buffered values precisely.
typedef struct hchan {
    void *buf;                // dataqsiz elements (NULL when unbuffered or elemsize 0)
    waitq_t recvq;            // blocked receivers (sudogs on their stacks)
    waitq_t sendq;            // blocked senders
    const gotype_t *elemtype; // NULL for chan struct{}
    size_t elemsize;
    size_t dataqsiz;          // capacity
    size_t qcount;            // elements in buf
    size_t sendx, recvx;      // ring indexes
    bool closed;
} chan_t;

// make(chan T, cap): elem NULL means chan struct{} (elements of size 0).
chan_t *chan_make(const gotype_t *elem, size_t cap);

// c <- *elem. Blocks until a receiver takes it or the buffer has room. Sending on a
// closed channel panics; on a nil channel blocks forever.
void chan_send(chan_t *c, const void *elem);

// <-c into *out (out may be NULL to discard). Blocks until a value or close.
void chan_recv(chan_t *c, void *out);

// v, ok := <-c: returns false (and zeroes *out) when c is closed and drained.
bool chan_recv2(chan_t *c, void *out);

// close(c): wakes every waiting receiver (zero value, ok false) and makes every
// waiting sender panic. Closing a nil or closed channel panics.
void chan_close(chan_t *c);

// select { case c <- *elem: return true; default: return false }
bool chan_trysend(chan_t *c, const void *elem);

// select { case v, ok := <-c: return true; default: return false } (*ok may be NULL)
bool chan_tryrecv(chan_t *c, void *out, bool *ok);

// len(c), cap(c) (0 for nil), and whether c is closed.
size_t chan_len(const chan_t *c);
size_t chan_cap(const chan_t *c);
bool chan_closed(const chan_t *c);

// for v := range c: CHAN_RANGE(c, &v) { body }
#define CHAN_RANGE(c, outp) while (chan_recv2((c), (outp)))

// ---- for select.c ------------------------------------------------------------------

// Whether a send / receive on c would proceed now (a receive also when c is closed;
// waiters of a select that already won elsewhere do not count).
bool chan_can_send(const chan_t *c);
bool chan_can_recv(const chan_t *c);

void waitq_enqueue(waitq_t *q, sudog_t *sg);
void waitq_remove(waitq_t *q, sudog_t *sg);

#endif
