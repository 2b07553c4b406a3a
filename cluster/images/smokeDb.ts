/**
 * Database smoke checks of the Hive stand-ins: a temporary PostgreSQL of our own (Debian's
 * postgresql, on 127.0.0.1:55432, started and stopped by PID) and the product's own
 * schema-init script (components/isolated-metastore) run in the image twice (initialise,
 * then "nothing to do"), then the entrypoint with IS_RESUME=true serving on 9083.
 * 3.1.3's bundled 9.4 driver cannot do SCRAM, so its role gets an md5 password (the
 * platform's PostgreSQL defaults to SCRAM: that is the upstream image's limit, reproduced).
 * 4.0.0 has no driver, so a PostgreSQL driver is mounted at /opt/hive/lib/postgres.jar,
 * as the upstream image's documentation says.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ReleaseConfig } from "../../lib/config/model";
import { schemaInitScript } from "../../components/isolated-metastore/schemaInit";
import { parsePlatformConfig } from "../../lib/config/parse";
import type { SmokeCheck } from "./smokeChecks";
import type { Ctx } from "./image";
import { mavenArtifact } from "./maven";
import { runOk } from "../support/runCommand";
import type { Log } from "./progress";

/** The smoke metastore's throw-away password arrives as env; hive-site expands it. */
const DB_PASSWORD_ENV = "HIVE_METASTORE_DB_PASSWORD";

const PG_BIN = "/usr/lib/postgresql/15/bin";
export const PG_PORT = 55432;
/** The test roles' secret (a throw-away database of the smoke test). */
const SMOKE_DB_SECRET = "smoke-only-secret";
/** schematool's own line when -initSchema runs. */
const INIT_RAN = /Starting metastore schema initialization/i;
const DRIVER = {
  coordinate: "org.postgresql:postgresql:42.7.4",
  sha1: "264310fd7b2cd76738787dc0b9f7ea2e3b11adc1",
};

export function postgresAvailable(): boolean {
  return existsSync(join(PG_BIN, "initdb"));
}

export async function startPostgres(dir: string, log: Log) {
  const data = join(dir, "pg");
  await mkdir(data, { recursive: true });
  await runOk("chown", ["-R", "postgres:postgres", dir]);
  const asPg = (cmd: string, args: string[]) =>
    runOk("runuser", ["-u", "postgres", "--", cmd, ...args]);
  await asPg(join(PG_BIN, "initdb"), [
    "-D",
    join(data, "data"),
    "-U",
    "postgres",
    "-A",
    "trust",
    "--auth-host=md5",
  ]);
  // Spawned as user postgres directly (not through runuser), so the PID is the postmaster's.
  const [uid, gid] = (await runOk("sh", ["-c", "id -u postgres; id -g postgres"]))
    .trim()
    .split("\n")
    .map(Number);
  const child = spawn(
    join(PG_BIN, "postgres"),
    [
      "-D",
      join(data, "data"),
      "-p",
      String(PG_PORT),
      "-k",
      data,
      "-c",
      "listen_addresses=127.0.0.1",
    ],
    { stdio: "ignore", uid, gid, cwd: data },
  );
  for (let i = 0; i < 60; i++) {
    const ready = await runOk(join(PG_BIN, "pg_isready"), ["-h", data, "-p", String(PG_PORT)]).then(
      () => true,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const sql = (statement: string) =>
    asPg("psql", ["-h", data, "-p", String(PG_PORT), "-v", "ON_ERROR_STOP=1", "-c", statement]);
  for (const [db, encryption] of [
    ["hive313", "md5"],
    ["hive400", "scram-sha-256"],
  ] as const) {
    await sql(
      `SET password_encryption = '${encryption}'; CREATE ROLE ${db} LOGIN PASSWORD '${SMOKE_DB_SECRET}'`,
    );
    await sql(`CREATE DATABASE ${db} OWNER ${db}`);
  }
  log(`smoke: temporary PostgreSQL pid ${child.pid} on 127.0.0.1:${PG_PORT}`);
  return async () => {
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
    log(`smoke: temporary PostgreSQL pid ${child.pid} stopped`);
  };
}

function hiveSite(db: string): string {
  const prop = (name: string, value: string) =>
    `  <property><name>${name}</name><value>${value}</value></property>`;
  return [
    '<?xml version="1.0"?>',
    "<configuration>",
    prop("javax.jdo.option.ConnectionURL", `jdbc:postgresql://127.0.0.1:${PG_PORT}/${db}`),
    prop("javax.jdo.option.ConnectionDriverName", "org.postgresql.Driver"),
    prop("javax.jdo.option.ConnectionUserName", db),
    prop("javax.jdo.option.ConnectionPassword", `\${env.${DB_PASSWORD_ENV}}`),
    prop("hive.metastore.schema.verification", "true"),
    prop("metastore.schema.verification", "true"),
    prop("datanucleus.schema.autoCreateAll", "false"),
    "</configuration>",
    "",
  ].join("\n");
}

/** One release per Spark line, with the platform's defaults (so each Hive line appears once). */
function smokeReleases(): readonly ReleaseConfig[] {
  const parsed = parsePlatformConfig({
    values: {
      postgresAdminPassword: SMOKE_DB_SECRET,
      objectStoreAccessKey: "smoke",
      objectStoreSecretKey: "smoke-secret",
      postgres: { host: "127.0.0.1", port: PG_PORT, sslmode: "disable" },
      objectStore: { endpoint: "http://127.0.0.1:9000", bucket: "smoke" },
      releases: [
        { name: "smoke-35", sparkVersion: "3.5.7", mode: "standalone" },
        { name: "smoke-41", sparkVersion: "4.1.0", mode: "connect" },
      ],
    },
    secretKeys: new Set(["postgresAdminPassword", "objectStoreAccessKey", "objectStoreSecretKey"]),
  });
  if (!parsed.ok) throw new Error(`smoke configuration refused: ${JSON.stringify(parsed.issues)}`);
  return parsed.config.releases;
}

export async function dbChecks(ctx: Ctx, ref: string, version: string): Promise<SmokeCheck[]> {
  const db = version === "3.1.3" ? "hive313" : "hive400";
  // A release of the test configuration with this Hive version: its names only appear in the
  // script's messages; the connection comes from the hive-site mounted below.
  const release = smokeReleases().find((r: ReleaseConfig) => r.metastore.hiveVersion === version);
  if (!release) throw new Error(`no release with Hive ${version} in the test configuration`);
  const hostMounts: Record<string, string> = {};
  if (version !== "3.1.3") {
    hostMounts["/opt/hive/lib/postgres.jar"] = await mavenArtifact(
      ctx,
      DRIVER.coordinate,
      DRIVER.sha1,
    );
  }
  const common = {
    ref,
    readOnly: true,
    netHost: true,
    env: { [DB_PASSWORD_ENV]: SMOKE_DB_SECRET, SERVICE_NAME: "metastore", DB_DRIVER: "postgres" },
    files: { "/opt/hive/conf/hive-site.xml": `hive-site-${db}.xml` },
    fileTexts: { [`hive-site-${db}.xml`]: hiveSite(db) },
    hostMounts,
    timeoutSeconds: 180,
  };
  return [
    {
      ...common,
      name: "product schema-init script initialises an empty database",
      args: ["/bin/bash", "-c", schemaInitScript(release)],
      verify: (code: number, out: string) =>
        code === 0 && INIT_RAN.test(out) && /Initialization script completed/.test(out)
          ? undefined
          : "no initialisation",
    },
    {
      ...common,
      name: "product schema-init script again: schema present, nothing to do",
      args: ["/bin/bash", "-c", schemaInitScript(release)],
      verify: (code: number, out: string) =>
        code === 0 && !INIT_RAN.test(out) && /Metastore schema version:\s+\d/i.test(out)
          ? undefined
          : "the present schema was not recognised (or init ran again)",
    },
    {
      ...common,
      name: "entrypoint (IS_RESUME=true) serves the metastore on 9083",
      env: { ...common.env, IS_RESUME: "true", SERVICE_OPTS: "-Xmx384m" },
      args: ["timeout", "-s", "TERM", "60", "sh", "-c", "/entrypoint.sh"],
      verify: (_code: number, out: string) =>
        /Started the new metaserver on port \[9083\]/.test(out)
          ? undefined
          : "the metastore did not serve on 9083",
    },
  ];
}
