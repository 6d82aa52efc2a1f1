#!/usr/bin/env bash
# Runs the benchmarks from a clean clone:
#   sse-bench/run.sh jmh  [JMH args...]        e.g. sse-bench/run.sh jmh -prof gc EncoderBenchmark
#   sse-bench/run.sh load [LoadTool args...]   e.g. sse-bench/run.sh load --servers raw,netty --runs 3
# (server "spring", the SseEmitter reference, lives in sse-bench-spring with its own class path)
# Builds what it needs first (tests skipped). Prints figures only; nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}; shift || true
mvn -B -q -pl sse-bench,sse-bench-spring -am -DskipTests package
cp="$(cat sse-bench/target/bench-classpath.txt):sse-bench/target/classes"
spring_cp="$(cat sse-bench-spring/target/bench-classpath.txt):sse-bench-spring/target/classes:sse-bench/target/classes"
case "$what" in
  jmh)  exec java -cp "$cp" org.openjdk.jmh.Main "$@" ;;
  load) exec java -Xmx2g -Dbench.spring.classpath="$spring_cp" -cp "$cp" io.sseservice.bench.LoadTool "$@" ;;
  *)    echo "usage: sse-bench/run.sh jmh|load [args]" >&2; exit 2 ;;
esac
