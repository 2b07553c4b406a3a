import type { PodModel } from "../kube/analysis/pods";
import { RELEASE_LABEL } from "../kube/objects";
import { parseJdbcUrl, systemProperties } from "./conf";
import {
  configFiles,
  isMetastorePod,
  mountedConfigMaps,
  releaseOf,
  releaseOfManifest,
  startupStrings,
  type ClusterObjects,
} from "./objects";
import { releaseText, row, type CheckResult } from "./result";
import { secretProblems } from "./secrets";

interface MetastoreWiring {
  readonly pod: PodModel;
  readonly release: string | undefined;
  readonly url?: string;
  readonly database?: string;
  readonly user?: string;
  readonly problems: string[];
}

const JDBC_URL = "javax.jdo.option.ConnectionURL";
const JDBC_USER = "javax.jdo.option.ConnectionUserName";

/** Which database a metastore pod really connects to: mounted hive-site.xml, overridden by -D flags. */
function metastoreWiring(objects: ClusterObjects, pod: PodModel): MetastoreWiring {
  const release = releaseOf(pod.labels);
  const problems: string[] = [];
  if (!release) problems.push(`pod has no ${RELEASE_LABEL} label`);
  let url: string | undefined;
  let user: string | undefined;
  for (const mount of mountedConfigMaps(objects, pod)) {
    if (!mount.configMap) {
      problems.push(`mounts ConfigMap ${pod.namespace}/${mount.name}, which does not exist`);
      continue;
    }
    const site = configFiles(mount.configMap)["hive-site.xml"];
    if (!site) continue;
    const owner = releaseOfManifest(mount.configMap);
    if (owner !== release) {
      problems.push(
        `mounts hive-site.xml from ConfigMap ${pod.namespace}/${mount.name} of release ${releaseText(owner)}`,
      );
    }
    url = site[JDBC_URL] ?? url;
    user = site[JDBC_USER] ?? user;
  }
  const siteUrl = url;
  for (const text of startupStrings(pod)) {
    const flags = systemProperties(text);
    url = flags[JDBC_URL] ?? url;
    user = flags[JDBC_USER] ?? user;
  }
  // The flag wins at run time; a hive-site that says otherwise misleads whoever reads it.
  if (siteUrl && url && siteUrl !== url) {
    problems.push(`hive-site.xml names ${siteUrl} but its start-up flags connect to ${url}`);
  }
  problems.push(...secretProblems(objects, pod));
  const target = url ? parseJdbcUrl(url) : undefined;
  if (!url) problems.push(`no ${JDBC_URL} in its mounted hive-site.xml or start-up flags`);
  else if (!target) problems.push(`cannot read a PostgreSQL database from ${url}`);
  return {
    pod,
    release,
    problems,
    ...(url ? { url } : {}),
    ...(target ? { database: target.database } : {}),
    ...(user ? { user } : {}),
  };
}

/**
 * Each metastore (Deployment and schema-init Job) connects to a database and as a user
 * no other release's metastore uses, reads a hive-site.xml of its own release, and takes
 * credentials only from its own release's Secrets.
 */
export function metastoreIsolation(objects: ClusterObjects): CheckResult[] {
  const wirings = objects.pods
    .filter((pod) => isMetastorePod(objects, pod))
    .map((pod) => metastoreWiring(objects, pod));
  return wirings.map((w) => {
    const problems = [...w.problems];
    for (const other of wirings) {
      if (other.release === w.release) continue;
      if (w.database && other.database === w.database) {
        problems.push(
          `database ${w.database} is also used by ${other.pod.origin} (release ${releaseText(other.release)})`,
        );
      }
      if (w.user && other.user === w.user) {
        problems.push(
          `database user ${w.user} is also used by ${other.pod.origin} (release ${releaseText(other.release)})`,
        );
      }
    }
    return row(
      "metastore-isolation",
      w.pod.origin,
      problems,
      `database ${w.database} as ${w.user ?? "<unset user>"} (${w.url})`,
    );
  });
}
