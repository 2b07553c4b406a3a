import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { RawConfig } from "./model";
import { CONFIG_NAMESPACE } from "./parse";

/** Value a `secure:` entry of a stack file stands for when it cannot be decrypted. */
export const SECRET_PLACEHOLDER = "[secret]";

const PROVIDER_NAMESPACES = ["kubernetes", "aws", "postgresql"];

function isSecureValue(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

/** Replaces nested `{ secure: ... }` values; reports whether any was found. */
function replaceSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isSecureValue(value)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(replaceSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    let secret = false;
    const entries = Object.entries(value).map(([k, v]) => {
      const replaced = replaceSecure(v);
      secret ||= replaced.secret;
      return [k, replaced.value];
    });
    return { value: Object.fromEntries(entries), secret };
  }
  return { value, secret: false };
}

/**
 * Reads a file shaped like `Pulumi.<stack>.yaml`. Encrypted `secure:` values cannot be
 * read without the stack's passphrase; they count as present and become a placeholder.
 */
export function rawConfigFromStackYaml(text: string, source = "stack file"): RawConfig {
  const document: unknown = parseYaml(text);
  if (document === null || document === undefined) return { values: {}, secretKeys: new Set() };
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new Error(`${source}: expected a mapping with a 'config' key`);
  }
  const config = (document as { config?: unknown }).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${source}: 'config' must be a mapping`);
  }
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const providerKeys: string[] = [];
  for (const [fullKey, value] of Object.entries(config)) {
    const colon = fullKey.indexOf(":");
    const namespace = colon === -1 ? CONFIG_NAMESPACE : fullKey.slice(0, colon);
    const key = colon === -1 ? fullKey : fullKey.slice(colon + 1);
    if (namespace !== CONFIG_NAMESPACE) {
      if (PROVIDER_NAMESPACES.includes(namespace)) providerKeys.push(fullKey);
      continue;
    }
    const replaced = replaceSecure(value);
    values[key] = replaced.value;
    if (replaced.secret) secretKeys.add(key);
  }
  return { values, secretKeys, providerKeys };
}

export function rawConfigFromStackFile(path: string): RawConfig {
  return rawConfigFromStackYaml(readFileSync(path, "utf8"), path);
}

/**
 * Reads the running program's configuration (`pulumi up`/`preview`). Values arrive as
 * strings; structured values are JSON. Secret values stay strings whatever they look like.
 */
export function rawConfigFromRuntime(
  all: Readonly<Record<string, string>>,
  isSecret: (fullKey: string) => boolean,
): RawConfig {
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const providerKeys: string[] = [];
  for (const [fullKey, text] of Object.entries(all)) {
    const colon = fullKey.indexOf(":");
    const namespace = fullKey.slice(0, colon);
    const key = fullKey.slice(colon + 1);
    if (namespace !== CONFIG_NAMESPACE) {
      if (PROVIDER_NAMESPACES.includes(namespace)) providerKeys.push(fullKey);
      continue;
    }
    if (isSecret(fullKey)) {
      secretKeys.add(key);
      values[key] = text;
      continue;
    }
    try {
      values[key] = JSON.parse(text);
    } catch {
      values[key] = text;
    }
  }
  return { values, secretKeys, providerKeys };
}
