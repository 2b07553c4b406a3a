// An Airflow-style consumer: reads where each job runs from the spark-platform stack,
// through the typed helper, and derives what a scheduler needs (connection strings, and
// the namespace and labels its task pods carry to be let in).
import * as pulumi from "@pulumi/pulumi";
import { SparkPlatformStack } from "../../lib/reader";

const config = new pulumi.Config();
/** Fully qualified platform stack, e.g. `organization/spark-platform/dev`. */
const platformStackName = config.require("platformStack");
/** Jobs this consumer schedules. */
const jobIds = config.requireObject<string[]>("jobs");
/**
 * The namespace this consumer's task pods run in. The platform team must have granted it
 * to each job's release (`releases[].clients`); an ungranted namespace fails this stack's
 * update by name, instead of pods refused at admission later.
 */
const podNamespace = config.require("podNamespace");

const platform = new SparkPlatformStack(platformStackName);

/**
 * Per job: an Airflow-style Spark connection URI, the Spark version it runs on, and what
 * its task pod carries: the namespace (granted), the client label of its release, and the
 * Secret there its client mounts (a standalone driver's SPARK_CONF_DIR; a Connect client's
 * token and CA), with how to use it (null when the release grants no client).
 */
export const sparkConnections = pulumi
  .all(
    jobIds.map((id) => pulumi.all([platform.jobRoute(id), platform.clientPod(id, podNamespace)])),
  )
  .apply((jobs) =>
    Object.fromEntries(
      jobs.map(([route, pod]) => [
        route.jobId,
        {
          uri: route.connectionUrl,
          sparkVersion: route.sparkVersion,
          metastoreUri: route.metastoreUri ?? null,
          podNamespace: pod.namespace,
          podLabels: pod.labels,
          podAuthSecret: pod.authSecret ?? null,
          authentication: route.authentication ?? null,
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
