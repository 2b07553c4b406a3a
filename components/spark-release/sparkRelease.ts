import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { releaseEndpoints } from "../../lib/naming/endpoints";
import { objectStoreSecret } from "../../lib/kube/objects";
import { secretDigests, withCredentialsDigest } from "../../lib/credentials/rollout";
import { childRegistrar, registerInNamespace, registerManifest } from "../../lib/kube/register";
import {
  authenticatesRpc,
  clientAuthProperties,
  driverSparkDefaults,
} from "../../lib/spark/authentication";
import { sparkDefaults } from "../../lib/spark/defaults";
import {
  authenticatesConnect,
  connectServerSparkDefaults,
} from "../../lib/spark/connectAuthentication";
import { connectClientSecrets, connectServerSecret } from "./manifests/connectAuthentication";
import { ownObjectsPolicy, ownObjectsPolicyBinding } from "./admissionPolicy";
import { clientAdmissionPolicy, clientAdmissionPolicyBinding } from "./clientAdmissionPolicy";
import { podDisruptionBudget, serviceAccount, sparkDefaultsConfigMap } from "./manifests/common";
import {
  connectDeployment,
  connectService,
  executorPodTemplateConfigMap,
  executorRole,
  executorRoleBinding,
} from "./manifests/connect";
import { clientAuthSecrets, connectRpcSecret, releaseAuthSecret } from "./manifests/authentication";
import {
  masterDeployment,
  masterRecoveryClaim,
  masterService,
  workerDeployment,
} from "./manifests/standalone";
import { releasePodMonitors, type ReleasePodMonitors } from "./podMonitors";
import {
  mapNetworkPolicies,
  releaseNetworkPolicies,
  type ReleaseNetworkPolicies,
} from "./networkPolicies";
import { withProfileFile } from "../../lib/credentials/objectStoreProfile";

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
  /**
   * The release's Spark RPC authentication secret (required; a secret;
   * lib/credentials/derivation.ts `deriveSparkAuthSecret`). Standalone: its pods and the
   * Secrets of its client namespaces hold it. Connect: its server and executors read it as
   * a file; no client gets it. Nothing else holds it.
   */
  readonly authSecret?: pulumi.Input<string>;
  /**
   * Connect (required there, ignored for standalone): the release's authentication token
   * (a secret; lib/credentials/derivation.ts `deriveConnectToken`). The server's Secret
   * and the Secrets of its client namespaces hold it; nothing else does.
   */
  readonly connectToken?: pulumi.Input<string>;
  /**
   * Connect (required there): the TLS terminator's certificates
   * (platform/connectCertificates.ts): the CA for the client Secrets, the server's chain
   * and key (a secret) for the server's Secret.
   */
  readonly connectCertificates?: {
    readonly caCert: pulumi.Input<string>;
    readonly serverCert: pulumi.Input<string>;
    readonly serverKey: pulumi.Input<string>;
  };
  /**
   * Client namespaces the stack creates (`releases[].clients[].createNamespace`), as the
   * outputs of their Namespace resources by name, so a client Secret is created after its
   * namespace. A granted namespace not listed here must exist before `pulumi up`.
   */
  readonly clientNamespaces?: ReadonlyMap<string, pulumi.Input<string>>;
}

/**
 * One Spark version: a standalone master and workers, or a Spark Connect server whose
 * executors run as pods; its ServiceAccount, RBAC (Connect only), Services,
 * spark-defaults, NetworkPolicies, the admission policy confining its account and the one
 * admitting its client pods only where `releases[].clients` grants them; with
 * `monitoring` set, its PodMonitors.
 */
export class SparkRelease extends pulumi.ComponentResource {
  /** The release's own ServiceAccount; every pod of the release runs as it. */
  public readonly serviceAccount: k8s.core.v1.ServiceAccount;
  /** The object-store keys of the Spark pods (and, for Connect, of its executors). */
  public readonly objectStoreSecret: k8s.core.v1.Secret;
  /**
   * The release's Spark authentication secret. Standalone: its masters' and workers'
   * `_SPARK_AUTH_SECRET`, and the spark-defaults of drivers started in the master's pod or
   * by the benchmark. Connect: the `spark.authenticate.secret.file` of the server and its
   * executors.
   */
  public readonly authSecret?: k8s.core.v1.Secret;
  /**
   * Connect: the server's Secret: its spark-defaults with the token (its SPARK_CONF_DIR)
   * and the TLS terminator's certificate chain and key.
   */
  public readonly connectServerSecret?: k8s.core.v1.Secret;
  /**
   * Per granted client namespace, by namespace, the Secret its clients authenticate with:
   * standalone `spark-defaults.conf`, `spark-auth.properties`; Connect `token`, `ca.crt`.
   * Empty without clients.
   */
  public readonly clientSecrets: Readonly<Record<string, k8s.core.v1.Secret>>;
  /** spark-defaults.conf of the release (no credentials). */
  public readonly sparkDefaults: k8s.core.v1.ConfigMap;
  /** Default deny and the flows the release needs, by purpose. */
  public readonly networkPolicies: ReleaseNetworkPolicies<k8s.networking.v1.NetworkPolicy>;
  /** Standalone: the master. */
  public readonly master?: k8s.apps.v1.Deployment;
  /** Standalone with recovery on: the claim holding the master's recovery state. */
  public readonly masterRecovery?: k8s.core.v1.PersistentVolumeClaim;
  /** Standalone: the master's Service (RPC and UI). */
  public readonly masterService?: k8s.core.v1.Service;
  /** Standalone: the workers. */
  public readonly workers?: k8s.apps.v1.Deployment;
  /** Standalone with more than one worker: at most one worker drained at a time. */
  public readonly workersDisruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
  /** Connect: the Spark Connect server (the driver). */
  public readonly connectServer?: k8s.apps.v1.Deployment;
  /** Connect: the server's Service (gRPC and UI). */
  public readonly connectService?: k8s.core.v1.Service;
  /** Connect: the executors' pod template. */
  public readonly executorPodTemplate?: k8s.core.v1.ConfigMap;
  /** Connect: what the server may do to run executors, in its namespace only. */
  public readonly executorRole?: k8s.rbac.v1.Role;
  /** Connect: the executor Role bound to the release's ServiceAccount. */
  public readonly executorRoleBinding?: k8s.rbac.v1.RoleBinding;
  /** Confines the release's account to objects labelled with the release (cluster-scoped). */
  public readonly ownObjectsPolicy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy;
  /** Binds `ownObjectsPolicy`; created after it and deleted before it. */
  public readonly ownObjectsPolicyBinding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
  /**
   * Refuses the client label `spark-platform.io/client-of=<release>` on pods outside the
   * granted namespaces and ServiceAccounts (`releases[].clients`), cluster-wide.
   */
  public readonly clientAdmissionPolicy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy;
  /** Binds `clientAdmissionPolicy`; created after it and deleted before it. */
  public readonly clientAdmissionPolicyBinding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
  /**
   * With `monitoring.podMonitors` on: a Prometheus Operator PodMonitor per scrapeable
   * workload kind (master and workers, or the Connect server); empty otherwise.
   */
  public readonly podMonitors: ReleasePodMonitors<k8s.apiextensions.CustomResource>;
  /** Name of the release's ServiceAccount. */
  public readonly serviceAccountName: pulumi.Output<string>;
  /** `spark://…:7077` for standalone, `sc://…:15002/;use_ssl=true` for Connect. */
  public readonly connectionUrl: pulumi.Output<string>;

  constructor(name: string, args: SparkReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:spark:SparkRelease", name, {}, opts);
    const { platform, release } = args;

    const keys = objectStoreSecret(
      release,
      "spark",
      release.names.objectStoreSecret,
      "components/spark-release/sparkRelease.ts#SparkRelease",
      withProfileFile(args.objectStoreCredentials),
    );
    const auth = authenticatesRpc(release)
      ? this.authSecrets(args)
      : authenticatesConnect(release)
        ? this.connectSecrets(args)
        : undefined;
    // Pods roll when the credentials they hold change (env and files are read at start
    // only): the object-store keys, the authentication secret (master and workers, or the
    // Connect server), for Connect the server's Secret (token, certificate).
    const digests = secretDigests(release, [
      keys,
      ...(auth ? [auth.release] : []),
      ...(auth?.rpc ? [auth.rpc] : []),
    ]);
    const register = childRegistrar(this, args.namespace, (manifest) =>
      withCredentialsDigest(manifest, digests),
    );
    this.serviceAccount = register(serviceAccount(release));
    this.objectStoreSecret = register(keys);
    if (auth && release.mode === "standalone") this.authSecret = register(auth.release);
    if (auth?.rpc) this.authSecret = register(auth.rpc);
    if (auth && release.mode === "connect") this.connectServerSecret = register(auth.release);
    const clientSecrets: Record<string, k8s.core.v1.Secret> = {};
    for (const secret of auth?.clients ?? []) {
      const namespace = secret.metadata.namespace;
      clientSecrets[namespace] = registerInNamespace(
        secret,
        args.clientNamespaces?.get(namespace) ?? namespace,
        { parent: this },
        // One name in several namespaces: the namespace tells the resources apart.
        `${secret.metadata.name}-${namespace}`,
      );
    }
    this.clientSecrets = clientSecrets;
    this.sparkDefaults = register(sparkDefaultsConfigMap(platform, release));
    this.networkPolicies = mapNetworkPolicies(releaseNetworkPolicies(platform, release), (policy) =>
      register(policy),
    );
    if (release.mode === "standalone") {
      this.masterService = register(masterService(release));
      const claim = masterRecoveryClaim(release);
      if (claim) this.masterRecovery = register(claim);
      // Created after its claim and deleted before it, so the claim is never in use when
      // it goes and a destroy does not wait on its protection finalizer.
      this.master = register(
        masterDeployment(platform, release),
        this.masterRecovery ? [this.masterRecovery] : [],
      );
      this.workers = register(workerDeployment(platform, release));
      const budget = podDisruptionBudget(
        release,
        "worker",
        release.names.worker,
        release.standalone!.workers,
      );
      if (budget) this.workersDisruptionBudget = register(budget);
    } else {
      this.executorRole = register(executorRole(release));
      this.executorRoleBinding = register(executorRoleBinding(release));
      this.executorPodTemplate = register(executorPodTemplateConfigMap(platform, release));
      this.connectService = register(connectService(release));
      this.connectServer = register(connectDeployment(platform, release));
    }
    // Registered after the workloads they scrape, so a stack without monitoring registers
    // exactly what it did before.
    const monitors = releasePodMonitors(platform, release);
    this.podMonitors = {
      ...(monitors.master ? { master: register(monitors.master) } : {}),
      ...(monitors.worker ? { worker: register(monitors.worker) } : {}),
      ...(monitors.connect ? { connect: register(monitors.connect) } : {}),
    };
    // Cluster-scoped, so not in the namespace; the binding follows its policy (created
    // after it, deleted before it), so it never points at a policy that is not there.
    this.ownObjectsPolicy = registerManifest(ownObjectsPolicy(release), { parent: this });
    this.ownObjectsPolicyBinding = registerManifest(ownObjectsPolicyBinding(release), {
      parent: this,
      dependsOn: [this.ownObjectsPolicy],
    });
    this.clientAdmissionPolicy = registerManifest(clientAdmissionPolicy(release), {
      parent: this,
    });
    this.clientAdmissionPolicyBinding = registerManifest(clientAdmissionPolicyBinding(release), {
      parent: this,
      dependsOn: [this.clientAdmissionPolicy],
    });

    this.serviceAccountName = this.serviceAccount.metadata.name;
    this.connectionUrl = pulumi.output(releaseEndpoints(release).connectionUrl);

    this.registerOutputs({
      serviceAccountName: this.serviceAccountName,
      connectionUrl: this.connectionUrl,
    });
  }

  /** A Connect release's server Secret and its client Secrets, their secret values secret. */
  private connectSecrets(args: SparkReleaseArgs) {
    const { platform, release } = args;
    if (
      args.connectToken === undefined ||
      args.connectCertificates === undefined ||
      args.authSecret === undefined
    ) {
      throw new Error(
        `Connect release ${release.name} needs its token, certificates and authentication secret`,
      );
    }
    const token = pulumi.secret(pulumi.output(args.connectToken));
    const defaults = sparkDefaults(platform, release);
    const certificates = args.connectCertificates;
    return {
      release: connectServerSecret(release, {
        defaults: pulumi.secret(token.apply((t) => connectServerSparkDefaults(defaults, t))),
        tlsCert: pulumi.output(certificates.serverCert),
        tlsKey: pulumi.secret(pulumi.output(certificates.serverKey)),
      }),
      clients: connectClientSecrets(release, {
        token,
        caCert: pulumi.output(certificates.caCert),
      }),
      rpc: connectRpcSecret(release, pulumi.secret(pulumi.output(args.authSecret))),
    };
  }

  /** The release's authentication Secret and its client Secrets, their values secrets. */
  private authSecrets(args: SparkReleaseArgs) {
    const { platform, release } = args;
    if (args.authSecret === undefined) {
      throw new Error(`standalone release ${release.name} needs its authentication secret`);
    }
    const secret = pulumi.secret(pulumi.output(args.authSecret));
    const defaults = sparkDefaults(platform, release);
    const driverDefaults = pulumi.secret(secret.apply((s) => driverSparkDefaults(defaults, s)));
    return {
      release: releaseAuthSecret(release, { secret, driverDefaults }),
      clients: clientAuthSecrets(release, {
        driverDefaults,
        properties: pulumi.secret(secret.apply(clientAuthProperties)),
      }),
      rpc: undefined,
    };
  }
}
