/**
 * Our own versions of the `sbin/` daemon scripts that Spark's binary distribution has and
 * the PyPI sdist lacks (the sdist keeps only spark-config.sh, spark-daemon.sh and the
 * history-server pair). Each is a thin wrapper over the sdist's own spark-daemon.sh, with
 * the defaults of the upstream scripts (ports 7077/8080/8081, master host = hostname -f).
 */

const HEADER = `#!/usr/bin/env bash
# spark-platform stand-in (not Spark's own script): see docs/stand-in-images.md.
if [ -z "\${SPARK_HOME}" ]; then
  export SPARK_HOME="$(cd "$(dirname "$0")"/..; pwd)"
fi
`;

const MASTER = "org.apache.spark.deploy.master.Master";
const WORKER = "org.apache.spark.deploy.worker.Worker";
const CONNECT = "org.apache.spark.sql.connect.service.SparkConnectServer";
const THRIFT = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2";

const usage = (script: string, cls: string, argsText: string) => `
if [[ "$*" = *--help ]] || [[ "$*" = *-h ]]; then
  echo "Usage: ./sbin/${script} ${argsText}"
  "\${SPARK_HOME}"/bin/spark-class ${cls} --help 2>&1 | grep -v "Usage:" 1>&2
  exit 1
fi
`;

const loadEnv = `. "\${SPARK_HOME}/sbin/spark-config.sh"
. "\${SPARK_HOME}/bin/load-spark-env.sh"
`;

const startMaster =
  HEADER +
  usage("start-master.sh", MASTER, "[options]") +
  loadEnv +
  `SPARK_MASTER_PORT=\${SPARK_MASTER_PORT:-7077}
SPARK_MASTER_HOST=\${SPARK_MASTER_HOST:-$(hostname -f)}
SPARK_MASTER_WEBUI_PORT=\${SPARK_MASTER_WEBUI_PORT:-8080}
exec "\${SPARK_HOME}/sbin/spark-daemon.sh" start ${MASTER} 1 \\
  --host "$SPARK_MASTER_HOST" --port "$SPARK_MASTER_PORT" --webui-port "$SPARK_MASTER_WEBUI_PORT" "$@"
`;

const startWorker =
  HEADER +
  usage("start-worker.sh", WORKER, "<master> [options]") +
  `if [ $# -lt 1 ]; then
  echo "Usage: ./sbin/start-worker.sh <master> [options]" >&2
  exit 1
fi
` +
  loadEnv +
  `MASTER=$1
shift
SPARK_WORKER_WEBUI_PORT=\${SPARK_WORKER_WEBUI_PORT:-8081}
start_instance() {
  local n=$1 port_flag="" webui=$(( SPARK_WORKER_WEBUI_PORT + $1 - 1 ))
  shift
  if [ -n "$SPARK_WORKER_PORT" ]; then port_flag="--port $(( SPARK_WORKER_PORT + n - 1 ))"; fi
  "\${SPARK_HOME}/sbin/spark-daemon.sh" start ${WORKER} "$n" --webui-port "$webui" $port_flag "$MASTER" "$@"
}
for ((i = 1; i <= \${SPARK_WORKER_INSTANCES:-1}; i++)); do
  start_instance "$i" "$@"
done
`;

const stop = (cls: string, instances = false) =>
  HEADER +
  loadEnv +
  (instances
    ? `for ((i = 1; i <= \${SPARK_WORKER_INSTANCES:-1}; i++)); do
  "\${SPARK_HOME}/sbin/spark-daemon.sh" stop ${cls} "$i"
done
`
    : `exec "\${SPARK_HOME}/sbin/spark-daemon.sh" stop ${cls} 1
`);

const submitDaemon = (script: string, cls: string, name: string) =>
  HEADER +
  usage(script, cls, "[options]") +
  loadEnv +
  `exec "\${SPARK_HOME}/sbin/spark-daemon.sh" submit ${cls} 1 --name "${name}" "$@"
`;

/** File name in sbin/ -> script text. */
export const SBIN_SCRIPTS: Readonly<Record<string, string>> = {
  "start-master.sh": startMaster,
  "stop-master.sh": stop(MASTER),
  "start-worker.sh": startWorker,
  "stop-worker.sh": stop(WORKER, true),
  "start-connect-server.sh": submitDaemon(
    "start-connect-server.sh",
    CONNECT,
    "Spark Connect server",
  ),
  "stop-connect-server.sh": stop(CONNECT),
  "start-thriftserver.sh": submitDaemon("start-thriftserver.sh", THRIFT, "Thrift JDBC/ODBC Server"),
  "stop-thriftserver.sh": stop(THRIFT),
};
