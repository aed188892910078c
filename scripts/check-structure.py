#!/usr/bin/env python3
"""
check-structure.py DIR - the structure rules of one part's sources (daemon,
client-lib, tools, tests; generated files, in directories named golden,
are not sources):

- no include cycle between modules.  A module is a header and the .c files
  that implement it: x.c belongs to x.h, a .c without a header of its own
  (job-load.c) to the header its name extends (job.h), else it is a module
  of its own (main.c, mach-port.c); a private header x-internal.h belongs
  to module x.
- no function body over 50 lines, no file over 600 lines.

Prints each offence; exits 1 if there is any.
"""
import os
import re
import sys

MAX_FUNCTION = 50
MAX_FILE = 600

root = sys.argv[1] if len(sys.argv) > 1 else 'daemon'
files = {}
for dirpath, dirs, names in os.walk(root):
    dirs[:] = [d for d in dirs if d != 'golden']  # generated files
    for name in names:
        if name.endswith(('.c', '.h')):
            path = os.path.join(dirpath, name)
            with open(path, encoding='utf-8') as f:
                files[path] = f.read()
by_name = {os.path.basename(p): p for p in files}
INCLUDE = re.compile(r'#include "([^"]+)"')


def module(path):
    base = os.path.splitext(os.path.basename(path))[0]
    if base.endswith('-internal'):
        return base[:-len('-internal')]
    if path.endswith('.c') and base + '.h' not in by_name:
        # job-load.c implements job.h: the longest header its name extends.
        parts = base.split('-')
        for n in range(len(parts) - 1, 0, -1):
            if '-'.join(parts[:n]) + '.h' in by_name:
                return '-'.join(parts[:n])
    return base


graph = {}
for path, text in files.items():
    for inc in INCLUDE.findall(text):
        target = by_name.get(os.path.basename(inc))
        if target and module(target) != module(path):
            graph.setdefault(module(path), set()).add(module(target))

# Strongly connected components (Tarjan): any with two modules or more is a cycle.
index, low, stack, on_stack, cycles = {}, {}, [], set(), []


def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on_stack.add(v)
    for w in sorted(graph.get(v, ())):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            component.append(w)
            if w == v:
                break
        if len(component) > 1:
            cycles.append(sorted(component))


sys.setrecursionlimit(10000)
for v in sorted(graph):
    if v not in index:
        visit(v)

bad = False
for component in cycles:
    print('include cycle: ' + ' '.join(component))
    bad = True
for path, text in sorted(files.items()):
    lines = text.split('\n')
    if len(lines) - 1 > MAX_FILE:
        print(f'{path}: {len(lines) - 1} lines (at most {MAX_FILE})')
        bad = True
    if not path.endswith('.c'):
        continue
    start = None
    for i, line in enumerate(lines):
        if line.startswith('{') and start is None:
            start = i
        elif line.startswith('}') and start is not None:
            if i - start - 1 > MAX_FUNCTION:
                print(f'{path}:{start}: function of {i - start - 1} lines (at most {MAX_FUNCTION})')
                bad = True
            start = None
sys.exit(1 if bad else 0)
