// Mutex, WaitGroup and Once (Go's sync/mutex.go, waitgroup.go, once.go) on one P:
// no atomics, just a FIFO of parked waiters whose nodes live in the waiting frames.
#include "rt/sync.h"
#include "rt/panic.h"

#include "rt/sched_internal.h"
#include "sys/sys.h"

static void waitq_push(sync_waitq_t *q, sync_waiter_t *w) {
    w->next = NULL;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
}

static sync_waiter_t *waitq_pop(sync_waitq_t *q) {
    sync_waiter_t *w = q->head;
    if (w) {
        q->head = w->next;
        if (!q->head)
            q->tail = NULL;
    }
    return w;
}

// Parks the running goroutine on q until a waker pops it.
static void wait_on(sync_waitq_t *q, const void *obj) {
    sync_waiter_t w = {.g = sched_cur()};
    waitq_push(q, &w);
    sched_park(WAIT_SEMACQUIRE, obj);
}

void sync_mutex_lock(sync_mutex_t *m) {
    if (!m->locked) {
        m->locked = true;
        return;
    }
    wait_on(&m->waiters, m); // woken owning the lock (handed over by unlock)
}

bool sync_mutex_trylock(sync_mutex_t *m) {
    if (m->locked)
        return false;
    m->locked = true;
    return true;
}

void sync_mutex_unlock(sync_mutex_t *m) {
    if (!m->locked)
        sys_panic("fatal error: sync: unlock of unlocked mutex");
    sync_waiter_t *w = waitq_pop(&m->waiters);
    if (w)
        sched_wake(w->g); // stays locked: ownership passes to w
    else
        m->locked = false;
}

void sync_wg_add(sync_waitgroup_t *wg, int64_t delta) {
    wg->count += delta;
    if (wg->count < 0)
        rt_panic("sync: negative WaitGroup counter");
    if (wg->count == 0) {
        sync_waiter_t *w;
        while ((w = waitq_pop(&wg->waiters)))
            sched_wake(w->g);
    }
}

void sync_wg_wait(sync_waitgroup_t *wg) {
    if (wg->count == 0)
        return;
    wait_on(&wg->waiters, wg);
}

void sync_once_do(sync_once_t *o, void (*fn)(void *), void *arg) {
    if (o->done)
        return;
    sync_mutex_lock(&o->m);
    if (!o->done) {
        fn(arg);
        o->done = true;
    }
    sync_mutex_unlock(&o->m);
}
