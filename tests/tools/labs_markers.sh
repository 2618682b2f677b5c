#!/usr/bin/env bash
# The lab kit's markers (docs/labs/README.md): every lab 1-7 has regions, well formed;
# the markers and stubs change nothing the compiler sees; no starting tree made by
# tools/mklab holds a line of its lab's solution or the instructor's answers. Each
# check is also run on a copy made wrong on purpose and must fail there.
set -u
cd "$(dirname "$0")/../.."
exec tools/labs/check_kit.py markers
