"""Live job of tests/cluster/jobKpisLive.ts: work of a known shape, for job-kpis to find.

Environment:
  IT_MODE          standalone (spark-submit runs this file; the driver is this pod) or
                   connect (a Spark Connect client; the driver is the Connect server)
  IT_CONNECT_URL   sc://... (connect only), with the token of IT_CONNECT_TOKEN_FILE added
                   by it_job.py's connect_url (it_job.py is in the same ConfigMap)
  KPIS_ROLE        job: KPIS_STAGES writes of KPIS_TASKS tasks each, as the platform job
                        KPIS_JOB (the application's name on standalone, a session tag on
                        Connect: spark.addTag)
                   filler: KPIS_STAGES untagged writes of KPIS_TASKS tasks each, only to
                        add events to the Connect server's event log
  KPIS_JOB         the platform job id (spark-platform:jobs[].id)
  KPIS_STAGES      how many writes (each one Spark job of one stage)
  KPIS_TASKS       partitions of each write (one task each)

Each write is `spark.range(...).write.format("noop")`: one Spark job with one stage of
KPIS_TASKS tasks and no shuffle, so adaptive execution cannot change its shape.
Prints one line `IT-KPIS {json}` on success; any failure exits non-zero.
"""
import json
import os
import time

from pyspark.sql import SparkSession

MODE = os.environ["IT_MODE"]
ROLE = os.environ.get("KPIS_ROLE", "job")
JOB = os.environ.get("KPIS_JOB", "")
STAGES = int(os.environ.get("KPIS_STAGES", "3"))
TASKS = int(os.environ.get("KPIS_TASKS", "4"))


def main():
    if MODE == "connect":
        # The release's URL plus the mounted token, as it_job.py builds it (same ConfigMap).
        from it_job import connect_url

        spark = SparkSession.builder.remote(connect_url()).getOrCreate()
        if ROLE == "job":
            spark.addTag(JOB)
    else:
        spark = SparkSession.builder.appName(JOB if ROLE == "job" else "it-kpis-filler").getOrCreate()
    started = time.time()
    for _ in range(STAGES):
        spark.range(0, TASKS * 100, 1, TASKS).write.format("noop").mode("overwrite").save()
    ended = time.time()
    result = {
        "mode": MODE,
        "role": ROLE,
        "sparkVersion": spark.version,
        "stages": STAGES,
        "tasks": STAGES * TASKS,
        "startedMs": int(started * 1000),
        "endedMs": int(ended * 1000),
    }
    print("IT-KPIS " + json.dumps(result, sort_keys=True), flush=True)
    spark.stop()


if __name__ == "__main__":
    # it_job.py is beside this file (the same ConfigMap): its one-line IT-ERROR report.
    from it_job import run_reporting_errors

    run_reporting_errors(main)
