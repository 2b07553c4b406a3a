import * as pulumi from "@pulumi/pulumi";
import { podModels } from "../kube/analysis/pods";
import type { ReleaseConfig } from "../config/model";
import { combinedDigest, secretDataDigest } from "./derivation";
import type { KubeManifest } from "../kube/objects";
import { referencedSecrets } from "../verify/objects";

/**
 * Pod-template annotation carrying a digest of the credentials the pod holds. Env from a
 * `secretKeyRef` is read once at container start, so a rotated Secret reaches a running
 * pod only when the pod is replaced: the digest changes exactly when one of the pod's
 * Secrets changes, and Kubernetes rolls exactly those pods.
 */
export const CREDENTIALS_DIGEST_ANNOTATION = "spark-platform.io/credentials-digest";

interface SecretLike extends KubeManifest {
  stringData?: Record<string, pulumi.Input<string>>;
}

interface Workload extends KubeManifest {
  spec?: { template?: { metadata?: { annotations?: Record<string, unknown> } } };
}

/** The Secrets a workload's pods read (env, envFrom, volumes): pure, from the manifest. */
export function secretsReadBy(manifest: KubeManifest): string[] {
  return podModels([manifest]).flatMap(referencedSecrets).sort();
}

/**
 * The platform's digest key for this program run (a secret Output, 32 bytes in hex).
 * Set once by the composition root before any component is built; module state, because
 * every component computes its digests with the same stack-wide key.
 */
let digestKey: pulumi.Output<string> | undefined;

/** Sets the key secretDigests uses (platform/platform.ts, from platform/digestKey.ts). */
export function useCredentialsDigestKey(key: pulumi.Input<string>): void {
  digestKey = pulumi.output(key);
}

/**
 * Digest of each Secret among `manifests`, by name, as an Output. The values and the key
 * are Pulumi secrets; the digest is not (without the key it reveals nothing), so it is
 * unsecreted: a secret-marked annotation would show as `[secret]` and hide every rollout
 * in a diff.
 */
export function secretDigests(
  release: ReleaseConfig,
  manifests: readonly KubeManifest[],
): Map<string, pulumi.Output<string>> {
  const digests = new Map<string, pulumi.Output<string>>();
  const secrets = manifests.filter((m) => m.kind === "Secret") as SecretLike[];
  if (secrets.length === 0) return digests;
  if (!digestKey) {
    throw new Error(
      "credential digests need the platform's digest key: call useCredentialsDigestKey first",
    );
  }
  for (const secret of secrets) {
    const name = secret.metadata!.name!;
    const salt = `${release.name}/${secret.metadata?.namespace ?? release.namespace}/${name}`;
    digests.set(
      name,
      pulumi.unsecret(
        pulumi
          .all([digestKey, pulumi.all(secret.stringData ?? {})])
          .apply(([key, data]) => secretDataDigest(key, salt, data)),
      ),
    );
  }
  return digests;
}

/**
 * The workload with CREDENTIALS_DIGEST_ANNOTATION on its pod template, from the digests
 * of the Secrets its pods read; unchanged when they read none of `digests`.
 */
export function withCredentialsDigest(
  manifest: KubeManifest,
  digests: ReadonlyMap<string, pulumi.Output<string>>,
): KubeManifest {
  const template = (manifest as Workload).spec?.template;
  // Only pod templates get the annotation: skip the rest before reading what pods they hold
  // (which parses the pod templates ConfigMaps carry).
  if (!template || digests.size === 0) return manifest;
  const names = secretsReadBy(manifest).filter((name) => digests.has(name));
  if (names.length === 0) return manifest;
  const annotation = pulumi
    .all(Object.fromEntries(names.map((name) => [name, digests.get(name)!])))
    .apply((byName) => combinedDigest(byName));
  const workload = manifest as Workload;
  return {
    ...manifest,
    spec: {
      ...workload.spec,
      template: {
        ...template,
        metadata: {
          ...template.metadata,
          annotations: {
            ...template.metadata?.annotations,
            [CREDENTIALS_DIGEST_ANNOTATION]: annotation,
          },
        },
      },
    },
  } as KubeManifest;
}
