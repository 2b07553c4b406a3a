import { expect } from "chai";
import { CONNECT_TLS_CONTAINER } from "../../../../components/spark-release/manifests/connectAuthentication";
import type { IContainer } from "kubernetes-models/v1/Container";
import { parseSparkProperties } from "../../../../lib/kube/objects";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { podModels, type PodModel } from "../../../../lib/kube/analysis/pods";
import { HIVE_UID, SPARK_UID } from "../../../../lib/spark/versions";
import { ofKind, renderStack, type RenderedStack } from "../../../support/stacks";
import { restrictedViolations } from "../../../../lib/kube/podSecurity";

const STACKS = ["dev", "prod"] as const;
/** Working directory of the apache/spark images: Spark and the JVM (crash logs) write there. */
const SPARK_WORKDIR = "/opt/spark/work-dir";
/** Env vars whose value is a directory the process writes to. */
const WRITE_DIR_ENV = [
  "HOME",
  "SPARK_LOG_DIR",
  "SPARK_PID_DIR",
  "SPARK_LOCAL_DIRS",
  "SPARK_WORKER_DIR",
];
/** Spark settings that name a directory the JVM writes to (spark-defaults or -D options). */
const WRITE_DIR_PROPERTIES = [
  "spark.local.dir",
  "spark.jars.ivy",
  "spark.history.store.path",
  "spark.deploy.recoveryDirectory",
];

type ConfigMap = KubeManifest & { data?: Record<string, string> };

const isSparkPod = (pod: PodModel) => pod.labels["app.kubernetes.io/name"]?.startsWith("spark");

/**
 * Directories a container writes to, from what the platform tells it: /tmp (JVM perf data,
 * java.io.tmpdir), env such as HOME and SPARK_LOG_DIR, `--work-dir`, Spark settings in a
 * mounted spark-defaults.conf or as `-D` options in env (SPARK_MASTER_OPTS), and the
 * Spark image's working directory.
 */
function writePaths(
  pod: PodModel,
  container: IContainer,
  configMaps: readonly ConfigMap[],
): string[] {
  // The Connect server's TLS terminator is one static Go binary that writes no file.
  if (container.name === CONNECT_TLS_CONTAINER) return [];
  const paths = new Set<string>(["/tmp"]);
  if (isSparkPod(pod)) paths.add(SPARK_WORKDIR);
  for (const env of container.env ?? []) {
    if (WRITE_DIR_ENV.includes(env.name) && env.value) paths.add(env.value);
    for (const [, key, value] of (env.value ?? "").matchAll(/-D([^=\s]+)=(\S+)/g)) {
      if (WRITE_DIR_PROPERTIES.includes(key!)) paths.add(value!);
    }
  }
  const args = [...(container.command ?? []), ...(container.args ?? [])];
  const workDir = args.indexOf("--work-dir");
  if (workDir >= 0 && args[workDir + 1]) paths.add(args[workDir + 1]!);
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    const configMap = configMaps.find(
      (c) =>
        c.metadata?.namespace === pod.namespace && c.metadata?.name === volume?.configMap?.name,
    );
    const conf = configMap?.data?.["spark-defaults.conf"];
    if (!conf) continue;
    const properties = parseSparkProperties(conf);
    for (const key of WRITE_DIR_PROPERTIES) {
      const value = properties[key];
      if (value) for (const dir of value.split(",")) paths.add(dir);
    }
  }
  return [...paths];
}

/**
 * Write paths that no writable emptyDir or PersistentVolumeClaim mount covers (the root
 * filesystem is read-only).
 */
function unwritablePaths(
  pod: PodModel,
  container: IContainer,
  configMaps: readonly ConfigMap[],
): string[] {
  const mounts = container.volumeMounts ?? [];
  return writePaths(pod, container, configMaps).filter((path) => {
    const covering = mounts
      .filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, "")}/`))
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    if (!covering || covering.readOnly || covering.subPath) return true;
    const volume = pod.spec.volumes?.find((v) => v.name === covering.name);
    return (
      !volume?.emptyDir &&
      !(volume?.persistentVolumeClaim && !volume.persistentVolumeClaim.readOnly)
    );
  });
}

for (const stackName of STACKS) {
  describe(`hardening: pod security of the ${stackName} stack`, () => {
    let stack: RenderedStack;
    let pods: PodModel[];
    before(async () => {
      stack = await renderStack(stackName);
      pods = podModels(stack.manifests);
    });

    it("renders the pods it is meant to check (Deployments, Jobs, executor templates)", () => {
      const origins = pods.map((p) => p.origin);
      expect(origins.some((o) => o.startsWith("Deployment/"))).to.equal(true);
      expect(origins.some((o) => o.startsWith("Job/"))).to.equal(true);
      expect(origins.some((o) => o.includes("#executor.yaml"))).to.equal(true);
    });

    it('every pod passes Pod Security "restricted" with zero violations', () => {
      const violations = pods.flatMap((pod) =>
        restrictedViolations(pod.spec).map((v) => `${pod.origin}: ${v}`),
      );
      expect(violations).to.deep.equal([]);
    });

    it("Spark pods run as uid 185 and Hive pods as uid 1000, never as root", () => {
      for (const pod of pods) {
        const expected = isSparkPod(pod) ? SPARK_UID : HIVE_UID;
        const sc = pod.spec.securityContext;
        expect(sc?.runAsUser, pod.origin).to.equal(expected);
        expect(sc?.runAsGroup, pod.origin).to.equal(expected);
        expect(sc?.runAsNonRoot, pod.origin).to.equal(true);
        for (const c of pod.spec.containers) {
          expect(c.securityContext?.runAsUser ?? expected, `${pod.origin} ${c.name}`).to.equal(
            expected,
          );
        }
      }
    });

    it("every container has a read-only root filesystem and a writable volume wherever it writes", () => {
      const configMaps = ofKind<ConfigMap>(stack.manifests, "ConfigMap");
      const problems: string[] = [];
      for (const pod of pods) {
        for (const c of pod.spec.containers) {
          if (c.securityContext?.readOnlyRootFilesystem !== true) {
            problems.push(`${pod.origin} ${c.name}: root filesystem writable`);
          }
          for (const path of unwritablePaths(pod, c, configMaps)) {
            problems.push(`${pod.origin} ${c.name}: writes ${path} but no writable volume`);
          }
        }
      }
      expect(problems).to.deep.equal([]);
    });

    it("the write-path check can fail: a Spark container without its work-dir mount is caught", () => {
      const configMaps = ofKind<ConfigMap>(stack.manifests, "ConfigMap");
      const spark = pods.find((p) => isSparkPod(p) && p.origin.startsWith("Deployment/"))!;
      const container = spark.spec.containers[0]!;
      const stripped = {
        ...container,
        volumeMounts: (container.volumeMounts ?? []).filter((m) => m.mountPath !== SPARK_WORKDIR),
      };
      expect(unwritablePaths(spark, stripped, configMaps)).to.include(SPARK_WORKDIR);
    });

    it("the write-path check reads -D options: the master without its recovery claim is caught", () => {
      const configMaps = ofKind<ConfigMap>(stack.manifests, "ConfigMap");
      const master = pods.find((p) => p.labels["app.kubernetes.io/component"] === "master")!;
      const container = master.spec.containers[0]!;
      const claimMounts = (container.volumeMounts ?? []).filter((m) =>
        master.spec.volumes?.some((v) => v.name === m.name && v.persistentVolumeClaim),
      );
      expect(claimMounts, "the master mounts its recovery claim").to.have.length(1);
      const stripped = {
        ...container,
        volumeMounts: (container.volumeMounts ?? []).filter((m) => !claimMounts.includes(m)),
      };
      expect(unwritablePaths(master, stripped, configMaps)).to.deep.equal([
        "/var/data/master-recovery/3.5.7",
      ]);
    });

    it("pods get no ServiceAccount token unless they call the API (only the Connect server does)", () => {
      for (const pod of pods) {
        const isConnect = pod.labels["app.kubernetes.io/component"] === "connect";
        expect(pod.spec.automountServiceAccountToken, pod.origin).to.equal(isConnect);
        expect(pod.spec.enableServiceLinks, pod.origin).to.equal(false);
      }
    });

    it("every namespace carries Pod Security labels: restricted enforced in prod, warned and audited in dev", () => {
      const namespaces = ofKind(stack.manifests, "Namespace");
      expect(namespaces.length).to.be.greaterThan(0);
      for (const pod of pods) {
        expect(
          namespaces.map((n) => n.metadata?.name),
          `namespace of ${pod.origin}`,
        ).to.include(pod.namespace);
      }
      for (const namespace of namespaces) {
        const labels = namespace.metadata?.labels ?? {};
        const id = namespace.metadata?.name;
        expect(labels["pod-security.kubernetes.io/warn"], `${id} warn`).to.equal("restricted");
        expect(labels["pod-security.kubernetes.io/audit"], `${id} audit`).to.equal("restricted");
        const enforce = labels["pod-security.kubernetes.io/enforce"];
        if (stackName === "prod") expect(enforce, `${id} enforce`).to.equal("restricted");
        else expect(["baseline", "restricted"], `${id} enforce`).to.include(enforce);
      }
    });
  });
}
