"""Writes a golden-vector JSON file the way the gen-*-vectors.py scripts share.

Layout: a `_format` list of strings, then one array per case family in `cases` order, each case's
lines produced by the generator's own `case_lines(name, args)`. Repeated argument tuples keep only
their first occurrence. Prints a per-family summary labelled by `outcome(name, args)`.
"""
import json
import os


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
