# Go value semantics (rt/): slices, strings, interfaces, maps, bytes.Buffer, defer,
# fmt, JSON, the allocation profiler and its pprof writer.
PORTABLE_SRCS += rt/gosem.c rt/slice.c rt/str.c rt/iface.c rt/map.c rt/buffer.c \
                 rt/defer.c rt/fmt.c rt/json.c rt/prof.c rt/gosem_selftest.c
HOST_SRCS     += rt/prof_host.c
HOST_TESTS    += slice_test str_test iface_test map_test buffer_test fmt_test defer_test \
                 json_test prof_test
QEMU_TESTS    += tests/qemu/gosem_selftest.sh
