#!/usr/bin/env bash
# Copies the reference pages generated from the .td files (target
# pixelfly-doc, built by default) into docs/reference/, where they are
# committed; test/Docs/reference.test fails while they differ.
#
# Usage: scripts/update-reference-docs.sh [build-dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
cmake --build "$build" --target pixelfly-doc
cp "$build"/docs/Pixelfly/*.md "$root"/docs/reference/
echo "updated docs/reference/ from $build/docs/Pixelfly/"
