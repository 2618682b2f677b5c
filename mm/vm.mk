# The page layer's portable pieces: virtual range allocator, residency report,
# fault-cost benchmark. Owned by the page-layer (hosted) helper.
PORTABLE_SRCS += mm/vm_range.c mm/residency.c mm/vm_bench.c
HOST_TESTS    += vm_range_test residency_test
