#!/usr/bin/env python3
"""Mutation fuzzer of pixelfly-opt and pixelfly-pattern (Python 3 stdlib).

Takes the .mlir files of test/, examples/ and the external corpus as seeds,
mutates them (numbers in shapes and attributes, element types, #pixelfly
layouts, butterfly parameters, GPU configurations and plans, deleted,
duplicated or swapped lines, truncation), runs every pass and pipeline of
the project (read from `pixelfly-opt --help`), parse-only runs and
combinations of passes on them, plus random command lines of
pixelfly-pattern, each under a timeout and a memory limit. Crashes, hangs
and out-of-memory runs are de-duplicated by a signature taken from the
stack, reduced to a small input and written to --out with the command as
their first line (`// CMD: pixelfly-opt <flags> FILE -o /dev/null`), with
summary.json and summary.md.

Deterministic: the run number and --seed alone decide each input and
command (whatever --jobs), so the same options give the same runs; with
--time the campaign stops after a time, so how many of them depends on
the machine.

Examples (from the repository root):
  scripts/fuzz/pixelfly_fuzz.py --seed 1 --time 120 --jobs 2 --out /tmp/fuzz
  scripts/fuzz/pixelfly_fuzz.py --seed 7 --time 3600 --jobs 8 --out fuzz-1h
  scripts/fuzz/pixelfly_fuzz.py --passes 'sparsify,budget' --runs 500
  scripts/fuzz/pixelfly_fuzz.py --replay ../shared/fuzz-repro
  scripts/fuzz/pixelfly_fuzz.py --dry-run --runs 20

Exit status: 0 when no run crashed, hung or ran out of memory (see
--fail-on), 1 otherwise, 2 on a usage error.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cmdlines as commands  # noqa: E402
import mutators  # noqa: E402
from classify import ALL_CLASSES  # noqa: E402
from reduce import Reducer, reduce_args  # noqa: E402
from runner import Runner, is_sanitized, run_and_classify  # noqa: E402

SRC_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEPARATOR_RE = re.compile(r"^// -----\s*$", re.M)
COMMENT_RE = re.compile(r"^[ \t]*//(?! -----[ \t]*$).*\n?", re.M)
PATTERN_KEY = "pixelfly-pattern"


# --- seeds --------------------------------------------------------------------

class Seed:
    __slots__ = ("name", "chunks", "text")

    def __init__(self, name, text):
        self.name = name
        self.text = text
        self.chunks = [c.strip("\n") + "\n" for c in SEPARATOR_RE.split(text)
                       if c.strip()]


def strip_comments(text):
    """Drops comment lines (CHECK lines, notes), keeps `// -----`."""
    return COMMENT_RE.sub("", text)


def collect_seeds(roots, max_bytes, exclude=()):
    seeds = []
    for root in roots:
        if os.path.isfile(root):
            paths = [root]
        elif os.path.isdir(root):
            paths = []
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                if any(os.path.abspath(dirpath).startswith(e) for e in exclude):
                    continue
                paths += [os.path.join(dirpath, f) for f in sorted(filenames)
                          if f.endswith(".mlir")]
        else:
            continue
        for path in paths:
            try:
                if os.path.getsize(path) > max_bytes:
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = strip_comments(f.read())
            except OSError:
                continue
            if not text.strip():
                continue
            name = os.path.relpath(path, SRC_ROOT)
            seeds.append(Seed(name, text))
    return seeds


class Context:
    """What mutations may borrow from: lines of all seeds."""

    def __init__(self, seeds):
        self.seeds = seeds

    def random_line(self, rng):
        seed = rng.choice(self.seeds)
        chunk = rng.choice(seed.chunks)
        lines = [ln for ln in chunk.split("\n") if ln.strip() and len(ln) < 500]
        return rng.choice(lines) if lines else None


# --- cases --------------------------------------------------------------------

class Case:
    __slots__ = ("index", "tool", "args", "text", "origin", "mutations", "key")

    def __init__(self, index, tool, args, text, origin, mutations, key):
        self.index = index
        self.tool = tool
        self.args = args
        self.text = text
        self.origin = origin
        self.mutations = mutations
        self.key = key

    def command(self):
        return render(self.tool, self.args)


class Generator:
    def __init__(self, opts, seeds, specs, run_specs, passes, pattern_ok, head=()):
        self.head = list(head)
        self.seed = opts.seed
        self.seeds = seeds
        self.specs = specs
        self.run_specs = run_specs
        self.passes = passes
        self.pattern_ratio = opts.pattern_ratio if pattern_ok else 0.0
        if not specs and not run_specs:
            self.pattern_ratio = 1.0
        self.max_mutations = opts.max_mutations
        self.ctx = Context(seeds)

    def case(self, index):
        rng = random.Random(f"pixelfly-fuzz:{self.seed}:{index}")
        if rng.random() < self.pattern_ratio:
            args = commands.pattern_command(rng)
            return Case(index, "pattern", args, "", "pixelfly-pattern", [],
                        PATTERN_KEY)
        seed = rng.choice(self.seeds)
        if len(seed.chunks) > 1 and rng.random() < 0.8:
            c = rng.randrange(len(seed.chunks))
            text, origin = seed.chunks[c], f"{seed.name}#{c + 1}"
        else:
            text, origin = seed.text, seed.name
        if rng.random() < 0.05:
            count = 0  # the seed as it is
        else:
            count = 1  # 1: 60 %, 2: 24 %, 3: 10 %, 4: 6 %
            while count < self.max_mutations and rng.random() < 0.4:
                count += 1
        text, done = mutators.mutate(text, rng, self.ctx, count)
        if self.run_specs and (not self.specs or rng.random() < 0.25):
            spec = rng.choice(self.run_specs)
        else:
            spec = rng.choice(self.specs)
        args = list(spec.args)
        if rng.random() < 0.3:
            args, changed = commands.randomize_options(args, rng, self.passes)
            if changed:
                done.append(f"options {changed}")
        head = ["--allow-unregistered-dialect"] + self.head
        if SEPARATOR_RE.search(text):
            head.append("--split-input-file")
        return Case(index, "opt", head + args, text, origin, done, spec.key)


# --- running ------------------------------------------------------------------

class Executor:
    """Runs cases; each thread has its own scratch directory."""

    def __init__(self, opts, runner, own_modules):
        self.opts = opts
        self.runner = runner
        self.own_modules = own_modules
        self.local = threading.local()
        self.scratch = tempfile.mkdtemp(prefix="pixelfly-fuzz-")
        self.counter = 0
        self.lock = threading.Lock()

    def workdir(self):
        d = getattr(self.local, "dir", None)
        if d is None:
            with self.lock:
                self.counter += 1
                d = os.path.join(self.scratch, f"w{self.counter}")
            os.makedirs(d)
            self.local.dir = d
        for name in os.listdir(d):
            p = os.path.join(d, name)
            if os.path.isdir(p):
                shutil.rmtree(p, ignore_errors=True)
            else:
                os.unlink(p)
        return d

    def run(self, tool, args, text, key):
        d = self.workdir()
        if tool == "opt":
            path = os.path.join(d, "input.mlir")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            argv = tool_argv(self.opts.pixelfly_opt) + list(args) + [path, "-o", os.devnull]
        else:
            argv = tool_argv(self.opts.pixelfly_pattern) + list(args)
        for attempt in range(31):
            outcome = run_and_classify(self.runner, argv, d, key, self.own_modules,
                                       self.opts.slow)
            if not _not_started(outcome):
                break
            # The tool could not be started: most often it is being relinked
            # by a build right now. Wait for it rather than count a finding.
            if attempt == 30:
                raise HarnessError(f"cannot run {argv[0]}: {outcome.stderr.strip()[:300]}")
            time.sleep(2)
        if outcome.cls == "nodiag" and tool == "opt" and self.opts.mlir_opt:
            # A parser that fails without saying why (some upstream dialects'
            # do): upstream's own mlir-opt failing silently on the same text
            # puts it there, not in our passes.
            parse = run_and_classify(
                self.runner, tool_argv(self.opts.mlir_opt) +
                ["--allow-unregistered-dialect", path, "-o", os.devnull],
                d, "(parse)", self.own_modules)
            if parse.cls == "nodiag":
                outcome.cls = "upstream"
                outcome.signature = "upstream: mlir-opt fails to parse it without a diagnostic"
        if outcome.stderr:
            # the scratch path means nothing in the report
            outcome.stderr = outcome.stderr.replace(d + os.sep, "")
        return outcome

    def close(self):
        shutil.rmtree(self.scratch, ignore_errors=True)


def tool_argv(path):
    """A Python stand-in (tests of the fuzzer) runs under this interpreter."""
    return [sys.executable, path] if path.endswith(".py") else [path]


class HarnessError(Exception):
    pass


def _not_started(outcome):
    """rc 126/127 from the /bin/sh wrapper: exec failed (no such file, text
    file busy, not executable)."""
    return outcome.rc in (126, 127) and not outcome.signature.startswith(
        ("crash", "oom")) and (outcome.stderr.startswith("sh:") or
                               "exec:" in outcome.stderr[:500] or
                               not outcome.stderr.strip())


class Finding:
    def __init__(self, case, outcome):
        self.case = case
        self.outcome = outcome
        self.hits = 0
        self.keys = set()


class Stats:
    def __init__(self):
        self.per_key = {}
        self.classes = {c: 0 for c in ALL_CLASSES}
        self.runs = 0

    def add(self, key, cls):
        self.runs += 1
        self.classes[cls] = self.classes.get(cls, 0) + 1
        row = self.per_key.setdefault(key, {c: 0 for c in ALL_CLASSES})
        row[cls] = row.get(cls, 0) + 1

    def line(self):
        parts = [f"{c} {n}" for c, n in self.classes.items() if n]
        return ", ".join(parts) if parts else "nothing"


def campaign(opts, gen, executor, log):
    stats = Stats()
    findings = {}
    start = time.monotonic()
    next_index = 0
    in_flight = {}
    last_progress = start
    runs_log = open(os.path.join(opts.out, "runs.jsonl"), "w") if opts.log_runs else None

    def budget_left():
        if opts.runs and next_index >= opts.runs:
            return False
        if opts.time and time.monotonic() - start >= opts.time:
            return False
        return True

    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        while True:
            while budget_left() and len(in_flight) < opts.jobs * 2:
                case = gen.case(next_index)
                next_index += 1
                fut = pool.submit(executor.run, case.tool, case.args, case.text, case.key)
                in_flight[fut] = case
            if not in_flight:
                break
            done, _ = concurrent.futures.wait(
                in_flight, timeout=5, return_when=concurrent.futures.FIRST_COMPLETED)
            for fut in done:
                case = in_flight.pop(fut)
                outcome = fut.result()
                stats.add(case.key, outcome.cls)
                if runs_log:
                    runs_log.write(json.dumps({
                        "run": case.index, "key": case.key, "class": outcome.cls,
                        "signature": outcome.signature, "wall": round(outcome.wall, 3),
                        "origin": case.origin, "command": case.command(),
                        "mutations": case.mutations}) + "\n")
                if outcome.signature:
                    f = findings.get(outcome.signature)
                    if f is None:
                        f = findings[outcome.signature] = Finding(case, outcome)
                        log(f"  new {outcome.cls}: {outcome.signature}  "
                            f"[run {case.index}: {case.key} on {case.origin}]")
                    elif case.index < f.case.index:
                        f.case, f.outcome = case, outcome
                    f.hits += 1
                    f.keys.add(case.key)
            now = time.monotonic()
            if now - last_progress >= opts.progress:
                last_progress = now
                rate = stats.runs / max(1e-9, now - start)
                log(f"[{now - start:6.0f} s] {stats.runs} runs ({rate:.1f}/s): "
                    f"{stats.line()}; {len(findings)} distinct findings")
    if runs_log:
        runs_log.close()
    return stats, findings, time.monotonic() - start


# --- reduction and output ---------------------------------------------------------

def _matcher(finding):
    """Whether an outcome is the same failure as the finding's. Signatures
    made of the command (`hang @ <passes>`, failures without a stack) match
    whatever the command, so that the reducer may drop passes too."""
    target, key = finding.outcome, finding.case.key
    tail = f" @ {key}"
    if target.signature.endswith(tail):
        prefix = target.signature[: -len(tail)]
        return lambda o, k: (o.cls == target.cls and
                             o.signature == f"{prefix} @ {k}")
    return lambda o, k: o.cls == target.cls and o.signature == target.signature


def _key(tool, args):
    return commands.spec_key(args) if tool == "opt" else PATTERN_KEY


def reduce_finding(opts, executor, finding, deadline=None):
    case, target = finding.case, finding.outcome
    same = _matcher(finding)
    info = {"tests": 0, "complete": False, "seconds": 0.0}
    start = time.monotonic()
    seconds = opts.reduce_time
    if deadline is not None:
        seconds = min(seconds, deadline - start)
    if target.cls == "slow" or opts.no_reduce or seconds <= 0:
        return case.args, case.text, info
    if case.tool == "opt":
        def interesting(args, text):
            key = _key("opt", args)
            return same(executor.run("opt", args, text, key), key)
        hang = target.cls == "hang"
        red = Reducer(interesting, seconds, opts.reduce_tests, expensive=hang,
                      keep_flags=("--allow-unregistered-dialect",
                                  "--mlir-disable-threading") if hang else ())
        args, text, complete = red.reduce(case.args, case.text)
        info.update(tests=red.tests, complete=complete)
    else:
        groups = commands.option_groups(case.args)
        args, tests = reduce_args(
            lambda a: same(executor.run("pattern", a, "", PATTERN_KEY), PATTERN_KEY),
            groups, seconds, opts.reduce_tests)
        text = ""
        info.update(tests=tests, complete=True)
    info["seconds"] = round(time.monotonic() - start, 1)
    return args, text, info


def final_signature(finding, args):
    """The signature after reduction: a command-made one names the reduced
    command."""
    sig, key = finding.outcome.signature, finding.case.key
    tail = f" @ {key}"
    if sig.endswith(tail):
        return sig[: -len(tail)] + " @ " + _key(finding.case.tool, args)
    return sig


def reproduce_count(opts, executor, finding, args, text, tries):
    same = _matcher(finding)
    key = _key(finding.case.tool, args)
    ok = 0
    last = None
    for _ in range(tries):
        outcome = executor.run(finding.case.tool, args, text, key)
        last = outcome
        ok += bool(same(outcome, key))
    return ok, last


def line_count(text):
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def header(cmd, signature, extra):
    lines = [f"// CMD: {cmd}",
             f"// {signature}",
             f"// found by scripts/fuzz/pixelfly_fuzz.py {extra}"]
    return "\n".join(lines) + "\n"


def provenance(opts, case):
    if opts.reduce:
        return f"--reduce {case.origin}"
    return (f"--seed {opts.seed}, run {case.index}, from {case.origin}"
            + (f"; mutations: {'; '.join(case.mutations)}" if case.mutations else ""))


def render(tool, args):
    if tool == "opt":
        return commands.render_opt_command(args)
    return commands.render_pattern_command(args)


def write_outputs(opts, stats, findings, reduced, times, sanitized, log):
    os.makedirs(opts.out, exist_ok=True)
    order = sorted(findings.values(), key=lambda f: (
        ALL_CLASSES.index(f.outcome.cls), f.case.index))
    numbers = {}
    rows = []
    for f in order:
        cls = f.outcome.cls
        numbers[cls] = numbers.get(cls, 0) + 1
        ident = f"{cls}-{numbers[cls]:02d}"
        args, text, info, repro, file_text = reduced[id(f)]
        case = f.case
        cmd, orig_cmd = render(case.tool, args), render(case.tool, case.args)
        ext = ".mlir" if case.tool == "opt" else ".txt"
        body, orig_body = (text, case.text) if case.tool == "opt" else ("", "")
        path = os.path.join(opts.out, ident + ext)
        # the very bytes that were re-run to count `reproduces`
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(file_text)
        orig_path = os.path.join(opts.out, ident + ".orig" + ext)
        with open(orig_path, "w", encoding="utf-8", newline="") as out:
            out.write(header(orig_cmd, f.outcome.signature, provenance(opts, case))
                      + orig_body)
        log_path = os.path.join(opts.out, ident + ".log")
        with open(log_path, "w", encoding="utf-8") as out:
            last = repro[1] if repro[1] is not None else f.outcome
            out.write(f"$ {cmd}\n# class {last.cls}, rc {last.rc}, "
                      f"{last.wall:.2f} s\n")
            out.write(last.stderr[-20000:])
        rows.append({
            "id": ident, "class": cls, "signature": f.outcome.signature,
            "detail": f.outcome.detail, "hits": f.hits,
            "commands": sorted(f.keys), "first_run": case.index,
            "origin": case.origin, "mutations": case.mutations,
            "command": cmd, "original_command": orig_cmd,
            "reduced": path, "original": orig_path, "log": log_path,
            "lines_before": line_count(orig_body), "lines_after": line_count(body),
            "reduction": info, "reproduces": f"{repro[0]}/{repro[2]}",
        })
    failing = [r for r in rows if r["class"] in opts.fail_on]
    summary = {
        "seed": opts.seed,
        "options": {k: v for k, v in vars(opts).items()
                    if k not in ("replay",)},
        "sanitized": sanitized,
        "time_s": times,
        "runs": stats.runs,
        "classes": stats.classes,
        "per_command": [dict(command=k, runs=sum(v.values()), **v)
                        for k, v in sorted(stats.per_key.items())],
        "findings": rows,
        "failing": len(failing),
    }
    with open(os.path.join(opts.out, "summary.json"), "w") as out:
        json.dump(summary, out, indent=1, sort_keys=True, default=str)
        out.write("\n")
    with open(os.path.join(opts.out, "summary.md"), "w") as out:
        out.write(markdown(summary))
    return summary


def markdown(s):
    lines = ["# pixelfly fuzz campaign", "",
             f"seed {s['seed']}, {s['runs']} runs, campaign "
             f"{s['time_s']['campaign']:.0f} s, reduction {s['time_s']['reduce']:.0f} s"
             f"{', sanitizer build' if s['sanitized'] else ''}", "",
             "| class | runs |", "|---|---|"]
    for c, n in s["classes"].items():
        lines.append(f"| {c} | {n} |")
    lines += ["", "## Runs per command", "",
              "| command | runs | " + " | ".join(ALL_CLASSES) + " |",
              "|---|---|" + "---|" * len(ALL_CLASSES)]
    for row in s["per_command"]:
        lines.append(f"| {row['command']} | {row['runs']} | "
                     + " | ".join(str(row.get(c, 0)) for c in ALL_CLASSES) + " |")
    lines += ["", "## Findings", ""]
    if not s["findings"]:
        lines.append("none")
    else:
        lines += ["| id | class | hits | signature | reproducer | lines | reproduces |",
                  "|---|---|---|---|---|---|---|"]
        for r in s["findings"]:
            sig = r["signature"].replace("|", "\\|")
            lines.append(f"| {r['id']} | {r['class']} | {r['hits']} | `{sig}` | "
                         f"{os.path.basename(r['reduced'])} | "
                         f"{r['lines_before']} -> {r['lines_after']} | {r['reproduces']} |")
    return "\n".join(lines) + "\n"


def find_cmd(text):
    """The `// CMD: ...` line among the first 20 lines (a regression test
    may put its RUN lines first)."""
    for line in text.split("\n", 20)[:20]:
        m = re.match(r"\s*//\s*CMD:\s*(.*)", line)
        if m:
            return m
    return None


# --- replay -------------------------------------------------------------------

def replay(opts, runner, own_modules, log):
    files = []
    for p in opts.replay:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if f.endswith((".mlir", ".txt")) and ".orig." not in f)
        else:
            files.append(p)
    failing = 0
    scratch = tempfile.mkdtemp(prefix="pixelfly-replay-")
    try:
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as f:
                m = find_cmd(f.read(100_000))
            if not m:
                log(f"{path}: no // CMD: line, skipped")
                continue
            words = shlex.split(m.group(1))
            tool = words[0]
            if tool == "pixelfly-opt":
                words[0:1] = tool_argv(opts.pixelfly_opt)
            elif tool == "pixelfly-pattern":
                words[0:1] = tool_argv(opts.pixelfly_pattern)
            argv = [os.path.abspath(path) if w == "FILE" else w for w in words]
            key = commands.spec_key([w for w in words if w.startswith("--")])
            outcome = run_and_classify(runner, argv, scratch, key, own_modules,
                                       opts.slow)
            mark = "FAIL" if outcome.cls in opts.fail_on else "ok"
            failing += mark == "FAIL"
            print(f"{mark} {os.path.basename(path)}: {outcome.cls} rc={outcome.rc} "
                  f"{outcome.wall:.2f}s {outcome.signature}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"replay: {len(files)} files, {failing} failing")
    return 1 if failing else 0


# --- main ---------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    bin_dir = os.path.join(SRC_ROOT, "build", "bin")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--runs", type=int, default=None,
                   help="number of runs (default 1000 without --time)")
    p.add_argument("--time", type=float, default=None,
                   help="stop starting runs after this many seconds")
    p.add_argument("--jobs", "-j", type=int, default=1, help="parallel runs")
    p.add_argument("--pixelfly-opt", default=os.path.join(bin_dir, "pixelfly-opt"))
    p.add_argument("--pixelfly-pattern", default=os.path.join(bin_dir, "pixelfly-pattern"))
    p.add_argument("--mlir-opt", default=shutil.which("mlir-opt") or (
        "/usr/lib/llvm-22/bin/mlir-opt"
        if os.path.exists("/usr/lib/llvm-22/bin/mlir-opt") else ""),
                   help="upstream mlir-opt, to tell a parser's silent failure "
                        "(upstream) from one of ours (default: from PATH or "
                        "/usr/lib/llvm-22/bin; empty: off)")
    p.add_argument("--out", default="fuzz-out", help="output directory")
    p.add_argument("--corpus",
                   default=os.path.join(os.path.dirname(SRC_ROOT), "shared", "corpus", "external"),
                   help="external corpus directory (skipped when absent)")
    p.add_argument("--seeds", action="append", default=None, metavar="PATH",
                   help="seed files or directories (default: test/ and examples/ "
                        "of the repository; repeatable)")
    p.add_argument("--run-lines", action="append", default=None, metavar="DIR",
                   help="directories whose RUN lines give pass combinations "
                        "(default: test/)")
    p.add_argument("--passes", default=None,
                   help="comma-separated regexes: only commands whose key "
                        "(e.g. 'pixelfly-gpu-config + convert-pixelfly-to-gpu', "
                        "'(parse)', 'pixelfly-pattern') matches one of them")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per run before it counts as a hang (default "
                        "20, 60 for a sanitizer build)")
    p.add_argument("--mem-mb", type=int, default=4096,
                   help="address-space limit per run in MiB (RLIMIT_AS; for "
                        "sanitizer builds the sanitizer's RSS limit instead); "
                        "0: none (default 4096)")
    p.add_argument("--slow", type=float, default=0.0,
                   help="report clean runs slower than this many seconds as "
                        "'slow' (default 0: off)")
    p.add_argument("--pattern-ratio", type=float, default=0.1,
                   help="fraction of runs given to pixelfly-pattern (default 0.1)")
    p.add_argument("--threads", action="store_true",
                   help="let pixelfly-opt use threads (default: "
                        "--mlir-disable-threading)")
    p.add_argument("--max-mutations", type=int, default=4)
    p.add_argument("--max-seed-bytes", type=int, default=4 << 20)
    p.add_argument("--no-reduce", action="store_true", help="do not reduce findings")
    p.add_argument("--reduce-time", type=float, default=120.0,
                   help="seconds of reduction per finding (default 120)")
    p.add_argument("--reduce-total", type=float, default=0.0,
                   help="seconds for the reduction of all findings; those "
                        "left are written unreduced (default 0: no limit)")
    p.add_argument("--reduce-tests", type=int, default=3000,
                   help="runs of reduction per finding (default 3000)")
    p.add_argument("--fail-on", default="crash,hang,oom",
                   help="classes that make the exit status 1 (default crash,hang,oom)")
    p.add_argument("--log-runs", action="store_true",
                   help="write every run to OUT/runs.jsonl")
    p.add_argument("--progress", type=float, default=30.0,
                   help="seconds between progress lines (default 30)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the runs (command, origin, mutations, input hash) "
                        "without running them")
    p.add_argument("--write-runs", metavar="I,J,...",
                   help="write the inputs of these runs of --seed (numbers as "
                        "in runs.jsonl) to --out as run-I.mlir with their "
                        "// CMD: line, without running them")
    p.add_argument("--replay", nargs="+", metavar="FILE_OR_DIR",
                   help="run the `// CMD:` line of each reproducer and classify it")
    p.add_argument("--reduce", nargs="+", metavar="FILE",
                   help="reduce these reproducers (`// CMD:` first line) into --out "
                        "instead of running a campaign")
    opts = p.parse_args(argv)
    opts.fail_on = [c.strip() for c in opts.fail_on.split(",") if c.strip()]
    bad = [c for c in opts.fail_on if c not in ALL_CLASSES]
    if bad:
        p.error(f"--fail-on: unknown classes {bad} (known: {', '.join(ALL_CLASSES)})")
    if opts.runs is None and opts.time is None:
        opts.runs = 1000
    if opts.jobs < 1:
        p.error("--jobs must be at least 1")
    # runs start in scratch directories
    opts.pixelfly_opt = os.path.abspath(opts.pixelfly_opt)
    opts.pixelfly_pattern = os.path.abspath(opts.pixelfly_pattern)
    return opts


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    if not (os.access(opts.pixelfly_opt, os.X_OK) or
            (opts.pixelfly_opt.endswith(".py") and os.path.isfile(opts.pixelfly_opt))):
        log(f"pixelfly_fuzz: error: {opts.pixelfly_opt} is not an executable "
            f"(build it, or give --pixelfly-opt)")
        return 2
    sanitized = is_sanitized(opts.pixelfly_opt)
    if opts.timeout is None:
        # sanitizers make the numeric code (weight fits, layouts) 3-10x slower
        opts.timeout = 60.0 if sanitized else 20.0
    runner = Runner(opts.timeout, opts.mem_mb, sanitized)
    own_modules = {os.path.basename(opts.pixelfly_opt),
                   os.path.basename(opts.pixelfly_pattern),
                   "pixelfly-opt", "pixelfly-pattern", "pixelfly-plugin.so"}
    if opts.replay:
        return replay(opts, runner, own_modules, log)

    help_text = commands.read_help(tool_argv(opts.pixelfly_opt))
    passes = commands.parse_help(help_text)
    # One thread per run: the runs are already parallel (--jobs), and a
    # hang's stack then shows the code that loops.
    head = ["--mlir-disable-threading"] if (
        not opts.threads and "--mlir-disable-threading" in help_text) else []
    if opts.reduce:
        os.makedirs(opts.out, exist_ok=True)
        executor = Executor(opts, runner, own_modules)
        try:
            return reduce_files(opts, executor, sanitized, log)
        finally:
            executor.close()
    if not any(commands.our_pass(n) for n in passes):
        log("pixelfly_fuzz: error: no pixelfly pass in "
            f"`{opts.pixelfly_opt} --help`")
        return 2
    specs = commands.base_specs(passes)
    run_roots = opts.run_lines or [os.path.join(SRC_ROOT, "test")]
    run_specs = commands.harvest_run_lines(run_roots, passes)
    pattern_ok = os.access(opts.pixelfly_pattern, os.X_OK) or (
        opts.pixelfly_pattern.endswith(".py") and os.path.isfile(opts.pixelfly_pattern))
    if opts.passes:
        pats = [re.compile(x.strip()) for x in opts.passes.split(",") if x.strip()]

        def keep(key):
            return any(p.search(key) for p in pats)
        specs = [s for s in specs if keep(s.key)]
        run_specs = [s for s in run_specs if keep(s.key)]
        pattern_ok = pattern_ok and keep(PATTERN_KEY)
        if not specs and not run_specs and not pattern_ok:
            log(f"pixelfly_fuzz: error: --passes {opts.passes!r} matches no command")
            return 2
    seed_roots = opts.seeds or [os.path.join(SRC_ROOT, "test"),
                                os.path.join(SRC_ROOT, "examples")]
    if opts.corpus and os.path.isdir(opts.corpus):
        seed_roots = seed_roots + [opts.corpus]
    # the fuzzer's own test inputs (made to crash a fake tool) are no seeds
    exclude = () if opts.seeds else (os.path.join(SRC_ROOT, "test", "Fuzz"),)
    seeds = collect_seeds(seed_roots, opts.max_seed_bytes, exclude)
    if not seeds and (specs or run_specs):
        log("pixelfly_fuzz: error: no seed .mlir files")
        return 2
    gen = Generator(opts, seeds, specs, run_specs, passes, pattern_ok, head)

    if opts.write_runs:
        os.makedirs(opts.out, exist_ok=True)
        for i in (int(x) for x in opts.write_runs.split(",") if x.strip()):
            c = gen.case(i)
            name = f"run-{i}" + (".txt" if c.tool == "pattern" else ".mlir")
            with open(os.path.join(opts.out, name), "w") as f:
                f.write(header(c.command(), "input of this run",
                               provenance(opts, c)) + c.text)
            print(os.path.join(opts.out, name))
        return 0

    if opts.dry_run:
        n = opts.runs or 1000
        for i in range(n):
            c = gen.case(i)
            digest = hashlib.sha1(c.text.encode("utf-8", "replace")).hexdigest()[:12]
            print(f"{i}\t{c.command()}\t{c.origin}\t{digest}\t{'; '.join(c.mutations)}")
        return 0

    os.makedirs(opts.out, exist_ok=True)
    log(f"pixelfly_fuzz: seed {opts.seed}, {len(seeds)} seed files, "
        f"{len(specs)} commands + {len(run_specs)} from RUN lines"
        f"{', pixelfly-pattern' if pattern_ok else ''}, jobs {opts.jobs}, "
        f"timeout {opts.timeout:g} s, memory "
        + ("sanitizer RSS limit" if sanitized else "RLIMIT_AS")
        + f" {opts.mem_mb} MiB")
    executor = Executor(opts, runner, own_modules)
    try:
        try:
            stats, findings, campaign_s = campaign(opts, gen, executor, log)
        except HarnessError as e:
            log(f"pixelfly_fuzz: error: {e}")
            return 2
        log(f"campaign: {stats.runs} runs in {campaign_s:.0f} s: {stats.line()}; "
            f"{len(findings)} distinct findings")
        return finish(opts, executor, stats, findings, campaign_s, sanitized, log)
    finally:
        executor.close()


def finish(opts, executor, stats, findings, campaign_s, sanitized, log):
    """Reduces the findings, writes them and the summary, prints the
    result; returns the exit status."""
    reduce_start = time.monotonic()
    reduced = {}
    order = sorted(findings.values(), key=lambda f: f.case.index)
    deadline = (reduce_start + opts.reduce_total) if opts.reduce_total else None

    def work(f):
        args, text, info = reduce_finding(opts, executor, f, deadline)
        tries = 1 if f.outcome.cls in ("hang", "slow") else 3
        # The reproducer file, header included, is what is re-run: some
        # failures depend on the exact bytes (the end of the buffer).
        file_text = header(render(f.case.tool, args), final_signature(f, args),
                           provenance(opts, f.case))
        if f.case.tool == "opt":
            file_text += text
        ok, last = reproduce_count(opts, executor, f, args,
                                   file_text if f.case.tool == "opt" else "", tries)
        return f, (args, text, info, (ok, last, tries), file_text)

    if order:
        log(f"reducing {len(order)} findings"
            + (" (skipped: --no-reduce)" if opts.no_reduce else ""))
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        for f, result in pool.map(work, order):
            reduced[id(f)] = result
    # Hangs (and failures without a stack) that reduced to the same
    # command are one finding.
    merged = {}
    for f in order:
        sig = final_signature(f, reduced[id(f)][0])
        if sig in merged:
            first = merged[sig]
            first.hits += f.hits
            first.keys |= f.keys
            continue
        f.outcome.signature = sig
        merged[sig] = f
    reduce_s = time.monotonic() - reduce_start
    summary = write_outputs(opts, stats, merged, reduced,
                            {"campaign": round(campaign_s, 1),
                             "reduce": round(reduce_s, 1),
                             "total": round(campaign_s + reduce_s, 1)},
                            sanitized, log)
    failing = [r for r in summary["findings"] if r["class"] in opts.fail_on]
    print(f"fuzz: {stats.runs} runs, {stats.line()}; "
          f"{len(summary['findings'])} distinct findings, {len(failing)} failing "
          f"(summary: {os.path.join(opts.out, 'summary.md')})", flush=True)
    for r in summary["findings"]:
        print(f"  {r['id']}: {r['signature']}\n    {r['command']}  "
              f"[{r['lines_before']} -> {r['lines_after']} lines, reproduces "
              f"{r['reproduces']}] {r['reduced']}", flush=True)
    return 1 if failing else 0


def reduce_files(opts, executor, sanitized, log):
    """--reduce: reduces given reproducers (first line `// CMD: ...`)."""
    stats = Stats()
    findings = {}
    for index, path in enumerate(opts.reduce):
        with open(path, encoding="utf-8", errors="replace") as f:
            content = f.read()
        m = find_cmd(content)
        if not m:
            log(f"{path}: no // CMD: line, skipped")
            continue
        words = shlex.split(m.group(1))
        tool = "opt" if words[0] == "pixelfly-opt" else "pattern"
        args = []
        rest = words[1:]
        i = 0
        while i < len(rest):
            w = rest[i]
            if tool == "opt" and w == "-o" and i + 1 < len(rest):
                i += 2
                continue
            if tool == "opt" and w == "FILE":
                i += 1
                continue
            args.append(w)
            i += 1
        text = strip_comments(content) if tool == "opt" else ""
        key = commands.spec_key(args) if tool == "opt" else PATTERN_KEY
        case = Case(index, tool, args, text, os.path.relpath(path), [], key)
        outcome = executor.run(tool, args, text, key)
        stats.add(key, outcome.cls)
        log(f"{path}: {outcome.cls} {outcome.signature}")
        if not outcome.signature:
            continue
        finding = findings.setdefault(outcome.signature, Finding(case, outcome))
        finding.hits += 1
        finding.keys.add(key)
    return finish(opts, executor, stats, findings, 0.0, sanitized, log)


if __name__ == "__main__":
    sys.exit(main())
