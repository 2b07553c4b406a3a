/**
 * Verdicts of the derived-image checks (pure): a derived image must keep its base's runtime
 * config, and hold every jar of its set with the pinned SHA-256, owned by the image's user
 * (Spark: `COPY --chown=spark:spark`) or root (Hive: COPY then chmod 644).
 */
import { jarFileName, type JarArtifact } from "../../lib/jars/catalog";

/** The fields of an OCI image config that decide how a container runs. */
export interface ImageConfig {
  readonly User?: string;
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly WorkingDir?: string;
  readonly Env?: readonly string[] | null;
  readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
  readonly Volumes?: Readonly<Record<string, unknown>> | null;
  readonly StopSignal?: string;
  readonly Labels?: Readonly<Record<string, string>> | null;
}

export const RUNTIME_FIELDS = [
  "User",
  "Entrypoint",
  "Cmd",
  "WorkingDir",
  "Env",
  "ExposedPorts",
  "Volumes",
  "StopSignal",
] as const;

const normalised = (value: unknown) =>
  JSON.stringify(
    value === null || value === undefined || (Array.isArray(value) && value.length === 0)
      ? null
      : value,
  );

/** `<field>: <base> -> <derived>` for every runtime field that differs (labels may differ). */
export function configDifferences(base: ImageConfig, derived: ImageConfig): string[] {
  return RUNTIME_FIELDS.filter((f) => normalised(base[f]) !== normalised(derived[f])).map(
    (f) => `${f}: ${normalised(base[f])} -> ${normalised(derived[f])}`,
  );
}

/**
 * Problems in the output of `sha256sum <jars>` followed by `stat -c "%U:%G %a %n" <jars>`
 * run in the image: a jar missing, a digest other than the pin, an owner other than `owner`
 * or root, or a jar not readable by everyone.
 */
export function jarListingProblems(
  output: string,
  dir: string,
  artifacts: readonly JarArtifact[],
  owner: string,
): string[] {
  const digests = new Map<string, string>();
  const stats = new Map<string, { owner: string; mode: string }>();
  for (const line of output.split("\n")) {
    const sum = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (sum) digests.set(sum[2]!, sum[1]!);
    const st = /^(\S+):\S+\s+([0-7]{3,4})\s+(\S+)$/.exec(line.trim());
    if (st) stats.set(st[3]!, { owner: st[1]!, mode: st[2]! });
  }
  const problems: string[] = [];
  for (const artifact of artifacts) {
    const path = `${dir}/${jarFileName(artifact)}`;
    const digest = digests.get(path);
    if (!digest) problems.push(`${path} missing`);
    else if (digest !== artifact.sha256)
      problems.push(`${path} has sha256 ${digest}, pinned ${artifact.sha256}`);
    const st = stats.get(path);
    if (st && st.owner !== owner && st.owner !== "root")
      problems.push(`${path} owned by ${st.owner}`);
    if (st && (parseInt(st.mode, 8) & 0o444) !== 0o444)
      problems.push(`${path} mode ${st.mode} (not readable by all)`);
  }
  return problems;
}
