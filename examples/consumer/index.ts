// An Airflow-style consumer: reads where each job runs from the spark-platform stack,
// through the typed helper, and derives what a scheduler needs (connection strings).
import * as pulumi from "@pulumi/pulumi";
import { SparkPlatformStack } from "../../lib/reader";

const config = new pulumi.Config();
/** Fully qualified platform stack, e.g. `organization/spark-platform/dev`. */
const platformStackName = config.require("platformStack");
/** Jobs this consumer schedules. */
const jobIds = config.requireObject<string[]>("jobs");

const platform = new SparkPlatformStack(platformStackName);

/** Per job: an Airflow-style Spark connection URI and the Spark version it runs on. */
export const sparkConnections = pulumi
  .all(jobIds.map((id) => platform.jobRoute(id)))
  .apply((routes) =>
    Object.fromEntries(
      routes.map((route) => [
        route.jobId,
        {
          uri: route.connectionUrl,
          sparkVersion: route.sparkVersion,
          metastoreUri: route.metastoreUri ?? null,
        },
      ]),
    ),
  );

/** Release names and versions the platform runs. */
export const platformReleases = platform.releases().apply((releases) =>
  Object.values(releases)
    .map((r) => `${r.name}=${r.sparkVersion}`)
    .sort(),
);
