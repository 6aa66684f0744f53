#!/usr/bin/env bash
# Sets up and builds the project (scripts/setup.sh), then runs every test
# through ctest: the lit suite and the GoogleTest unit tests.
#
# Usage: scripts/test.sh [BUILD_DIR]      (default: build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"

"$root/scripts/setup.sh" "$build"
cd "$build"
ctest --output-on-failure
