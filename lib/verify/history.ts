import type { PodModel } from "../kube/analysis/pods";
import { RELEASE_LABEL } from "../kube/objects";
import { normalizePrefix, prefixesOverlap } from "../naming/prefixes";
import { systemProperties } from "./conf";
import {
  componentOf,
  configFiles,
  mountedConfigMaps,
  releaseOf,
  releaseOfManifest,
  startupStrings,
  type ClusterObjects,
} from "./objects";
import { releaseText, row, type CheckResult } from "./result";

const LOG_DIRECTORY = "spark.history.fs.logDirectory";
const EVENT_LOG_DIR = "spark.eventLog.dir";

/** An event-log prefix one pod reads (a history server) or writes (Spark daemons, executors). */
export interface PrefixUse {
  readonly pod: PodModel;
  readonly release: string | undefined;
  readonly role: "reads" | "writes";
  readonly prefix?: string;
  readonly problems: string[];
}

/** The prefix a pod reads (history server) or writes (Spark daemons), from its mounted conf and flags. */
function prefixUse(objects: ClusterObjects, pod: PodModel): PrefixUse | undefined {
  const release = releaseOf(pod.labels);
  const problems: string[] = [];
  let read: string | undefined;
  let written: string | undefined;
  for (const mount of mountedConfigMaps(objects, pod)) {
    const conf = mount.configMap ? configFiles(mount.configMap)["spark-defaults.conf"] : undefined;
    if (!conf || !mount.configMap) continue;
    const owner = releaseOfManifest(mount.configMap);
    const uses = conf[LOG_DIRECTORY] ?? conf[EVENT_LOG_DIR];
    if (uses !== undefined && owner !== release) {
      problems.push(
        `mounts spark-defaults.conf from ConfigMap ${pod.namespace}/${mount.name} of release ${releaseText(owner)}`,
      );
    }
    read = conf[LOG_DIRECTORY] ?? read;
    written = conf[EVENT_LOG_DIR] ?? written;
  }
  for (const text of startupStrings(pod)) {
    const flags = systemProperties(text);
    read = flags[LOG_DIRECTORY] ?? read;
    written = flags[EVENT_LOG_DIR] ?? written;
    const conf = /^spark\.eventLog\.dir=(\S+)$/.exec(text);
    if (conf) written = conf[1];
  }
  const isHistory = componentOf(pod) === "history" || read !== undefined;
  if (isHistory) {
    if (!read) problems.push(`history server with no ${LOG_DIRECTORY}`);
    return { pod, release, role: "reads", problems, ...(read ? { prefix: read } : {}) };
  }
  return written ? { pod, release, role: "writes", problems, prefix: written } : undefined;
}

/** Every pod's prefix use, in pod order; pods that neither read nor write event logs left out. */
export function prefixUses(objects: ClusterObjects): PrefixUse[] {
  return objects.pods
    .map((pod) => prefixUse(objects, pod))
    .filter((u): u is PrefixUse => u !== undefined);
}

/**
 * Each history server reads exactly the prefix its release's Spark pods write to, and no
 * prefix read or written by one release equals or contains another release's.
 */
export function historyIsolation(objects: ClusterObjects): CheckResult[] {
  const uses = prefixUses(objects);
  return uses.map((use) => {
    const problems = [...use.problems];
    if (!use.release) problems.push(`pod has no ${RELEASE_LABEL} label`);
    if (use.prefix) {
      if (use.role === "reads") {
        const writers = uses.filter((u) => u.role === "writes" && u.release === use.release);
        for (const writer of writers) {
          if (writer.prefix && normalizePrefix(writer.prefix) !== normalizePrefix(use.prefix)) {
            problems.push(
              `reads ${use.prefix} but ${writer.pod.origin} of the same release writes ${writer.prefix}`,
            );
          }
        }
      }
      for (const other of uses) {
        if (other.release === use.release || !other.prefix) continue;
        if (prefixesOverlap(use.prefix, other.prefix)) {
          problems.push(
            `${use.prefix} overlaps ${other.prefix}, which ${other.pod.origin} (release ${releaseText(other.release)}) ${other.role}`,
          );
        }
      }
    }
    return row("history-isolation", use.pod.origin, problems, `${use.role} ${use.prefix}`);
  });
}
