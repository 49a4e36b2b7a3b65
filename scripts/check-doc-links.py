#!/usr/bin/env python3
"""Checks that every relative link in the product docs resolves: the file (or folder) exists and, for FILE.md#anchor,
the anchor is a heading of that file (GitHub's slug rules). Prints one line per broken link; exit 1 if any.

    usage: /usr/bin/python3 scripts/check-doc-links.py [FILE.md ...]   (default: README.md, BENCHMARKS.md, docs/*.md,
                                                                    models/README.md and every other README.md)
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\*", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen, out = {}, set()
    in_code = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        base = slug(line.lstrip("#"))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # links inside code blocks are not links
    for m in LINK.finditer(text):
        yield m.group(1) or m.group(2)


def main(files):
    broken = 0
    for md in files:
        for target in links(md):
            if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
                continue
            file_part, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(md), file_part)) if file_part else md
            if not os.path.exists(dest):
                print(f"{os.path.relpath(md, ROOT)}: {target}: no such file")
                broken += 1
            elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                print(f"{os.path.relpath(md, ROOT)}: {target}: no heading with that anchor")
                broken += 1
    print(f"{len(files)} files checked, {broken} broken links")
    return 1 if broken else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    given = sys.argv[1:]
    if not given:
        given = ["README.md", "BENCHMARKS.md"] + sorted(glob.glob("docs/*.md")) + sorted(
            p for p in glob.glob("**/README.md", recursive=True)
            if p != "README.md" and not p.startswith(".dp-build") and "node_modules/" not in p and "/bin/" not in p and "/obj/" not in p)
    sys.exit(main([os.path.join(ROOT, f) for f in given]))
