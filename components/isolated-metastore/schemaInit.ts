import type { ReleaseConfig } from "../../lib/config/model";

/**
 * What `schematool -info -verbose` said, read from its output. The verbose stack trace is
 * needed: without it every connection failure prints only pgjdbc's "The connection attempt
 * failed.", and the cause (UnknownHostException, a connect timeout) is in `Caused by:`.
 */
export type SchemaInfoKind =
  | "matching"
  | "empty"
  | "incompatible"
  | "driver-missing"
  | "scram-unsupported"
  | "password-rejected"
  | "database-missing"
  | "pg-hba-rejected"
  | "ssl-unsupported"
  | "dns-failure"
  | "connection-refused"
  | "connect-timeout"
  | "unknown";

interface SchemaInfoCause {
  readonly kind: Exclude<SchemaInfoKind, "matching" | "unknown">;
  /**
   * Matched case-insensitively against each output line, by JavaScript here and by
   * `grep -iE` in the script: plain text, `.`, `.*`, `|` and `[^"]` only, so both read it
   * the same; no single quote (the script quotes it with them), no backslash.
   */
  readonly pattern: string;
  /** What it means and what to do; no `"`, `$`, backquote or backslash (an echo argument). */
  readonly explain: (release: ReleaseConfig) => string;
}

/**
 * Causes in the order they are tried; the first whose pattern matches a line wins. Only
 * `empty` leads to an init, only `incompatible` means "a schema this Hive must not touch".
 */
export const SCHEMA_INFO_CAUSES: readonly SchemaInfoCause[] = [
  {
    kind: "driver-missing",
    pattern: "ClassNotFoundException.*postgresql|Failed to load driver|No suitable driver",
    explain: () =>
      "no PostgreSQL JDBC driver on the schematool classpath (/opt/hive/lib); the image lacks it",
  },
  {
    kind: "scram-unsupported",
    pattern: "authentication type 10 is not supported",
    explain: (r) =>
      `PostgreSQL asks role ${r.metastore.role} for SCRAM-SHA-256 and the image's JDBC driver is too old for it (needs pgjdbc 42.2 or later)`,
  },
  {
    kind: "password-rejected",
    pattern: "password authentication failed",
    explain: (r) =>
      `PostgreSQL rejected the password of role ${r.metastore.role}; the role and the Secret ${r.names.metastoreDbSecret} disagree (was the admin password rotated without an up?)`,
  },
  {
    kind: "database-missing",
    pattern: 'database "[^"]*" does not exist',
    explain: (r) => `database ${r.metastore.database} does not exist on the PostgreSQL server`,
  },
  {
    kind: "pg-hba-rejected",
    pattern: "no pg_hba.conf entry",
    explain: (r) =>
      `pg_hba.conf on the PostgreSQL server has no entry admitting role ${r.metastore.role} from this pod`,
  },
  {
    kind: "ssl-unsupported",
    pattern: "server does not support SSL",
    explain: () => "postgres.sslmode asks for TLS but the PostgreSQL server does not offer it",
  },
  {
    kind: "dns-failure",
    pattern: "UnknownHostException",
    explain: () => "the PostgreSQL host name does not resolve (postgres.host, cluster DNS)",
  },
  {
    kind: "connection-refused",
    pattern: "Connection refused|Connection to .* refused",
    explain: () =>
      "the PostgreSQL address refused the connection: nothing listens there (postgres.host, postgres.port), or a NetworkPolicy rejects it",
  },
  {
    kind: "connect-timeout",
    pattern: "connect timed out|SocketTimeoutException|Connection timed out|No route to host",
    explain: (r) =>
      `no answer from PostgreSQL: a NetworkPolicy drops the traffic (${r.names.networkPolicy("allow-postgres")}, or one outside the platform) or the host is unreachable`,
  },
  {
    kind: "empty",
    pattern: 'relation "VERSION" does not exist',
    explain: (r) =>
      `empty database ${r.metastore.database}; initialising the Hive ${r.metastore.hiveVersion} schema`,
  },
  {
    kind: "incompatible",
    pattern: "schema version is not compatible|Unknown version specified",
    explain: (r) =>
      `${r.metastore.database} holds a schema Hive ${r.metastore.hiveVersion} does not accept; refusing to upgrade it implicitly (see the README runbook)`,
  },
];

const PREFIX = "spark-platform:";

export interface SchemaInfo {
  readonly kind: SchemaInfoKind;
  /** The one line the Job prints about it. */
  readonly message: string;
}

/** The one-line message for a kind and the output line that showed it. */
function message(explanation: string, evidence?: string): string {
  return `${PREFIX} ${explanation}${evidence ? ` [${evidence.trim()}]` : ""}`;
}

/** Reads `schematool -info -verbose` output and exit code; the Job script decides the same way. */
export function classifySchemaInfo(
  release: ReleaseConfig,
  output: string,
  exitCode: number,
): SchemaInfo {
  if (exitCode === 0) {
    return {
      kind: "matching",
      message: `${PREFIX} schema present and matching Hive ${release.metastore.hiveVersion}; nothing to do`,
    };
  }
  const lines = output.split("\n");
  for (const cause of SCHEMA_INFO_CAUSES) {
    const regex = new RegExp(cause.pattern, "i");
    const evidence = lines.find((line) => regex.test(line));
    if (evidence !== undefined) {
      return {
        kind: cause.kind,
        message: message(cause.explain(release), cause.kind === "empty" ? "" : evidence),
      };
    }
  }
  return {
    kind: "unknown",
    message: message(unknownExplanation(release)),
  };
}

const unknownExplanation = (release: ReleaseConfig) =>
  `schematool -info failed for a reason not recognised; nothing was changed in ${release.metastore.database}; read its output above`;

/**
 * Schema initialisation that never upgrades: `-info` succeeds only when the database
 * holds the schema of this Hive version (nothing to do); an empty database (no VERSION
 * table) gets `-initSchema`; everything else stops the Job with one line naming the
 * cause (SCHEMA_INFO_CAUSES: a schema of another version, a missing or too old driver,
 * a rejected password, DNS, a refused or dropped connection, ...). An unreachable
 * database never leads to an init attempt.
 */
export function schemaInitScript(release: ReleaseConfig): string {
  const script = [
    "set -u",
    'tool="${SCHEMATOOL:-/opt/hive/bin/schematool} -dbType postgres"',
    'info="$($tool -info -verbose 2>&1)"; rc=$?',
    'printf "%s\\n" "$info"',
    'trim() { sed -e "s/^[[:space:]]*//" -e "s/[[:space:]]*$//"; }',
    'if [ "$rc" -eq 0 ]; then',
    `  echo "${classifySchemaInfo(release, "", 0).message}"; exit 0`,
    "fi",
  ];
  for (const cause of SCHEMA_INFO_CAUSES) {
    script.push(`if line="$(printf "%s\\n" "$info" | grep -iE -m1 -- '${cause.pattern}')"; then`);
    if (cause.kind === "empty") {
      script.push(`  echo "${message(cause.explain(release))}"`, "  exec $tool -initSchema");
    } else {
      script.push(
        `  echo "${message(cause.explain(release))} [$(printf "%s" "$line" | trim)]" >&2`,
        "  exit 1",
      );
    }
    script.push("fi");
  }
  script.push(`echo "${message(unknownExplanation(release))}" >&2`, "exit 1");
  return script.join("\n");
}
