"""Writes the tables of bin/profile-checkout (Markdown, stdout) from its counters and, on stdin,
`jfr print --events jdk.ExecutionSample` of Orderly's JVM during the measured run.
Arguments: orders cpu0 cpu1 psp0 psp1 all0 all1 t0 t1 before.tsv after.tsv before-statements.tsv after-statements.tsv jvm0 jvm1"""
import re
import sys
from collections import Counter

from jfr_stacks import stacks

(orders, cpu0, cpu1, psp0, psp1, all0, all1, t0, t1) = (float(a) for a in sys.argv[1:10])
before, after, stmts_before, stmts_after = sys.argv[10:14]
jvm = float(sys.argv[15]) - float(sys.argv[14])
orders = max(orders, 1)


def counters(path):
    values = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 3:
            values[(parts[0], parts[1])] = float(parts[2])
    return values


def statements(path):
    values = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 4:
            values[parts[0]] = (float(parts[1]), float(parts[2]), parts[3])
    return values


seconds = t1 - t0
platform = cpu1 - cpu0
psp = psp1 - psp0
other = max((all1 - all0) - platform - psp, 0)
print("## CPU per order\n")
print(f"Measured over {seconds:.0f} s of wall clock (run and settling), {orders:.0f} orders.\n")
print("| process | CPU-s | CPU ms per order |")
print("|---|---|---|")
print(f"| **Orderly: JVM and its PostgreSQL** | {platform:.1f} | **{platform / orders * 1000:.1f}** |")
print(f"| of which the JVM | {jvm:.1f} | {jvm / orders * 1000:.1f} |")
print(f"| of which PostgreSQL | {platform - jvm:.1f} | {(platform - jvm) / orders * 1000:.1f} |")
print(f"| PSP simulator: JVM and its PostgreSQL | {psp:.1f} | {psp / orders * 1000:.1f} |")
print(f"| everything else on the machine (Gatling, Maven, the OS) | {other:.1f} | {other / orders * 1000:.1f} |")

AREAS = [  # library areas, innermost frame wins
    ("JDBC driver (org.postgresql)", r"^org\.postgresql\."),
    ("Hikari pool", r"^com\.zaxxer\.hikari\."),
    ("Jackson (JSON)", r"^(com\.fasterxml\.jackson|tools\.jackson)\."),
    ("JWT and crypto (Nimbus, Spring OAuth2, sun.security)", r"^(com\.nimbusds\.|org\.springframework\.security\.oauth2\.|sun\.security\.|java\.security\.|java\.math\.)"),
    ("Micrometer", r"^io\.micrometer\."),
    ("logging", r"^(ch\.qos\.logback|org\.slf4j)\."),
    ("Resilience4j", r"^io\.github\.resilience4j\."),
    ("Bucket4j", r"^io\.github\.bucket4j\."),
    ("HTTP client (JDK)", r"^(jdk\.internal\.net\.http|java\.net\.http)\."),
    ("Orderly's own code", r"^io\.orderly\."),
    ("Spring JDBC and transactions", r"^org\.springframework\.(jdbc|transaction)\."),
    ("Spring Security", r"^org\.springframework\.security\."),
    ("Spring MVC, validation and other Spring", r"^(org\.springframework\.|org\.hibernate\.validator\.)"),
    ("Tomcat and socket I/O", r"^(org\.apache\.(tomcat|coyote|catalina)|sun\.nio\.ch|jakarta\.servlet)\."),
]
samples, modules, areas, top = 0, Counter(), Counter(), Counter()
for stack in stacks(sys.stdin):
    samples += 1
    top[stack[0]] += 1
    module = next((m.group(1) for f in stack for m in [re.match(r"^io\.orderly\.([a-z]+)\.", f)] if m), None)
    if module == "platform":
        sub = next((m.group(1) for f in stack for m in [re.match(r"^io\.orderly\.platform\.([a-z]+)\.", f)] if m), None)
        module = "platform." + sub if sub else "platform"
    modules[module or "no Orderly frame (Tomcat, Spring and JDK threads)"] += 1
    areas[next((l for f in stack for l, p in AREAS if re.search(p, f)), "JDK only")] += 1
total = max(samples, 1)
print(f"\n## Where Orderly's JVM spends it (JFR, {samples} execution samples)\n")
print("By Orderly module of the innermost Orderly frame (the module whose work it is):\n")
print("| module | share |")
print("|---|---|")
for name, n in modules.most_common():
    print(f"| {name} | {n / total * 100:.1f}% |")
print("\nBy library of the innermost frame that has one:\n")
print("| area | share |")
print("|---|---|")
for name, n in areas.most_common():
    print(f"| {name} | {n / total * 100:.1f}% |")
print("\nTop 15 methods on top of the stack (self time):\n")
for frame, n in top.most_common(15):
    print(f"- {n / total * 100:.1f}% `{frame}`")

b, a = counters(before), counters(after)
commits = a.get(("db", "commits"), 0) - b.get(("db", "commits"), 0)
rollbacks = a.get(("db", "rollbacks"), 0) - b.get(("db", "rollbacks"), 0)
sb, sa = statements(stmts_before), statements(stmts_after)
calls = {q: (sa[q][0] - sb.get(q, (0, 0, ""))[0], sa[q][1] - sb.get(q, (0, 0, ""))[1], sa[q][2]) for q in sa}
calls = {q: v for q, v in calls.items() if v[0] > 0}
print("\n## The database per order\n")
print(f"- commits: **{commits / orders:.1f}** per order ({commits:.0f} in all); rollbacks {rollbacks / orders:.2f} per order")
print(f"- statements: **{sum(v[0] for v in calls.values()) / orders:.1f}** per order; execution time "
      f"{sum(v[1] for v in calls.values()) / orders:.2f} ms per order (pg_stat_statements, track=all)")
print("\nStatements by calls per order (top 25):\n")
print("| calls per order | ms per order | statement |")
print("|---|---|---|")
for q, (n, ms, text) in sorted(calls.items(), key=lambda kv: -kv[1][0])[:25]:
    text = text.replace("|", "\\|")
    print(f"| {n / orders:.2f} | {ms / orders:.3f} | `{text}` |")
print("\nRows written per order, by table (inserted + updated + deleted):\n")
print("| table | inserted | updated | deleted | total |")
print("|---|---|---|---|---|")
tables = sorted({k[1] for k in a if k[0] == "rows"}, key=lambda t: -(a.get(("rows", t), 0) - b.get(("rows", t), 0)))
total_rows = 0
for t in tables:
    d = {kind: a.get((kind, t), 0) - b.get((kind, t), 0) for kind in ("ins", "upd", "del", "rows")}
    if d["rows"] <= 0:
        continue
    total_rows += d["rows"]
    print(f"| {t} | {d['ins'] / orders:.2f} | {d['upd'] / orders:.2f} | {d['del'] / orders:.2f} | {d['rows'] / orders:.2f} |")
print(f"| **all** | | | | **{total_rows / orders:.1f}** |")
