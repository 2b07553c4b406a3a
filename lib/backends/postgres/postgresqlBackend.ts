import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { PostgresConfig } from "../../config/model";
import type { PostgresBackend } from "./backend";

/** PostgreSQL through @pulumi/postgresql (the default backend). */
export function postgresqlBackend(
  postgres: PostgresConfig,
  adminPassword: pulumi.Input<string> | undefined,
): PostgresBackend {
  const provider = new postgresql.Provider("spark-platform-postgresql", {
    host: postgres.admin.host,
    port: postgres.admin.port,
    username: postgres.adminUser,
    password: adminPassword,
    sslmode: postgres.sslmode,
    database: postgres.database,
    superuser: postgres.superuser,
    connectTimeout: 15,
  });
  return {
    providers: { postgresql: provider },
    isolatedDatabase(name, args, opts) {
      const role = new postgresql.Role(
        `${name}-role`,
        {
          name: args.role,
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
        `${name}-db`,
        { name: args.database, owner: role.name, encoding: "UTF8", template: "template0" },
        opts,
      );
      // PostgreSQL grants CONNECT on every new database to PUBLIC; revoking it leaves only the owner.
      const revokePublic = new postgresql.Grant(
        `${name}-revoke-public`,
        { database: database.name, role: "public", objectType: "database", privileges: [] },
        { parent: opts.parent, retainOnDelete: true },
      );
      return { role, database, grants: [revokePublic] };
    },
  };
}
