/**
 * The `check-jars` init containers a stack really renders, so a derived image can be
 * checked with exactly the command its pods will run: the stack file, the derived-images
 * override applied, evaluated in-process (tools/render, no engine, no cluster), and every
 * `check-jars` container collected from the manifests, pod templates inside ConfigMaps
 * (the Connect executors' template) included.
 */
import { parse } from "yaml";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import type { KubeManifest } from "../../lib/kube/objects";
import { CHECK_CONTAINER } from "../../lib/jars/plan";
import { PLACEHOLDER_SECRETS } from "../cli/stackFiles";
import { evaluateProgram } from "../render/evaluate";
import { kubernetesManifests } from "../render/render";
import { withValues } from "./stackOverride";

export interface JarCheck {
  readonly image: string;
  readonly command: readonly string[];
  /** The objects that run it (`Deployment/spark-35-worker`, ...). */
  readonly usedBy: readonly string[];
}

interface Container {
  name?: string;
  image?: string;
  command?: string[];
}

function visit(value: unknown, found: (c: Container) => void): void {
  if (typeof value === "string") {
    // A pod template stored as YAML text (ConfigMap data).
    if (value.includes("initContainers")) {
      let parsed: unknown;
      try {
        parsed = parse(value);
      } catch {
        return;
      }
      visit(parsed, found);
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) visit(item, found);
    return;
  }
  if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "initContainers" && Array.isArray(child)) {
        for (const c of child as Container[]) if (c.name === CHECK_CONTAINER) found(c);
      }
      visit(child, found);
    }
  }
}

/** Every distinct `check-jars` container (image and command) and the objects using it. */
export function jarChecksIn(manifests: readonly KubeManifest[]): JarCheck[] {
  const byKey = new Map<string, { image: string; command: string[]; usedBy: string[] }>();
  for (const manifest of manifests) {
    const owner = `${manifest.kind}/${manifest.metadata?.name ?? "?"}`;
    visit(manifest, (c) => {
      if (!c.image || !c.command) return;
      const key = JSON.stringify([c.image, c.command]);
      const entry = byKey.get(key) ?? { image: c.image, command: c.command, usedBy: [] };
      if (!entry.usedBy.includes(owner)) entry.usedBy.push(owner);
      byKey.set(key, entry);
    });
  }
  return [...byKey.values()];
}

/** The `check-jars` containers of a stack file rendered with `values` applied. */
export async function renderedJarChecks(
  stackFile: string,
  stack: string,
  values: Readonly<Record<string, unknown>>,
): Promise<JarCheck[]> {
  const raw = withValues(rawConfigFromStackFile(stackFile), values);
  const { resources } = await evaluateProgram(raw, PLACEHOLDER_SECRETS, stack);
  return jarChecksIn(kubernetesManifests(resources));
}
