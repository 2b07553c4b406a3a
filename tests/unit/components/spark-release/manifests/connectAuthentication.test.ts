// A Connect release's token and TLS in its manifests
// (components/spark-release/manifests/connectAuthentication.ts, connect.ts).
import { expect } from "chai";
import {
  CONNECT_TLS_CONTAINER,
  connectClientSecrets,
  connectServerSecret,
} from "../../../../../components/spark-release/manifests/connectAuthentication";
import { connectDeployment } from "../../../../../components/spark-release/manifests/connect";
import { CLIENT_LABEL, RELEASE_LABEL } from "../../../../../lib/kube/objects";
import { restrictedViolations } from "../../../../../lib/kube/podSecurity";
import { baseValues, parseValid, rawConfig } from "../../../../support/stacks";

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

function connectWith(clients?: unknown[], connect?: Record<string, unknown>) {
  const values = baseValues() as Values;
  if (clients) values.releases[1]!["clients"] = clients;
  if (connect) values.releases[1]!["connect"] = connect;
  const config = parseValid(rawConfig(values));
  return { config, release: config.releases[1]! };
}

describe("components/spark-release/manifests/connectAuthentication", () => {
  it("the server's Secret holds its spark-defaults and the TLS pair, in the release's namespace", () => {
    const { release } = connectWith();
    const secret = connectServerSecret(release, { defaults: "d", tlsCert: "c", tlsKey: "k" });
    expect(secret.metadata.name).to.equal("spark-41-connect-server");
    expect(secret.metadata.namespace).to.equal("spark");
    expect(secret.metadata.labels![RELEASE_LABEL]).to.equal("spark-41");
    expect(secret.stringData).to.deep.equal({
      "spark-defaults.conf": "d",
      "tls.crt": "c",
      "tls.key": "k",
    });
  });

  it("one client Secret per granted namespace: token and ca.crt, nothing of the 3.5 Secret", () => {
    const { release } = connectWith([
      { namespace: "airflow", serviceAccounts: ["worker"] },
      { namespace: "notebooks" },
    ]);
    const secrets = connectClientSecrets(release, { token: "t", caCert: "ca" });
    expect(secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).to.deep.equal([
      "airflow/spark-41-connect-client",
      "notebooks/spark-41-connect-client",
    ]);
    expect(secrets[0]!.stringData).to.deep.equal({ token: "t", "ca.crt": "ca" });
    expect(secrets[0]!.metadata.labels![CLIENT_LABEL]).to.equal("spark-41");
    expect(connectClientSecrets(connectWith().release, { token: "t", caCert: "c" })).to.deep.equal(
      [],
    );
  });

  it("the server reads spark-defaults from its Secret, binds loopback; the terminator owns 15002 with the TLS pair only", () => {
    const { config, release } = connectWith(undefined, { tlsImage: "registry.example/tls:1" });
    const spec = connectDeployment(config, release).spec!.template.spec!;
    const [server, tls] = spec.containers;
    expect(spec.containers.map((c) => c.name)).to.deep.equal(["connect", CONNECT_TLS_CONTAINER]);
    expect(server!.env!.find((e) => e.name === "SPARK_CONF_DIR")?.value).to.equal(
      "/opt/spark/conf-server",
    );
    const volume = (name: string) => spec.volumes!.find((v) => v.name === name)!;
    const serverMount = server!.volumeMounts!.find(
      (m) => m.mountPath === "/opt/spark/conf-server",
    )!;
    expect(volume(serverMount.name).secret).to.deep.equal({
      secretName: "spark-41-connect-server",
      items: [{ key: "spark-defaults.conf", path: "spark-defaults.conf" }],
      defaultMode: 0o440,
    });
    expect(server!.ports!.map((p) => p.containerPort)).to.not.include(15002);
    expect(server!.volumeMounts!.map((m) => m.name)).to.not.include("connect-tls");
    expect(server!.readinessProbe!.exec!.command).to.deep.equal([
      "/bin/bash",
      "-c",
      "exec 3<>/dev/tcp/127.0.0.1/15012",
    ]);
    expect(tls!.image).to.equal("registry.example/tls:1");
    expect(tls!.args).to.deep.equal([
      "-listen=:15002",
      "-backend=127.0.0.1:15012",
      "-cert=/etc/connect-tls/tls.crt",
      "-key=/etc/connect-tls/tls.key",
    ]);
    expect(tls!.ports).to.deep.equal([{ name: "grpc", containerPort: 15002 }]);
    expect(tls!.readinessProbe!.tcpSocket!.port).to.equal(15002);
    expect(tls!.env ?? []).to.deep.equal([]);
    expect(volume(tls!.volumeMounts![0]!.name).secret!.items!.map((i) => i.key)).to.deep.equal([
      "tls.crt",
      "tls.key",
    ]);
    expect(restrictedViolations(spec)).to.deep.equal([]);
  });

  it("the terminator's image defaults to the local cluster's build", () => {
    const { config, release } = connectWith();
    const tls = connectDeployment(config, release).spec!.template.spec!.containers[1]!;
    expect(tls.image).to.equal("localhost/spark-platform/connect-tls:v1");
  });
});
