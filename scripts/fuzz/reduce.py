"""Reduction of a finding to a small input that fails the same way.

`interesting(args, text)` runs the tool and says whether the outcome has
the same class and signature as the original finding. The reducer tries,
in order:
  1. split-input-file chunk selection: one chunk alone, else ddmin over
     the chunks;
  2. the command: dropping passes, pass options, --split-input-file,
     --allow-unregistered-dialect and --mlir-disable-threading;
  3. line-based delta debugging (ddmin over lines), then very long lines
     (hex blobs, dense constants) cut in the middle or in half;
  4. the command and the lines once more (a smaller input may need fewer
     passes), except for hangs, where every test that still hangs costs
     the whole timeout;
each step keeping the signature. It stops early at the time or test
budget, keeping the smallest input found so far.
"""

import hashlib
import re
import time

# A separator line, with its newline: splitting on it and joining with
# "// -----\n" gives the same bytes back (a truncated input may end without
# a newline, and some crashes need exactly that).
SEPARATOR_RE = re.compile(r"^// -----[ \t]*(?:\n|$)", re.M)


class Budget(Exception):
    pass


class Reducer:
    def __init__(self, interesting, max_seconds=120.0, max_tests=2000,
                 expensive=False, keep_flags=()):
        # expensive: every test that still fails costs the whole timeout
        # (hangs), so try fewer variants.
        self.expensive = expensive
        self.keep_flags = set(keep_flags)
        self._interesting = interesting
        self.deadline = time.monotonic() + max_seconds
        self.max_tests = max_tests
        self.tests = 0
        self.cache = {}

    def test(self, args, text):
        key = (tuple(args), hashlib.sha1(text.encode("utf-8", "replace")).hexdigest())
        if key in self.cache:
            return self.cache[key]
        if time.monotonic() > self.deadline or self.tests >= self.max_tests:
            raise Budget()
        self.tests += 1
        ok = bool(self._interesting(list(args), text))
        self.cache[key] = ok
        return ok

    # -- command ---------------------------------------------------------
    def reduce_command(self, args, text):
        args = list(args)
        changed = True
        while changed:
            changed = False
            # whole flags, last first (later passes depend on earlier ones)
            for i in range(len(args) - 1, -1, -1):
                if args[i] in self.keep_flags:
                    continue
                cand = args[:i] + args[i + 1:]
                if self.test(cand, text):
                    args = cand
                    changed = True
                    break
            if changed:
                continue
            # options of a pass: all, then one at a time
            for i, a in enumerate(args):
                if not a.startswith("--") or "=" not in a:
                    continue
                name, body = a.split("=", 1)
                if name == "--pixelfly-gpu-pipeline" and body == "format=isa":
                    continue
                cand = args[:i] + [name] + args[i + 1:]
                if self.test(cand, text):
                    args = cand
                    changed = True
                    break
                parts = body.split()
                for j in range(len(parts)):
                    rest = parts[:j] + parts[j + 1:]
                    if not rest:
                        continue
                    cand = args[:i] + [name + "=" + " ".join(rest)] + args[i + 1:]
                    if self.test(cand, text):
                        args = cand
                        changed = True
                        break
                if changed:
                    break
        return args

    # -- chunks ----------------------------------------------------------
    @staticmethod
    def chunks(text):
        return SEPARATOR_RE.split(text)

    @staticmethod
    def join_chunks(chunks):
        return "// -----\n".join(chunks)

    def reduce_chunks(self, args, text):
        chunks = self.chunks(text)
        if len(chunks) < 2:
            return text
        for c in chunks:
            if self.test(args, c):
                return c
        kept = self.ddmin(chunks, lambda cs: self.test(args, self.join_chunks(cs)))
        return self.join_chunks(kept)

    # -- lines -----------------------------------------------------------
    def reduce_lines(self, args, text):
        # Byte for byte: a final newline stays (outside the ddmin), a
        # missing one (truncated input) stays missing.
        end = "\n" if text.endswith("\n") else ""
        lines = (text[:-1] if end else text).split("\n")
        kept = self.ddmin(lines, lambda ls: self.test(args, "\n".join(ls) + end))
        return "\n".join(kept) + end

    def reduce_long_lines(self, args, text, longest=256):
        """Shortens very long lines (hex blobs, dense constants) by cutting
        their middle, then a half, while the failure stays: a few tests per
        line instead of a character-level ddmin."""
        lines = text.split("\n")
        order = sorted((i for i, ln in enumerate(lines) if len(ln) > longest),
                       key=lambda i: -len(lines[i]))
        for i in order:
            while len(lines[i]) > longest:
                line = lines[i]
                n = len(line)
                candidates = [line[: n // 4] + line[3 * n // 4:],  # the middle
                              line[: n // 2],                       # the end
                              line[n // 2:]]                        # the start
                for cand in candidates:
                    trial = lines[:i] + [cand] + lines[i + 1:]
                    if self.test(args, "\n".join(trial)):
                        lines = trial
                        break
                else:
                    break
        return "\n".join(lines)

    def ddmin(self, items, test):
        """Zeller's ddmin (subsets, then complements, then finer
        granularity); on Budget returns the smallest passing list found so
        far."""
        best = list(items)
        n = 2
        try:
            while len(best) >= 2:
                size = len(best)
                chunk = -(-size // n)
                subsets = [best[i:i + chunk] for i in range(0, size, chunk)]
                progress = False
                for s in subsets:
                    if len(s) < size and test(s):
                        best, n, progress = s, 2, True
                        break
                if not progress and len(subsets) > 2:
                    for i in range(len(subsets)):
                        complement = [x for j, s in enumerate(subsets) if j != i
                                      for x in s]
                        if test(complement):
                            best, n, progress = complement, max(n - 1, 2), True
                            break
                if not progress:
                    if n >= size:
                        break
                    n = min(size, n * 2)
        except Budget:
            pass
        return best

    def reduce(self, args, text):
        """Returns (args, text, complete) where complete is False when the
        budget ran out before the end."""
        complete = True
        try:
            if not self.test(args, text):
                return args, text, False  # does not reproduce (flaky)
            text = self.reduce_chunks(args, text)
            args = self.reduce_command(args, text)
            text = self.reduce_lines(args, text)
            text = self.reduce_long_lines(args, text)
            if not self.expensive:
                # a smaller input may need fewer passes, and fewer passes
                # fewer lines
                args = self.reduce_command(args, text)
                text = self.reduce_lines(args, text)
        except Budget:
            complete = False
        return args, text, complete


def reduce_args(interesting, groups, max_seconds=60.0, max_tests=500):
    """ddmin over the option groups of a command line (pixelfly-pattern)."""
    red = Reducer(lambda _args, text: interesting(
        [a for g in _decode(text) for a in g]), max_seconds, max_tests)
    kept = red.ddmin(groups, lambda gs: red.test([], _encode(gs)))
    return [a for g in kept for a in g], red.tests


def _encode(groups):
    return "\x00".join("\x01".join(g) for g in groups)


def _decode(text):
    if text == "":
        return []
    return [g.split("\x01") for g in text.split("\x00")]
