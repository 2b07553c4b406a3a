// Pure parts of the benchmark's floor (`kubectl apply` of the same objects the stack
// creates): the render stack's overrides and the order a rendered directory is applied in.
import { parseAllDocuments } from "yaml";

type Values = Readonly<Record<string, unknown>>;

/**
 * Overrides of the floor's stack: the committed `kubernetes` settings with the manifests
 * rendered to `renderDir` instead of applied, and no kubeconfig (the provider talks to no
 * cluster; `kubectl apply` does the applying). Passed as PrepareOptions.overrides, which
 * replace the local cluster's `kubernetes` key as a whole (composeOverrides).
 */
export function renderOverrides(committed: Values, renderDir: string): Record<string, unknown> {
  const value = committed["kubernetes"];
  const kubernetes =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? { ...(value as Record<string, unknown>) }
      : {};
  delete kubernetes["kubeconfig"];
  return { kubernetes: { ...kubernetes, renderYamlToDirectory: renderDir } };
}

export interface RenderedFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Files of a rendered directory that hold a Namespace, and the others: `kubectl apply -R`
 * refuses namespaced objects whose namespace does not exist yet, so namespaces go first.
 * `foreign` names the namespaces objects are put in that the directory does not create
 * (`kubectl delete -R` would remove objects there that others may own).
 */
export function namespaceFilesFirst(files: readonly RenderedFile[]): {
  namespaces: string[];
  others: string[];
  foreign: string[];
} {
  const namespaces: string[] = [];
  const others: string[] = [];
  const created = new Set<string>();
  const used = new Set<string>();
  for (const file of files) {
    const objects = parseAllDocuments(file.text).map(
      (doc) =>
        (doc.toJS() as {
          kind?: unknown;
          metadata?: { name?: unknown; namespace?: unknown };
        } | null) ?? {},
    );
    for (const o of objects) {
      if (o.kind === "Namespace" && typeof o.metadata?.name === "string")
        created.add(o.metadata.name);
      if (typeof o.metadata?.namespace === "string") used.add(o.metadata.namespace);
    }
    (objects.some((o) => o.kind === "Namespace") ? namespaces : others).push(file.path);
  }
  return {
    namespaces: namespaces.sort(),
    others: others.sort(),
    foreign: [...used].filter((n) => !created.has(n)).sort(),
  };
}
