// sync: Mutex, WaitGroup, Once and Pool, after Go's sync package (mutex.go,
// waitgroup.go, once.go, pool.go). With one P and cooperative goroutines no atomics
// are needed; a goroutine that must wait parks (wait reason "semacquire", as Go 1.19
// shows for all of them) on a FIFO of waiters that live in the waiting frames.
//
//   static sync_mutex_t mu;            // zero value is an unlocked mutex
//   sync_mutex_lock(&mu); ... sync_mutex_unlock(&mu);
#ifndef SPANLAB_RT_SYNC_H
#define SPANLAB_RT_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include "rt/sched.h"

typedef struct sync_waiter sync_waiter_t;
struct sync_waiter {
    g_t *g;
    sync_waiter_t *next;
};

typedef struct sync_waitq {
    sync_waiter_t *head, *tail;
} sync_waitq_t;

// ---- Mutex -----------------------------------------------------------------------
// Not reentrant: a goroutine that locks a mutex it holds waits forever (and if
// nothing else can run, that is Go's deadlock). Unlock hands the mutex straight to
// the longest waiter (Go's starvation mode; with one P it is also the fair choice).
typedef struct sync_mutex {
    bool locked;
    sync_waitq_t waiters;
} sync_mutex_t;

void sync_mutex_lock(sync_mutex_t *m);
// Returns true when it took the lock without waiting (Mutex.TryLock).
bool sync_mutex_trylock(sync_mutex_t *m);
// Fatal error "sync: unlock of unlocked mutex" when m is not locked.
void sync_mutex_unlock(sync_mutex_t *m);

// ---- WaitGroup ---------------------------------------------------------------------
typedef struct sync_waitgroup {
    int64_t count;
    sync_waitq_t waiters;
} sync_waitgroup_t;

// wg.Add(delta): panics "sync: negative WaitGroup counter" below zero; reaching zero
// wakes every Wait.
void sync_wg_add(sync_waitgroup_t *wg, int64_t delta);
static inline void sync_wg_done(sync_waitgroup_t *wg) { sync_wg_add(wg, -1); }
// wg.Wait(): returns when the counter is zero.
void sync_wg_wait(sync_waitgroup_t *wg);

// ---- Once --------------------------------------------------------------------------
typedef struct sync_once {
    bool done;
    sync_mutex_t m;
} sync_once_t;

// once.Do(f): the first call runs fn(arg); later calls (also those that arrive
// while it runs, which wait) return after it has returned.
void sync_once_do(sync_once_t *o, void (*fn)(void *), void *arg);

// ---- Pool --------------------------------------------------------------------------
// Per-P private slot and shared list (one P here), plus the victim cache: at the
// start of every GC the primary cache becomes the victim and the old victim is
// dropped (pool.go poolCleanup), so an idle pooled object survives exactly one GC.
// The cache lives in a heap object the runtime keeps registered (so the pool struct
// itself may be anywhere: a C static, a heap object, a frame).
typedef struct pool_state pool_state_t;
typedef struct sync_pool {
    pool_state_t *st;    // created on first use
    uint64_t epoch;      // the runtime (sched_reset generation) st belongs to
    void *(*New)(void);  // optional: what Get returns when the pool is empty
} sync_pool_t;

// pool.Get(): an object from the pool (private, shared, victim private, victim
// shared, in Go's order), else New() (NULL when New is NULL).
void *sync_pool_get(sync_pool_t *p);
// pool.Put(x): keeps x for a later Get (NULL is ignored).
void sync_pool_put(sync_pool_t *p, void *x);

// Objects held now in the primary and victim caches (for tests and reports).
size_t sync_pool_primary_len(const sync_pool_t *p);
size_t sync_pool_victim_len(const sync_pool_t *p);

#endif
