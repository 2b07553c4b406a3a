import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const ROOT = join(__dirname, "../../..");
const WORKFLOWS = join(ROOT, ".github/workflows");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  environment?: string | { name: string };
  needs?: string | string[];
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown[]> };
}
interface Workflow {
  on?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const workflows: Record<string, Workflow> = Object.fromEntries(
  readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => [f, parse(readFileSync(join(WORKFLOWS, f), "utf8")) as Workflow]),
);
const scripts = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((j) => j.steps ?? []);
const pulumiSteps = (workflow: Workflow) =>
  steps(workflow).filter((s) => s.uses?.startsWith("pulumi/actions@"));

/** Stack names a Pulumi step targets: literal, or every value of the matrix key it names. */
function stackNames(job: Job, step: Step): string[] {
  const name = String(step.with?.["stack-name"] ?? "");
  const matrixKey = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(name)?.[1];
  if (!matrixKey) return [name];
  return (job.strategy?.matrix?.[matrixKey] ?? []).map(String);
}

describe("GitHub workflows", () => {
  it("has the preview and deploy workflows", () => {
    expect(Object.keys(workflows)).to.include.members(["preview.yml", "deploy.yml"]);
  });

  it("runs only npm scripts that package.json defines", () => {
    const named = Object.values(workflows)
      .flatMap(steps)
      .flatMap((s) => [...(s.run ?? "").matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(named).to.include.members(["render", "verify"]);
    for (const name of named) expect(scripts, `npm run ${name}`).to.have.property(name);
  });

  it("targets only stacks that have a Pulumi.<stack>.yaml", () => {
    const stacks = Object.values(workflows).flatMap((w) =>
      Object.values(w.jobs).flatMap((job) =>
        (job.steps ?? [])
          .filter((s) => s.uses?.startsWith("pulumi/actions@"))
          .flatMap((s) => stackNames(job, s)),
      ),
    );
    expect(stacks).to.include.members(["dev", "prod"]);
    for (const stack of stacks) {
      expect(existsSync(join(ROOT, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`).to.equal(true);
    }
  });

  it("runs every Pulumi step with the policy pack, pinned to a major of pulumi/actions", () => {
    const all = Object.values(workflows).flatMap(pulumiSteps);
    expect(all).to.have.length(3);
    for (const step of all) {
      expect(step.uses).to.match(/^pulumi\/actions@v\d+$/);
      const pack = String(step.with?.["policyPacks"]);
      expect(
        existsSync(join(ROOT, pack, "PulumiPolicy.yaml")),
        `${pack}/PulumiPolicy.yaml`,
      ).to.equal(true);
    }
  });

  it("previews each stack on pull requests and comments on the pull request", () => {
    const preview = workflows["preview.yml"]!;
    expect(preview.on).to.have.property("pull_request");
    const [step, ...rest] = pulumiSteps(preview);
    expect(rest).to.deep.equal([]);
    expect(step!.with).to.include({
      command: "preview",
      "comment-on-pr": true,
      "edit-pr-comment": true,
      "cloud-url": "${{ secrets.PULUMI_BACKEND_URL }}",
    });
    expect(preview.jobs["preview"]!.strategy?.matrix?.["stack"]).to.deep.equal(["dev", "prod"]);
  });

  it("deploys dev, then prod behind the production environment", () => {
    const deploy = workflows["deploy.yml"]!;
    expect(deploy.on).to.have.property("push");
    const prod = Object.values(deploy.jobs).find((job) =>
      (job.steps ?? []).some((s) => s.with?.["stack-name"] === "prod"),
    )!;
    const environment =
      typeof prod.environment === "string" ? prod.environment : prod.environment?.name;
    expect(environment).to.equal("production");
    expect(prod.needs).to.equal("dev");
    expect(deploy.jobs["dev"]!.steps!.some((s) => s.with?.["command"] === "up")).to.equal(true);
  });
});
