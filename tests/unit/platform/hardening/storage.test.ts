import { expect } from "chai";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IVolume } from "kubernetes-models/v1/Volume";
import { podModels, type PodModel } from "../../../../lib/kube/analysis/pods";
import { parseSparkProperties, type KubeManifest } from "../../../../lib/kube/objects";
import { memoryToMiB, sizeToMiB } from "../../../../lib/units/sizes";
import {
  baseValues,
  ofKind,
  rawConfig,
  renderRaw,
  renderStack,
  type RenderedStack,
} from "../../../support/stacks";

type ConfigMap = KubeManifest & { data?: Record<string, string> };

/** Container logs and the writable layer count toward ephemeral storage too. */
const MIN_LOG_ROOM_MIB = 50;

const ephemeral = (c: IContainer, which: "requests" | "limits") => {
  const quantity = c.resources?.[which]?.["ephemeral-storage"];
  return quantity === undefined ? undefined : memoryToMiB(quantity);
};
const emptyDirs = (pod: PodModel): IVolume[] =>
  (pod.spec.volumes ?? []).filter((v) => v.emptyDir !== undefined);

/** spark-defaults (or history conf) a pod reads: its mounted ConfigMap, the release's for executor templates. */
function sparkConfOf(pod: PodModel, manifests: readonly KubeManifest[]): Record<string, string> {
  const maps = ofKind<ConfigMap>(manifests, "ConfigMap").filter(
    (m) => m.metadata?.namespace === pod.namespace,
  );
  if (pod.labels["app.kubernetes.io/component"] === "executor") {
    const release = pod.labels["spark-platform.io/release"];
    const defaults = maps.find((m) => m.metadata?.name === `${release}-spark-defaults`)!;
    return parseSparkProperties(defaults.data!["spark-defaults.conf"]!);
  }
  for (const volume of pod.spec.volumes ?? []) {
    const map = maps.find((m) => m.metadata?.name === volume.configMap?.name);
    const text = map?.data?.["spark-defaults.conf"];
    if (text) return parseSparkProperties(text);
  }
  return {};
}

/** The emptyDir mounted exactly at `path` in the pod's main container, if any. */
function emptyDirAt(pod: PodModel, path: string): IVolume | undefined {
  const mount = pod.spec.containers[0]!.volumeMounts?.find((m) => m.mountPath === path);
  const volume = pod.spec.volumes?.find((v) => v.name === mount?.name);
  return volume?.emptyDir ? volume : undefined;
}

function checkStack(stack: RenderedStack): void {
  const pods = podModels(stack.manifests);
  expect(pods.length).to.be.greaterThan(8);
  for (const pod of pods) {
    const where = pod.origin;
    // 1. Every writable volume has a size: an unlimited emptyDir fills the node.
    for (const volume of emptyDirs(pod)) {
      expect(volume.emptyDir!.sizeLimit, `${where} emptyDir ${volume.name}`).to.be.a("string");
    }
    // 2. The containers' ephemeral storage holds every emptyDir at its limit plus logs:
    //    the kubelet evicts a pod past the sum of its containers' limits.
    const volumesMiB = emptyDirs(pod)
      .filter((v) => v.emptyDir!.medium !== "Memory")
      .reduce((sum, v) => sum + memoryToMiB(v.emptyDir!.sizeLimit!), 0);
    const main = pod.spec.containers[0]!;
    const limit = ephemeral(main, "limits");
    expect(limit, `${where}: ephemeral-storage limit`).to.not.equal(undefined);
    expect(ephemeral(main, "requests"), `${where}: request = limit`).to.equal(limit);
    const limits = pod.spec.containers.reduce((sum, c) => sum + (ephemeral(c, "limits") ?? 0), 0);
    expect(limits, `${where}: limits vs volumes`).to.be.at.least(volumesMiB + MIN_LOG_ROOM_MIB);

    // 3. spark.local.dir (shuffle, spill) is an emptyDir of its own, never inside /tmp.
    const conf = sparkConfOf(pod, stack.manifests);
    const localDir = conf["spark.local.dir"];
    if (localDir !== undefined) {
      const volume = emptyDirAt(pod, localDir);
      expect(volume, `${where}: spark.local.dir ${localDir} is its own emptyDir`).to.not.equal(
        undefined,
      );
      expect(localDir.startsWith("/tmp")).to.equal(false);
      if (pod.labels["app.kubernetes.io/component"] === "executor") {
        // Spark reuses a template volume only under its own name; else it adds an unlimited one.
        expect(volume!.name).to.equal("spark-local-dir-1");
      }
    }
    // 4. The History Server's disk store stays below its volume.
    const store = conf["spark.history.store.path"];
    if (pod.labels["app.kubernetes.io/component"] === "history") {
      expect(store, `${where}: spark.history.store.path`).to.not.equal(undefined);
      const volume = emptyDirAt(pod, store!);
      expect(volume, `${where}: history store is its own emptyDir`).to.not.equal(undefined);
      const maxDisk = sizeToMiB(conf["spark.history.store.maxDiskUsage"]!);
      expect(maxDisk).to.be.below(memoryToMiB(volume!.emptyDir!.sizeLimit!));
    }
    // 5. A standalone worker's executor logs roll within its work dir.
    if (pod.labels["app.kubernetes.io/component"] === "worker") {
      const work = emptyDirAt(pod, "/opt/spark/work-dir")!;
      const logsMiB =
        (Number(conf["spark.executor.logs.rolling.maxSize"]) / 2 ** 20) *
        (Number(conf["spark.executor.logs.rolling.maxRetainedFiles"]) + 1) *
        2;
      expect(logsMiB, `${where}: rolled logs of one executor`).to.be.at.most(
        memoryToMiB(work.emptyDir!.sizeLimit!) / 2,
      );
      expect(conf["spark.worker.cleanup.enabled"]).to.equal("true");
    }
  }
}

const podOf = (stack: RenderedStack, origin: RegExp) =>
  podModels(stack.manifests).find((p) => origin.test(p.origin))!;
const sizeAt = (pod: PodModel, path: string) =>
  memoryToMiB(emptyDirAt(pod, path)!.emptyDir!.sizeLimit!);

describe("hardening: writable volumes are sized, and settings and limits agree", () => {
  for (const name of ["dev", "prod"] as const) {
    it(`${name}: every emptyDir is bounded, spark.local.dir and the history store have their own, ephemeral storage covers them`, async () => {
      checkStack(await renderStack(name));
    });
  }

  it("sizes come from config: small defaults for dev, prod's own", async () => {
    const dev = await renderStack("dev");
    const prod = await renderStack("prod");
    expect(
      sizeAt(podOf(dev, /Deployment\/spark\/spark-35-worker$/), "/var/data/spark-local"),
    ).to.equal(2048);
    expect(sizeAt(podOf(prod, /spark-35-worker$/), "/var/data/spark-local")).to.equal(50 * 1024);
    expect(sizeAt(podOf(prod, /spark-35-worker$/), "/opt/spark/work-dir")).to.equal(4 * 1024);
    expect(sizeAt(podOf(prod, /executor-template#/), "/var/data/spark-local")).to.equal(50 * 1024);
    expect(sizeAt(podOf(prod, /spark-41-history$/), "/var/data/history-store")).to.equal(10 * 1024);
    // dev, every pod at once: what a local node's disk must offer (it has tens of GiB).
    const devTotal = podModels(dev.manifests).reduce(
      (sum, p) => sum + (ephemeral(p.spec.containers[0]!, "requests") ?? 0),
      0,
    );
    expect(devTotal).to.be.below(24 * 1024);
  });

  it("a release's own sizes reach its volumes and its History Server's maxDiskUsage", async () => {
    const values = baseValues();
    const releases = values["releases"] as Record<string, unknown>[];
    releases[1] = {
      ...releases[1],
      historyServer: { prefix: "4.1/events", storeSize: "4Gi" },
      connect: { localDirSize: "3Gi", executorLocalDirSize: "6Gi" },
    };
    const stack = await renderRaw(rawConfig(values));
    checkStack(stack);
    expect(sizeAt(podOf(stack, /spark-41-connect$/), "/var/data/spark-local")).to.equal(3072);
    expect(sizeAt(podOf(stack, /executor-template#/), "/var/data/spark-local")).to.equal(6144);
    const history = ofKind<ConfigMap>(stack.manifests, "ConfigMap").find(
      (m) => m.metadata?.name === "spark-41-history-conf",
    )!;
    expect(parseSparkProperties(history.data!["spark-defaults.conf"]!)).to.include({
      "spark.history.store.maxDiskUsage": "3072m",
    });
  });
});
