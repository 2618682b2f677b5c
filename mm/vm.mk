# The residency report (portable: sys_query_range on either page layer).
PORTABLE_SRCS += mm/residency.c
HOST_TESTS    += residency_test
