#!/usr/bin/env bash
# spark-platform stand-in for apache/spark's /opt/decom.sh (a preStop hook for executor
# decommissioning): sends SIGPWR to the executor JVM and waits up to 60 s for it to exit.
set -ex
echo "Asked to decommission"
date
pid=$(pgrep -f -n 'KubernetesExecutorBackend|CoarseGrainedExecutorBackend' || true)
echo "Using executor pid ${pid}"
[ -n "$pid" ] || exit 0
kill -s SIGPWR "$pid"
timeout 60 tail --pid="$pid" -f /dev/null || true
date
echo "Decommission complete"
