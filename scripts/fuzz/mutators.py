"""Text mutations of MLIR inputs, driven by a random.Random.

Every mutation takes (text, rng, ctx) and returns (new_text, description),
or None when it does not apply to the text. They work on the text, not on
a parsed module, so they also make inputs the parser must refuse.
"""

import re

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# Integers that tend to break size arithmetic: zero, one, minus one, powers
# of two around int32/int64 limits, and one past them.
INTERESTING_INTS = [
    0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 100,
    127, 128, 255, 256, 512, 1000, 1023, 1024, 4096, 65535, 65536, 1 << 20,
    1 << 24, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**40, 2**48,
    2**62, 2**62 + 1, INT64_MAX - 1, INT64_MAX, INT64_MIN, -(2**31), -2,
    2**63, 2**64, 2**64 + 1,
]
HUGE_INTS = [2**31, 2**32, 2**40, 2**62, INT64_MAX, 2**63, 2**64]

ELEMENT_TYPES = ["f16", "bf16", "f32", "f64", "i1", "i4", "i8", "i16", "i32",
                 "i64", "index", "tf32", "f8E4M3FN", "f8E5M2", "complex<f32>",
                 "ui8", "si32"]
CHIPS = ["sm_80", "sm_86", "sm_89", "sm_90", "sm_90a", "sm_70", "sm_75",
         "sm_100", "sm_120", "sm_", "", "bogus", "sm_80 ", "SM_80", "gfx90a"]
STRUCTURES = ["dense", "butterfly", "low_rank", "two_four", "bogus"]

# A number not inside an identifier (%arg0, sm_80, f32, #map1, 1.5) but
# possibly inside a shape (64x?x32xf16): the neighbours may be 'x'.
_NUM_RE = re.compile(r"(?<![A-Za-wyz0-9_%#@$.^!\-])(-?\d+|\?)(?![A-Za-wyz0-9_.])")
_STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_TYPE_RE = re.compile(r"(?<=[x<\s(,:\[])(bf16|f16|f32|f64|tf32|f8E4M3FN|f8E5M2|"
                      r"i1|i4|i8|i16|i32|i64|index)(?![\w])")
_PIXELFLY_ATTR_RE = re.compile(r"#pixelfly\.(flat_butterfly|block_layout|gpu_config|plan)<")
_PARAM_RE = re.compile(
    r"(?<![\w])(\w+)\s*=\s*(\"[^\"]*\"|\[[^\]]*\]|#?[\w.]+(?:x[\w?]+)*|\?(?:x[\w?]+)*)")
_SEPARATOR = "// -----"


def _string_spans(text):
    return [(m.start(), m.end()) for m in _STRING_RE.finditer(text)]


def _outside(spans, pos):
    """pos is in none of the sorted, disjoint spans (binary search)."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return not (lo < len(spans) and spans[lo][0] <= pos < spans[lo][1])


def number_sites(text):
    spans = _string_spans(text)
    sites = []
    for m in _NUM_RE.finditer(text):
        s = m.group(1)
        if s == "?":
            # only dynamic sizes of shapes
            before = text[m.start() - 1: m.start()]
            after = text[m.end(): m.end() + 1]
            if before not in ("x", "<") and after != "x":
                continue
        if _outside(spans, m.start()):
            sites.append((m.start(), m.end(), s))
    return sites


def _in_shape(text, start, end):
    return text[end: end + 1] == "x" or text[start - 1: start] == "x"


def pick_int(rng, original=None, shape=False):
    """A new value for a number: interesting, near the original, or '?'."""
    r = rng.random()
    if shape and r < 0.08:
        return "?"
    n = None
    if original not in (None, "?"):
        try:
            n = int(original)
        except ValueError:
            n = None
    if n is not None and r < 0.40:
        choices = [n - 1, n + 1, n * 2, n // 2, n * 1024, n * n, -n,
                   1 << max(0, n.bit_length()), n * 65536, n * 2**31]
        return str(rng.choice(choices))
    if r < 0.60:
        return str(rng.choice(HUGE_INTS))
    return str(rng.choice(INTERESTING_INTS))


def mut_number_one(text, rng, ctx):
    sites = number_sites(text)
    if not sites:
        return None
    start, end, s = rng.choice(sites)
    new = s
    for _ in range(4):
        if new != s:
            break
        new = pick_int(rng, s, _in_shape(text, start, end))
    return text[:start] + new + text[end:], f"num {s}->{new}"


def mut_number_all(text, rng, ctx):
    """Replaces every occurrence of one number (most often a dimension) so
    that shapes stay consistent and the input gets past the verifiers."""
    sites = number_sites(text)
    if not sites:
        return None
    start, end, s = rng.choice(sites)
    shape = _in_shape(text, start, end)
    new = s
    for _ in range(4):
        if new != s:
            break
        new = pick_int(rng, s, shape)
    if new == "?":
        # '?' only where it can stand: in shapes
        chosen = [x for x in sites if x[2] == s and _in_shape(text, x[0], x[1])]
    else:
        chosen = [x for x in sites if x[2] == s]
    partial = rng.random() < 0.25
    out, last = [], 0
    for a, b, _ in chosen:
        if partial and rng.random() < 0.5:
            continue
        out.append(text[last:a])
        out.append(new)
        last = b
    out.append(text[last:])
    return "".join(out), f"num-all {s}->{new}{' (some)' if partial else ''}"


_SHAPED_RE = re.compile(r"\b(?:tensor|memref|vector)<((?:(?:\d+|\?)x)+)([a-z][\w]*)")


def mut_shaped_type(text, rng, ctx):
    """Changes one dimension of a shaped type (tensor<64x32xf16>) wherever
    that exact type is written, so that the values keep one type and the
    input gets past the parser to the verifiers and the passes."""
    sites = list(_SHAPED_RE.finditer(text))
    if not sites:
        return None
    m = rng.choice(sites)
    dims = m.group(1)[:-1].split("x")
    i = rng.randrange(len(dims))
    new = dims[i]
    for _ in range(4):
        if new != dims[i]:
            break
        new = pick_int(rng, dims[i], True)
    old_type = m.group(0)
    dims[i] = new
    new_type = old_type[: old_type.index("<") + 1] + "x".join(dims) + "x" + m.group(2)
    pattern = re.compile(re.escape(old_type) + r"(?![\w])")
    return pattern.sub(new_type, text), f"shape {old_type}> -> {new_type}>"


def mut_element_type(text, rng, ctx):
    sites = [(m.start(), m.end(), m.group(1)) for m in _TYPE_RE.finditer(text)]
    if not sites:
        return None
    spans = _string_spans(text)
    sites = [s for s in sites if _outside(spans, s[0])]
    if not sites:
        return None
    _, _, old = rng.choice(sites)
    new = rng.choice([t for t in ELEMENT_TYPES if t != old])
    if rng.random() < 0.85:
        chosen = [s for s in sites if s[2] == old]
        desc = f"type-all {old}->{new}"
    else:
        chosen = [rng.choice([s for s in sites if s[2] == old])]
        desc = f"type {old}->{new}"
    out, last = [], 0
    for a, b, _ in chosen:
        out.append(text[last:a])
        out.append(new)
        last = b
    out.append(text[last:])
    return "".join(out), desc


def _balanced_end(text, start):
    """Index after the '>' that closes the '<' at text[start-1]."""
    depth = 1
    i = start
    n = len(text)
    while i < n and depth:
        c = text[i]
        if c == "<":
            depth += 1
        elif c == ">" and text[i - 1] != "-":
            depth -= 1
        elif c == '"':
            j = text.find('"', i + 1)
            i = j if j >= 0 else n
        i += 1
    return i if depth == 0 else -1


def pixelfly_attrs(text):
    """(start, end, kind) of every #pixelfly.<kind><...> attribute."""
    found = []
    for m in _PIXELFLY_ATTR_RE.finditer(text):
        end = _balanced_end(text, m.end())
        if end > 0:
            found.append((m.start(), end, m.group(1)))
    return found


def _small_pow2(rng, lo=0, hi=7):
    return 1 << rng.randint(lo, hi)


def gen_flat_butterfly(rng):
    wild = rng.random() < 0.3
    bs = _small_pow2(rng, 1, 6)
    nf = rng.randint(1, max(1, bs.bit_length() - 1))
    block = rng.choice([8, 16, 32, 64, 128])
    if wild:
        which = rng.randrange(4)
        if which == 0:
            bs = int(pick_int(rng, bs))
        elif which == 1:
            nf = int(pick_int(rng, nf))
        elif which == 2:
            block = int(pick_int(rng, block))
    params = [f"butterfly_size = {bs}", f"n_factors = {nf}", f"block = {block}"]
    if rng.random() < 0.3 or (wild and rng.random() < 0.5):
        g = rng.choice([0, block, 2 * block, -1, int(pick_int(rng, block))])
        params.append(f"global_size = {g}")
    return "#pixelfly.flat_butterfly<" + ", ".join(params) + ">"


def gen_gpu_config(rng):
    vals = {
        "tile_m": rng.choice([16, 32, 64, 128, 256]),
        "tile_n": rng.choice([8, 16, 32, 64, 128, 256]),
        "tile_k": rng.choice([16, 32, 64]),
        "warps_m": rng.choice([1, 2, 4]),
        "warps_n": rng.choice([1, 2, 4]),
        "stages": rng.choice([1, 2, 3, 4]),
    }
    if rng.random() < 0.5:
        key = rng.choice(sorted(vals))
        vals[key] = int(pick_int(rng, vals[key]))
    chip = rng.choice(CHIPS[:6]) if rng.random() < 0.85 else rng.choice(CHIPS)
    body = ", ".join([f'chip = "{chip}"'] + [f"{k} = {vals[k]}" for k in
                                            ("tile_m", "tile_n", "tile_k",
                                             "warps_m", "warps_n", "stages")])
    return f"#pixelfly.gpu_config<{body}>"


def gen_plan(rng):
    structure = rng.choice(STRUCTURES[:4]) if rng.random() < 0.95 else "bogus"
    params = [f"structure = {structure}"]
    if structure == "butterfly" or rng.random() < 0.1:
        params.append("pattern = " + gen_flat_butterfly(rng))
    if structure in ("butterfly", "low_rank") or rng.random() < 0.1:
        rank = rng.choice([0, 1, 8, 16, 32, 64]) if rng.random() < 0.7 else \
            int(pick_int(rng, 16))
        params.append(f"rank = {rank}")
    if structure == "two_four" and rng.random() < 0.5:
        params.append(f"transposable = {rng.choice(['true', 'false'])}")
    return "#pixelfly.plan<" + ", ".join(params) + ">"


def gen_block_layout(rng):
    bm = rng.choice([8, 16, 32, 64])
    bk = bm if rng.random() < 0.8 else rng.choice([8, 16, 32, 64])
    rows = rng.randint(1, 8)
    cols = rng.randint(1, 8)
    n, k = str(rows * bm), str(cols * bk)
    if rng.random() < 0.25:
        n = pick_int(rng, n, True) if rng.random() < 0.5 else n
        k = pick_int(rng, k, True) if rng.random() < 0.5 else k
    head = f"shape = {n}x{k}, block = {bm}x{bk}"
    if rng.random() < 0.5:
        fb = gen_flat_butterfly(rng)
        return f"#pixelfly.block_layout<{head}, source = {fb}>"
    row_ptr = [0]
    col_idx = []
    for _ in range(rows):
        picked = sorted(rng.sample(range(cols), rng.randint(0, cols)))
        col_idx += picked
        row_ptr.append(len(col_idx))
    if rng.random() < 0.3:
        _mutate_list(rng, row_ptr if rng.random() < 0.5 else col_idx)
    return (f"#pixelfly.block_layout<{head}, row_ptr = {row_ptr}, "
            f"col_idx = {col_idx}>")


GENERATORS = {
    "flat_butterfly": gen_flat_butterfly,
    "gpu_config": gen_gpu_config,
    "plan": gen_plan,
    "block_layout": gen_block_layout,
}


def _mutate_list(rng, values):
    op = rng.randrange(6)
    if op == 0 and values:
        values.pop(rng.randrange(len(values)))
    elif op == 1 and values:
        values.insert(rng.randrange(len(values) + 1), rng.choice(values))
    elif op == 2 and values:
        values[rng.randrange(len(values))] = int(pick_int(rng, values[0]))
    elif op == 3:
        values.reverse()
    elif op == 4:
        values.clear()
    else:
        values.append(rng.choice([0, 1, -1, 2**31, INT64_MAX]))


def _param_value(rng, key, old):
    if key == "chip":
        return '"' + rng.choice(CHIPS) + '"'
    if key == "structure":
        return rng.choice(STRUCTURES)
    if key == "transposable":
        return rng.choice(["true", "false", "1", "0"])
    if key in ("shape", "block") and "x" in old:
        dims = old.split("x")
        i = rng.randrange(len(dims))
        dims[i] = pick_int(rng, dims[i], True)
        if rng.random() < 0.1:
            dims.append(pick_int(rng, dims[0], True))
        return "x".join(dims)
    if key in ("row_ptr", "col_idx"):
        try:
            values = [int(v) for v in old.strip("[]").split(",") if v.strip()]
        except ValueError:
            values = []
        _mutate_list(rng, values)
        return "[" + ", ".join(str(v) for v in values) + "]"
    if key in ("pattern", "source"):
        return gen_flat_butterfly(rng)
    return pick_int(rng, old)


def mut_pixelfly_param(text, rng, ctx):
    """Changes, drops or duplicates one parameter of a #pixelfly attribute."""
    attrs = pixelfly_attrs(text)
    if not attrs:
        return None
    start, end, kind = rng.choice(attrs)
    body_start = text.index("<", start) + 1
    body = text[body_start: end - 1]
    params = list(_PARAM_RE.finditer(body))
    # nested attributes are mutated through their own match
    if not params:
        return None
    p = rng.choice(params)
    key, old = p.group(1), p.group(2)
    r = rng.random()
    if r < 0.8:
        new = _param_value(rng, key, old)
        body = body[: p.start(2)] + new + body[p.end(2):]
        desc = f"{kind}.{key} {old[:20]}->{new[:20]}"
    elif r < 0.9:
        # drop the parameter (and one comma)
        a, b = p.start(), p.end()
        if body[b: b + 2] == ", ":
            b += 2
        elif body[max(0, a - 2): a] == ", ":
            a -= 2
        body = body[:a] + body[b:]
        desc = f"{kind}.{key} dropped"
    else:
        body = body[: p.end()] + ", " + p.group(0) + body[p.end():]
        desc = f"{kind}.{key} duplicated"
    return text[:body_start] + body + text[end - 1:], desc


def mut_pixelfly_replace(text, rng, ctx):
    """Replaces a #pixelfly attribute with a freshly generated one."""
    attrs = pixelfly_attrs(text)
    if not attrs:
        return None
    start, end, kind = rng.choice(attrs)
    if rng.random() < 0.1:
        kind = rng.choice(sorted(GENERATORS))
    new = GENERATORS[kind](rng)
    return text[:start] + new + text[end:], f"{kind} replaced: {new[:60]}"


_MATMUL_RE = re.compile(r"linalg\.(?:matmul|batch_matmul|matmul_transpose_b)(?= ins\()")
_PLAN_USE_RE = re.compile(r"pixelfly\.plan = (#\w+)")


def mut_attach_plan(text, rng, ctx):
    """Puts a generated plan on a linalg.matmul (or over the plan it has)."""
    uses = list(_PLAN_USE_RE.finditer(text))
    mms = list(_MATMUL_RE.finditer(text))
    if uses and (not mms or rng.random() < 0.5):
        m = rng.choice(uses)
        new = gen_plan(rng)
        return (text[: m.start(1)] + new + text[m.end(1):],
                f"plan use {m.group(1)} -> {new[:50]}")
    if not mms:
        return None
    m = rng.choice(mms)
    new = gen_plan(rng)
    return (text[: m.end()] + " {pixelfly.plan = " + new + "}" + text[m.end():],
            f"plan attached: {new[:50]}")


def mut_gpu_config_attach(text, rng, ctx):
    """Gives a pixelfly op a (possibly odd) GPU configuration."""
    cand = [m for m in re.finditer(r"(?<=\) )layout\(#[\w.]+\)|outs\([^()]*\)(?= ->|\n)", text)
            if "pixelfly." in text[text.rfind("\n", 0, m.start()): m.start()]]
    if not cand:
        return None
    m = rng.choice(cand)
    tail = text[m.end(): m.end() + 2]
    if tail.startswith(" {"):
        return None
    new = " {pixelfly.gpu_config = " + gen_gpu_config(rng) + "}"
    return text[: m.end()] + new + text[m.end():], "gpu_config attached"


def _lines(text):
    return text.split("\n")


def mut_delete_lines(text, rng, ctx):
    lines = _lines(text)
    if len(lines) < 2:
        return None
    i = rng.randrange(len(lines))
    n = 1 if rng.random() < 0.7 else rng.randint(2, 4)
    del lines[i: i + n]
    return "\n".join(lines), f"delete lines {i + 1}+{n}"


def mut_duplicate_line(text, rng, ctx):
    lines = _lines(text)
    if not lines:
        return None
    i = rng.randrange(len(lines))
    if len(lines[i]) > 200_000:
        return None  # no megabyte constants twice
    j = rng.randrange(len(lines) + 1) if rng.random() < 0.5 else i
    lines.insert(j, lines[i])
    return "\n".join(lines), f"duplicate line {i + 1} at {j + 1}"


def mut_swap_lines(text, rng, ctx):
    lines = _lines(text)
    if len(lines) < 2:
        return None
    i = rng.randrange(len(lines) - 1)
    j = i + 1 if rng.random() < 0.6 else rng.randrange(len(lines))
    if i == j:
        j = i + 1
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines), f"swap lines {i + 1},{j + 1}"


def mut_truncate(text, rng, ctx):
    if len(text) < 2:
        return None
    # mostly near the end, so that most of the input still parses
    cut = int(len(text) * (1 - rng.random() ** 2 * 0.5))
    cut = max(1, min(len(text) - 1, cut))
    return text[:cut], f"truncate at {cut}/{len(text)}"


def mut_splice(text, rng, ctx):
    """Inserts a line of another seed (an alias, an op, a type)."""
    donor = ctx.random_line(rng)
    if not donor:
        return None
    lines = _lines(text)
    i = rng.randrange(len(lines) + 1)
    lines.insert(i, donor)
    return "\n".join(lines), f"splice line at {i + 1}"


def mut_separator(text, rng, ctx):
    lines = _lines(text)
    i = rng.randrange(len(lines) + 1)
    lines.insert(i, _SEPARATOR)
    return "\n".join(lines), f"separator at {i + 1}"


# (weight, function)
MUTATIONS = [
    # Weights: mutations that keep the input valid more often (every
    # occurrence of a number, plans on matmuls) come up more, so that the
    # passes, not only the parser and the verifiers, see mutated inputs.
    (4, mut_number_one),
    (20, mut_number_all),
    (8, mut_shaped_type),
    (8, mut_element_type),
    (14, mut_pixelfly_param),
    (6, mut_pixelfly_replace),
    (8, mut_attach_plan),
    (4, mut_gpu_config_attach),
    (5, mut_delete_lines),
    (3, mut_duplicate_line),
    (2, mut_swap_lines),
    (2, mut_truncate),
    (2, mut_splice),
    (1, mut_separator),
]
_TOTAL = sum(w for w, _ in MUTATIONS)


def mutate(text, rng, ctx, count):
    """Applies `count` mutations (those that do not apply are redrawn, up
    to a limit). Returns (text, [descriptions])."""
    done = []
    tries = 0
    while len(done) < count and tries < count * 8:
        tries += 1
        r = rng.random() * _TOTAL
        for w, fn in MUTATIONS:
            r -= w
            if r < 0:
                break
        result = fn(text, rng, ctx)
        if result is None:
            continue
        text, desc = result
        done.append(desc)
    return text, done
