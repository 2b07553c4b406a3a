import { expect } from "chai";
import { holdersOf, secretsOfPod } from "./keyRotation";

describe("live key rotation: pure parts (tests/cluster/keyRotation.ts)", () => {
  it("reads the Secrets a pod mounts or takes env from, once each", () => {
    const pod = {
      spec: {
        volumes: [{ secret: { secretName: "spark-41-connect-server" } }, { emptyDir: {} }],
        containers: [
          { env: [{ valueFrom: { secretKeyRef: { name: "spark-35-spark-auth" } } }] },
          { envFrom: [{ secretRef: { name: "spark-35-object-store" } }] },
        ],
        initContainers: [
          { env: [{ valueFrom: { secretKeyRef: { name: "spark-35-spark-auth" } } }] },
        ],
      },
    };
    expect(secretsOfPod(pod)).to.deep.equal([
      "spark-35-object-store",
      "spark-35-spark-auth",
      "spark-41-connect-server",
    ]);
  });

  it("the holders are the pods reading one of the given Secrets, and only those", () => {
    const pods = new Map([
      ["spark/spark-35-master-a", { uid: "1", secrets: ["spark-35-spark-auth"] }],
      ["spark/spark-35-metastore-b", { uid: "2", secrets: ["spark-35-metastore-db"] }],
      ["spark/spark-41-connect-c", { uid: "3", secrets: ["spark-41-connect-server"] }],
    ]);
    expect(holdersOf(pods, ["spark-35-spark-auth", "spark-41-connect-server"])).to.deep.equal([
      "spark/spark-35-master-a",
      "spark/spark-41-connect-c",
    ]);
    expect(holdersOf(pods, ["nothing"])).to.deep.equal([]);
  });
});
