// A standalone release's authentication Secrets and how its pods read them
// (components/spark-release/manifests/authentication.ts, standalone.ts).
import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import {
  clientAuthSecrets,
  daemonAuthEnv,
  releaseAuthSecret,
} from "../../../../../components/spark-release/manifests/authentication";
import {
  masterDeployment,
  workerDeployment,
} from "../../../../../components/spark-release/manifests/standalone";
import { CLIENT_LABEL, RELEASE_LABEL } from "../../../../../lib/kube/objects";
import { DRIVER_CONF_DIR } from "../../../../../lib/spark/authentication";
import { baseValues, parseValid, rawConfig } from "../../../../support/stacks";

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

function standaloneWith(clients?: unknown[]) {
  const values = baseValues() as Values;
  if (clients) values.releases[0]!["clients"] = clients;
  const config = parseValid(rawConfig(values));
  return { config, release: config.releases[0]! };
}

const container = (d: IDeployment) => d.spec!.template.spec!.containers[0]!;
const SECRET = "the-secret-value";

describe("components/spark-release/manifests/authentication", () => {
  it("the release's Secret holds the secret and a driver's spark-defaults, in its namespace", () => {
    const { release } = standaloneWith();
    const secret = releaseAuthSecret(release, { secret: SECRET, driverDefaults: "conf" });
    expect(secret.metadata.name).to.equal("spark-35-spark-auth");
    expect(secret.metadata.namespace).to.equal("spark");
    expect(secret.metadata.labels![RELEASE_LABEL]).to.equal("spark-35");
    expect(secret.stringData).to.deep.equal({
      secret: SECRET,
      "spark-defaults.conf": "conf",
    });
  });

  it("one client Secret per granted namespace, none elsewhere, none without clients", () => {
    const { release } = standaloneWith([
      { namespace: "airflow", serviceAccounts: ["airflow-worker"] },
      { namespace: "team-pipelines" },
    ]);
    const secrets = clientAuthSecrets(release, { driverDefaults: "conf", properties: "props" });
    expect(secrets.map((s) => [s.metadata.namespace, s.metadata.name])).to.deep.equal([
      ["airflow", "spark-35-spark-client"],
      ["team-pipelines", "spark-35-spark-client"],
    ]);
    for (const secret of secrets) {
      expect(secret.metadata.labels).to.include({
        [RELEASE_LABEL]: "spark-35",
        [CLIENT_LABEL]: "spark-35",
      });
      expect(secret.stringData).to.deep.equal({
        "spark-defaults.conf": "conf",
        "spark-auth.properties": "props",
      });
    }
    const none = clientAuthSecrets(standaloneWith().release, { driverDefaults: 1, properties: 2 });
    expect(none).to.deep.equal([]);
  });

  it("master and workers take _SPARK_AUTH_SECRET from the release's Secret, never a literal or an argument", () => {
    const { config, release } = standaloneWith();
    for (const deployment of [
      masterDeployment(config, release),
      workerDeployment(config, release),
    ]) {
      const c = container(deployment);
      expect(c.env).to.deep.include(daemonAuthEnv(release));
      expect(daemonAuthEnv(release)).to.deep.equal({
        name: "_SPARK_AUTH_SECRET",
        valueFrom: { secretKeyRef: { name: "spark-35-spark-auth", key: "secret" } },
      });
      const literals = [...(c.args ?? []), ...(c.env ?? []).map((e) => e.value ?? "")];
      expect(literals.join(" ")).to.not.match(/spark\.authenticate\.secret|spark-35-spark-auth/);
    }
  });

  it("the master's pod mounts the driver's spark-defaults (only that key) for drivers started in it; workers mount no auth Secret", () => {
    const { config, release } = standaloneWith();
    const master = masterDeployment(config, release);
    expect(master.spec!.template.spec!.volumes).to.deep.include({
      name: "spark-driver-conf",
      secret: {
        secretName: "spark-35-spark-auth",
        items: [{ key: "spark-defaults.conf", path: "spark-defaults.conf" }],
        defaultMode: 0o440,
      },
    });
    expect(container(master).volumeMounts).to.deep.include({
      name: "spark-driver-conf",
      mountPath: DRIVER_CONF_DIR,
      readOnly: true,
    });
    // The container's own SPARK_CONF_DIR: a driver started in it needs the secret.
    expect(container(master).env).to.deep.include({
      name: "SPARK_CONF_DIR",
      value: DRIVER_CONF_DIR,
    });
    const worker = workerDeployment(config, release);
    // Only the object-store keys' file, which its executors read too.
    expect(
      worker.spec!.template.spec!.volumes!.filter((v) => v.secret).map((v) => v.secret!.secretName),
    ).to.deep.equal(["spark-35-object-store"]);
  });
});
