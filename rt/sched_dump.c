// The goroutine dump and Go's deadlock report: one header per goroutine as Go's
// traceback prints it ("goroutine 7 [chan receive]:"), then what it waits on and
// where it started (spanlab has no unwinder for goroutines, so no frames).
#include "rt/chan.h"
#include "rt/sched_internal.h"
#include "sys/sys.h"

static const char *const reason_names[WAIT_COUNT] = {
    [WAIT_NONE] = "",
    [WAIT_CHAN_RECV] = "chan receive",
    [WAIT_CHAN_SEND] = "chan send",
    [WAIT_CHAN_RECV_NIL] = "chan receive (nil chan)",
    [WAIT_CHAN_SEND_NIL] = "chan send (nil chan)",
    [WAIT_SELECT] = "select",
    [WAIT_SELECT_NOCASE] = "select (no cases)",
    [WAIT_SLEEP] = "sleep",
    [WAIT_SEMACQUIRE] = "semacquire",
};

// Go's waitReason string (runtime2.go waitReasonStrings), "?" when out of range.
const char *sched_waitreason_name(uint32_t reason) {
    return reason < WAIT_COUNT ? reason_names[reason] : "?";
}

// The bracketed state of g, as Go's traceback prints it.
static const char *state_name(const g_t *g) {
    switch (g->status) {
    case G_RUNNABLE: return "runnable";
    case G_RUNNING: return "running";
    case G_WAITING: return sched_waitreason_name(g->waitreason);
    case G_IDLE: return "idle";
    default: return "dead";
    }
}

static void dump_one(const g_t *g) {
    sys_printf("goroutine %llu [%s]:\n", (unsigned long long)g->goid, state_name(g));
    if (g->status == G_WAITING) {
        switch (g->waitreason) {
        case WAIT_CHAN_RECV:
        case WAIT_CHAN_SEND: {
            const chan_t *c = g->waiting_on;
            sys_printf("\twaiting on chan %p (len %zu, cap %zu%s)\n", g->waiting_on,
                       chan_len(c), chan_cap(c), chan_closed(c) ? ", closed" : "");
            break;
        }
        case WAIT_SELECT:
            if (g->waitn > 1)
                sys_printf("\twaiting on %u channels\n", g->waitn);
            else
                sys_printf("\twaiting on chan %p\n", g->waiting_on);
            break;
        case WAIT_SEMACQUIRE:
            sys_printf("\twaiting on sync object %p (Mutex, WaitGroup or Once)\n",
                       g->waiting_on);
            break;
        case WAIT_CHAN_RECV_NIL:
        case WAIT_CHAN_SEND_NIL:
        case WAIT_SELECT_NOCASE:
            sys_printf("\tblocked forever\n");
            break;
        default:
            if (g->waiting_on)
                sys_printf("\twaiting on %p\n", g->waiting_on);
        }
    }
    sys_printf("\tstarted at fn %p (arg %p), stack [%p, %p)\n", (void *)g->fn, g->arg,
               (void *)g->stack_lo, (void *)g->stack_hi);
}

// Prints every live goroutine in goroutine-id order, as Go does. No allocation
// (it runs on the deadlock path): each step finds the next larger id.
void sched_dump(void) {
    uint64_t last = 0;
    for (;;) {
        const g_t *best = NULL;
        for (const g_t *g = sched_S.roots.allg; g; g = g->alllink)
            if (g->status != G_DEAD && g->status != G_IDLE && g->goid > last &&
                (!best || g->goid < best->goid))
                best = g;
        if (!best)
            return;
        dump_one(best);
        sys_printf("\n");
        last = best->goid;
    }
}

void sched_report_deadlock(void) {
    sys_printf("fatal error: all goroutines are asleep - deadlock!\n\n");
    sched_dump();
}

