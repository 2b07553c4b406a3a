import { expect } from "chai";
import { clientPod } from "../cluster/clients";
import { faultDatabase, pinnedTo, withEnv } from "./faultJobs";

describe("fault suite jobs (tests/faults/faultJobs.ts)", () => {
  const pod = clientPod({
    name: "it-x",
    namespace: "airflow",
    runId: "itabc",
    image: "img",
    args: ["python3"],
    env: [{ name: "IT_MODE", value: "connect" }],
  });

  it("adds environment variables to the client container, keeping its own, without touching the input", () => {
    const out = withEnv(pod, { IT_SLOW_TASKS: "3" }) as {
      spec: { containers: { env: { name: string; value: string }[] }[] };
    };
    expect(out.spec.containers[0]!.env.map((e) => e.name)).to.deep.equal([
      "HOME",
      "IT_MODE",
      "IT_SLOW_TASKS",
    ]);
    const original = (pod as unknown as { spec: { containers: { env: unknown[] }[] } }).spec;
    expect(original.containers[0]!.env).to.have.length(2);
  });

  it("names a job's database after the run, job and release, as Hive accepts it", () => {
    expect(faultDatabase("itXYZ12", "master-rerun", "spark-35")).to.equal(
      "itxyz12_masterrerun_spark35",
    );
  });

  it("pins a client pod to a node by its hostname label", () => {
    const out = pinnedTo(pod, "spark-node") as { spec: { nodeSelector: Record<string, string> } };
    expect(out.spec.nodeSelector).to.deep.equal({ "kubernetes.io/hostname": "spark-node" });
    expect((pod as { spec?: { nodeSelector?: unknown } }).spec?.nodeSelector).to.equal(undefined);
  });
});
