import { expect } from "chai";
import { parseSparkProperties, renderSparkProperties } from "../../../../lib/kube/objects";
import { rpcAuthentication } from "../../../../lib/verify/rpcAuthentication";
import { editableManifests, failing, find, objectsOf, type Loose } from "../../../support/verifier";

/** Rewrites one property of a release's spark-defaults ConfigMap (undefined: removes it). */
function setDefault(
  manifests: Loose[],
  key: string,
  value: string | undefined,
  release = "spark-35",
) {
  const configMap = find(manifests, "ConfigMap", `${release}-spark-defaults`);
  const conf = parseSparkProperties(configMap.data["spark-defaults.conf"]);
  if (value === undefined) delete conf[key];
  else conf[key] = value;
  configMap.data["spark-defaults.conf"] = renderSparkProperties(conf);
}

const containerOf = (manifests: Loose[], name: string) =>
  find(manifests, "Deployment", name).spec.template.spec.containers[0];

describe("lib/verify/rpcAuthentication: every release's RPC authenticated and encrypted", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`passes ${stack}: a row for the standalone release and one for Connect`, async () => {
      const rows = rpcAuthentication(objectsOf(await editableManifests(stack)));
      expect(rows.map((r) => [r.subject, r.pass])).to.deep.equal([
        ["release spark-35", true],
        ["release spark-41", true],
      ]);
      expect(rows[0]!.detail).to.match(/2 daemon\(s\) take _SPARK_AUTH_SECRET from a Secret/);
      expect(rows[1]!.detail).to.match(
        /the server and 1 executor template\(s\) or pod\(s\) read \/opt\/spark\/rpc-auth\/secret from a Secret/,
      );
    });
  }

  it("fails a Connect release with plain-text RPC or no secret file, naming both", async () => {
    const manifests = await editableManifests("dev");
    setDefault(manifests, "spark.network.crypto.enabled", undefined, "spark-41");
    setDefault(manifests, "spark.authenticate.secret.file", undefined, "spark-41");
    expect(failing(rpcAuthentication(objectsOf(manifests)))).to.deep.equal([
      "release spark-41: spark.network.crypto.enabled is unset, not true: RPC and block transfers travel in plain text; spark.authenticate.secret.file is unset: Spark would put a generated secret in each executor pod's spec",
    ]);
  });

  it("fails a Connect server without the Secret volume, and an executor pod carrying the secret in its spec", async () => {
    const manifests = await editableManifests("dev");
    const server = find(manifests, "Deployment", "spark-41-connect").spec.template.spec;
    server.volumes = server.volumes.filter((v: Loose) => v.name !== "spark-rpc-auth");
    // What Spark makes of an executor when no secret file is configured.
    manifests.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "spark-41-exec-1",
        namespace: "spark",
        labels: {
          "spark-platform.io/release": "spark-41",
          "app.kubernetes.io/component": "executor",
        },
      },
      spec: {
        containers: [
          { name: "executor", env: [{ name: "_SPARK_AUTH_SECRET", value: "generated" }] },
        ],
      },
    });
    expect(failing(rpcAuthentication(objectsOf(manifests)))).to.deep.equal([
      "release spark-41: Deployment/spark/spark-41-connect mounts no Secret at /opt/spark/rpc-auth: it cannot read /opt/spark/rpc-auth/secret; Pod/spark/spark-41-exec-1 mounts no Secret at /opt/spark/rpc-auth: it cannot read /opt/spark/rpc-auth/secret; Pod/spark/spark-41-exec-1 carries _SPARK_AUTH_SECRET as a literal in its spec",
    ]);
  });

  it("fails a release without spark.authenticate, naming the release and the consequence", async () => {
    const manifests = await editableManifests("dev");
    setDefault(manifests, "spark.authenticate", undefined);
    expect(failing(rpcAuthentication(objectsOf(manifests)))).to.deep.equal([
      "release spark-35: spark.authenticate is unset, not true: any pod the NetworkPolicies admit registers with the master unasked",
    ]);
  });

  it("fails plain-text RPC: crypto off, or a SASL fallback left open", async () => {
    const manifests = await editableManifests("prod");
    setDefault(manifests, "spark.network.crypto.enabled", "false");
    setDefault(manifests, "spark.network.crypto.saslFallback", undefined);
    setDefault(manifests, "spark.io.encryption.enabled", "false");
    expect(failing(rpcAuthentication(objectsOf(manifests)))).to.deep.equal([
      "release spark-35: spark.network.crypto.enabled is false, not true: RPC and block transfers travel in plain text; spark.network.crypto.saslFallback is unset, not false: a peer may fall back to SASL, which authenticates but leaves the channel in plain text; spark.io.encryption.enabled is false, not true: shuffle and spill files lie unencrypted on the workers' disks",
    ]);
  });

  it("fails a secret in the ConfigMap or on a command line, and a daemon without it from a Secret", async () => {
    const manifests = await editableManifests("dev");
    setDefault(manifests, "spark.authenticate.secret", "leaked");
    const worker = containerOf(manifests, "spark-35-worker");
    worker.env = worker.env.filter((e: Loose) => e.name !== "_SPARK_AUTH_SECRET");
    const master = containerOf(manifests, "spark-35-master");
    master.env = master.env.map((e: Loose) =>
      e.name === "_SPARK_AUTH_SECRET" ? { name: e.name, value: "literal" } : e,
    );
    master.args = [...master.args, "--conf", "spark.authenticate.secret=x"];
    expect(failing(rpcAuthentication(objectsOf(manifests)))).to.deep.equal([
      "release spark-35: spark.authenticate.secret is in a ConfigMap; Deployment/spark/spark-35-master sets _SPARK_AUTH_SECRET other than from a Secret; Deployment/spark/spark-35-worker has no _SPARK_AUTH_SECRET: it cannot authenticate; Deployment/spark/spark-35-master names spark.authenticate.secret on its command line or env",
    ]);
  });
});
