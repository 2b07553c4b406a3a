import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeManifest } from "../../../lib/kube/objects";
import { runProcess, type ProcessRun } from "../../support/processes";
import { renderStack } from "../../support/stacks";

const ROOT = join(__dirname, "../../..");

/**
 * A stand-in `kubectl` that answers the calls the live verifier makes from a file of
 * objects, as a cluster holding exactly those objects would: the current context, the
 * namespaces, the cluster's admission policies, a namespace's objects (Secrets apart) and
 * its Secrets as name and release label.
 */
const FAKE_KUBECTL = `#!/usr/bin/env node
const objects = JSON.parse(require("node:fs").readFileSync(process.env.FAKE_OBJECTS, "utf8"));
const args = process.argv.slice(2);
const list = (items) => process.stdout.write(JSON.stringify({ kind: "List", items }));
if (args[0] === "config" && args[1] === "current-context") {
  process.stdout.write("fake-context\\n");
  process.exit(0);
}
if (args[0] !== "--context" || args[1] !== "fake-context") {
  process.stderr.write("unexpected context: " + args.join(" "));
  process.exit(1);
}
const rest = args.slice(2);
if (rest[0] === "get" && rest[1] === "namespaces") {
  const names = rest.slice(2, rest.indexOf("-o"));
  list(objects.filter((o) => o.kind === "Namespace" && names.includes(o.metadata.name)));
} else if (rest[0] === "get" && rest[1].startsWith("validatingadmissionpolic")) {
  list(objects.filter((o) => o.kind.startsWith("ValidatingAdmissionPolicy")));
} else if (rest[0] === "--namespace" && rest[2] === "get") {
  const inNamespace = objects.filter((o) => o.metadata.namespace === rest[1]);
  if (rest[3] === "secrets") {
    for (const s of inNamespace.filter((o) => o.kind === "Secret")) {
      const release = (s.metadata.labels || {})["spark-platform.io/release"] || "";
      process.stdout.write(s.metadata.name + "\\t" + release + "\\n");
    }
  } else {
    list(inNamespace.filter((o) => o.kind !== "Secret"));
  }
} else {
  process.stderr.write("unexpected call: " + args.join(" "));
  process.exit(1);
}
`;

/** `./scripts/test-coexistence.sh <args>`, typed as the guide has it, with the stand-in
 * kubectl first on PATH serving `objects`. */
function testCoexistence(args: string[], objects: readonly KubeManifest[], dir: string) {
  const objectsFile = join(dir, `objects-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(objectsFile, JSON.stringify(objects));
  return runProcess("./scripts/test-coexistence.sh", args, {
    cwd: ROOT,
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE_OBJECTS: objectsFile },
  });
}

describe("scripts/test-coexistence.sh (the guide's step 4)", function () {
  this.timeout(120000);
  let dir: string;
  let passing: ProcessRun;
  let violating: ProcessRun;
  let prodLayout: ProcessRun;
  let noNamespace: ProcessRun;
  let tooMany: ProcessRun;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "coexistence-"));
    writeFileSync(join(dir, "kubectl"), FAKE_KUBECTL);
    chmodSync(join(dir, "kubectl"), 0o755);
    const dev = (await renderStack("dev")).manifests;
    const prod = (await renderStack("prod")).manifests;
    // The control: an extra policy opening every pod of the shared namespace both ways.
    const openPolicy: KubeManifest = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-all", namespace: "spark" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
    } as KubeManifest;
    [passing, violating, prodLayout, noNamespace, tooMany] = await Promise.all([
      testCoexistence(["spark"], dev, dir),
      testCoexistence(["spark"], [...dev, openPolicy], dir),
      testCoexistence(["spark-35", "spark-41"], prod, dir),
      testCoexistence([], dev, dir),
      testCoexistence(["a", "b", "c"], dev, dir),
    ]);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("typed as written against the shared layout: a line per check, exit 0", () => {
    expect(passing.status, passing.stderr).to.equal(0);
    expect(passing.stdout).to.match(/^CHECK +SUBJECT +RESULT +DETAIL\n/);
    expect(passing.stdout).to.match(/\nnetwork-isolation +/);
    expect(passing.stdout).to.match(/\n\d+ passed, 0 failed\n$/);
  });

  it("takes the two namespaces of the prod layout", () => {
    expect(prodLayout.status, prodLayout.stderr).to.equal(0);
    expect(prodLayout.stdout).to.match(/Namespace\/spark-35/);
    expect(prodLayout.stdout).to.match(/Namespace\/spark-41/);
  });

  it("negative control: an allow-all policy in the shared namespace fails it", () => {
    expect(violating.status).to.equal(1);
    expect(violating.stdout).to.match(/\nnetwork-isolation +spark-35 -> spark-41 +FAIL +/);
    expect(violating.stdout).to.match(/\nFAILED: .*network-isolation/);
  });

  it("refuses no namespace or more than two with its usage and exit 2", () => {
    for (const run of [noNamespace, tooMany]) {
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include("usage: ./scripts/test-coexistence.sh <namespace>");
    }
  });
});
