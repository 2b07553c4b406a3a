"""Live-check job of tests/cluster/jobs.ts: real work against one release, as a user runs it.

Environment:
  IT_MODE      standalone (spark-submit runs this file; the driver is this pod) or
               connect (a Spark Connect client; the driver is the Connect server)
  IT_ACTION    job (default): CREATE DATABASE, CREATE TABLE, INSERT, read back, SHOW DATABASES
               read: read back the table of IT_DATABASE an earlier job created, SHOW DATABASES
               show: SHOW DATABASES only
               drop: DROP DATABASE IT_DATABASE CASCADE (a negative control cleans up with it)
               slow: what job does, then prints `IT-WORKING`, runs IT_SLOW_TASKS tasks of
                     IT_SLOW_TASK_SECONDS each (a fault lands while they run), then inserts
                     one more row and reads the table back (the metastore after the fault)
               marker: rows carrying IT_MARKER between the driver and the executors and
                     back (a packet capture looks for it: tests/cluster/plaintextCapture.ts)
  IT_DATABASE  database to create (unique per run)
  IT_CONNECT_URL  sc://... (connect only), TLS on when the release takes a token
  IT_CONNECT_TOKEN_FILE  the `token` of the release's client Secret, mounted (connect only);
               it goes into the URL as `;token=...`, never into the pod's spec or environment
  IT_CONNECT_TOKEN  file (default: the mounted token), none (no token: a negative control),
               wrong (a random token: a negative control), other (the other release's
               real secret, from IT_OTHER_SECRET_FILE: a negative control)
  IT_MARKER    the marker of a `marker` run (unique per run; nothing secret)
  IT_CONNECT_RETRIES  how often the Connect client retries UNAVAILABLE (default: its own
               policy, ten minutes and more)
  IT_UI_URL    the driver's UI (http://host:4040), to read which executors ran tasks

Prints one line `IT-RESULT {json}` on success; any failure exits non-zero.
"""
import json
import os
import sys
import time
import urllib.request
import uuid

from pyspark.sql import SparkSession

MODE = os.environ["IT_MODE"]
ACTION = os.environ.get("IT_ACTION", "job")
DATABASE = os.environ.get("IT_DATABASE", "")
ROWS = [(1, "alpha"), (2, "beta"), (3, "gamma")]
LATE_ROW = (4, "delta")


def executors(ui, app_id):
    """Executors of the application as its UI reports them: id, host:port, tasks so far."""
    if not ui or not app_id:
        return None
    url = "%s/api/v1/applications/%s/allexecutors" % (ui.rstrip("/"), app_id)
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return [
                {"id": e["id"], "hostPort": e.get("hostPort"), "totalTasks": e.get("totalTasks", 0),
                 "isActive": e.get("isActive")}
                for e in json.loads(r.read().decode())
            ]
    except Exception as e:  # reported, not fatal: the assertion side decides
        return {"error": "%s: %s" % (type(e).__name__, e), "url": url}


def slow_work(spark):
    """Tasks that each sleep on an executor one second per row, so the job is still
    running when a fault lands; returns the rows counted (all of them when it completes)."""
    tasks = int(os.environ.get("IT_SLOW_TASKS", "4"))
    seconds = int(os.environ.get("IT_SLOW_TASK_SECONDS", "20"))
    print("IT-WORKING %d tasks of %d s" % (tasks, seconds), flush=True)
    # reflect() is non-deterministic: Spark refuses it inside an aggregate, so a subquery;
    # and its value must be used (max), or the optimizer prunes the column and never sleeps.
    query = (
        "SELECT count(*) AS n, max(coalesce(r, 'slept')) AS s FROM (SELECT reflect("
        "'java.lang.Thread', 'sleep', CAST(1000 AS BIGINT)) AS r FROM range(0, %d, 1, %d))"
        % (tasks * seconds, tasks)
    )
    return spark.sql(query).collect()[0]["n"]


def marker_work(spark):
    """Rows that each carry IT_MARKER, made on the executors, shuffled between them and
    collected by the driver: on a release whose RPC is in plain text the marker crosses
    the pod network as is (task results are not compressed, and a compressed shuffle
    block still holds its first occurrence literally). A standalone driver also ships
    marker rows to its executors inside its tasks (a parallelized collection). Returns
    how many rows came back with the marker."""
    marker = os.environ["IT_MARKER"]
    rows = int(os.environ.get("IT_MARKER_ROWS", "4000"))
    query = spark.range(0, rows, 1, 4).selectExpr(
        "concat('%s', '-', CAST(id AS STRING)) AS m" % marker
    )
    seen = sum(1 for r in query.repartition(4).collect() if r["m"].startswith(marker))
    if MODE == "standalone":
        shipped = ["%s+%d" % (marker, i) for i in range(rows)]
        back = spark.sparkContext.parallelize(shipped, 4).map(lambda s: s[::-1][::-1]).collect()
        seen += sum(1 for s in back if s.startswith(marker))
    return seen


def other_release_secret():
    """The other release's real credential: spark-35's secret, from the
    `spark-auth.properties` of its client Secret mounted at IT_OTHER_SECRET_FILE."""
    with open(os.environ["IT_OTHER_SECRET_FILE"]) as f:
        for line in f:
            key, _, value = line.strip().partition(" ")
            if key == "spark.authenticate.secret":
                return value.strip()
    raise RuntimeError("no spark.authenticate.secret in the other release's client Secret")


def connect_url():
    """The release's URL plus the token, as the release's `jobRouting` says: `;token=<the
    mounted token>`. The CA the server's certificate chains to is the mounted `ca.crt`,
    which the pod names in GRPC_DEFAULT_SSL_ROOTS_FILE_PATH for the gRPC client."""
    url = os.environ["IT_CONNECT_URL"]
    which = os.environ.get("IT_CONNECT_TOKEN", "file")
    token_file = os.environ.get("IT_CONNECT_TOKEN_FILE")
    if which == "none" or (which == "file" and not token_file):
        return url
    if which == "wrong":
        token = uuid.uuid4().hex
    elif which == "other":
        token = other_release_secret()
    else:
        with open(token_file) as f:
            token = f.read().strip()
    return url + ("" if "/;" in url else "/") + ";token=" + token


def main():
    t0 = time.time()
    if MODE == "connect":
        spark = SparkSession.builder.remote(connect_url()).getOrCreate()
        retries = os.environ.get("IT_CONNECT_RETRIES")
        if retries is not None:
            # The client retries UNAVAILABLE (a refused TLS handshake among it) for at
            # least ten minutes by default; a control that expects it wants the answer.
            from pyspark.sql.connect.client.retries import DefaultPolicy

            spark._client.set_retry_policies([DefaultPolicy(max_retries=int(retries))])
    else:
        spark = SparkSession.builder.appName("it-" + (DATABASE or "show")).getOrCreate()
    session_s = time.time() - t0
    app_id = spark.conf.get("spark.app.id", None)
    ui = os.environ.get("IT_UI_URL") or (
        spark.sparkContext.uiWebUrl if MODE == "standalone" else None
    )
    result = {
        "mode": MODE,
        "action": ACTION,
        "sparkVersion": spark.version,
        "applicationId": app_id,
        "sessionSeconds": round(session_s, 1),
    }
    if ACTION in ("job", "slow"):
        result["executorsBefore"] = executors(ui, app_id)
        t1 = time.time()
        spark.sql("CREATE DATABASE %s" % DATABASE)
        spark.sql("CREATE TABLE %s.it_rows (id INT, word STRING) USING parquet" % DATABASE)
        values = ", ".join("(%d, '%s')" % row for row in ROWS)
        spark.sql("INSERT INTO %s.it_rows VALUES %s" % (DATABASE, values))
        rows = spark.sql("SELECT id, word FROM %s.it_rows ORDER BY id" % DATABASE).collect()
        result["rows"] = [[r["id"], r["word"]] for r in rows]
        result["workSeconds"] = round(time.time() - t1, 1)
        result["database"] = DATABASE
        result["executorsAfter"] = executors(ui, app_id)
    if ACTION == "slow":
        result["slowRows"] = slow_work(spark)
        spark.sql("INSERT INTO %s.it_rows VALUES (%d, '%s')" % ((DATABASE,) + LATE_ROW))
        rows = spark.sql("SELECT id, word FROM %s.it_rows ORDER BY id" % DATABASE).collect()
        result["rows"] = [[r["id"], r["word"]] for r in rows]
    elif ACTION == "marker":
        t1 = time.time()
        result["markerRows"] = marker_work(spark)
        result["workSeconds"] = round(time.time() - t1, 1)
    elif ACTION == "drop":
        spark.sql("DROP DATABASE IF EXISTS %s CASCADE" % DATABASE)
        result["dropped"] = DATABASE
    elif ACTION == "read":
        rows = spark.sql("SELECT id, word FROM %s.it_rows ORDER BY id" % DATABASE).collect()
        result["rows"] = [[r["id"], r["word"]] for r in rows]
        result["database"] = DATABASE
    result["databases"] = sorted(r[0] for r in spark.sql("SHOW DATABASES").collect())
    result["totalSeconds"] = round(time.time() - t0, 1)
    print("IT-RESULT " + json.dumps(result, sort_keys=True), flush=True)
    spark.stop()


def run_reporting_errors(entry):
    """Runs `entry`; on failure prints one line `IT-ERROR <Type>: <first line>` (a Connect
    error's text carries the server's whole JVM stack trace) and raises it again. Shared
    with kpis_job.py, which the same ConfigMap carries."""
    try:
        entry()
    except Exception as e:
        first = next((l.strip() for l in str(e).splitlines() if l.strip()), "")
        print("IT-ERROR %s: %s" % (type(e).__name__, first[:500]), file=sys.stderr, flush=True)
        raise


if __name__ == "__main__":
    run_reporting_errors(main)
