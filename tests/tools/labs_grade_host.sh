#!/usr/bin/env bash
# Labs 2-7 (host programs only): the solution scores full with `tools/grade`, and each
# lab's starting tree (tools/mklab, in build/labs/, its build folder seeded from
# build/ and reused lab after lab) builds and scores below full.
set -u
cd "$(dirname "$0")/../.."
exec nice tools/labs/check_kit.py grade 2,3,4,5,6,7
