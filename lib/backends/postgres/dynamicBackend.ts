import * as pulumi from "@pulumi/pulumi";
import type { PostgresConfig } from "../../config/model";
import type { PostgresBackend } from "./backend";
import { PostgresDatabase, PostgresRole, type PgConnection } from "./dynamic";

/**
 * PostgreSQL through the platform's dynamic resources (./dynamic.ts): no provider plugin,
 * so no provider resource; each resource carries the admin connection, a secret as it
 * holds the password. Creating the database revokes PUBLIC's CONNECT itself.
 */
export function dynamicPostgres(
  postgres: PostgresConfig,
  adminPassword: pulumi.Input<string> | undefined,
): PostgresBackend {
  const connection = pulumi.secret(
    pulumi.output(adminPassword ?? "").apply(
      (password): PgConnection => ({
        host: postgres.admin.host,
        port: postgres.admin.port,
        user: postgres.adminUser,
        password,
        database: postgres.database,
        sslmode: postgres.sslmode,
      }),
    ),
  );
  return {
    providers: {},
    isolatedDatabase(name, args, opts) {
      const role = new PostgresRole(
        `${name}-role`,
        { connection, name: args.role, password: pulumi.secret(args.password) },
        opts,
      );
      const database = new PostgresDatabase(
        `${name}-db`,
        { connection, name: args.database, owner: role.name },
        opts,
      );
      return { role, database, grants: [] };
    },
  };
}
