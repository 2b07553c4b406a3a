import { expect } from "chai";
import { parseSparkProperties, renderSparkProperties } from "../../../../lib/kube/objects";
import { rpcAuthentication } from "../../../../lib/verify/rpcAuthentication";
import { editableManifests, failing, find, objectsOf, type Loose } from "../../../support/verifier";

/** Rewrites one property of spark-35's spark-defaults ConfigMap (undefined: removes it). */
function setDefault(manifests: Loose[], key: string, value: string | undefined) {
  const configMap = find(manifests, "ConfigMap", "spark-35-spark-defaults");
  const conf = parseSparkProperties(configMap.data["spark-defaults.conf"]);
  if (value === undefined) delete conf[key];
  else conf[key] = value;
  configMap.data["spark-defaults.conf"] = renderSparkProperties(conf);
}

const containerOf = (manifests: Loose[], name: string) =>
  find(manifests, "Deployment", name).spec.template.spec.containers[0];

describe("lib/verify/rpcAuthentication: standalone RPC authenticated and encrypted", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`passes ${stack}: one row for the standalone release, none for Connect`, async () => {
      const rows = rpcAuthentication(objectsOf(await editableManifests(stack)));
      expect(rows.map((r) => [r.subject, r.pass])).to.deep.equal([["release spark-35", true]]);
      expect(rows[0]!.detail).to.match(/2 daemon\(s\) take _SPARK_AUTH_SECRET from a Secret/);
    });
  }

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
