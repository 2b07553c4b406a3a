/* eslint-disable @typescript-eslint/no-require-imports */
import * as pulumi from "@pulumi/pulumi";

/**
 * PostgreSQL role and database as Pulumi dynamic resources, speaking SQL through the `pg`
 * client. They stand in for @pulumi/postgresql where its provider plugin is unavailable
 * (the Go module proxy serves neither it nor its upstream), selected with
 * `spark-platform:postgres.provider: dynamic`. Same semantics as the platform asks of
 * the plugin: a login role with no other rights, a database it owns, CONNECT revoked
 * from PUBLIC. Both adopt an existing object of the same name (a retained database is
 * taken back, never recreated) and are retained on delete by the components.
 */

/** How the provider reaches the server (the admin connection). */
export interface PgConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sslmode: string;
}

interface RoleInputs {
  connection: PgConnection;
  name: string;
  password: string;
}

interface DatabaseInputs {
  connection: PgConnection;
  name: string;
  owner: string;
}

// Provider objects are serialized into the engine's dynamic-provider host: everything
// they use is required inside the functions.
async function withClient<T>(
  connection: PgConnection,
  work: (client: import("pg").Client) => Promise<T>,
): Promise<T> {
  const { Client } = require("pg") as typeof import("pg");
  const client = new Client({
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    database: connection.database,
    ssl:
      connection.sslmode === "disable"
        ? false
        : { rejectUnauthorized: connection.sslmode.startsWith("verify") },
    connectionTimeoutMillis: 15000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const roleProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: RoleInputs) {
    await withClient(inputs.connection, async (client) => {
      const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [inputs.name]);
      const verb = exists.rowCount ? "ALTER" : "CREATE";
      await client.query(
        `${verb} ROLE ${client.escapeIdentifier(inputs.name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD ${client.escapeLiteral(inputs.password)}`,
      );
    });
    return { id: inputs.name, outs: inputs };
  },
  async diff(_id: string, olds: RoleInputs, news: RoleInputs) {
    const replaces = olds.name !== news.name ? ["name"] : [];
    const changes = replaces.length > 0 || olds.password !== news.password;
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: RoleInputs, news: RoleInputs) {
    await withClient(news.connection, (client) =>
      client.query(
        `ALTER ROLE ${client.escapeIdentifier(news.name)} PASSWORD ${client.escapeLiteral(news.password)}`,
      ),
    );
    return { outs: news };
  },
  async delete(_id: string, props: RoleInputs) {
    await withClient(props.connection, (client) =>
      client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(props.name)}`),
    );
  },
};

export const databaseProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: DatabaseInputs) {
    await withClient(inputs.connection, async (client) => {
      const db = client.escapeIdentifier(inputs.name);
      const owner = client.escapeIdentifier(inputs.owner);
      const existing = await client.query(
        "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
        [inputs.name],
      );
      if (existing.rowCount === 0) {
        await client.query(
          `CREATE DATABASE ${db} OWNER ${owner} ENCODING 'UTF8' TEMPLATE template0`,
        );
      } else if (existing.rows[0].owner !== inputs.owner) {
        throw new Error(
          `database ${inputs.name} exists and is owned by ${existing.rows[0].owner}, not ${inputs.owner}; refusing to adopt it`,
        );
      }
      // Every new database grants CONNECT to PUBLIC; only the owner may connect.
      await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC`);
    });
    return { id: inputs.name, outs: inputs };
  },
  async diff(_id: string, olds: DatabaseInputs, news: DatabaseInputs) {
    const replaces = olds.name !== news.name ? ["name"] : [];
    return {
      changes: replaces.length > 0 || olds.owner !== news.owner,
      replaces,
      deleteBeforeReplace: false,
    };
  },
  async update(_id: string, _olds: DatabaseInputs, news: DatabaseInputs) {
    await withClient(news.connection, (client) =>
      client.query(
        `ALTER DATABASE ${client.escapeIdentifier(news.name)} OWNER TO ${client.escapeIdentifier(news.owner)}`,
      ),
    );
    return { outs: news };
  },
  async delete(_id: string, props: DatabaseInputs) {
    await withClient(props.connection, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(props.name)} WITH (FORCE)`),
    );
  },
};

const SECRET_OUTPUTS = ["connection", "password"];

/** A login role (dynamic provider). */
export class PostgresRole extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;

  constructor(
    name: string,
    args: {
      connection: pulumi.Input<PgConnection>;
      name: pulumi.Input<string>;
      password: pulumi.Input<string>;
    },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      roleProvider,
      name,
      args,
      { ...opts, additionalSecretOutputs: SECRET_OUTPUTS },
      "spark-platform",
      "PostgresRole",
    );
  }
}

/** A database owned by a role, CONNECT revoked from PUBLIC (dynamic provider). */
export class PostgresDatabase extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;

  constructor(
    name: string,
    args: {
      connection: pulumi.Input<PgConnection>;
      name: pulumi.Input<string>;
      owner: pulumi.Input<string>;
    },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      databaseProvider,
      name,
      args,
      { ...opts, additionalSecretOutputs: SECRET_OUTPUTS },
      "spark-platform",
      "PostgresDatabase",
    );
  }
}
