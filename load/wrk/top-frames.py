"""Summarises `jfr print --stack-depth 512 --events jdk.ExecutionSample` (stdin): each sample
counts for the area of the innermost frame that belongs to one (so a filter that wraps the rest
of the chain counts only for its own work), then the hottest methods on top of the stack."""
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from jfr_stacks import stacks  # noqa: E402  (load/jfr_stacks.py, shared with load/profile-report.py)

AREAS = [  # (label, regex on a frame), innermost match wins
    ("rate limiter: Bucket4j", r"^io\.github\.bucket4j\."),
    ("JDBC driver (org.postgresql)", r"^org\.postgresql\."),
    ("Hikari pool", r"^com\.zaxxer\.hikari\."),
    ("signature crypto (RSA: BigInteger, sun.security)", r"^(sun\.security|java\.security|java\.math)\."),
    ("JWT parsing and checks (Nimbus, Spring's JwtDecoder)", r"^(com\.nimbusds\.|org\.springframework\.security\.oauth2\.)"),
    ("Jackson (JSON)", r"^(com\.fasterxml\.jackson|tools\.jackson)\."),
    ("metrics and observations (Micrometer)", r"^io\.micrometer\."),
    ("logging", r"^(ch\.qos\.logback|org\.slf4j)\."),
    ("our rate limit filters and limiter", r"^io\.orderly\.edge\.internal\.(RateLimit|EdgeLimits)"),
    ("our other edge code (keys, revocations, callers)", r"^io\.orderly\.edge\."),
    ("the order read (io.orderly.order, platform)", r"^io\.orderly\."),
    ("Spring Security filters (observation wrappers, matchers, authorization)", r"^org\.springframework\.security\."),
    ("Spring MVC and other Spring", r"^org\.springframework\."),
    ("Tomcat and socket I/O", r"^(org\.apache\.(tomcat|coyote|catalina)|sun\.nio\.ch|jakarta\.servlet)\."),
]

samples, top, areas = 0, Counter(), Counter()
for stack in stacks(sys.stdin):
    samples += 1
    top[stack[0]] += 1
    for frame in stack:  # innermost first
        label = next((l for l, p in AREAS if re.search(p, frame)), None)
        if label:
            areas[label] += 1
            break
    else:
        areas["JDK only (threads, GC-free JDK code)"] += 1
print(f"{samples} execution samples (Java threads on CPU)")
print("\nBy area of the innermost frame that has one:")
for label, n in areas.most_common():
    print(f"  {n / samples * 100:5.1f}%  {label}")
print("\nTop 12 methods on top of the stack (self):")
for frame, n in top.most_common(12):
    print(f"  {n / samples * 100:5.1f}%  {frame}")
