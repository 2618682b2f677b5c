// Runs a piece of a test in a forked child, for behaviour that ends the process
// (panics, fatal faults, deadlock reports) or that must not touch the parent (cmocka
// swaps signal handlers around each test). The child's stdout and stderr are
// captured; a child that hangs is killed after a timeout (poll on its output, since
// the runtime's tick may own the child's ITIMER_REAL).
#ifndef SPANLAB_TEST_CHILD_H
#define SPANLAB_TEST_CHILD_H

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_TIMEOUT_MS 30000

// Runs fn() in a child (which exits 0 when fn returns). Returns the wait status;
// the output, NUL-terminated, goes to out[0..len) (out may be NULL to discard it).
static inline int child_run(void (*fn)(void), char *out, size_t len) {
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        fn();
        fflush(NULL);
        _exit(0);
    }
    close(fds[1]);
    char sink[4096];
    size_t got = 0;
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    for (;;) {
        if (poll(&pfd, 1, CHILD_TIMEOUT_MS) <= 0) {
            kill(pid, SIGKILL);
            fprintf(stderr, "child hung: killed after %d ms\n", CHILD_TIMEOUT_MS);
            break;
        }
        char *dst = out && got + 1 < len ? out + got : sink;
        size_t room = out && got + 1 < len ? len - 1 - got : sizeof sink;
        ssize_t r = read(fds[0], dst, room);
        if (r <= 0)
            break;
        if (dst != sink)
            got += (size_t)r;
    }
    if (out && len)
        out[got] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return status;
}

// The child's exit code, or 128 + the signal that killed it.
static inline int child_exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#endif
