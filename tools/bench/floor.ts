import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The benchmark's floor: what any program with the same SDK and as many resources of the
 * same kinds must spend, against the same mocks. Only @pulumi/pulumi and
 * @pulumi/kubernetes are loaded; Kubernetes kinds are registered through their
 * @pulumi/kubernetes classes with a bare name, every other custom resource as a plain
 * CustomResource (no provider package), components as bare ComponentResources.
 */

/** How many resources of one kind a stack registers. */
export interface ResourceKind {
  readonly type: string;
  readonly custom: boolean;
  readonly count: number;
}

/** The kinds and counts of a program's registrations, in a stable order. */
export function resourceKinds(
  resources: readonly { readonly type: string; readonly custom: boolean }[],
): ResourceKind[] {
  const counts = new Map<string, ResourceKind>();
  for (const { type, custom } of resources) {
    const key = `${custom}:${type}`;
    counts.set(key, { type, custom, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort(
    (a, b) => a.type.localeCompare(b.type) || Number(a.custom) - Number(b.custom),
  );
}

export function resourceCount(kinds: readonly ResourceKind[]): number {
  return kinds.reduce((sum, kind) => sum + kind.count, 0);
}

type KubernetesClass = new (
  name: string,
  args: Record<string, unknown>,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/** `kubernetes:apps/v1:Deployment` -> @pulumi/kubernetes's `apps.v1.Deployment`. */
export function kubernetesClassPath(type: string): [string, string, string] | undefined {
  const match = /^kubernetes:(?:([^/:]+)\/)?([^/:]+):(\w+)$/.exec(type);
  if (!match) return undefined;
  const [, group = "core", version, kind] = match;
  return [group.split(".")[0]!, version!, kind!];
}

/** The least a Kubernetes kind's class accepts. */
function trivialArgs(kind: string, name: string): Record<string, unknown> {
  const args: Record<string, unknown> = { metadata: { name } };
  if (kind === "RoleBinding") {
    args["roleRef"] = { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name };
  }
  return args;
}

class FloorComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string) {
    super(type, name);
    this.registerOutputs({});
  }
}
class FloorProvider extends pulumi.ProviderResource {}
class FloorResource extends pulumi.CustomResource {}

/** Registers `kinds` as trivial resources under whatever monitor is set (mocks). */
export function registerFloor(kinds: readonly ResourceKind[]): void {
  let serial = 0;
  for (const { type, custom, count } of kinds) {
    for (let i = 0; i < count; i++) {
      const name = `floor-${serial++}`;
      if (!custom) {
        new FloorComponent(type, name);
      } else if (type.startsWith("pulumi:providers:")) {
        new FloorProvider(type.slice("pulumi:providers:".length), name, {});
      } else {
        const path = kubernetesClassPath(type);
        if (path) {
          const [group, version, kind] = path;
          const modules = k8s as unknown as Record<string, Record<string, Record<string, unknown>>>;
          const Class = modules[group]?.[version]?.[kind] as KubernetesClass | undefined;
          if (!Class) throw new Error(`floor: no @pulumi/kubernetes class for ${type}`);
          new Class(name, trivialArgs(kind, name));
        } else {
          new FloorResource(type, name, {});
        }
      }
    }
  }
}
