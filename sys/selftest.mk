# The self-test runner (selftest=), shared by the kernel and spanlab-host.
PORTABLE_SRCS += sys/selftest.c
