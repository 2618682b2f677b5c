#!/usr/bin/env bash
# The lab kit's markers (docs/labs/README.md): every lab 1-7 has regions, well formed;
# the markers and stubs change nothing the compiler sees; no starting tree made by
# tools/mklab holds a line of its lab's solution or the instructor's answers; and
# `tools/mklab N --branch NAME` writes one parentless commit holding exactly the
# folder's tree. Each check is also run on a copy made wrong on purpose and must fail
# there (the branch's: mutant mklab_branch_keeps_history).
set -u
cd "$(dirname "$0")/../.."
exec tools/labs/check_kit.py markers
