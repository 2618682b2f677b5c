# Sourced by bench/run*.sh: where the benchmark programs are, the raw result records
# (bench/results.py turns them into medians, same-pass ratios, tables and JSON), the
# description of the machine, and the output comparison that fails a benchmark.
#
# Environment: BUILD (default build); BENCH_BIN, a directory of programs to run
# instead of $BUILD/bench; BENCH_NOBUILD=1, run what is there without make (tests
# use both to run a script on stand-in programs); BENCH_RAW, the raw record file
# (bench/run.sh shares one across areas; a script run alone writes its own
# $BUILD/bench/results-AREA.raw and .json).

bench_out=${BUILD:-build}/bench
bench_bin=${BENCH_BIN:-$bench_out}
bench_results_py=$(dirname "${BASH_SOURCE[0]}")/results.py

# bench_build TARGET...: brings the programs up to date (make -s), unless BENCH_NOBUILD.
bench_build() {
    [ -n "${BENCH_NOBUILD:-}" ] && return 0
    make -s "$@"
}

# bench_machine: the machine, one key=value a line (CPU model, cores, kernel, load
# average now, date, compilers).
bench_machine() {
    echo "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "cores=$(nproc)"
    echo "kernel=$(uname -sr)"
    echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "date=$(date -Is)"
    echo "gcc=$(${CC:-gcc} -dumpfullversion 2>/dev/null)"
    echo "go=$(/usr/lib/go-1.19/bin/go version 2>/dev/null | cut -d' ' -f3)"
}

# bench_machine_line FILE: the machine file as one line for the top of a table.
bench_machine_line() {
    awk -F= '{ v[$1] = substr($0, length($1) + 2) }
        END { printf "machine: %s, %s cores, %s, load average %s at start, %s\n",
              v["cpu_model"], v["cores"], v["kernel"], v["loadavg_start"], v["date"] }' "$1"
}

# bench_begin AREA: starts an area. Run alone, the script gets its own raw file and
# machine description (bench_end turns them into results-AREA.json) and prints the
# machine line; under bench/run.sh the shared ones are used.
bench_begin() {
    bench_area=$1
    bench_own=0
    if [ -z "${BENCH_RAW:-}" ]; then
        bench_own=1
        mkdir -p "$bench_out"
        BENCH_RAW=$bench_out/results-$1.raw
        : >"$BENCH_RAW"
        bench_machine >"$bench_out/machine-$1.txt"
        bench_machine_line "$bench_out/machine-$1.txt"
    fi
}

# bench_end: writes results-AREA.json when the script runs alone.
bench_end() {
    [ "$bench_own" = 1 ] || return 0
    python3 "$bench_results_py" json --machine "$bench_out/machine-$bench_area.txt" \
        --out "$bench_out/results-$bench_area.json" "$BENCH_RAW"
}

# bench_record BENCHMARK PARAM IMPL METRIC UNIT RUN VALUE: one raw record of this area.
# A value that is not a number (a program that failed) is left out with a message.
bench_record() {
    if ! [[ $7 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; then
        echo "bench: no number for $1 $2 $3 $4 (pass $6): '$7'" >&2
        return 1
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$bench_area" "$@" >>"$BENCH_RAW"
}

# bench_table ARGS...: a table from this area's records (bench/results.py table),
# with the same-pass ratios recorded for the JSON.
bench_table() {
    python3 "$bench_results_py" table "$BENCH_RAW" --area "$bench_area" --record "$@"
}

# bench_same_output REF OUT NAME REFNAME: true when OUT has REF's bytes; otherwise
# prints "OUTPUT DIFFERS: NAME" and the first differing lines, and is false.
bench_same_output() {
    cmp -s "$1" "$2" && return 0
    echo "OUTPUT DIFFERS: $3 (lines '<' are $4's, '>' its own)"
    diff "$1" "$2" | head -6 | sed 's/^/    /'
    return 1
}

# bench_field KEY FILE: the value of the first KEY=value word in FILE ("" if none).
bench_field() {
    grep -o "\(^\| \)$1=[^ ]*" "$2" | head -1 | sed "s/^ *$1=//"
}
