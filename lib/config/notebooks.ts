import { configKey } from "./keys";
import { objectNames } from "./isolation";
import type {
  ConfigIssue,
  NotebookConfig,
  NotebookNames,
  PlatformConfig,
  ReleaseConfig,
} from "./model";
import type { RawNotebook } from "./schema";

/**
 * The notebook image of each Spark version a default exists for: JupyterLab with the
 * pyspark-client of that version (the local cluster builds it: cluster/images/notebook.ts;
 * elsewhere push it, or set `notebooks[].image`).
 */
export const DEFAULT_NOTEBOOK_IMAGES: Readonly<Record<string, string>> = {
  "4.1.0": "spark-platform/notebook:4.1.0",
};

/** The key of a notebook's token Secret (`<name>-jupyter-token`). */
export const NOTEBOOK_TOKEN_KEY = "token";

/** The names a notebook's objects take in its namespace. */
export function notebookNames(name: string): NotebookNames {
  return { notebook: name, tokenSecret: `${name}-jupyter-token`, session: `${name}-session` };
}

/** `notebooks[i]` with its defaults: the image of its release's version, its own account. */
export function resolveNotebook(
  raw: RawNotebook,
  index: number,
  releases: readonly ReleaseConfig[],
): NotebookConfig {
  const release = releases.find((r) => r.name === raw.release);
  return {
    index,
    name: raw.name,
    namespace: raw.namespace,
    release: raw.release,
    serviceAccount: raw.serviceAccount ?? raw.name,
    createServiceAccount: raw.serviceAccount === undefined,
    // Empty when no default exists: notebookIssues names the key.
    image: raw.image ?? (release ? (DEFAULT_NOTEBOOK_IMAGES[release.sparkVersion] ?? "") : ""),
    names: notebookNames(raw.name),
  };
}

/**
 * Notebooks checked against the releases and their grants, so that a notebook is a client
 * the platform team granted, like any other:
 *
 * - its release exists, is active and is a Spark Connect release (a notebook runs no
 *   driver of its own: a 3.5 session would need a driver, the metastore and the workers'
 *   executors in the notebook's pod);
 * - its namespace is one of that release's client namespaces (`releases[].clients`);
 * - where that grant lists ServiceAccounts, the notebook runs under one of them (named in
 *   `serviceAccount`; the team owns it); otherwise under an account of its own;
 * - its objects' names are free: no two notebooks and no release object share one.
 */
export function notebookIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  for (const notebook of config.notebooks) {
    const key = (...path: PropertyKey[]) => configKey(["notebooks", notebook.index, ...path]);
    const issue = (at: string, message: string, releases: string[] = [notebook.release]) =>
      issues.push({ key: at, message, releases });

    const place = `${notebook.namespace}/${notebook.name}`;
    const previous = seen.get(place);
    if (previous !== undefined) {
      issue(key("name"), `notebook ${place} is configured twice (also notebooks[${previous}])`);
    } else {
      seen.set(place, notebook.index);
    }
    for (const release of config.releases.filter((r) => r.namespace === notebook.namespace)) {
      const taken = Object.values(notebook.names).filter((n) => objectNames(release).includes(n));
      if (taken.length > 0) {
        issue(
          key("name"),
          `${taken.join(", ")} is an object of release ${release.name} (releases[${release.index}]) in namespace ${notebook.namespace}; choose another notebook name`,
          [notebook.release, release.name],
        );
      }
    }

    const release = config.releases.find((r) => r.name === notebook.release);
    if (!release) {
      issue(
        key("release"),
        `names no configured release (known: ${config.releases.map((r) => r.name).join(", ") || "none"})`,
      );
      continue;
    }
    if (release.mode !== "connect") {
      issue(
        key("release"),
        `release ${release.name} is a ${release.mode} release; a notebook is a Spark Connect client (it runs no driver of its own), so its release must be a connect release`,
      );
      continue;
    }
    if (release.decommissioned) {
      issue(
        key("release"),
        `release ${release.name} is decommissioned; move the notebook to an active release or remove it`,
      );
      continue;
    }
    if (!notebook.image) {
      issue(
        key("image"),
        `is required: no default notebook image exists for Spark ${release.sparkVersion} (defaults: ${Object.keys(DEFAULT_NOTEBOOK_IMAGES).join(", ")})`,
      );
    }
    const grant = release.clients.find((g) => g.namespace === notebook.namespace);
    if (!grant) {
      const listed = release.clients.map((g) => g.namespace);
      issue(
        key("namespace"),
        `namespace ${notebook.namespace} is not a client namespace of release ${release.name}; grant it in releases[${release.index}].clients${listed.length ? ` or use one of: ${listed.join(", ")}` : ""}`,
      );
      continue;
    }
    if (grant.serviceAccounts && notebook.createServiceAccount) {
      issue(
        key("serviceAccount"),
        `is required: releases[${release.index}].clients[${grant.index}] admits only ServiceAccounts ${grant.serviceAccounts.join(", ")} in namespace ${notebook.namespace}; name the one the notebook runs under`,
      );
    } else if (grant.serviceAccounts && !grant.serviceAccounts.includes(notebook.serviceAccount)) {
      issue(
        key("serviceAccount"),
        `${notebook.serviceAccount} is not listed in releases[${release.index}].clients[${grant.index}].serviceAccounts (${grant.serviceAccounts.join(", ")}); list it there or run the notebook under a listed one`,
      );
    }
  }
  return issues;
}
