import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { podModels } from "../../../../lib/kube/analysis/pods";
import { PROJECT_ROOT } from "../../../../tools/cli/stackFiles";
import { SECRET_PLACEHOLDER } from "../../../../lib/config/sources";
import { resolve, type Evaluation } from "../../../../tools/render/evaluate";
import { parseSparkProperties } from "../../../../lib/kube/objects";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { renderStack, type RenderedStack } from "../../../support/stacks";
import { CANARY, renderVariant, type VariantStack } from "./variant";

const STACKS = ["dev", "prod"] as const;
const THIS_FILE = relative(PROJECT_ROOT, __filename);

/** Names of settings and env vars that hold a credential. */
const CREDENTIAL_NAME = /(pass(word|wd)?|secret|access[._-]?key|token|credential|api[._-]?key)/i;

type ConfigMap = KubeManifest & { data?: Record<string, string> };
type Secret = KubeManifest & { stringData?: Record<string, unknown> };

/** Values a credential-named setting may hold: references and class names, never a literal. */
function isReference(value: string, secretNames: ReadonlySet<string>): boolean {
  if (/^\$\{env[.:][A-Za-z_][A-Za-z0-9_]*\}$/.test(value)) return true; // Hadoop env expansion
  const secretRef = /^([a-z0-9-]+):([a-z0-9._-]+)$/.exec(value); // spark secretKeyRef name:key
  if (secretRef && secretNames.has(secretRef[1]!)) return true;
  // A Java class, or a list of them (s3a's credential provider chain).
  const javaClass = /^([a-z][a-z0-9_]*\.)+[A-Z][A-Za-z0-9_$]*$/;
  if (value.split(",").every((name) => javaClass.test(name))) return true;
  return value === "" || value === "false" || value === "true";
}

/** A `*.file` setting or `*_FILE` variable naming an absolute path (the file is mounted from a Secret). */
function isSecretFilePath(key: string, value: string): boolean {
  return /(\.file|_FILE)$/.test(key) && /^\/[\w./-]+$/.test(value);
}

/** Key/value settings in a ConfigMap entry: spark-defaults, hive-site XML, YAML env, scripts. */
function settingsOf(file: string, text: string): [string, string][] {
  if (file.endsWith(".conf")) return Object.entries(parseSparkProperties(text));
  if (file.endsWith(".xml")) {
    return [...text.matchAll(/<name>([^<]*)<\/name>\s*<value>([^<]*)<\/value>/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]);
  }
  if (file.endsWith(".yaml") || file.endsWith(".yml")) {
    const found: [string, string][] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const record = node as Record<string, unknown>;
        if (typeof record["name"] === "string" && typeof record["value"] === "string") {
          found.push([record["name"], record["value"]]);
        }
        Object.values(record).forEach(walk);
      }
    };
    walk(parseYaml(text));
    return found;
  }
  // Scripts: assignments of string literals (NAME = "value", name: "value").
  return [...text.matchAll(/([A-Za-z_][\w.-]*)\s*[:=]\s*["']([^"'\n]+)["']/g)].map((m) => [
    m[1]!,
    m[2]!,
  ]);
}

function configMapLeaks(manifests: readonly KubeManifest[]): string[] {
  const leaks: string[] = [];
  const secretNames = new Set(
    manifests.filter((m) => m.kind === "Secret").map((m) => m.metadata!.name!),
  );
  for (const map of manifests.filter((m) => m.kind === "ConfigMap") as ConfigMap[]) {
    for (const [file, text] of Object.entries(map.data ?? {})) {
      const where = `ConfigMap ${map.metadata?.name} ${file}`;
      if (text.includes(SECRET_PLACEHOLDER)) leaks.push(`${where}: contains a secret value`);
      for (const [key, value] of settingsOf(file, text)) {
        if (/fs\.s3a\.(access|secret|session)\.key/.test(key)) {
          leaks.push(`${where}: ${key} (keys belong in a Secret, read from env)`);
        } else if (
          CREDENTIAL_NAME.test(key) &&
          !isReference(value, secretNames) &&
          !isSecretFilePath(key, value)
        ) {
          leaks.push(`${where}: ${key} holds a literal`);
        }
      }
    }
  }
  return leaks;
}

/**
 * A `*_FILE` variable naming a file under a mount of a Secret volume of the container:
 * the value is a path, the credential stays in the Secret.
 */
function secretFileMounted(
  volumes: readonly { name: string; secret?: unknown }[],
  container: { volumeMounts?: { name: string; mountPath: string }[] },
  name: string,
  value: string | undefined,
): boolean {
  if (value === undefined || !isSecretFilePath(name, value)) return false;
  return (container.volumeMounts ?? []).some(
    (mount) =>
      value.startsWith(`${mount.mountPath}/`) &&
      volumes.some((volume) => volume.name === mount.name && volume.secret !== undefined),
  );
}

function containerLeaks(manifests: readonly KubeManifest[]): string[] {
  const leaks: string[] = [];
  const secrets = manifests.filter((m) => m.kind === "Secret") as Secret[];
  for (const pod of podModels(manifests)) {
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const where = `${pod.origin} ${c.name}`;
      const argv = [...(c.command ?? []), ...(c.args ?? [])].join(" ");
      if (argv.includes(SECRET_PLACEHOLDER)) leaks.push(`${where}: secret in command/args`);
      const literal = /(pass(word|wd)?|secret|access[._-]?key|token)\s*[=:]\s*(?![$"'{(\s])\S+/gi;
      for (const m of argv.matchAll(literal)) leaks.push(`${where}: args carry "${m[0]}"`);
      if (/--password\b/.test(argv)) leaks.push(`${where}: --password in args`);
      for (const e of c.env ?? []) {
        if (e.value?.includes(SECRET_PLACEHOLDER))
          leaks.push(`${where}: env ${e.name} is a secret`);
        if (!CREDENTIAL_NAME.test(e.name)) continue;
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) {
          if (!secretFileMounted(pod.spec.volumes ?? [], c, e.name, e.value)) {
            leaks.push(
              `${where}: env ${e.name} is neither a secretKeyRef nor a Secret file's path`,
            );
          }
          continue;
        }
        const secret = secrets.find(
          (s) => s.metadata?.namespace === pod.namespace && s.metadata?.name === ref.name,
        );
        if (!secret || !(ref.key in (secret.stringData ?? {}))) {
          leaks.push(`${where}: env ${e.name} references missing ${ref.name}/${ref.key}`);
        }
      }
    }
  }
  return leaks;
}

/** The plain (non-secret) stack outputs as JSON. */
function plainExports(evaluation: Evaluation): string {
  const { metastoreCredentials: _secret, ...plain } = evaluation.exports;
  return JSON.stringify(plain);
}

describe("hardening: credential checks can fail", () => {
  it("a password in a ConfigMap, a literal env var, a credentials file outside a Secret and a password argument are all caught", () => {
    const bad: KubeManifest[] = [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "x", namespace: "n" },
        data: {
          "spark-defaults.conf": "spark.hadoop.fs.s3a.secret.key abc\nspark.foo.password hunter2\n",
          "hive-site.xml":
            "<property><name>javax.jdo.option.ConnectionPassword</name><value>admin</value></property>",
        },
      } as ConfigMap,
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "d", namespace: "n" },
        spec: {
          template: {
            metadata: { labels: {} },
            spec: {
              containers: [
                {
                  name: "c",
                  args: ["--db-password=admin"],
                  env: [
                    { name: "POSTGRES_PASSWORD", value: "admin" },
                    // A credentials file's path, but under no Secret mount: an emptyDir.
                    { name: "AWS_SHARED_CREDENTIALS_FILE", value: "/scratch/aws-credentials" },
                  ],
                  volumeMounts: [{ name: "scratch", mountPath: "/scratch" }],
                },
              ],
              volumes: [{ name: "scratch", emptyDir: {} }],
            },
          },
        },
      } as KubeManifest,
    ];
    expect(configMapLeaks(bad)).to.have.length(3);
    const containers = containerLeaks(bad).join("\n");
    expect(containers).to.include(
      "POSTGRES_PASSWORD is neither a secretKeyRef nor a Secret file's path",
    );
    expect(containers).to.include(
      "AWS_SHARED_CREDENTIALS_FILE is neither a secretKeyRef nor a Secret file's path",
    );
    expect(containers).to.include("password=admin");
  });
});

for (const stackName of STACKS) {
  describe(`hardening: credentials of the ${stackName} stack`, () => {
    let stack: RenderedStack;
    before(async () => {
      stack = await renderStack(stackName);
    });

    it("secret values appear only in Secrets", () => {
      const holders = stack.manifests
        .filter((m) => JSON.stringify(m).includes(SECRET_PLACEHOLDER))
        .map((m) => m.kind);
      expect(holders.length).to.be.greaterThan(0);
      expect([...new Set(holders)]).to.deep.equal(["Secret"]);
    });

    it("ConfigMaps hold no credential: only env references, Secret references and class names", () => {
      expect(configMapLeaks(stack.manifests)).to.deep.equal([]);
    });

    it("containers get credentials only through secretKeyRef to an existing Secret key or a Secret file they mount, never in args", () => {
      expect(containerLeaks(stack.manifests)).to.deep.equal([]);
    });

    it("executor secret references in spark-defaults name Secrets of the same release", () => {
      for (const map of stack.manifests.filter(
        (m) => m.kind === "ConfigMap" && m.metadata?.name?.endsWith("-spark-defaults"),
      ) as ConfigMap[]) {
        const release = map.metadata!.labels!["spark-platform.io/release"]!;
        const properties = parseSparkProperties(map.data!["spark-defaults.conf"]!);
        for (const [key, value] of Object.entries(properties)) {
          if (!key.startsWith("spark.kubernetes.executor.secretKeyRef.")) continue;
          const secret = stack.manifests.find(
            (m) =>
              m.kind === "Secret" &&
              m.metadata?.name === value.split(":")[0] &&
              m.metadata?.namespace === map.metadata?.namespace,
          );
          expect(secret, key).to.not.equal(undefined);
          expect(secret!.metadata?.labels?.["spark-platform.io/release"]).to.equal(release);
        }
      }
    });

    it("plain stack outputs hold no secret; metastoreCredentials is a secret Output", async () => {
      expect(plainExports(stack.evaluation)).to.not.include(SECRET_PLACEHOLDER);
      expect(Object.keys(stack.evaluation.exports)).to.include("metastoreCredentials");
      expect(await pulumi.isSecret(stack.evaluation.exports.metastoreCredentials)).to.equal(true);
    });
  });
}

describe("hardening: canary secrets never appear in plain text", () => {
  let variant: VariantStack;
  let canaries: string[];
  before(async () => {
    variant = await renderVariant();
    canaries = [...Object.values(CANARY), ...variant.metastorePasswords];
  });

  it("no registered resource input carries a secret unmarked (benchmark enabled)", () => {
    expect(variant.manifests.some((m) => m.metadata?.name?.endsWith("-benchmark"))).to.equal(true);
    const everything = JSON.stringify(variant.evaluation.resources);
    for (const canary of canaries) expect(everything, canary).to.not.include(canary);
  });

  it("the credential rules hold with the benchmark enabled too", () => {
    expect(configMapLeaks(variant.manifests)).to.deep.equal([]);
    expect(containerLeaks(variant.manifests)).to.deep.equal([]);
  });

  it("plain outputs carry no canary; metastoreCredentials carries the derived passwords as a secret", async () => {
    const plain = plainExports(variant.evaluation);
    for (const canary of canaries) expect(plain, canary).to.not.include(canary);
    const credentials = variant.evaluation.exports.metastoreCredentials;
    expect(await pulumi.isSecret(credentials)).to.equal(true);
    const resolved = await resolve(credentials);
    expect(Object.values(resolved).map((c) => c.password)).to.have.members(
      variant.metastorePasswords,
    );
  });
});

describe("hardening: no hard-coded default credentials in the repository", () => {
  const PATTERNS: RegExp[] = [
    // A whole well-known value, not a key name or a call: `password: admin`, `PASSWORD="changeme";`
    /pass(word|wd)?\s*[:=]\s*["']?(admin|password|changeme|secret|postgres|hive|spark|123456)["']?\s*([,;#]|$)/i,
    // A literal value; `"$(generated)"` or `${VAR:-}` references are what the scripts do.
    /POSTGRES_PASSWORD\s*[=:]\s*["']?[A-Za-z0-9_@#%^&*!]/,
    /MINIO_ROOT_PASSWORD\s*[=:]\s*["']?[A-Za-z0-9_@#%^&*!]/,
    /minioadmin/i,
    /AKIA[0-9A-Z]{16}/,
    /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{20,}/i,
  ];

  it("no file tracked by git matches a default-password pattern (this test file is allow-listed)", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: PROJECT_ROOT, encoding: "utf8" })
      .split("\0")
      .filter((f) => f !== "" && f !== THIS_FILE);
    expect(files.length).to.be.greaterThan(10);
    const hits: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(PROJECT_ROOT, file), "utf8");
      } catch {
        continue; // deleted in the work tree
      }
      if (text.includes("\0")) continue; // binary
      text.split("\n").forEach((line, index) => {
        for (const pattern of PATTERNS) {
          if (pattern.test(line)) hits.push(`${file}:${index + 1}: ${line.trim().slice(0, 120)}`);
        }
      });
    }
    expect(hits).to.deep.equal([]);
  });

  it("the patterns catch what the replaced charts did", () => {
    for (const line of [
      "  password: admin",
      "POSTGRES_PASSWORD=secret",
      "rootUser: minioadmin",
      "MINIO_ROOT_PASSWORD=hunter2",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      '  adminPassword: "changeme",',
    ]) {
      expect(
        PATTERNS.some((p) => p.test(line)),
        line,
      ).to.equal(true);
    }
  });
});
