#!/usr/bin/env bash
# Builds and runs the messaging spike (docs/adr/0001-messaging.md) and writes
# docs/bench/messaging-spike-<date>.md. Localhost only, embedded PostgreSQL, bounded runs
# (each measurement <= 30 s; about 6 minutes in all). Extra arguments go to SpikeMain
# (--quick, --only modulith-epr|namastack-default|namastack-tuned|crash, --no-crash).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/bin/java-home"
"$root/mvnw" -q -B -f "$here/pom.xml" package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$here/target/classpath.txt"
out="$root/docs/bench/messaging-spike-$(date -u +%F).md"
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  io.orderly.spike.messaging.SpikeMain --out "$out" "$@"
