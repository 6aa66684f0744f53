#!/usr/bin/env python3
"""Checks that textual pass pipelines round-trip through --dump-pass-pipeline.

roundtrip_pipeline.py <pixelfly-opt> <input.mlir> <pipeline>...

For each pipeline: run it with --dump-pass-pipeline, take the printed
pipeline (which spells out every option), run that text again and require
the same print. Prints "roundtrip ok: <first pass>" per pipeline, or the
difference and exits 1.
"""

import subprocess
import sys


def dump(opt, source, pipeline):
    run = subprocess.run([opt, source, "--pass-pipeline=" + pipeline,
                          "--dump-pass-pipeline", "-o", "/dev/null"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"failed on {pipeline!r}:\n{run.stderr}")
    lines = run.stderr.splitlines()
    if not lines or not lines[0].startswith("Pass Manager with"):
        sys.exit(f"no pipeline printed for {pipeline!r}:\n{run.stderr}")
    # The dump is the header line, then the indented pipeline up to the
    # closing parenthesis at column 0.
    end = next(i for i, line in enumerate(lines) if line == ")")
    return "\n".join(lines[1:end + 1])


def main():
    opt, source, pipelines = sys.argv[1], sys.argv[2], sys.argv[3:]
    for pipeline in pipelines:
        first = dump(opt, source, pipeline)
        flat = " ".join(line.strip() for line in first.splitlines())
        second = dump(opt, source, flat)
        if first != second:
            sys.exit(f"pipeline changed on a round trip:\n{first}\n---\n{second}")
        print("roundtrip ok:", pipeline)


if __name__ == "__main__":
    main()
