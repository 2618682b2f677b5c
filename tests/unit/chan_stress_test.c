// A randomized stress of goroutines, channels and select under frequent GCs: heap
// messages travel through buffered and unbuffered channels (in buffers, in blocked
// senders' frames, in select cases) while collections run; every message must
// arrive exactly once with its contents intact, and every goroutine must finish.
#include "tests/unit/test.h"
#include "mm/heap.h"
#include "rt/alloc.h"
#include "rt/chan.h"
#include "rt/gc.h"
#include "rt/sched.h"
#include "rt/select.h"
#include "rt/sync.h"
#include "rt/types.h"

#define NCHAN 6
#define NPROD 12
#define NCONS 12
#define PER_PROD 400
#define TOTAL (NPROD * PER_PROD)

typedef struct msg { uint64_t magic; uint64_t id; struct msg *self; } msg_t;
static GOTYPE_STRUCT(msg_type, msg_t, "main.msg", offsetof(msg_t, self));
#define MAGIC 0x6d7367

static chan_t *chans[NCHAN];
static uint8_t seen[TOTAL];
static int received, bad;
static sync_waitgroup_t prod_wg, cons_wg;
static uint32_t rng = 12345;

static uint32_t rnd(void) {
    rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
    return rng;
}

static void producer(void *arg) {
    int p = *(int *)arg;
    for (int i = 0; i < PER_PROD; i++) {
        msg_t *m = rt_new(&msg_type);
        m->magic = MAGIC;
        m->id = (uint64_t)(p * PER_PROD + i);
        m->self = m;
        if (rnd() % 3 == 0) { // select over two channels
            sel_case_t cs[2] = {{.c = chans[rnd() % NCHAN], .elem = &m, .send = true},
                                {.c = chans[rnd() % NCHAN], .elem = &m, .send = true}};
            sel_select(cs, 2, true);
        } else {
            chan_send(chans[rnd() % NCHAN], &m);
        }
        m = NULL;
        if (rnd() % 7 == 0)
            sched_gosched();
        if (rnd() % 50 == 0)
            gc_collect(false);
    }
    sync_wg_done(&prod_wg);
}

static void take(msg_t *m) {
    if (!m || m->magic != MAGIC || m->self != m || m->id >= TOTAL || seen[m->id]) {
        bad++;
        return;
    }
    seen[m->id] = 1;
    received++;
}

static void consumer(void *arg) {
    (void)arg;
    for (;;) {
        sel_case_t cs[NCHAN];
        msg_t *got[NCHAN] = {0};
        for (int i = 0; i < NCHAN; i++)
            cs[i] = (sel_case_t){.c = chans[i], .elem = &got[i]};
        int k = sel_select(cs, NCHAN, true);
        if (!cs[k].ok) { // closed: drain the rest, then stop
            for (int i = 0; i < NCHAN; i++) {
                msg_t *m;
                while (chan_tryrecv(chans[i], &m, NULL) && m)
                    take(m);
            }
            break;
        }
        take(got[k]);
        if (rnd() % 5 == 0)
            sched_gosched();
    }
    sync_wg_done(&cons_wg);
}

static void closer(void *arg) {
    (void)arg;
    sync_wg_wait(&prod_wg);
    for (int i = 0; i < NCHAN; i++)
        chan_close(chans[i]);
}

static void stress_main(void *arg) {
    (void)arg;
    memset(seen, 0, sizeof seen);
    received = bad = 0;
    prod_wg = (sync_waitgroup_t){0};
    cons_wg = (sync_waitgroup_t){0};
    for (int i = 0; i < NCHAN; i++)
        chans[i] = chan_make(&gotype_pointer, (size_t)(i % 3) * 4); // 0, 4 or 8 slots
    for (int i = 0; i < NCONS; i++) {
        sync_wg_add(&cons_wg, 1);
        sched_go(consumer, NULL, 0);
    }
    for (int p = 0; p < NPROD; p++) {
        sync_wg_add(&prod_wg, 1);
        sched_go(producer, &p, sizeof p);
    }
    sched_go(closer, NULL, 0);
    sync_wg_wait(&cons_wg);
    assert_int_equal(bad, 0);
    assert_int_equal(received, TOTAL);
    sched_gosched();
    assert_int_equal(sched_num_goroutine(), 1);
}

static void messages_survive_gcs_in_flight_and_arrive_once(void **s) {
    (void)s;
    gc_add_root(chans, sizeof chans, &gotype_pointer);
    for (int round = 0; round < 3; round++) {
        sched_reset();
        assert_int_equal(sched_run_main(stress_main, NULL), SCHED_OK);
        sched_reset();
    }
    gc_remove_root(chans);
}

RUN_TESTS(cmocka_unit_test(messages_survive_gcs_in_flight_and_arrive_once))
