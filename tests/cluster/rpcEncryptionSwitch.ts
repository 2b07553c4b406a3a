// RPC encryption switched off on the live releases for a while, then back on: the 3.5
// workers' spark-defaults ConfigMap, the 3.5 master's Secret-held driver spark-defaults
// and the Connect server's Secret-held spark-defaults are rewritten with `kubectl patch`
// (a Secret's value through a patch file, never a command line), the pods reading them
// (they read them at start) are restarted, and in the end every value is written back
// and the pods restarted again. For the negative control of the plaintext capture and
// the security-off run of the version benchmark; a 3.5 driver adds PLAIN_DRIVER_CONF.
// The engine's record of those objects need not survive the foreign patch: run it last
// before a destroy, or refresh after.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSparkProperties, RELEASE_LABEL, renderSparkProperties } from "../../lib/kube/objects";
import { releaseNames } from "../../lib/naming/names";
import { SPARK_AUTH_KEYS } from "../../lib/spark/authentication";
import { CONNECT_SERVER_KEYS } from "../../lib/spark/connectAuthentication";
import { platformComplaints } from "../../tools/kubectl/readiness";
import { getObject, type NamespaceOf } from "./clients";
import { getItems, kubectl, waitUntil } from "./support";

const READY_MS = 10 * 60_000;

/** A spark-defaults text with RPC and local-file encryption on or off, the rest as it was. */
export function withRpcEncryption(text: string, on: boolean): string {
  return renderSparkProperties({
    ...parseSparkProperties(text),
    "spark.network.crypto.enabled": String(on),
    "spark.io.encryption.enabled": String(on),
  });
}

/** What the 3.5 driver adds on its command line for the control: no encryption either. */
export const PLAIN_DRIVER_CONF: Readonly<Record<string, string>> = {
  "spark.network.crypto.enabled": "false",
  "spark.io.encryption.enabled": "false",
};

/** A spark-defaults file the control rewrites: a ConfigMap's or a Secret's key. */
interface ConfSource {
  readonly kind: "configmap" | "secret";
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
}

function confSources(namespaceOf: NamespaceOf): ConfSource[] {
  const n35 = releaseNames("spark-35");
  const n41 = releaseNames("spark-41");
  return [
    // The workers' SPARK_CONF_DIR; the master's is the driver spark-defaults in its Secret.
    {
      kind: "configmap",
      namespace: namespaceOf["spark-35"],
      name: n35.sparkDefaults,
      key: "spark-defaults.conf",
    },
    {
      kind: "secret",
      namespace: namespaceOf["spark-35"],
      name: n35.sparkAuthSecret,
      key: SPARK_AUTH_KEYS.driverDefaults,
    },
    {
      kind: "secret",
      namespace: namespaceOf["spark-41"],
      name: n41.connectServerSecret,
      key: CONNECT_SERVER_KEYS.defaults,
    },
  ];
}

/** The value as the object stores it (a Secret's base64, a ConfigMap's text). */
async function storedValue(source: ConfSource): Promise<string> {
  const object = (await getObject(source.kind, source.namespace, source.name)) as unknown as {
    data: Record<string, string>;
  };
  const value = object.data[source.key];
  if (value === undefined) throw new Error(`${source.name} has no ${source.key}`);
  return value;
}

/** Writes a stored value back through a patch file (a Secret's never on a command line). */
async function writeStored(source: ConfSource, stored: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "it-plaintext-"));
  try {
    const file = join(dir, "patch.json");
    writeFileSync(file, JSON.stringify({ data: { [source.key]: stored } }), { mode: 0o600 });
    await kubectl([
      "patch",
      source.kind,
      source.name,
      "-n",
      source.namespace,
      "--type",
      "merge",
      "--patch-file",
      file,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const decode = (source: ConfSource, stored: string) =>
  source.kind === "secret" ? Buffer.from(stored, "base64").toString("utf8") : stored;
const encode = (source: ConfSource, text: string) =>
  source.kind === "secret" ? Buffer.from(text, "utf8").toString("base64") : text;

/** Deletes the pods that read those files (they read them at start) and waits for Ready. */
async function restartReaders(namespaceOf: NamespaceOf): Promise<void> {
  const readers = [
    {
      namespace: namespaceOf["spark-35"],
      selector: `${RELEASE_LABEL}=spark-35,app.kubernetes.io/component in (master,worker)`,
    },
    {
      namespace: namespaceOf["spark-41"],
      selector: `${RELEASE_LABEL}=spark-41,app.kubernetes.io/component=connect`,
    },
  ];
  const old: string[] = [];
  for (const r of readers) {
    for (const pod of await getItems("pods", r.namespace, r.selector)) {
      old.push(`${r.namespace}/${pod.metadata.name}`);
    }
    await kubectl(["delete", "pods", "-n", r.namespace, "-l", r.selector, "--wait=false"]);
  }
  const namespaces = [...new Set(Object.values(namespaceOf))];
  await waitUntil("restarted pods Ready, the old ones gone", READY_MS, async () => {
    const complaints = await platformComplaints(namespaces);
    const left: string[] = [];
    for (const id of old) {
      const [ns, name] = id.split("/") as [string, string];
      const found = await kubectl(["get", "pod", name, "-n", ns, "-o", "name"], true);
      if (found.code === 0) left.push(id);
    }
    const all = [...complaints, ...(left.length ? [`still there: ${left.join(", ")}`] : [])];
    return all.length ? all.join("; ") : undefined;
  });
}

/**
 * Runs `during` with RPC encryption off on both releases, and puts everything back
 * whatever `during` does.
 */
export async function withRpcEncryptionOff<T>(
  namespaceOf: NamespaceOf,
  log: (line: string) => void,
  during: () => Promise<T>,
): Promise<T> {
  const sources = confSources(namespaceOf);
  const originals = await Promise.all(sources.map(storedValue));
  try {
    for (const [i, source] of sources.entries()) {
      const text = withRpcEncryption(decode(source, originals[i]!), false);
      await writeStored(source, encode(source, text));
    }
    await restartReaders(namespaceOf);
    log("RPC encryption off on both releases, their pods restarted");
    return await during();
  } finally {
    for (const [i, source] of sources.entries()) await writeStored(source, originals[i]!);
    await restartReaders(namespaceOf);
    log("spark-defaults restored, their pods restarted");
  }
}
