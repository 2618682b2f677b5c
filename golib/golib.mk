# Models of Go's library and language constructs (golib/): slices, strings,
# interfaces, maps, bytes.Buffer, defer, fmt, JSON, context, the pprof encoding and
# the per-operation counters. They use rt; rt never uses them.
GOLIB_SRCS      += golib/opcount.c golib/slice.c golib/str.c golib/iface.c golib/map.c \
                   golib/buffer.c golib/defer.c golib/fmt.c golib/json.c golib/context.c \
                   golib/pprof.c golib/pprof_console.c
GOLIB_HOST_SRCS += golib/pprof_file.c
