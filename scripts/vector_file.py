"""What the gen-*-vectors.py scripts share: the program's scales, exact-integer helpers, and writing
a golden-vector JSON file.

Layout: a `_format` list of strings, then one array per case family in `cases` order, each case's
lines produced by the generator's own `case_lines(name, args)` (usually through `case` or
`u64_case`). Repeated argument tuples keep only their first occurrence. Prints a per-family summary
labelled by `outcome(name, args)`.
"""
import importlib.util
import json
import os

PRINT_WIDTH = 110  # .prettierrc.json: the files are written exactly as prettier formats them
SCRIPTS = os.path.dirname(os.path.abspath(__file__))

# The program's scales (programs/gavel/src/math/mod.rs).
U64_MAX = 2**64 - 1
BPS = 10_000
PRICE_SCALE = 10**12
RATE_SCALE = 10**12


def out_path(name):
    """tests/vectors/<name>.json."""
    return os.path.join(SCRIPTS, "..", "tests", "vectors", name + ".json")


def load_generator(name):
    """A sibling generator as a module, for its reference implementations (its main() does not run)."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(SCRIPTS, name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ceil_div(a, b):
    return -((-a) // b)


def rand_bits(rng, lo=0, hi=64):
    """A random u64 from `rng` whose bit length is uniform in [lo, hi]."""
    bits = rng.randint(lo, hi)
    return 0 if bits == 0 else rng.randrange(1 << (bits - 1), 1 << bits)


def case(items, expected, binds=None):
    """The lines of one case `{ "args": [...], "expected": ..., "binds": ... }` as prettier prints
    it: on one line when it fits, else one field per line; the args array one item per line and a
    dict `expected` one field per line when their lines do not fit. `items` are the JSON-encoded
    arguments; `expected` a JSON value (a dict's values are strings); `binds` an optional label."""
    args_json = "[%s]" % ", ".join(items)
    exp_json = json.dumps(expected, separators=(", ", ": "))
    if isinstance(expected, dict):
        exp_json = "{ %s }" % exp_json[1:-1]  # prettier's spacing inside braces
    tail = [] if binds is None else ['"binds": %s' % json.dumps(binds)]
    one = "    { %s }," % ", ".join(['"args": %s' % args_json, '"expected": %s' % exp_json] + tail)
    if len(one) <= PRINT_WIDTH:
        return [one]
    comma = "," if tail else ""
    args_line = '      "args": %s,' % args_json
    if len(args_line) <= PRINT_WIDTH:
        args_lines = [args_line]
    else:
        args_lines = ['      "args": ['] + ["        %s," % i for i in items]
        args_lines[-1] = args_lines[-1].rstrip(",")
        args_lines.append("      ],")
    exp_lines = ['      "expected": %s%s' % (exp_json, comma)]
    if isinstance(expected, dict) and len(exp_lines[0]) > PRINT_WIDTH:
        exp_lines = ['      "expected": {'] + ['        "%s": "%s",' % kv for kv in expected.items()]
        exp_lines[-1] = exp_lines[-1].rstrip(",")
        exp_lines.append("      }%s" % comma)
    return ["    {"] + args_lines + exp_lines + ["      %s" % t for t in tail] + ["    },"]


def u64_case(name, args, expected, binds=None):
    """The lines of a case whose args are all u64 (written as decimal strings)."""
    for a in args:
        assert 0 <= a <= U64_MAX, (name, args)
    return case([json.dumps(str(a)) for a in args], expected, binds)


def write(out, fmt, families, outcome, case_lines):
    """Writes `out`; `families` maps a family name to a generator of argument tuples."""
    lines = ["{", '  "_format": ['] + ["    %s," % json.dumps(s) for s in fmt]
    lines[-1] = lines[-1].rstrip(",")
    lines.append("  ],")
    counts = {}
    for name, gen in families.items():
        seen, cases = set(), []
        for args in gen():
            if args not in seen:  # keep the first occurrence, drop repeats
                seen.add(args)
                cases.append(args)
        labels = {}
        for args in cases:
            label = outcome(name, args)
            labels[label] = labels.get(label, 0) + 1
        counts[name] = (len(cases), labels)
        lines.append('  "%s": [' % name)
        for args in cases:
            lines += case_lines(name, args)
        lines[-1] = lines[-1].rstrip(",")
        lines.append("  ],")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    for name, (n, labels) in counts.items():
        detail = ", ".join("%s %d" % kv for kv in sorted(labels.items()))
        print("%-16s %4d cases (%s)" % (name, n, detail))
    print("wrote", os.path.relpath(out), "(%d cases)" % sum(n for n, _ in counts.values()))
