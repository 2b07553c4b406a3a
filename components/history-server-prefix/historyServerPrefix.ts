import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { releaseEndpoints } from "../../lib/naming/endpoints";
import type { ObjectStoreBackend } from "../../lib/backends/objectStore/backend";
import { objectStoreSecret } from "../../lib/kube/objects";
import { secretDigests, withCredentialsDigest } from "../../lib/credentials/rollout";
import { childRegistrar } from "../../lib/kube/register";
import { historyConfigMap, historyDeployment, historyService, markerKey } from "./manifests";
import { withProfileFile } from "../../lib/credentials/objectStoreProfile";

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
   * The shared object store's backend (lib/backends/objectStore): creates the prefix
   * marker. Its provider, if it has one, must be in this component's `providers` option.
   */
  readonly objectStore: ObjectStoreBackend;
}

/**
 * A release's own event-log prefix in the shared bucket, made to exist with a marker
 * object before anything logs to it or reads it, and a History Server of the release's
 * Spark version that reads that prefix only. The marker (and so the prefix) is retained
 * on delete, and protected when `protectData` is set.
 */
export class HistoryServerPrefix extends pulumi.ComponentResource {
  /** The empty object `<prefix>/.keep` that makes the prefix exist. */
  public readonly marker: pulumi.CustomResource;
  /** Object-store keys of the History Server. */
  public readonly objectStoreSecret?: k8s.core.v1.Secret;
  /** The server's spark-defaults.conf and logging. */
  public readonly config?: k8s.core.v1.ConfigMap;
  /** The History Server, started after the marker exists. */
  public readonly historyServer?: k8s.apps.v1.Deployment;
  /** The server's UI Service. */
  public readonly service?: k8s.core.v1.Service;
  /** `s3a://<bucket>/<prefix>`. */
  public readonly eventLogDir: pulumi.Output<string>;
  /** `http://<release>-history.<ns>.svc:18080`, when a server runs. */
  public readonly url: pulumi.Output<string | undefined>;

  constructor(name: string, args: HistoryServerPrefixArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:history:HistoryServerPrefix", name, {}, opts);
    const { platform, release } = args;

    // The marker makes the prefix exist; it is data (retained, protected in prod), never a workload.
    const marker = args.objectStore.prefixMarker(
      `${release.name}-event-log-prefix`,
      { bucket: args.bucket, key: markerKey(release) },
      { parent: this, retainOnDelete: true, protect: platform.protectData },
    );
    this.marker = marker.resource;

    const serverRuns = args.workloads && release.history.enabled;
    if (serverRuns) {
      const keys = objectStoreSecret(
        release,
        "history",
        release.names.historyObjectStoreSecret,
        "components/history-server-prefix/historyServerPrefix.ts#HistoryServerPrefix",
        withProfileFile(args.objectStoreCredentials),
      );
      // The server rolls when its object-store keys change (env is read at start only).
      const digests = secretDigests(release, [keys]);
      const register = childRegistrar(this, args.namespace, (manifest) =>
        withCredentialsDigest(manifest, digests),
      );
      this.objectStoreSecret = register(keys);
      this.config = register(historyConfigMap(platform, release));
      const account = args.serviceAccount ? [args.serviceAccount] : [];
      // The server exits when its log directory is missing: start it after the marker exists.
      this.historyServer = register(historyDeployment(platform, release), [
        this.marker,
        this.objectStoreSecret,
        this.config,
        ...account,
      ]);
      // One replica, so no PodDisruptionBudget (see podDisruptionBudget): it would block drains.
      this.service = register(historyService(release));
    }
    this.eventLogDir = pulumi.interpolate`s3a://${marker.bucketName}/${release.history.prefix}`;
    this.url = pulumi.output(serverRuns ? releaseEndpoints(release).historyServerUrl : undefined);

    this.registerOutputs({ eventLogDir: this.eventLogDir, url: this.url });
  }
}
