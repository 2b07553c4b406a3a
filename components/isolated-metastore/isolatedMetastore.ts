import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { metastoreJdbcUrl, releaseEndpoints } from "../../lib/naming/endpoints";
import { objectStoreSecret, secretManifest } from "../../lib/kube/objects";
import { secretDigests, withCredentialsDigest } from "../../lib/credentials/rollout";
import { childRegistrar } from "../../lib/kube/register";
import type { NamedResource, PostgresBackend } from "../../lib/backends/postgres/backend";
import {
  DB_SECRET_KEYS,
  metastoreConfigMap,
  metastoreDeployment,
  metastoreService,
  schemaInitJob,
} from "./manifests";
import { connectionPasswordXml } from "./hiveSite";
import { withProfileFile } from "../../lib/credentials/objectStoreProfile";

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
   * The shared PostgreSQL's backend (lib/backends/postgres): creates the role, the
   * database and its grants. Its provider, if it has one, must be in this component's
   * `providers` option.
   */
  readonly postgres: PostgresBackend;
}

/**
 * A release's own Hive Metastore: a login role and a database owned by it on the shared
 * PostgreSQL, connect rights revoked from PUBLIC so no other release's role can even log
 * in to it, a schema-init Job that never upgrades, and a version-matched metastore.
 * Data resources are retained on delete, and protected when `protectData` is set.
 */
export class IsolatedMetastore extends pulumi.ComponentResource {
  /** The metastore's PostgreSQL login role. */
  public readonly role: NamedResource;
  /** The metastore's database, owned by `role`. */
  public readonly database: NamedResource;
  /** Rights set by resources of their own (PUBLIC's CONNECT revoked), by backend. */
  public readonly grants: readonly pulumi.CustomResource[];
  /** The role's name and password, read by the schema-init Job and the metastore. */
  public readonly databaseSecret?: k8s.core.v1.Secret;
  /** Object-store keys of the metastore (warehouse directories). */
  public readonly objectStoreSecret?: k8s.core.v1.Secret;
  /** hive-site.xml (the password only as a reference to an environment variable). */
  public readonly hiveSite?: k8s.core.v1.ConfigMap;
  /** Initialises an empty database's schema; never upgrades one. */
  public readonly schemaInit?: k8s.batch.v1.Job;
  /** The Hive Metastore, started after the schema-init Job. */
  public readonly metastore?: k8s.apps.v1.Deployment;
  /** The metastore's Thrift Service. */
  public readonly service?: k8s.core.v1.Service;
  /** PostgreSQL database name. */
  public readonly databaseName: pulumi.Output<string>;
  /** PostgreSQL login role name. */
  public readonly roleName: pulumi.Output<string>;
  /** `thrift://<release>-metastore.<ns>.svc:9083` (undefined output when decommissioned). */
  public readonly uri: pulumi.Output<string | undefined>;
  /** JDBC URL of the database (no credentials). */
  public readonly jdbcUrl: pulumi.Output<string>;

  constructor(name: string, args: IsolatedMetastoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:metastore:IsolatedMetastore", name, {}, opts);
    const { platform, release } = args;

    const { role, database, grants } = args.postgres.isolatedDatabase(
      `${release.name}-metastore`,
      {
        role: release.metastore.role,
        password: args.password,
        database: release.metastore.database,
      },
      { parent: this, retainOnDelete: true, protect: platform.protectData },
    );
    this.role = role;
    this.database = database;
    this.grants = grants;

    if (args.workloads) {
      const source = "components/isolated-metastore/isolatedMetastore.ts#IsolatedMetastore";
      const dbSecret = secretManifest(
        release,
        "metastore",
        release.names.metastoreDbSecret,
        source,
        {
          [DB_SECRET_KEYS.username]: release.metastore.role,
          [DB_SECRET_KEYS.password]: pulumi.secret(args.password),
          [DB_SECRET_KEYS.passwordFile]: pulumi.secret(
            pulumi.output(args.password).apply(connectionPasswordXml),
          ),
        },
      );
      const keys = objectStoreSecret(
        release,
        "metastore",
        release.names.metastoreObjectStoreSecret,
        source,
        withProfileFile(args.objectStoreCredentials),
      );
      // The schema-init Job and the metastore roll when the database password (derived from
      // the admin password) or, for the metastore, the object-store keys change.
      const digests = secretDigests(release, [dbSecret, keys]);
      const register = childRegistrar(this, args.namespace, (manifest) =>
        withCredentialsDigest(manifest, digests),
      );
      this.databaseSecret = register(dbSecret);
      this.objectStoreSecret = register(keys);
      this.hiveSite = register(metastoreConfigMap(platform, release));
      const account = args.serviceAccount ? [args.serviceAccount] : [];
      this.schemaInit = register(schemaInitJob(platform, release), [
        database,
        this.databaseSecret,
        this.objectStoreSecret,
        this.hiveSite,
        ...account,
      ]);
      this.metastore = register(metastoreDeployment(platform, release), [
        this.schemaInit,
        ...account,
      ]);
      // One replica, so no PodDisruptionBudget (see podDisruptionBudget): it would block drains.
      this.service = register(metastoreService(release));
    }
    this.databaseName = database.name;
    this.roleName = role.name;
    this.uri = pulumi.output(args.workloads ? releaseEndpoints(release).metastoreUri : undefined);
    this.jdbcUrl = pulumi.output(metastoreJdbcUrl(platform, release));

    this.registerOutputs({
      databaseName: this.databaseName,
      roleName: this.roleName,
      uri: this.uri,
      jdbcUrl: this.jdbcUrl,
    });
  }
}
