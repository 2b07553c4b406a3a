import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { releaseEndpoints } from "../../lib/naming/endpoints";
import { objectStoreSecret, type KubeManifest } from "../../lib/kube/objects";
import { secretDigests, withCredentialsDigest } from "../../lib/credentials/rollout";
import { registerInNamespace, registerManifest } from "../../lib/kube/register";
import { ownObjectsPolicy, ownObjectsPolicyBinding } from "./admissionPolicy";
import { podDisruptionBudget, serviceAccount, sparkDefaultsConfigMap } from "./manifests/common";
import {
  connectDeployment,
  connectService,
  executorPodTemplateConfigMap,
  executorRole,
  executorRoleBinding,
} from "./manifests/connect";
import { masterDeployment, masterService, workerDeployment } from "./manifests/standalone";
import { releaseNetworkPolicies } from "./networkPolicies";

export interface SparkReleaseArgs {
  /** Validated platform configuration (object store, Kubernetes API port, ...). */
  readonly platform: PlatformConfig;
  /** The release to run: version, mode, sizes, names. */
  readonly release: ReleaseConfig;
  /** Namespace name, as the output of its Namespace resource so objects are created after it. */
  readonly namespace: pulumi.Input<string>;
  /** Object-store keys for the Spark pods; stored only in this release's Secret. */
  readonly objectStoreCredentials: {
    readonly accessKey: pulumi.Input<string>;
    readonly secretKey: pulumi.Input<string>;
  };
}

/**
 * One Spark version: a standalone master and workers, or a Spark Connect server whose
 * executors run as pods; its ServiceAccount, RBAC (Connect only), Services,
 * spark-defaults and NetworkPolicies.
 */
export class SparkRelease extends pulumi.ComponentResource {
  /** The release's own ServiceAccount. */
  public readonly serviceAccountName: pulumi.Output<string>;
  /** `spark://…:7077` for standalone, `sc://…:15002` for Connect. */
  public readonly connectionUrl: pulumi.Output<string>;
  /** Kubernetes objects of the release, keyed `Kind/name`. */
  public readonly objects: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: SparkReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:spark:SparkRelease", name, {}, opts);
    const { platform, release } = args;

    const manifests: KubeManifest[] = [
      serviceAccount(release),
      objectStoreSecret(
        release,
        "spark",
        release.names.objectStoreSecret,
        "components/spark-release/sparkRelease.ts#SparkRelease",
        args.objectStoreCredentials,
      ) as unknown as KubeManifest,
      sparkDefaultsConfigMap(platform, release),
      ...releaseNetworkPolicies(platform, release),
    ];
    if (release.mode === "standalone") {
      manifests.push(
        masterService(release),
        masterDeployment(platform, release),
        workerDeployment(platform, release),
      );
      const workers = podDisruptionBudget(
        release,
        "worker",
        release.names.worker,
        release.standalone!.workers,
      );
      if (workers) manifests.push(workers);
    } else {
      manifests.push(
        executorRole(release),
        executorRoleBinding(release),
        executorPodTemplateConfigMap(platform, release),
        connectService(release),
        connectDeployment(platform, release),
      );
    }

    const objects: Record<string, pulumi.CustomResource> = {};
    // Pods roll when the object-store keys they hold change (env is read at start only).
    const digests = secretDigests(release, manifests);
    for (const manifest of manifests) {
      objects[`${manifest.kind}/${manifest.metadata!.name}`] = registerInNamespace(
        withCredentialsDigest(manifest, digests),
        args.namespace,
        { parent: this },
      );
    }
    // Cluster-scoped, so not in the namespace; the binding follows its policy (created
    // after it, deleted before it), so it never points at a policy that is not there.
    const policy = ownObjectsPolicy(release) as KubeManifest;
    const binding = ownObjectsPolicyBinding(release) as KubeManifest;
    const policyResource = registerManifest(policy, { parent: this });
    objects[`${policy.kind}/${policy.metadata!.name}`] = policyResource;
    objects[`${binding.kind}/${binding.metadata!.name}`] = registerManifest(binding, {
      parent: this,
      dependsOn: [policyResource],
    });
    this.objects = objects;
    const account = objects[
      `ServiceAccount/${release.names.serviceAccount}`
    ] as k8s.core.v1.ServiceAccount;
    this.serviceAccountName = account.metadata.name;
    this.connectionUrl = pulumi.output(releaseEndpoints(release).connectionUrl);

    this.registerOutputs({
      serviceAccountName: this.serviceAccountName,
      connectionUrl: this.connectionUrl,
    });
  }
}
