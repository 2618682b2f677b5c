#!/usr/bin/env bash
# Lab 1 (the kernel's page faults, graded by one QEMU boot of selftest=vm): the
# solution scores full, the starting tree builds, boots and scores below full.
set -u
cd "$(dirname "$0")/../.."
exec tools/labs/check_kit.py grade 1
