import { expect } from "chai";
import {
  clientAdmissionPolicy,
  clientAdmissionPolicyBinding,
} from "../../components/spark-release/clientAdmissionPolicy";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { admissionOutcome } from "../../lib/kube/analysis/validatingAdmission";
import type { KubeManifest } from "../../lib/kube/objects";
import { stackFilePath } from "../../tools/cli/stackFiles";
import { parseValid } from "../support/stacks";
import { admissionProbes, probeComplaints } from "./clientAdmission";

/** What the API server answers a dry run, from the admission model's outcome. */
function dryRun(manifests: readonly KubeManifest[], pod: Record<string, unknown>) {
  const object = pod as unknown as KubeManifest;
  const outcome = admissionOutcome(manifests, {
    operation: "CREATE",
    resource: { group: "", version: "v1", resource: "pods" },
    namespace: object.metadata!.namespace!,
    object,
    user: "kubernetes-admin",
  });
  const denial = outcome.denials[0];
  return denial
    ? {
        code: 1,
        stdout: "",
        stderr: `Error from server (Forbidden): error when creating "STDIN": pods "${object.metadata!.name}" is forbidden: ValidatingAdmissionPolicy '${denial.policy}' with binding '${denial.binding}' denied request: ${denial.message}`,
      }
    : { code: 0, stdout: `pod/${object.metadata!.name} created (server dry run)`, stderr: "" };
}

describe("live client admission: pure parts (tests/cluster/clientAdmission.ts)", () => {
  for (const stack of ["local", "local-prod"]) {
    it(`${stack}: every probe meets its expectation under the stack's own policies`, () => {
      const config = parseValid(rawConfigFromStackFile(stackFilePath(stack)));
      const manifests = config.releases.flatMap((r) => [
        clientAdmissionPolicy(r),
        clientAdmissionPolicyBinding(r),
      ]);
      const probes = admissionProbes(config, "x");
      expect(probes.map((p) => p.expected)).to.deep.equal(
        Array(2).fill(["admitted", "refused", "refused", "admitted"]).flat(),
      );
      for (const probe of probes) {
        expect(probeComplaints(probe, dryRun(manifests, probe.pod)), probe.what).to.deep.equal([]);
      }
      expect(probes[2]!.mentions).to.deep.equal([
        "release spark-35",
        "spark-platform:releases[0].clients[1].serviceAccounts",
      ]);
    });
  }

  it("negative control: without the policies, every refusal probe complains, naming what it tried", () => {
    const config = parseValid(rawConfigFromStackFile(stackFilePath("local")));
    const complaints = admissionProbes(config, "x").flatMap((p) =>
      probeComplaints(p, dryRun([], p.pod)),
    );
    expect(complaints).to.deep.equal([
      "spark-35 client in team-data-science, granted to the other release only: expected refused, but admitted",
      "spark-35 client in airflow as default: expected refused, but admitted",
      "spark-41 client in team-pipelines, granted to the other release only: expected refused, but admitted",
      "spark-41 client in airflow as default: expected refused, but admitted",
    ]);
  });

  it("a refusal that does not name the key, or comes from elsewhere, is a complaint", () => {
    const config = parseValid(rawConfigFromStackFile(stackFilePath("local")));
    const probe = admissionProbes(config, "x")[1]!;
    expect(
      probeComplaints(probe, {
        code: 1,
        stdout: "",
        stderr:
          "pods \"p\" is forbidden: ValidatingAdmissionPolicy 'other' with binding 'other' denied request: no",
      }),
    ).to.have.length(1);
    expect(
      probeComplaints(probe, { code: 1, stdout: "", stderr: 'namespaces "x" not found' })[0],
    ).to.include("not by an admission policy");
  });
});
