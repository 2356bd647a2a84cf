#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The layering of DESIGN.md §2: arrows point one way only,
#   (ui, cli) -> services -> (gateways, telephony) -> secrets -> core.
# Every project header a file includes must live in its own layer or one it may use.
#   check-layers.py [SOURCE-ROOT]     (TAP output, one test per layer)
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
src = os.path.join(root, 'src')

# the layers each layer may include, besides itself
ALLOWED = {
    'core': set(),
    'secrets': {'core'},
    'gateways': {'secrets', 'core'},
    'telephony': {'secrets', 'core'},
    'services': {'gateways', 'telephony', 'secrets', 'core'},
    'ui': {'services', 'gateways', 'telephony', 'secrets', 'core'},
    'cli': {'services', 'gateways', 'telephony', 'secrets', 'core'},
}


def layer_of(path):
    rel = os.path.relpath(path, src)
    first = rel.split(os.sep)[0]
    return first if first in ALLOWED else None


headers = {}
sources = []
for dirpath, _, names in os.walk(src):
    for n in names:
        p = os.path.join(dirpath, n)
        if n.endswith('.h'):
            headers.setdefault(n, []).append(p)
        if n.endswith(('.c', '.h', '.cpp')):
            sources.append(p)

include = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
problems = {layer: [] for layer in ALLOWED}
for p in sorted(sources):
    layer = layer_of(p)
    if layer is None:
        continue
    with open(p, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            m = include.match(line)
            if not m:
                continue
            name = os.path.basename(m.group(1))
            for h in headers.get(name, []):
                hl = layer_of(h)
                if hl is not None and hl != layer and hl not in ALLOWED[layer]:
                    problems[layer].append('%s:%d includes %s (layer %s)' %
                                           (os.path.relpath(p, root), lineno, name, hl))

print('1..%d' % len(ALLOWED))
failed = False
for i, layer in enumerate(ALLOWED, 1):
    if problems[layer]:
        failed = True
        print('not ok %d - %s includes a layer it may not use' % (i, layer))
        for line in problems[layer]:
            print('# ' + line)
    else:
        may = ', '.join(sorted(ALLOWED[layer])) or 'nothing else'
        print('ok %d - %s uses only %s' % (i, layer, may))
sys.exit(1 if failed else 0)
