import { expect } from "chai";
import {
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
} from "../../../../lib/kube/labels";

describe("lib/kube/labels: Kubernetes' syntax rules", () => {
  it("label keys: an optional DNS-subdomain prefix and a name of at most 63", () => {
    for (const key of [
      "pool",
      "kubernetes.io/hostname",
      "node-role.kubernetes.io/spark",
      "topology.kubernetes.io/zone",
      "spark-platform.io/release",
      "A_b.c-1",
      "x".repeat(63),
    ]) {
      expect(labelKeyProblem(key), key).to.equal(undefined);
    }
    const refused: Record<string, RegExp> = {
      "": /name must not be empty/,
      "example.com/": /name must not be empty/,
      "/pool": /prefix before '\/' must not be empty/,
      "a/b/c": /at most one '\/'/,
      "Example.com/pool": /prefix must be a DNS subdomain/,
      "-pool": /must hold only letters/,
      "pool-": /must hold only letters/,
      "po ol": /must hold only letters/,
      [`${"x".repeat(64)}`]: /at most 63/,
      [`${"a".repeat(254)}/pool`]: /prefix must be at most 253/,
    };
    for (const [key, message] of Object.entries(refused)) {
      expect(labelKeyProblem(key), JSON.stringify(key)).to.match(message);
    }
  });

  it("label values: empty, or at most 63 letters, digits, '-', '_', '.' inside alphanumerics", () => {
    for (const value of ["", "spark-35", "true", "1", "a.b_c-d", "x".repeat(63)]) {
      expect(labelValueProblem(value), value).to.equal(undefined);
    }
    for (const value of ["-a", "a-", "a b", "a/b", "x".repeat(64)]) {
      expect(labelValueProblem(value), value).to.match(/is not a label value/);
    }
  });

  it("DNS subdomains and labels, as PriorityClass, StorageClass and namespace names", () => {
    expect(dnsSubdomainProblem("spark-platform-local")).to.equal(undefined);
    expect(dnsSubdomainProblem("gp3.csi.aws")).to.equal(undefined);
    expect(dnsSubdomainProblem("Fast")).to.match(/DNS subdomain/);
    expect(dnsSubdomainProblem("a..b")).to.match(/DNS subdomain/);
    expect(dnsSubdomainProblem("a".repeat(254))).to.match(/253/);
    expect(dnsLabelProblem("spark-35")).to.equal(undefined);
    expect(dnsLabelProblem("spark.35")).to.match(/DNS label/);
    expect(dnsLabelProblem("a".repeat(64))).to.match(/63/);
  });
});
