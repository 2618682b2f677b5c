# Helpers for QEMU tests that talk to the guest over serial (source this file).
# A test starts tools/qemu.sh in the background with its serial input on a fifo
# and its output in a log, waits for text, types keys, and judges the exit status:
#
#   . tools/qemu-lib.sh
#   ql_start --timeout 300              # tools/qemu.sh arguments
#   ql_expect 'Choice' 120 || ql_fail "no menu"
#   ql_type 'e'
#   ql_wait 300; rc=$?                  # qemu.sh's status (0 = kernel said success)
#
# Everything lives in a private temp dir (QL_DIR); the log is printed to stdout
# when the test ends, and QEMU is killed if it still runs.

QL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-test.XXXXXX")
QL_LOG=$QL_DIR/serial.log
QL_IMAGE=${SPANLAB_IMAGE:-$QL_ROOT/build/spanlab-usb.img} # the image under test
QL_PID=
QL_FD=
QL_BANNER='^spanlab ' # the kernel's first line; nothing before the kernel starts a line so
QL_T0=$(date +%s.%N)

# Kills QEMU if it still runs, prints the log and removes the temp dir.
ql_cleanup() {
    if [ -n "$QL_PID" ] && kill -0 "$QL_PID" 2>/dev/null; then
        kill -- "-$QL_PID" 2>/dev/null # qemu.sh's own process group: it and QEMU
        sleep 1
        kill -9 -- "-$QL_PID" 2>/dev/null
    fi
    [ -f "$QL_LOG" ] && { echo "----- serial log -----"; cat "$QL_LOG"; echo "----- end -----"; }
    rm -rf "$QL_DIR"
}
trap ql_cleanup EXIT

# Prints a failure message and ends the test with status 1.
ql_fail() {
    echo "FAIL: $*"
    exit 1
}

# Seconds since the test started (for boot-time measurements), two decimals.
ql_elapsed() {
    echo "$(date +%s.%N) $QL_T0" | awk '{printf "%.2f", $1 - $2}'
}

# Starts tools/qemu.sh with the given arguments; serial input from a fifo.
ql_start() {
    mkfifo "$QL_DIR/in"
    # setsid: a process group of its own, so cleanup can end qemu.sh and QEMU together.
    setsid "$QL_ROOT/tools/qemu.sh" "$@" <"$QL_DIR/in" >"$QL_LOG" 2>&1 &
    QL_PID=$!
    exec {QL_FD}>"$QL_DIR/in" # keep a writer open so QEMU never sees end of input
}

# Starts a command (e.g. make run) at a terminal of its own, as a person at the
# keyboard runs it: script(1) gives it a pseudo-terminal fed from the fifo, so the
# keys ql_type sends arrive through a terminal and '\x03' (Ctrl-C) is a SIGINT to
# the terminal's foreground process group. ql_wait returns the command's status.
# SIGINT and SIGQUIT are set back to their defaults: a background job of a script
# starts with them ignored, and a command that ignores Ctrl-C tests nothing.
ql_start_tty() {
    mkfifo "$QL_DIR/in"
    setsid env --default-signal=INT,QUIT script -qefc "$(printf '%q ' "$@")" /dev/null \
        <"$QL_DIR/in" >"$QL_LOG" 2>&1 &
    QL_PID=$!
    exec {QL_FD}>"$QL_DIR/in"
}

# Runs tools/qemu.sh with the given arguments to the end (no serial input), its
# output, carriage returns removed, in QL_LOG; sets QL_RC to qemu.sh's status.
ql_run() {
    "$QL_ROOT/tools/qemu.sh" "$@" </dev/null 2>&1 | tr -d '\r' >"$QL_LOG"
    QL_RC=${PIPESTATUS[0]}
}

# Waits until the log matches the extended regex $1, at most $2 seconds.
# Returns 1 on timeout or when QEMU ended without printing it.
ql_expect() {
    local pattern=$1 limit=${2:-60} start=$SECONDS
    while [ $((SECONDS - start)) -lt "$limit" ]; do
        tr -d '\r' <"$QL_LOG" | grep -Eq -- "$pattern" && return 0
        kill -0 "$QL_PID" 2>/dev/null || { tr -d '\r' <"$QL_LOG" | grep -Eq -- "$pattern"; return; }
        sleep 0.2
    done
    return 1
}

# Types text (printf %b escapes: '\r' Enter, '\x15' Ctrl-U, '\x7f' Backspace) one
# key at a time, as a person would; the firmware polls its serial port.
ql_type() {
    local text i
    text=$(printf '%b' "$1")
    for ((i = 0; i < ${#text}; i++)); do
        printf '%s' "${text:i:1}" >&"$QL_FD"
        sleep 0.05
    done
}

# Sends Enter (carriage return, as a terminal does).
ql_enter() {
    printf '\r' >&"$QL_FD"
}

# Waits at most $1 seconds for QEMU to end; returns qemu.sh's status (124 on timeout).
ql_wait() {
    local limit=${1:-600} start=$SECONDS
    while kill -0 "$QL_PID" 2>/dev/null; do
        [ $((SECONDS - start)) -lt "$limit" ] || return 124
        sleep 0.2
    done
    wait "$QL_PID"
    local rc=$?
    QL_PID=
    return $rc
}

# The QEMU monitor, for screen and keyboard tests: start QEMU with
#   ql_start --display --monitor "$QL_MON" ...
# then ql_monitor 'sendkey p' or ql_screendump FILE.ppm.
QL_MON=$QL_DIR/monitor.sock

# Sends one monitor (HMP) command and prints QEMU's reply; 1 when the monitor
# cannot be reached within 10 s.
ql_monitor() {
    python3 - "$QL_MON" "$1" <<'PY'
import socket, sys, time
path, cmd = sys.argv[1], sys.argv[2]
deadline = time.time() + 10
while True:
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        break
    except OSError:
        if time.time() > deadline:
            sys.exit("ql_monitor: no monitor at " + path)
        time.sleep(0.2)
s.settimeout(30)
def until_prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        d = s.recv(4096)
        if not d:
            break
        buf += d
    return buf.decode(errors="replace")
until_prompt()
s.sendall(cmd.encode() + b"\n")
lines = until_prompt().split("\r\n")
print("\n".join(lines[1:-1]))  # drop the echoed command and the next prompt
PY
}

# Saves the screen as a PPM (P6) file; 1 when QEMU did not write it.
ql_screendump() {
    rm -f "$1"
    ql_monitor "screendump $1" || return 1
    [ -s "$1" ]
}
