#!/bin/sh
# Prints the compiler's dependency files (*.d) under the build folder $1 whose
# sources still exist, for the Makefile to include. A file moved or deleted in the
# tree leaves a .d naming it; included as is, make would stop with "No rule to make
# target" until `make clean`. One awk pass reads each file's first rule and checks
# its .c and .S prerequisites (getline returns -1 for a missing file). The mutation
# suite's scratch tree, the labs' starting trees (build/labs/, tools/grade) and the
# linked tests (build/tests/) are skipped.
build=${1:-build}
[ -d "$build" ] || exit 0
find "$build" \( -path "$build/mutants" -o -path "$build/tests" -o -path "$build/labs" \) -prune -o -name '*.d' -print |
    xargs -r awk '
        FNR == 1 { if (prev != "" && live) print prev; prev = FILENAME; live = 1; inrule = 1 }
        inrule {
            n = split($0, w, /[ \t\\]+/)
            for (i = 1; i <= n; i++)
                if (w[i] ~ /\.(c|S)$/) {
                    if ((getline junk < w[i]) < 0) live = 0
                    close(w[i])
                }
            if ($0 !~ /\\$/) inrule = 0
        }
        END { if (prev != "" && live) print prev }'
