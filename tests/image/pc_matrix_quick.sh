#!/usr/bin/env bash
# The machine matrix's quick cells (tools/matrix.sh --quick; `make test-matrix`
# runs them all): an i440fx PC with a Nehalem CPU, four CPUs, an AHCI disk, no
# PS/2 controller and 512 MiB; a q35 machine without ACPI (the PIT calibrates,
# no MADT); and a run nobody answers, which must power itself off through ACPI S5.
set -u
cd "$(dirname "$0")/../.."
tools/matrix.sh --quick -j 1
