#!/bin/bash
# spark-platform stand-in for apache/hive's /entrypoint.sh (written for this project, same
# behaviour): optional schema initialisation, then the service named by SERVICE_NAME.
set -x

: "${DB_DRIVER:=derby}"

# IS_RESUME=true means "the schema exists": it decides SKIP_SCHEMA_INIT, whatever that was.
SKIP_SCHEMA_INIT="${IS_RESUME:-false}"
if [[ $VERBOSE = "true" ]]; then VERBOSE_MODE="--verbose"; else VERBOSE_MODE=""; fi

init_schema() {
  # Hive 4 initialises or upgrades in place; older Hive runs SCHEMA_COMMAND (default initSchema).
  local command="-initOrUpgradeSchema"
  if [ "$(echo "$HIVE_VER" | cut -d '.' -f1)" -lt "4" ]; then
    command="-${SCHEMA_COMMAND:-initSchema}"
  fi
  if "$HIVE_HOME/bin/schematool" -dbType "$DB_DRIVER" "$command" $VERBOSE_MODE; then
    echo "Initialized schema successfully.."
  else
    echo "Schema initialization failed!"
    exit 1
  fi
}

export HIVE_CONF_DIR=$HIVE_HOME/conf
if [ -d "${HIVE_CUSTOM_CONF_DIR:-}" ]; then
  find "${HIVE_CUSTOM_CONF_DIR}" -type f -exec ln -sfn {} "${HIVE_CONF_DIR}"/ \;
  export HADOOP_CONF_DIR=$HIVE_CONF_DIR
  export TEZ_CONF_DIR=$HIVE_CONF_DIR
fi

# SERVICE_OPTS comes after the default heap, so a -Xmx in it wins.
export HADOOP_CLIENT_OPTS="$HADOOP_CLIENT_OPTS -Xmx1G $SERVICE_OPTS"
if [[ "${SKIP_SCHEMA_INIT}" == "false" ]]; then
  init_schema
fi

if [ "${SERVICE_NAME}" == "hiveserver2" ]; then
  export HADOOP_CLASSPATH=$TEZ_HOME/*:$TEZ_HOME/lib/*:$HADOOP_CLASSPATH
  exec "$HIVE_HOME/bin/hive" --skiphadoopversion --skiphbasecp --service "$SERVICE_NAME"
elif [ "${SERVICE_NAME}" == "metastore" ]; then
  export METASTORE_PORT=${METASTORE_PORT:-9083}
  exec "$HIVE_HOME/bin/hive" --skiphadoopversion --skiphbasecp $VERBOSE_MODE --service "$SERVICE_NAME"
fi
