# The hosted sys (Linux): page layer on mmap/mprotect/madvise/mincore, clock,
# console, tick, fault diagnostic. Owned by the page-layer (hosted) helper.
HOST_SRCS  += sys/sys_linux.c sys/linux_rt.c sys/linux_fault.c
HOST_TESTS += sys_linux_test
