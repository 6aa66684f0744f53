"""The command lines the fuzzer runs: the project's passes and pipelines of
pixelfly-opt (read from its --help at run time), combinations of them, the
pass options seen in the lit tests' RUN lines, and random command lines of
pixelfly-pattern."""

import os
import re
import shlex
import subprocess

from mutators import CHIPS, pick_int

# Combinations that make sense (a pass that prepares what the next reads).
# Names that the binary does not have are dropped.
COMBINATIONS = [
    ["pixelfly-gpu-config", "convert-pixelfly-to-gpu"],
    ["pixelfly-budget", "pixelfly-sparsify"],
    ["pixelfly-sparsify", "pixelfly-gpu-config", "convert-pixelfly-to-gpu"],
    ["pixelfly-sparsify", "convert-pixelfly-to-linalg"],
    ["pixelfly-sparsify", "pixelfly-expand-to-dense"],
    ["pixelfly-sparsify", "pixelfly-cpu-pipeline"],
    ["pixelfly-sparsify", "pixelfly-gpu-pipeline=format=isa"],
    ["pixelfly-budget", "pixelfly-sparsify", "pixelfly-gpu-pipeline=format=isa"],
    ["convert-pixelfly-to-linalg", "pixelfly-cpu-vectorize",
     "pixelfly-cpu-hoist-transfers"],
    ["pixelfly-gpu-config", "convert-pixelfly-to-gpu",
     "pixelfly-gpu-device-memory", "pixelfly-gpu-device-constants"],
    ["test-pixelfly-fold-prune", "pixelfly-cpu-pipeline"],
    ["pixelfly-expand-to-dense", "pixelfly-cpu-pipeline"],
    ["canonicalize", "pixelfly-sparsify"],
]

# Values for string options, by option name.
STRING_VALUES = {
    "chip": CHIPS,
    "target": ["sm_80", "sm_90", "sm_90a", "sm_70", "", "bogus"],
    "format": ["isa", "isa", "isa", "bogus", ""],
    "mode": ["auto", "butterfly", "2:4", "4:8", "low_rank", "dense", "bogus",
             "0:0", "2:2", "1:4", "2:0"],
    "weights": ["all", "argument", "project", "constant", "some", ""],
    "structures": ["butterfly", "two_four", "low_rank", "dense",
                   "butterfly,low_rank", "butterfly,dense", "bogus", ""],
    "report": ["-", "report.txt", "report.json"],
    "report-format": ["json", "text", "xml", ""],
    "ptx-features": ["+ptx80", "+ptx60", "", "bogus"],
    "func": ["f", "main", "nosuch", ""],
}
DOUBLE_VALUES = ["0", "1", "0.5", "0.25", "0.001", "1e-300", "-1", "2", "1e308",
                 "inf", "nan", "-0", "0.9999999"]
# Options never randomized: they make the tool do something else (write
# files elsewhere, need external programs) rather than test the pass.
SKIP_OPTIONS = {"format:bin", "format:fatbin"}


class PassInfo:
    def __init__(self, name, pipeline):
        self.name = name
        self.pipeline = pipeline
        self.options = {}  # name -> type ('long', 'number', 'string', 'bool', ...)


def parse_help(text):
    """Passes and pass pipelines listed by `mlir-opt --help`, with their
    options: {name: PassInfo}."""
    passes = {}
    section = None
    pass_indent = None
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in ("Passes:", "Pass Pipelines:"):
            section = stripped
            pass_indent = None
            continue
        if section is None:
            continue
        m = re.match(r"^(\s*)--?([\w.-]+)(?:=<(\w+)>|\s<(\w+)>)?(?:\s|$)", line)
        if not m:
            continue
        indent = len(m.group(1))
        if pass_indent is None:
            pass_indent = indent
        if indent == pass_indent:
            current = PassInfo(m.group(2), section == "Pass Pipelines:")
            passes[current.name] = current
        elif indent > pass_indent and current is not None:
            current.options[m.group(2)] = m.group(3) or m.group(4) or "bool"
        elif indent < pass_indent:
            # enum values (`=isa`) are listed less indented; anything else
            # ends the list
            if not stripped.startswith("="):
                section = None
    return passes


def our_pass(name):
    return "pixelfly" in name


def read_help(argv):
    out = subprocess.run(list(argv) + ["--help"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=120)
    return out.stdout


class CommandSpec:
    """One pixelfly-opt command: pass flags (as argv) and the key under
    which its runs are counted (the pass names, without options)."""

    def __init__(self, args, origin="base"):
        self.args = list(args)
        self.origin = origin
        self.key = spec_key(self.args)

    def __repr__(self):
        return f"CommandSpec({self.args!r})"


def flag_name(arg):
    return arg.lstrip("-").split("=", 1)[0]


def spec_key(args):
    names = [flag_name(a) for a in args
             if flag_name(a) not in ("allow-unregistered-dialect",
                                     "split-input-file", "mlir-disable-threading")]
    return " + ".join(names) if names else "(parse)"


def _known(names, passes):
    return all(flag_name(n) in passes for n in names)


def harvest_run_lines(roots, passes):
    """Pass flags of the `pixelfly-opt` RUN lines of the lit tests whose
    passes all exist and one of which is ours: real option values and
    pass orders."""
    found = []
    seen = set()
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith((".mlir", ".test")):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    with open(path, encoding="utf-8", errors="replace") as f:
                        text = f.read(200_000)
                except OSError:
                    continue
                text = re.sub(r"\\\n\s*(?://\s*)?(?:RUN:)?", " ", text)
                for m in re.finditer(r"RUN:(.*)", text):
                    for part in re.split(r"\||&&|;", m.group(1)):
                        part = part.strip()
                        if not part.startswith("pixelfly-opt"):
                            continue
                        try:
                            words = shlex.split(part)[1:]
                        except ValueError:
                            continue
                        flags = []
                        for w in words:
                            if not w.startswith("-") or w in ("-o", "-"):
                                continue
                            n = flag_name(w)
                            if n in passes:
                                w = "--" + w.lstrip("-")
                                flags.append(w)
                        if not flags or not any(our_pass(flag_name(w)) for w in flags):
                            continue
                        if any("format=bin" in w or "format=fatbin" in w
                               or "%" in w for w in flags):
                            continue
                        t = tuple(flags)
                        if t not in seen:
                            seen.add(t)
                            found.append(CommandSpec(flags, "run-line"))
    return found


def base_specs(passes):
    """Parse only, every pass and pipeline of ours alone, and the
    combinations."""
    specs = [CommandSpec([], "base")]
    for name in sorted(passes):
        if not our_pass(name):
            continue
        if name == "pixelfly-gpu-pipeline":
            specs.append(CommandSpec(["--pixelfly-gpu-pipeline=format=isa"]))
        else:
            specs.append(CommandSpec(["--" + name]))
    for combo in COMBINATIONS:
        if _known(combo, passes):
            specs.append(CommandSpec(["--" + c for c in combo], "combination"))
    return specs


def _option_value(rng, name, typ):
    if typ in ("long", "int", "uint", "ulong"):
        v = pick_int(rng, str(rng.choice([0, 8, 32, 128])))
        if v == "?":
            v = "-1"
        if typ in ("uint", "ulong") and rng.random() < 0.7:
            v = v.lstrip("-")
        return v
    if typ == "number":
        return rng.choice(DOUBLE_VALUES)
    if typ == "bool":
        return rng.choice(["true", "false"])
    values = STRING_VALUES.get(name)
    if values:
        return rng.choice(values)
    return rng.choice(["", "x", "-"])


def randomize_options(args, rng, passes):
    """Gives one or two passes of the command random option values."""
    args = list(args)
    idx = [i for i, a in enumerate(args)
           if flag_name(a) in passes and passes[flag_name(a)].options
           and our_pass(flag_name(a))]
    if not idx:
        return args, None
    i = rng.choice(idx)
    info = passes[flag_name(args[i])]
    existing = {}
    if "=" in args[i]:
        for kv in args[i].split("=", 1)[1].split():
            k, _, v = kv.partition("=")
            existing[k] = v
    names = sorted(info.options)
    for _ in range(rng.randint(1, 3)):
        opt = rng.choice(names)
        value = _option_value(rng, opt, info.options[opt])
        if f"{opt}:{value}" in SKIP_OPTIONS:
            continue
        existing[opt] = value
    if info.name == "pixelfly-gpu-pipeline" and existing.get("format", "isa") \
            in ("bin", "fatbin"):
        existing["format"] = "isa"
    body = " ".join(f"{k}={v}" if v != "" else f"{k}=" for k, v in existing.items())
    args[i] = f"--{info.name}={body}"
    return args, args[i]


def render_arg(arg):
    """A flag as one would type it in a shell: --pass="a=1 b=2"."""
    if arg.startswith("--") and "=" in arg:
        name, value = arg.split("=", 1)
        if value == "" or re.search(r"[\s\"'$`\\*?;&|<>()]", value):
            return f'{name}="' + value.replace('"', '\\"') + '"'
        return arg
    return shlex.quote(arg)


def render_opt_command(args, tool="pixelfly-opt"):
    return " ".join([tool] + [render_arg(a) for a in args] + ["FILE", "-o", "/dev/null"])


def render_pattern_command(args, tool="pixelfly-pattern"):
    return " ".join([tool] + [shlex.quote(a) for a in args])


# --- pixelfly-pattern -------------------------------------------------------

PATTERN_OPTIONS = ["butterfly-size", "factors", "block", "shape", "global",
                   "png", "png-scale"]
GARBAGE = ["", "abc", "1e3", "+4", "0x10", " 8", "8 ", "4.0", "-0", "--",
           "9223372036854775808", "-9223372036854775809", "18446744073709551616",
           "1x", "x1", "8x8x8", "?", "08", "\u0663"]


def pattern_command(rng):
    """A random pixelfly-pattern command line: mostly a consistent one with
    one or two values changed, sometimes garbage."""
    bs = 1 << rng.randint(1, 6)
    factors = rng.randint(1, max(1, bs.bit_length() - 1))
    block = rng.choice([1, 2, 4, 8, 16, 32, 64])
    n = bs * block * rng.randint(1, 4)
    k = bs * block * rng.randint(1, 4)
    opts = {"butterfly-size": str(bs), "factors": str(factors),
            "block": str(block), "shape": f"{n}x{k}"}
    if rng.random() < 0.3:
        opts["global"] = str(rng.choice([0, block, 2 * block]))
    if rng.random() < 0.2:
        opts["png"] = "out.png"
        if rng.random() < 0.5:
            opts["png-scale"] = str(rng.choice([1, 2, 3, 8]))
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        name = rng.choice(PATTERN_OPTIONS)
        r = rng.random()
        if r < 0.12:
            opts.pop(name, None)
        elif r < 0.25:
            opts[name] = rng.choice(GARBAGE)
        elif name == "shape":
            a, _, b = opts.get("shape", "64x64").partition("x")
            if rng.random() < 0.5:
                a = pick_int(rng, a)
            else:
                b = pick_int(rng, b)
            opts["shape"] = f"{a}x{b}".replace("?", "-1")
        elif name == "png":
            opts["png"] = rng.choice(["out.png", "", "no/such/dir/x.png", "."])
        else:
            opts[name] = pick_int(rng, opts.get(name, "8")).replace("?", "-1")
    args = []
    for name, value in opts.items():
        style = rng.random()
        if style < 0.55:
            args += [f"--{name}", value]
        elif style < 0.8:
            args.append(f"--{name}={value}")
        elif style < 0.9:
            args += [f"-{name}", value]
        else:
            args.append(f"-{name}={value}")
    r = rng.random()
    if r < 0.03:
        args.insert(rng.randrange(len(args) + 1), rng.choice(["--help", "-h", "--version"]))
    elif r < 0.07:
        args.insert(rng.randrange(len(args) + 1),
                    rng.choice(["--blok", "--factor", "extra", "-", "--shape",
                                "--global=", "--help=1", "--png-scale=0"]))
    elif r < 0.10 and args:
        args.insert(rng.randrange(len(args) + 1), rng.choice(args))
    if rng.random() < 0.5:
        # the order of options does not matter to the tool
        pairs = option_groups(args)
        rng.shuffle(pairs)
        args = [a for g in pairs for a in g]
    return args


def option_groups(args):
    """[--name value] pairs and single --name=value / bare arguments."""
    groups = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and "=" not in a and i + 1 < len(args) and \
                a.lstrip("-") in PATTERN_OPTIONS:
            groups.append([a, args[i + 1]])
            i += 2
        else:
            groups.append([a])
            i += 1
    return groups

