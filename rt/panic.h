// Go's run-time panics ("index out of range [5] with length 3", "makeslice: len out
// of range", a deadlocked channel's "all goroutines are asleep"): the runtime's own
// panic path (runtime/panic.go), which the models of Go's library raise theirs through.
// A handler may catch one (as a recover would) by longjmp-ing out; without one, the
// panic ends the run through sys_panic.
#ifndef SPANLAB_RT_PANIC_H
#define SPANLAB_RT_PANIC_H

// Raises a run-time panic: formats the message, calls the handler installed with
// rt_set_panic_handler (which must not return), else sys_panic. Never returns.
_Noreturn void rt_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Installs fn as the panic handler (NULL restores sys_panic). fn receives the message
// and must not return. Returns the previous handler.
typedef void (*rt_panic_fn)(const char *msg);
rt_panic_fn rt_set_panic_handler(rt_panic_fn fn);

// The last panic message (for a handler that longjmps and a caller that reports it).
const char *rt_last_panic(void);

#endif
