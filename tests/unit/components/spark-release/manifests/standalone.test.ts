import { expect } from "chai";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import {
  IN_POD_DRIVER_HEAP_MIB,
  masterAliveCommand,
  masterContainerMiB,
  masterDeployment,
  masterRecoveryClaim,
  workerDeployment,
} from "../../../../../components/spark-release/manifests/standalone";
import { parseSparkProperties, SOURCE_ANNOTATION } from "../../../../../lib/kube/objects";
import { sparkDefaultsConfigMap } from "../../../../../components/spark-release/manifests/common";
import { baseValues, parseValid, rawConfig } from "../../../../support/stacks";

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

/** The base configuration with spark-35's standalone section extended by `recovery`. */
function configWith(recovery?: Record<string, unknown>) {
  const values = baseValues() as Values;
  const standalone = values.releases[0]!["standalone"] as Record<string, unknown>;
  if (recovery) standalone["recovery"] = recovery;
  const config = parseValid(rawConfig(values));
  return { config, release: config.releases[0]! };
}

const podSpec = (deployment: IDeployment) => deployment.spec!.template.spec!;
const container = (deployment: IDeployment) => podSpec(deployment).containers[0]!;
const env = (deployment: IDeployment, name: string) =>
  container(deployment).env?.find((e) => e.name === name)?.value;

describe("components/spark-release/manifests/standalone: master recovery", () => {
  it("by default the master keeps FILESYSTEM recovery state on its own claim", () => {
    const { config, release } = configWith();
    const master = masterDeployment(config, release);
    expect(master.spec!.strategy).to.deep.equal({ type: "Recreate" });
    expect(podSpec(master).volumes).to.deep.include({
      name: "recovery",
      persistentVolumeClaim: { claimName: "spark-35-master-recovery" },
    });
    expect(container(master).volumeMounts).to.deep.include({
      name: "recovery",
      mountPath: "/var/data/master-recovery",
    });
    expect(env(master, "SPARK_MASTER_OPTS")).to.equal(
      "-Dspark.deploy.recoveryMode=FILESYSTEM -Dspark.deploy.recoveryDirectory=/var/data/master-recovery/3.5.7",
    );
    // uid 185 writes the claim through the pod's fsGroup.
    expect(podSpec(master).securityContext?.fsGroup).to.equal(185);
  });

  it("the claim: ReadWriteOnce, 128Mi, the cluster's default class, labelled and sourced", () => {
    const { release } = configWith();
    const claim = masterRecoveryClaim(release)!;
    expect(claim.metadata).to.deep.include({
      name: "spark-35-master-recovery",
      namespace: "spark",
    });
    expect(claim.metadata!.labels).to.deep.include({
      "spark-platform.io/release": "spark-35",
      "app.kubernetes.io/component": "master",
    });
    expect(claim.metadata!.annotations).to.deep.equal({
      [SOURCE_ANNOTATION]: "components/spark-release/manifests/standalone.ts#masterRecoveryClaim",
      "pulumi.com/skipAwait": "true",
    });
    expect(claim.spec).to.deep.equal({
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      resources: { requests: { storage: "128Mi" } },
    });
  });

  it("storageClassName and size are the configured ones", () => {
    const { release } = configWith({ storageClassName: "spark-platform-local", size: "1Gi" });
    expect(masterRecoveryClaim(release)!.spec).to.deep.include({
      storageClassName: "spark-platform-local",
      resources: { requests: { storage: "1Gi" } },
    });
  });

  it("workers get no recovery settings: not in their env, not in spark-defaults", () => {
    const { config, release } = configWith();
    const worker = workerDeployment(config, release);
    expect(env(worker, "SPARK_MASTER_OPTS")).to.equal(undefined);
    expect(JSON.stringify(worker)).not.to.match(/recovery/i);
    const defaults = sparkDefaultsConfigMap(config, release).data!["spark-defaults.conf"]!;
    expect(
      Object.keys(parseSparkProperties(defaults)).filter((k) => /recovery/i.test(k)),
    ).to.deep.equal([]);
  });

  it("turned off: no claim, no volume, no options; the master is still recreated, never rolled", () => {
    const { config, release } = configWith({ enabled: false });
    expect(masterRecoveryClaim(release)).to.equal(undefined);
    const master = masterDeployment(config, release);
    expect(JSON.stringify(master)).not.to.match(/recovery/i);
    expect(master.spec!.strategy).to.deep.equal({ type: "Recreate" });
  });

  it("recovery on or off changes the master's pod template only", () => {
    const on = configWith();
    const off = configWith({ enabled: false });
    expect(workerDeployment(on.config, on.release)).to.deep.equal(
      workerDeployment(off.config, off.release),
    );
    expect(sparkDefaultsConfigMap(on.config, on.release)).to.deep.equal(
      sparkDefaultsConfigMap(off.config, off.release),
    );
    expect(masterDeployment(on.config, on.release)).not.to.deep.equal(
      masterDeployment(off.config, off.release),
    );
  });

  it("a recovering master is ready once ALIVE; without recovery, once its RPC port listens", () => {
    const on = configWith();
    expect(container(masterDeployment(on.config, on.release)).readinessProbe).to.deep.include({
      exec: { command: masterAliveCommand(8080) },
    });
    const off = configWith({ enabled: false });
    expect(container(masterDeployment(off.config, off.release)).readinessProbe).to.deep.include({
      tcpSocket: { port: 7077 },
    });
  });

  describe("the ALIVE probe command, run by bash against the master's JSON", () => {
    let server: Server;
    let status = "RECOVERING";
    let requested: string[] = [];
    before(async () => {
      server = createServer((request, response) => {
        requested.push(`${request.method} ${request.url}`);
        // The master's /json/ as Spark 3.5.7 renders it (abridged).
        response.end(`{\n  "url" : "spark://10.244.0.7:7077",\n  "status" : "${status}"\n}`);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    after(() => server.close());

    const probe = () =>
      new Promise<number>((resolve) => {
        const [file, ...args] = masterAliveCommand((server.address() as AddressInfo).port);
        execFile(file!, args, { timeout: 5000 }, (error) =>
          resolve(error ? Number(error.code ?? 1) : 0),
        );
      });

    it("fails while the master is RECOVERING or STANDBY, succeeds once it is ALIVE", async () => {
      requested = [];
      for (const [state, code] of [
        ["RECOVERING", 1],
        ["STANDBY", 1],
        ["ALIVE", 0],
      ] as const) {
        status = state;
        expect(await probe(), state).to.equal(code);
      }
      expect(requested).to.deep.equal(["GET /json/", "GET /json/", "GET /json/"]);
    });

    it("fails when nothing listens", async () => {
      const [file, ...args] = masterAliveCommand(1);
      const code = await new Promise<number>((resolve) =>
        execFile(file!, args, { timeout: 5000 }, (error) => resolve(error ? 1 : 0)),
      );
      expect(code).to.equal(1);
    });
  });
});

describe("components/spark-release/manifests/standalone: a driver inside the master pod", () => {
  it("advertises the pod IP and has room besides the master daemon", () => {
    const { config, release } = configWith();
    const master = masterDeployment(config, release);
    const names = container(master).env!.map((e) => e.name);
    // $(POD_IP) expands only from a variable defined before it.
    expect(names.indexOf("POD_IP")).to.be.lessThan(names.indexOf("SPARK_LOCAL_HOSTNAME"));
    expect(env(master, "SPARK_LOCAL_HOSTNAME")).to.equal("$(POD_IP)");
    expect(env(master, "SPARK_DRIVER_MEMORY")).to.equal(`${IN_POD_DRIVER_HEAP_MIB}m`);
    // Its spark-defaults are the ones with the secret (a driver on spark:// needs it), once.
    expect(names.filter((n) => n === "SPARK_CONF_DIR")).to.have.length(1);
    expect(env(master, "SPARK_CONF_DIR")).to.equal("/opt/spark/conf-driver");
    expect(env(workerDeployment(config, release), "SPARK_CONF_DIR")).to.equal(
      "/opt/spark/conf-release",
    );
    // 1g daemon heap + 256 MiB, and 512 MiB heap + 256 MiB for the in-pod driver.
    expect(container(master).resources!.limits!["memory"]).to.equal("2048Mi");
    expect(masterContainerMiB(release)).to.equal(2048);
  });
});
