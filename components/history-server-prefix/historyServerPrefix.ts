import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { releaseEndpoints } from "../../lib/naming/endpoints";
import type { S3Connection } from "../../lib/backends/objectStore/dynamic";
import { objectStoreSecret, type KubeManifest } from "../../lib/kube/objects";
import { secretDigests, withCredentialsDigest } from "../../lib/credentials/rollout";
import { registerInNamespace } from "../../lib/kube/register";
import { historyConfigMap, historyDeployment, historyService } from "./manifests";
import { createMarker } from "./marker";

export interface HistoryServerPrefixArgs {
  /** Validated platform configuration (object store endpoint and bucket). */
  readonly platform: PlatformConfig;
  /** The release whose event logs live under this prefix. */
  readonly release: ReleaseConfig;
  /** Namespace name, as the output of its Namespace resource. */
  readonly namespace: pulumi.Input<string>;
  /** Name of the shared bucket, as the output of the bucket resource (or config when pre-existing). */
  readonly bucket: pulumi.Input<string>;
  /** Object-store keys the History Server reads with. */
  readonly objectStoreCredentials: {
    readonly accessKey: pulumi.Input<string>;
    readonly secretKey: pulumi.Input<string>;
  };
  /** The release's ServiceAccount; the server runs as it, so it is created after it. */
  readonly serviceAccount?: pulumi.Resource;
  /** False when the release is decommissioned: the prefix and its logs stay, the server goes. */
  readonly workloads: boolean;
  /**
   * Connection for the dynamic object-store resources; required when
   * `objectStore.provider` is `dynamic` (no aws or minio plugin), unused otherwise.
   */
  readonly objectStoreConnection?: pulumi.Input<S3Connection>;
}

/**
 * A release's own event-log prefix in the shared bucket, made to exist with a marker
 * object before anything logs to it or reads it, and a History Server of the release's
 * Spark version that reads that prefix only. The marker (and so the prefix) is retained
 * on delete, and protected when `protectData` is set.
 */
export class HistoryServerPrefix extends pulumi.ComponentResource {
  /** `s3a://<bucket>/<prefix>`. */
  public readonly eventLogDir: pulumi.Output<string>;
  /** `http://<release>-history.<ns>.svc:18080`, when a server runs. */
  public readonly url: pulumi.Output<string | undefined>;
  /** Kubernetes objects of the History Server, keyed `Kind/name`. */
  public readonly objects: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: HistoryServerPrefixArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:history:HistoryServerPrefix", name, {}, opts);
    const { platform, release } = args;

    // The marker makes the prefix exist; it is data (retained, protected in prod), never a workload.
    const keepData = { retainOnDelete: true, protect: platform.protectData };
    const marker = createMarker(this, args, keepData);

    const objects: Record<string, pulumi.CustomResource> = {};
    const serverRuns = args.workloads && release.history.enabled;
    if (serverRuns) {
      const keys = objectStoreSecret(
        release,
        "history",
        release.names.historyObjectStoreSecret,
        "components/history-server-prefix/historyServerPrefix.ts#HistoryServerPrefix",
        args.objectStoreCredentials,
      ) as unknown as KubeManifest;
      // The server rolls when its object-store keys change (env is read at start only).
      const digests = secretDigests(release, [keys]);
      const register = (manifest: KubeManifest, dependsOn: pulumi.Resource[] = []) => {
        const resource = registerInNamespace(
          withCredentialsDigest(manifest, digests),
          args.namespace,
          { parent: this, dependsOn },
        );
        objects[`${manifest.kind}/${manifest.metadata!.name}`] = resource;
        return resource;
      };
      const secret = register(keys);
      const config = register(historyConfigMap(platform, release));
      const account = args.serviceAccount ? [args.serviceAccount] : [];
      // The server exits when its log directory is missing: start it after the marker exists.
      register(historyDeployment(platform, release), [marker.resource, secret, config, ...account]);
      // One replica, so no PodDisruptionBudget (see podDisruptionBudget): it would block drains.
      register(historyService(release));
    }
    this.objects = objects;
    this.eventLogDir = pulumi.interpolate`s3a://${marker.bucketName}/${release.history.prefix}`;
    this.url = pulumi.output(serverRuns ? releaseEndpoints(release).historyServerUrl : undefined);

    this.registerOutputs({ eventLogDir: this.eventLogDir, url: this.url });
  }
}
