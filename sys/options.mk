# The command line (portable: the kernel parses the loader's line, hosted main argv).
PORTABLE_SRCS += sys/options.c
HOST_TESTS += options_test
