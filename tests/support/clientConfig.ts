import { expect } from "chai";
import type { ConfigIssue, RawConfig } from "../../lib/config/model";
import { formatIssue, parsePlatformConfig } from "../../lib/config/parse";
import { baseValues, rawConfig } from "./stacks";

/** Client entries of one release, as a stack file writes them. */
export type ClientEntries = readonly Record<string, unknown>[];

/** The base two-release config (shared namespace `spark`) with client lists per release. */
export function withClients(
  clients35: ClientEntries | undefined,
  clients41: ClientEntries | undefined,
  top: Record<string, unknown> = {},
): RawConfig {
  const values = baseValues() as Record<string, unknown> & {
    releases: Record<string, unknown>[];
  };
  if (clients35) values.releases[0]!["clients"] = clients35;
  if (clients41) values.releases[1]!["clients"] = clients41;
  return rawConfig({ ...values, ...top });
}

export const PER_RELEASE = { namespaceLayout: "perRelease" } as const;

/** The one issue a refused configuration has on `key`; its message must match. */
export function issueAt(raw: RawConfig, key: string, message: RegExp): ConfigIssue {
  const result = parsePlatformConfig(raw);
  expect(result.ok, "configuration should be refused").to.equal(false);
  const issues = result.ok ? [] : [...result.issues];
  const found = issues.filter((i) => i.key === key);
  expect(found, `issues on ${key}; got:\n${issues.map(formatIssue).join("\n")}`).to.have.length(1);
  expect(found[0]!.message).to.match(message);
  return found[0]!;
}
