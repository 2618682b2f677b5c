#!/usr/bin/env bash
# Builds tests/gocompare/variants with Debian's Go 1.19 (GOPATH mode, a private
# GOCACHE and GOPATH in a temp dir) and
# runs it: every selected variant in a fresh process, one key per line,
# "bug=NN variant=NAME key=VALUE". Arguments go to the program (-run all|N,M).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
go=/usr/lib/go-1.19/bin/go
[ -x "$go" ] || { echo "run.sh: $go missing (Debian package golang-1.19-go)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/gocompare-variants.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export GOCACHE=$tmp/gocache GOPATH=$tmp/gopath GOFLAGS= GO111MODULE=off
(cd "$here" && "$go" build -o "$tmp/variants" .) || { echo "run.sh: the Go program did not build" >&2; exit 1; }
"$tmp/variants" "$@"
