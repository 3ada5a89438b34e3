"""Reads `jfr print --events jdk.ExecutionSample` output: one list of frames per sample,
innermost first, each frame as `package.Class.method`."""
import re

FRAME = re.compile(r"^([\w$.<>]+\.[\w$<>]+)\(.*\)\s+line:")


def stacks(lines):
    stack = []
    for line in lines:
        line = line.strip()
        if line.startswith("jdk.ExecutionSample"):
            if stack:
                yield stack
            stack = []
        m = FRAME.match(line)
        if m:
            stack.append(m.group(1))
    if stack:
        yield stack
