// select, after Go's runtime/select.go selectgo: pass 1 polls the cases in a random
// order (Fisher-Yates over fastrand) and takes the first ready one; pass 2 enqueues a
// sudog (in this frame) on every case's channel and parks once; the case whose
// sudog a peer dequeued first wins (g.selectdone stops the others from being
// taken), and pass 3 unlinks the losers.
#include "rt/select.h"
#include "rt/panic.h"

#include "rt/sched_internal.h"
#include "sys/sys.h"

int sel_select(sel_case_t *cases, int n, bool block) {
    if (n < 0 || n > SEL_MAX_CASES)
        sys_panic("sel_select: %d cases (max %d)", n, SEL_MAX_CASES);
    int order[SEL_MAX_CASES];
    int live = 0;
    for (int i = 0; i < n; i++) {
        if (!cases[i].c)
            continue;
        int j = (int)(sched_fastrand() % (uint32_t)(live + 1));
        order[live] = order[j];
        order[j] = i;
        live++;
    }
    for (int k = 0; k < live; k++) {
        sel_case_t *cs = &cases[order[k]];
        if (cs->send) {
            if (chan_trysend(cs->c, cs->elem)) // panics when closed
                return order[k];
        } else if (chan_tryrecv(cs->c, cs->elem, &cs->ok)) {
            return order[k];
        }
    }
    if (!block)
        return -1;
    if (live == 0) {
        sched_park(n == 0 ? WAIT_SELECT_NOCASE : WAIT_SELECT, NULL);
        sys_panic("sel_select: woken with no cases");
    }

    g_t *self = sched_current();
    *sched_g_selectdone(self) = false;
    sched_g_set_param(self, NULL);
    sudog_t sgs[live]; // live >= 1: a VLA keeps small selects' frames small
    for (int k = 0; k < live; k++) {
        sel_case_t *cs = &cases[order[k]];
        sudog_t *sg = &sgs[k];
        *sg = (sudog_t){.g = self, .elem = cs->elem, .c = cs->c, .is_select = true};
        waitq_enqueue(cs->send ? &cs->c->sendq : &cs->c->recvq, sg);
    }
    self->waitn = (uint32_t)live;
    sched_park(WAIT_SELECT, live == 1 ? (const void *)cases[order[0]].c : NULL);

    sudog_t *won = sched_g_param(self);
    int chosen = -1;
    for (int k = 0; k < live; k++) {
        sel_case_t *cs = &cases[order[k]];
        if (&sgs[k] == won)
            chosen = order[k];
        else
            waitq_remove(cs->send ? &cs->c->sendq : &cs->c->recvq, &sgs[k]);
    }
    if (chosen < 0)
        sys_panic("sel_select: woken without a winning case");
    sched_g_set_param(self, NULL);
    if (cases[chosen].send) {
        if (!won->success)
            rt_panic("send on closed channel");
    } else {
        cases[chosen].ok = won->success;
    }
    return chosen;
}
