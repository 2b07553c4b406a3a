import { expect } from "chai";
import { parseSparkProperties, renderSparkProperties } from "../../../../lib/kube/objects";
import { connectAuthentication } from "../../../../lib/verify/connectAuthentication";
import { editableManifests, failing, find, objectsOf, type Loose } from "../../../support/verifier";

/** Rewrites one property of spark-41's spark-defaults ConfigMap (undefined: removes it). */
function setDefault(manifests: Loose[], key: string, value: string | undefined) {
  const configMap = find(manifests, "ConfigMap", "spark-41-spark-defaults");
  const conf = parseSparkProperties(configMap.data["spark-defaults.conf"]);
  if (value === undefined) delete conf[key];
  else conf[key] = value;
  configMap.data["spark-defaults.conf"] = renderSparkProperties(conf);
}

const podSpec = (manifests: Loose[]) =>
  find(manifests, "Deployment", "spark-41-connect").spec.template.spec;

describe("lib/verify/connectAuthentication: Connect token over TLS", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`passes ${stack}: one row for the Connect release, none for standalone`, async () => {
      const rows = connectAuthentication(objectsOf(await editableManifests(stack)));
      expect(rows.map((r) => [r.subject, r.pass])).to.deep.equal([["release spark-41", true]]);
      expect(rows[0]!.detail).to.match(/TLS terminator on 15002 \(1 server pod\(s\)\)/);
    });
  }

  it("negative control: a server without its token file and without the terminator fails, naming the release and the Deployment", async () => {
    const manifests = await editableManifests("dev");
    // The Connect server as it was before: ConfigMap spark-defaults, its own gRPC port.
    const spec = podSpec(manifests);
    spec.containers = spec.containers.filter((c: Loose) => c.name === "connect");
    const server = spec.containers[0];
    server.env = server.env.map((e: Loose) =>
      e.name === "SPARK_CONF_DIR" ? { ...e, value: "/opt/spark/conf-release" } : e,
    );
    server.ports = [{ name: "grpc", containerPort: 15002 }, ...server.ports];
    setDefault(manifests, "spark.connect.grpc.binding.address", undefined);
    setDefault(manifests, "spark.connect.grpc.binding.port", "15002");
    expect(failing(connectAuthentication(objectsOf(manifests)))).to.deep.equal([
      "release spark-41: spark.connect.grpc.binding.address is unset, not 127.0.0.1: the server's plain-text gRPC port is reachable from outside its pod; spark.connect.grpc.binding.port is the Connect port 15002, which the TLS terminator owns; Deployment/spark/spark-41-connect: the Connect server has no token: its SPARK_CONF_DIR (/opt/spark/conf-release) is not a Secret volume holding spark-defaults.conf with spark.connect.authenticate.token; Deployment/spark/spark-41-connect: no TLS terminator in front of the Connect server (no other container serves port 15002 with a certificate from a Secret): clients would send their token in plain text; Deployment/spark/spark-41-connect: the Connect server itself serves port 15002, in plain text",
    ]);
  });

  it("fails a token in the ConfigMap, on a command line or as a literal env value", async () => {
    const manifests = await editableManifests("prod");
    setDefault(manifests, "spark.connect.authenticate.token", "leaked");
    const server = podSpec(manifests).containers.find((c: Loose) => c.name === "connect");
    server.env = [...server.env, { name: "SPARK_CONNECT_AUTHENTICATE_TOKEN", value: "literal" }];
    expect(failing(connectAuthentication(objectsOf(manifests)))).to.deep.equal([
      "release spark-41: spark.connect.authenticate.token is in a ConfigMap; Deployment/spark-41/spark-41-connect names the Connect token on its command line or env",
    ]);
  });

  it("fails a terminator whose certificate is not from a Secret", async () => {
    const manifests = await editableManifests("dev");
    const tls = podSpec(manifests).containers.find((c: Loose) => c.name === "connect-tls");
    tls.volumeMounts = [];
    expect(failing(connectAuthentication(objectsOf(manifests)))).to.have.length(1);
    expect(failing(connectAuthentication(objectsOf(manifests)))[0]).to.contain(
      "no TLS terminator in front of the Connect server",
    );
  });
});
