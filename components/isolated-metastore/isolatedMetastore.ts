import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { metastoreJdbcUrl, releaseEndpoints } from "../../lib/naming/endpoints";
import { objectStoreSecret, secretManifest, type KubeManifest } from "../../lib/kube/objects";
import { secretDigests, withCredentialsDigest } from "../../lib/credentials/rollout";
import { registerInNamespace } from "../../lib/kube/register";
import type { PgConnection } from "../../lib/backends/postgres/dynamic";
import { createDatabase } from "./database";
import {
  DB_SECRET_KEYS,
  metastoreConfigMap,
  metastoreDeployment,
  metastoreService,
  schemaInitJob,
} from "./manifests";

export interface IsolatedMetastoreArgs {
  /** Validated platform configuration (the shared PostgreSQL, object store). */
  readonly platform: PlatformConfig;
  /** The release this metastore serves; its database and role names come from here. */
  readonly release: ReleaseConfig;
  /** Namespace name, as the output of its Namespace resource. */
  readonly namespace: pulumi.Input<string>;
  /** Password of the metastore's login role (a secret). */
  readonly password: pulumi.Input<string>;
  /** Object-store keys the metastore uses for warehouse directories. */
  readonly objectStoreCredentials: {
    readonly accessKey: pulumi.Input<string>;
    readonly secretKey: pulumi.Input<string>;
  };
  /** The release's ServiceAccount; metastore pods run as it, so they are created after it. */
  readonly serviceAccount?: pulumi.Resource;
  /**
   * False when the release is decommissioned: the database, role and grants stay (same
   * URNs, nothing replaced), the metastore workloads go.
   */
  readonly workloads: boolean;
  /**
   * Admin connection for the dynamic PostgreSQL resources; required when
   * `postgres.provider` is `dynamic` (no @pulumi/postgresql plugin), unused otherwise.
   */
  readonly adminConnection?: pulumi.Input<PgConnection>;
}

/**
 * A release's own Hive Metastore: a login role and a database owned by it on the shared
 * PostgreSQL, connect rights revoked from PUBLIC so no other release's role can even log
 * in to it, a schema-init Job that never upgrades, and a version-matched metastore.
 * Data resources are retained on delete, and protected when `protectData` is set.
 */
export class IsolatedMetastore extends pulumi.ComponentResource {
  /** PostgreSQL database name. */
  public readonly database: pulumi.Output<string>;
  /** PostgreSQL login role name. */
  public readonly role: pulumi.Output<string>;
  /** `thrift://<release>-metastore.<ns>.svc:9083` (undefined output when decommissioned). */
  public readonly uri: pulumi.Output<string | undefined>;
  /** JDBC URL of the database (no credentials). */
  public readonly jdbcUrl: pulumi.Output<string>;
  /** Kubernetes objects of the metastore, keyed `Kind/name`. */
  public readonly objects: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: IsolatedMetastoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:metastore:IsolatedMetastore", name, {}, opts);
    const { platform, release } = args;
    const keepData = { retainOnDelete: true, protect: platform.protectData };

    const { role, database } = createDatabase(this, args, keepData);

    const objects: Record<string, pulumi.CustomResource> = {};
    if (args.workloads) {
      const source = "components/isolated-metastore/isolatedMetastore.ts#IsolatedMetastore";
      const secrets: KubeManifest[] = [
        secretManifest(release, "metastore", release.names.metastoreDbSecret, source, {
          [DB_SECRET_KEYS.username]: release.metastore.role,
          [DB_SECRET_KEYS.password]: pulumi.secret(args.password),
        }) as unknown as KubeManifest,
        objectStoreSecret(
          release,
          "metastore",
          release.names.metastoreObjectStoreSecret,
          source,
          args.objectStoreCredentials,
        ) as unknown as KubeManifest,
      ];
      // The schema-init Job and the metastore roll when the database password (derived from
      // the admin password) or, for the metastore, the object-store keys change.
      const digests = secretDigests(release, secrets);
      const register = (manifest: KubeManifest, dependsOn: pulumi.Resource[] = []) => {
        const resource = registerInNamespace(
          withCredentialsDigest(manifest, digests),
          args.namespace,
          { parent: this, dependsOn },
        );
        objects[`${manifest.kind}/${manifest.metadata!.name}`] = resource;
        return resource;
      };
      const ready = [database, ...secrets.map((s) => register(s))];
      const config = register(metastoreConfigMap(platform, release));
      const account = args.serviceAccount ? [args.serviceAccount] : [];
      const init = register(schemaInitJob(platform, release), [...ready, config, ...account]);
      register(metastoreDeployment(platform, release), [init, ...account]);
      // One replica, so no PodDisruptionBudget (see podDisruptionBudget): it would block drains.
      register(metastoreService(release));
    }
    this.objects = objects;
    this.database = database.name;
    this.role = role.name;
    this.uri = pulumi.output(args.workloads ? releaseEndpoints(release).metastoreUri : undefined);
    this.jdbcUrl = pulumi.output(metastoreJdbcUrl(platform, release));

    this.registerOutputs({
      database: this.database,
      role: this.role,
      uri: this.uri,
      jdbcUrl: this.jdbcUrl,
    });
  }
}
