import { expect } from "chai";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";
import { issueAt, PER_RELEASE, withClients } from "../../../support/clientConfig";

/** Base values with the postgres and objectStore objects edited. */
function withBackends(
  postgres: Record<string, unknown>,
  objectStore: Record<string, unknown>,
): ReturnType<typeof rawConfig> {
  const values = baseValues() as Record<string, Record<string, unknown>>;
  return rawConfig({
    ...values,
    postgres: { ...values["postgres"], ...postgres },
    objectStore: { ...values["objectStore"], ...objectStore },
  });
}

describe("config: where the engine connects versus where pods connect", () => {
  it("without admin keys the engine uses the pods' host, port and endpoint", () => {
    const config = parseValid(withBackends({}, {}));
    expect(config.postgres.admin).to.deep.equal({ host: "postgresql.spark-infra.svc", port: 5432 });
    expect(config.objectStore.admin).to.deep.equal({
      endpoint: "http://minio.spark-infra.svc:9000",
      host: "minio.spark-infra.svc",
      port: 9000,
      useSsl: false,
    });
  });

  it("adminHost/adminPort and adminEndpoint change only the engine's side", () => {
    const config = parseValid(
      withBackends(
        { adminHost: "10.201.0.1", adminPort: 15432 },
        { adminEndpoint: "https://10.201.0.1:19000" },
      ),
    );
    expect(config.postgres.host).to.equal("postgresql.spark-infra.svc");
    expect(config.postgres.admin).to.deep.equal({ host: "10.201.0.1", port: 15432 });
    expect(config.objectStore.endpoint).to.equal("http://minio.spark-infra.svc:9000");
    expect(config.objectStore.admin).to.include({ host: "10.201.0.1", port: 19000, useSsl: true });
  });

  it("refuses a malformed egress CIDR, naming the key", () => {
    const result = parsePlatformConfig(withBackends({ egressCidrs: ["10.201.0.1"] }, {}));
    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.key).join(" ")).to.match(/postgres\.egressCidrs/);
    }
  });
});

describe("config: releases[].clients resolved", () => {
  it("resolves each entry with its position, ServiceAccounts when listed, createNamespace false by default", () => {
    const config = parseValid(
      withClients(
        [
          { namespace: "team-pipelines" },
          { namespace: "airflow", serviceAccounts: ["airflow-worker"], createNamespace: true },
        ],
        undefined,
      ),
    );
    expect(config.releases[0]!.clients).to.deep.equal([
      { index: 0, namespace: "team-pipelines", createNamespace: false },
      {
        index: 1,
        namespace: "airflow",
        serviceAccounts: ["airflow-worker"],
        createNamespace: true,
      },
    ]);
  });

  it("absent or empty: the release admits no client", () => {
    const config = parseValid(withClients([], undefined));
    expect(config.releases.map((r) => r.clients)).to.deep.equal([[], []]);
  });

  it("the same namespace twice in one release", () => {
    issueAt(
      withClients(
        undefined,
        [{ namespace: "airflow" }, { namespace: "team-a" }, { namespace: "airflow" }],
        PER_RELEASE,
      ),
      "spark-platform:releases[1].clients[2].namespace",
      /listed twice \(also clients\[0\]\)/,
    );
  });
  it("the same ServiceAccount twice in one entry", () => {
    issueAt(
      withClients([{ namespace: "airflow", serviceAccounts: ["a", "b", "a"] }], []),
      "spark-platform:releases[0].clients[0].serviceAccounts[2]",
      /listed twice/,
    );
  });
});
