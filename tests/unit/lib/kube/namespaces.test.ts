import { expect } from "chai";
import { clientNamespaceManifests, namespaceManifests } from "../../../../lib/kube/namespaces";
import { RELEASE_LABEL } from "../../../../lib/kube/objects";
import { PER_RELEASE, withClients } from "../../../support/clientConfig";
import { parseValid } from "../../../support/stacks";

describe("namespaces: the client namespaces the platform creates", () => {
  const config = parseValid(
    withClients(
      [{ namespace: "airflow", createNamespace: true }, { namespace: "team-pipelines" }],
      [
        { namespace: "team-data-science", createNamespace: true },
        { namespace: "airflow", createNamespace: true },
      ],
      { ...PER_RELEASE, podSecurity: { enforce: "baseline" } },
    ),
  );

  it("one per namespace with createNamespace, however many releases list it; none for the others", () => {
    expect(clientNamespaceManifests(config).map((n) => n.metadata?.name)).to.deep.equal([
      "airflow",
      "team-data-science",
    ]);
  });

  it("Pod Security restricted whatever the stack enforces for its own, and no release label: they are the teams'", () => {
    expect(namespaceManifests(config)[0]!.metadata?.labels).to.include({
      "pod-security.kubernetes.io/enforce": "baseline",
    });
    for (const namespace of clientNamespaceManifests(config)) {
      const labels = namespace.metadata?.labels ?? {};
      for (const mode of ["enforce", "warn", "audit"]) {
        expect(labels[`pod-security.kubernetes.io/${mode}`], mode).to.equal("restricted");
      }
      expect(labels).to.not.have.property(RELEASE_LABEL);
      expect(namespace.metadata?.annotations?.["spark-platform.io/source"]).to.equal(
        "lib/kube/namespaces.ts#clientNamespaceManifests",
      );
    }
  });
});
