# The runtime core (rt/): type descriptors, allocation, the collector and its pacer
# and trace, goroutines, channels, select, timers, sync, pools, the allocation
# profiler, the memory trace (trace=1), run-time panics and the runtime's life cycle.
CORE_SRCS += rt/types.c rt/alloc.c rt/gc.c rt/gc_mark.c rt/gc_roots.c rt/gc_verify.c rt/gc_barrier.c rt/gc_assist.c \
             rt/pacer.c rt/gctrace.c rt/sched.c rt/sched_g.c rt/sched_stack.c rt/sched_dump.c \
             rt/chan.c rt/select.c rt/timer.c rt/sync.c rt/pool.c rt/prof.c rt/memtrace.c \
             rt/panic.c rt/runtime.c
