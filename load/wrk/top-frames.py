"""Summarises `jfr print --events jdk.ExecutionSample` (stdin): the hottest methods on top of the
stack (self time), and the share of samples whose stack passes through each area (inclusive)."""
import re
import sys
from collections import Counter

AREAS = [  # (label, regex on a frame) — a sample counts once per area
    ("rate limiter: Bucket4j", r"^io\.github\.bucket4j\."),
    ("rate limiter: our filters", r"^io\.orderly\.edge\.internal\.RateLimit"),
    ("JDBC driver (org.postgresql)", r"^org\.postgresql\."),
    ("Hikari pool", r"^com\.zaxxer\.hikari\."),
    ("JWT decoding and checks (Nimbus)", r"^com\.nimbusds\."),
    ("signature crypto (sun.security, java.security)", r"^(sun\.security|java\.security|sun\.nio\.cs)\.|BigInteger"),
    ("revocation check", r"^io\.orderly\.edge\.internal\.Revocations"),
    ("API key lookup", r"^io\.orderly\.edge\.internal\.ApiKey"),
    ("Spring Security filter chain", r"^org\.springframework\.security\."),
    ("the order read (io.orderly.order)", r"^io\.orderly\.order\."),
    ("Jackson", r"^(com\.fasterxml\.jackson|tools\.jackson)\."),
    ("Tomcat and socket I/O", r"^(org\.apache\.(tomcat|coyote|catalina)|sun\.nio\.ch)\."),
    ("logging", r"^(ch\.qos\.logback|org\.slf4j)\."),
    ("metrics (Micrometer)", r"^io\.micrometer\."),
]

samples, top, ours, areas, stack = 0, Counter(), Counter(), Counter(), []

def flush():
    global samples, stack
    if not stack:
        return
    samples += 1
    top[stack[0]] += 1
    ours[next((f for f in stack if f.startswith("io.orderly.")), "(no io.orderly frame)")] += 1
    for label, pattern in AREAS:
        if any(re.search(pattern, frame) for frame in stack):
            areas[label] += 1
    stack = []

for line in sys.stdin:
    line = line.strip()
    if line.startswith("jdk.ExecutionSample"):
        flush()
    m = re.match(r"^([\w$.<>]+\.[\w$<>]+)\(.*\)\s+line:", line)
    if m:
        stack.append(m.group(1))
flush()
print(f"{samples} execution samples (Java threads on CPU)")
print("\nInclusive share by area (a sample counts in every area on its stack):")
for label, n in areas.most_common():
    print(f"  {n / samples * 100:5.1f}%  {label}")
print("\nInnermost io.orderly frame of each sample (our code that led there):")
for frame, n in ours.most_common(12):
    print(f"  {n / samples * 100:5.1f}%  {frame}")
print("\nTop 15 methods on top of the stack (self):")
for frame, n in top.most_common(15):
    print(f"  {n / samples * 100:5.1f}%  {frame}")
