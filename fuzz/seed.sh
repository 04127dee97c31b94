#!/bin/sh
# Fills fuzz/corpus/generate/ with seeds: the published specs from the shared
# folder (copied at run time only; corpus/ is git-ignored and the specs must
# never be committed) and the hand-written fixtures of the generator's tests.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus="$here/corpus/generate"
mkdir -p "$corpus"
for spec in "$here"/../../shared/specs/sunshine-conversations/openapi-*.yaml; do
    [ -f "$spec" ] && cp "$spec" "$corpus/seed-$(basename "$spec")"
done
cp "$here"/../spec/*.yaml "$corpus/" 2>/dev/null || true
for fixture in "$here"/../generator/tests/fixtures/*.yaml \
    "$here"/../generator/tests/fixtures/bad/*.yaml \
    "$here"/../generator/tests/fixtures/fuzz/*; do
    [ -f "$fixture" ] && cp "$fixture" "$corpus/fixture-$(basename "$fixture")"
done
echo "$(ls "$corpus" | wc -l) inputs in $corpus"
