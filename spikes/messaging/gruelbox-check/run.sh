#!/usr/bin/env bash
# Schedules one gruelbox transaction-outbox call on an embedded PostgreSQL under Boot 4.0.9's
# dependency management. Arguments go to Maven (e.g. -Ppin-javax-validation).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
source "$root/bin/java-home"
"$root/mvnw" -q -B -f "$here/pom.xml" "$@" package dependency:build-classpath -Dmdep.outputFile="$here/target/classpath.txt"
exec "$JAVA_HOME/bin/java" -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" check.Check
