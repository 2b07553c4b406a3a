/**
 * What checkov's CKV_K8S_35 ("Prefer using secrets as files over secrets as environment
 * variables") may report on a rendered stack: the standalone master and worker Deployments,
 * which take `_SPARK_AUTH_SECRET` as env because a standalone daemon reads its RPC secret
 * no other way (docs/hardening.md). Anything else it reports is a regression.
 */
export interface StandaloneDaemons {
  readonly namespace: string;
  readonly master: string;
  readonly worker: string;
}

/** checkov's resource ids (`Kind.namespace.name`) of the daemons allowed to fail CKV_K8S_35. */
export function allowedSecretEnvResources(daemons: readonly StandaloneDaemons[]): string[] {
  return daemons
    .flatMap((d) => [
      `Deployment.${d.namespace}.${d.master}`,
      `Deployment.${d.namespace}.${d.worker}`,
    ])
    .sort();
}

/** checkov's findings split into the allowed ones and the rest. */
export function splitFindings(
  failed: readonly string[],
  allowed: readonly string[],
): { allowed: string[]; unexpected: string[] } {
  const allowedSet = new Set(allowed);
  return {
    allowed: failed.filter((id) => allowedSet.has(id)).sort(),
    unexpected: failed.filter((id) => !allowedSet.has(id)).sort(),
  };
}
