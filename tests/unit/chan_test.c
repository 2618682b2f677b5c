// Channels: buffered FIFO order, len and cap, receive-with-ok after close, close
// waking every blocked receiver, senders blocking on a full buffer, range, and the
// non-blocking forms select-with-default uses.
#include "tests/unit/test.h"
#include "rt/chan.h"
#include "rt/sched.h"
#include "rt/types.h"

static void run(sched_fn_t fn, void *arg) {
    sched_reset();
    assert_int_equal(sched_run_main(fn, arg), SCHED_OK);
    sched_reset();
}

static void buffered_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(&gotype_int64, 3);
    assert_int_equal(chan_cap(c), 3);
    for (int64_t i = 1; i <= 3; i++)
        chan_send(c, &i); // never blocks: there is room
    assert_int_equal(chan_len(c), 3);
    assert_false(chan_trysend(c, &(int64_t){4})); // full: default case
    int64_t v;
    for (int64_t i = 1; i <= 3; i++) {
        chan_recv(c, &v);
        assert_int_equal(v, i);
    }
    assert_int_equal(chan_len(c), 0);
    assert_false(chan_tryrecv(c, &v, NULL)); // empty: default case
    chan_close(c);
    bool ok = true;
    assert_true(chan_tryrecv(c, &v, &ok)); // a closed channel is always ready
    assert_false(ok);
    assert_int_equal(chan_len(NULL), 0);
    assert_int_equal(chan_cap(NULL), 0);
}

static void buffered_channel_is_fifo_with_len_and_cap(void **s) {
    (void)s;
    run(buffered_main, NULL);
}

static void close_drain_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(&gotype_int64, 2);
    chan_send(c, &(int64_t){7});
    chan_close(c);
    int64_t v = -1;
    assert_true(chan_recv2(c, &v)); // buffered values survive the close
    assert_int_equal(v, 7);
    assert_false(chan_recv2(c, &v)); // then zero value, ok == false
    assert_int_equal(v, 0);
}

static void receive_after_close_drains_then_reports_not_ok(void **s) {
    (void)s;
    run(close_drain_main, NULL);
}

typedef struct rcv { chan_t *c; int *woken; int *notok; } rcv_t;

static void receiver(void *arg) {
    rcv_t *r = arg;
    int64_t v = 99;
    bool ok = chan_recv2(r->c, &v);
    (*r->woken)++;
    if (!ok && v == 0)
        (*r->notok)++;
}

static void close_wakes_main(void *arg) {
    (void)arg;
    int woken = 0, notok = 0;
    rcv_t r = {chan_make(&gotype_int64, 0), &woken, &notok};
    for (int i = 0; i < 50; i++)
        sched_go(receiver, &r, sizeof r);
    sched_gosched(); // all 50 block on the receive
    assert_int_equal(woken, 0);
    assert_int_equal(sched_num_goroutine(), 51);
    chan_close(r.c);
    sched_gosched(); // each runs once
    assert_int_equal(woken, 50);
    assert_int_equal(notok, 50);
    assert_int_equal(sched_num_goroutine(), 1);
}

static void close_wakes_every_blocked_receiver(void **s) {
    (void)s;
    run(close_wakes_main, NULL);
}

static int64_t sent_count;
static void sender(void *arg) {
    chan_t *c = *(chan_t **)arg;
    for (int64_t i = 0; i < 10; i++) {
        chan_send(c, &i);
        sent_count++;
    }
    chan_close(c);
}

static void full_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(&gotype_int64, 2);
    sent_count = 0;
    sched_go(sender, &c, sizeof c);
    sched_gosched();
    assert_int_equal(sent_count, 2); // blocked on the third send
    assert_int_equal(chan_len(c), 2);
    int64_t v, expect = 0, n = 0;
    CHAN_RANGE(c, &v) { // range ends at close
        assert_int_equal(v, expect++);
        n++;
    }
    assert_int_equal(n, 10);
}

static void sender_blocks_on_full_buffer_and_order_is_kept(void **s) {
    (void)s;
    run(full_main, NULL);
}

typedef struct big { int64_t a[8]; } big_t;
static GOTYPE_NOSCAN(big_type, big_t, "main.big", GOKIND_ARRAY);

static void big_sender(void *arg) {
    chan_t *c = *(chan_t **)arg;
    big_t b;
    for (int i = 0; i < 8; i++)
        b.a[i] = i * 11;
    chan_send(c, &b);
}

static void big_main(void *arg) {
    (void)arg;
    chan_t *c = chan_make(&big_type, 0);
    sched_go(big_sender, &c, sizeof c);
    big_t b;
    chan_recv(c, &b); // blocks first: the sender copies straight into b
    for (int i = 0; i < 8; i++)
        assert_int_equal(b.a[i], i * 11);
}

static void unbuffered_send_copies_whole_element_to_receiver(void **s) {
    (void)s;
    run(big_main, NULL);
}

RUN_TESTS(cmocka_unit_test(buffered_channel_is_fifo_with_len_and_cap),
          cmocka_unit_test(receive_after_close_drains_then_reports_not_ok),
          cmocka_unit_test(close_wakes_every_blocked_receiver),
          cmocka_unit_test(sender_blocks_on_full_buffer_and_order_is_kept),
          cmocka_unit_test(unbuffered_send_copies_whole_element_to_receiver))
