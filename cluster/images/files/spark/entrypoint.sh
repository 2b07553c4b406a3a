#!/bin/bash
# spark-platform stand-in for apache/spark's /opt/entrypoint.sh (written for this project,
# same behaviour): `driver` and `executor` build the Spark-on-Kubernetes commands from the
# environment the Spark driver sets on its pods; anything else is exec'd unchanged.
set -eo pipefail

# An arbitrary uid with no passwd entry gets one through libnss_wrapper (OpenShift-style uids).
fake_passwd_entry_if_missing() {
  local uid gid lib
  uid="$(id -u)"
  getent passwd "$uid" &>/dev/null && return 0
  for lib in {/usr,}/lib{/*,}/libnss_wrapper.so; do
    [ -s "$lib" ] || continue
    gid="$(id -g)"
    NSS_WRAPPER_PASSWD="$(mktemp)"
    NSS_WRAPPER_GROUP="$(mktemp)"
    export LD_PRELOAD="$lib" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
    printf 'spark:x:%s:%s:${SPARK_USER_NAME:-anonymous uid}:%s:/bin/false\n' "$uid" "$gid" "$SPARK_HOME" >"$NSS_WRAPPER_PASSWD"
    printf 'spark:x:%s:\n' "$gid" >"$NSS_WRAPPER_GROUP"
    return 0
  done
}

# Root starts the JVM as `spark` (gosu); any other user runs it directly.
as_spark() {
  if [ "$(id -u)" -eq 0 ]; then echo gosu spark; fi
}

if [ -z "$JAVA_HOME" ]; then
  JAVA_HOME=$(java -XshowSettings:properties -version 2>&1 >/dev/null | grep 'java.home' | awk '{print $3}')
fi

# Options the driver passes as SPARK_JAVA_OPT_0, _1, ... (bash lists the names sorted).
for opt_var in "${!SPARK_JAVA_OPT_@}"; do
  SPARK_EXECUTOR_JAVA_OPTS+=("${!opt_var}")
done

SPARK_CLASSPATH="$SPARK_CLASSPATH:${SPARK_HOME}/jars/*"
[ -n "$SPARK_EXTRA_CLASSPATH" ] && SPARK_CLASSPATH="$SPARK_CLASSPATH:$SPARK_EXTRA_CLASSPATH"

[ -n "${PYSPARK_PYTHON+x}" ] && export PYSPARK_PYTHON
[ -n "${PYSPARK_DRIVER_PYTHON+x}" ] && export PYSPARK_DRIVER_PYTHON

# A Hadoop installation supplies its jars unless SPARK_DIST_CLASSPATH was given explicitly.
if [ -n "${HADOOP_HOME}" ] && [ -z "${SPARK_DIST_CLASSPATH}" ]; then
  SPARK_DIST_CLASSPATH="$("$HADOOP_HOME/bin/hadoop" classpath)"
  export SPARK_DIST_CLASSPATH
fi

[ -n "${HADOOP_CONF_DIR+x}" ] && SPARK_CLASSPATH="$HADOOP_CONF_DIR:$SPARK_CLASSPATH"

if [ -n "${SPARK_CONF_DIR+x}" ]; then
  SPARK_CLASSPATH="$SPARK_CONF_DIR:$SPARK_CLASSPATH"
elif [ -n "${SPARK_HOME+x}" ]; then
  SPARK_CLASSPATH="$SPARK_HOME/conf:$SPARK_CLASSPATH"
fi

# The working directory is on the executor classpath too (SPARK-43540).
SPARK_CLASSPATH="$SPARK_CLASSPATH:$PWD"

case "$1" in
driver)
  shift 1
  CMD=(
    "$SPARK_HOME/bin/spark-submit"
    --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS"
    --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS"
    --deploy-mode client
    "$@"
  )
  ;;
executor)
  shift 1
  CMD=(
    ${JAVA_HOME}/bin/java
    "${SPARK_EXECUTOR_JAVA_OPTS[@]}"
    -Xms"$SPARK_EXECUTOR_MEMORY"
    -Xmx"$SPARK_EXECUTOR_MEMORY"
    -cp "$SPARK_CLASSPATH:$SPARK_DIST_CLASSPATH"
    org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend
    --driver-url "$SPARK_DRIVER_URL"
    --executor-id "$SPARK_EXECUTOR_ID"
    --cores "$SPARK_EXECUTOR_CORES"
    --app-id "$SPARK_APPLICATION_ID"
    --hostname "$SPARK_EXECUTOR_POD_IP"
    --resourceProfileId "$SPARK_RESOURCE_PROFILE_ID"
    --podName "$SPARK_EXECUTOR_POD_NAME"
  )
  ;;
*)
  # Not a Spark-on-Kubernetes role: pass-through.
  exec "$@"
  ;;
esac

fake_passwd_entry_if_missing
# tini as a subreaper reaps the JVM's orphans and forwards signals.
exec $(as_spark) /usr/bin/tini -s -- "${CMD[@]}"
