# Goroutines, the scheduler, channels, select, timers, sync and pools
# (rt/sched*.c ...); the context switch is sys's (sys/ctxsw_x86_64.S).
PORTABLE_SRCS += rt/sched.c rt/sched_g.c rt/sched_stack.c rt/sched_dump.c rt/chan.c \
                 rt/select.c rt/timer.c rt/sync.c rt/pool.c rt/sched_selftest.c
HOST_TESTS += sched_goroutine_test chan_test chan_select_test timer_test sync_test pool_test sched_gc_test sched_fatal_test sched_selftest_test chan_stress_test
