#!/usr/bin/env bash
# The drift test: every output quoted in the lab handouts (docs/labs/*.md, marked
# "Output (exact, `CMD`):" or "Output (machine-dependent: why, `CMD`):") is what the
# current build prints: exact quotes line for line, machine-dependent ones with any
# numbers. Then, in a copy of each handout, one number of an exact quote and one word
# of a machine-dependent quote are changed, and both must be reported as drift.
# Lab 1's quotes boot QEMU once (selftest=vm).
set -u
cd "$(dirname "$0")/../.."
exec tools/labs/drift.py test docs/labs/*.md
