// The standalone master's recovery claim in the composed stacks: one per standalone
// release, mounted by its master only, created before it and never protected or retained.
import { expect } from "chai";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { podModels } from "../../../lib/kube/analysis/pods";
import { RELEASE_LABEL } from "../../../lib/kube/objects";
import { ofKind, renderStack } from "../../support/stacks";

const STORAGE_CLASS: Record<string, string | undefined> = {
  dev: undefined,
  prod: undefined,
  // The local cluster may have no default StorageClass: its harness provides this one.
  local: "spark-platform-local",
  "local-prod": "spark-platform-local",
};

for (const stack of ["dev", "prod", "local", "local-prod"] as const) {
  describe(`master recovery in the ${stack} stack`, () => {
    it("one claim, of the standalone release, in its namespace, of the stack's class", async () => {
      const { config, manifests } = await renderStack(stack);
      const claims = ofKind<IPersistentVolumeClaim>(manifests, "PersistentVolumeClaim");
      const spark35 = config.releases.find((r) => r.name === "spark-35")!;
      expect(claims.map((c) => `${c.metadata!.namespace}/${c.metadata!.name}`)).to.deep.equal([
        `${spark35.namespace}/spark-35-master-recovery`,
      ]);
      expect(claims[0]!.metadata!.labels![RELEASE_LABEL]).to.equal("spark-35");
      expect(claims[0]!.spec!.storageClassName).to.equal(STORAGE_CLASS[stack]);
      expect(claims[0]!.spec!.accessModes).to.deep.equal(["ReadWriteOnce"]);
    });

    it("only the master mounts it, at the directory its recovery options name", async () => {
      const { manifests } = await renderStack(stack);
      const mounting = podModels(manifests).filter((pod) =>
        pod.spec.volumes?.some((v) => v.persistentVolumeClaim),
      );
      expect(mounting.map((p) => p.labels["app.kubernetes.io/component"])).to.deep.equal([
        "master",
      ]);
      const master = mounting[0]!.spec.containers[0]!;
      const opts = master.env?.find((e) => e.name === "SPARK_MASTER_OPTS")?.value ?? "";
      const directory = /-Dspark\.deploy\.recoveryDirectory=(\S+)/.exec(opts)?.[1];
      const mount = master.volumeMounts?.find((m) => m.name === "recovery")?.mountPath;
      expect(directory?.startsWith(`${mount}/`), `${directory} under ${mount}`).to.equal(true);
      expect(opts).to.include("-Dspark.deploy.recoveryMode=FILESYSTEM");
    });

    it("the master is created after its claim; the claim is neither protected nor retained", async () => {
      const { resources } = await renderStack(stack);
      const claim = resources.find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim")!;
      const master = resources.find(
        (r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "spark-35-master",
      )!;
      expect(
        master.dependencies.some((urn) => urn.endsWith("::spark-35-master-recovery")),
      ).to.equal(true);
      expect([claim.protect, claim.retainOnDelete]).to.deep.equal([false, false]);
    });
  });
}
