import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { PostgresDatabase, PostgresRole } from "../../lib/backends/postgres/dynamic";
import type { IsolatedMetastoreArgs } from "./isolatedMetastore";

/**
 * The role, its database and the PUBLIC-connect revocation, through @pulumi/postgresql or,
 * where that plugin is unavailable, the platform's dynamic provider (same names, same rights).
 */
export function createDatabase(
  parent: pulumi.Resource,
  args: IsolatedMetastoreArgs,
  keepData: { retainOnDelete: boolean; protect: boolean },
): {
  role: { name: pulumi.Output<string> };
  database: pulumi.Resource & { name: pulumi.Output<string> };
} {
  const { platform, release } = args;
  const opts = { parent, ...keepData };
  if (platform.postgres.provider === "dynamic") {
    if (!args.adminConnection)
      throw new Error(
        "IsolatedMetastore: adminConnection is required with postgres.provider dynamic",
      );
    const role = new PostgresRole(
      `${release.name}-metastore-role`,
      {
        connection: args.adminConnection,
        name: release.metastore.role,
        password: pulumi.secret(args.password),
      },
      opts,
    );
    const database = new PostgresDatabase(
      `${release.name}-metastore-db`,
      { connection: args.adminConnection, name: release.metastore.database, owner: role.name },
      opts,
    );
    return { role, database };
  }
  const role = new postgresql.Role(
    `${release.name}-metastore-role`,
    {
      name: release.metastore.role,
      login: true,
      password: pulumi.secret(args.password),
      createDatabase: false,
      createRole: false,
      superuser: false,
      inherit: true,
    },
    opts,
  );
  const database = new postgresql.Database(
    `${release.name}-metastore-db`,
    { name: release.metastore.database, owner: role.name, encoding: "UTF8", template: "template0" },
    opts,
  );
  // PostgreSQL grants CONNECT on every new database to PUBLIC; revoking it leaves only the owner.
  new postgresql.Grant(
    `${release.name}-metastore-revoke-public`,
    { database: database.name, role: "public", objectType: "database", privileges: [] },
    { parent, retainOnDelete: true },
  );
  return { role, database };
}
