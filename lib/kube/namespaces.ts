import type { INamespace } from "kubernetes-models/v1/Namespace";
import { createdClientNamespaces } from "../config/clients";
import type { PlatformConfig, PodSecurityLevels } from "../config/model";
import { RELEASE_LABEL, SOURCE_ANNOTATION } from "./objects";

const SOURCE = "lib/kube/namespaces.ts";

function podSecurityLabels(levels: PodSecurityLevels): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": levels.enforce,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/warn": levels.warn,
    "pod-security.kubernetes.io/warn-version": "latest",
    "pod-security.kubernetes.io/audit": levels.audit,
    "pod-security.kubernetes.io/audit-version": "latest",
  };
}

/**
 * Namespaces of the stack. They belong to the stack, not to a release: a shared namespace
 * must outlive any one release, and a decommissioned release keeps its namespace so its
 * removal never cascades into objects the platform does not manage.
 */
export function namespaceManifests(config: PlatformConfig): INamespace[] {
  const base = (name: string, release?: string): INamespace => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        "app.kubernetes.io/part-of": "spark-platform",
        "app.kubernetes.io/managed-by": "pulumi",
        ...(release ? { [RELEASE_LABEL]: release } : {}),
        ...podSecurityLabels(config.podSecurity),
      },
      annotations: { [SOURCE_ANNOTATION]: `${SOURCE}#namespaceManifests` },
    },
  });
  if (config.namespaceLayout === "shared") {
    return config.releases.length > 0 ? [base(config.sharedNamespace)] : [];
  }
  return config.releases.map((release) => base(release.namespace, release.name));
}

/** Pod Security of the client namespaces the platform creates: restricted, whatever the stack's. */
const CLIENT_POD_SECURITY: PodSecurityLevels = {
  enforce: "restricted",
  warn: "restricted",
  audit: "restricted",
};

/**
 * The client namespaces the platform creates (`releases[].clients[].createNamespace`),
 * once each however many releases list them. They are the teams' namespaces, not a
 * release's: no release label, Pod Security restricted whatever the stack enforces for its
 * own, and the platform registers them to be kept when the entry or the stack goes
 * (retainOnDelete), since a team's workloads live there. The teams' ServiceAccounts in
 * them are the teams' to create.
 */
export function clientNamespaceManifests(config: PlatformConfig): INamespace[] {
  return createdClientNamespaces(config).map((name) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        "app.kubernetes.io/managed-by": "pulumi",
        ...podSecurityLabels(CLIENT_POD_SECURITY),
      },
      annotations: { [SOURCE_ANNOTATION]: `${SOURCE}#clientNamespaceManifests` },
    },
  }));
}
