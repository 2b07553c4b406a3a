import { expect } from "chai";
import { HELP, parseArgs, UsageError } from "../../../../cluster/commands/commandLine";

describe("cluster: command-line parsing", () => {
  it("reads each command with its options", () => {
    expect(parseArgs(["up"])).to.include({ command: "up", restart: false, noStandIns: false });
    expect(parseArgs(["up", "--restart", "--no-stand-ins"])).to.include({
      restart: true,
      noStandIns: true,
    });
    expect(parseArgs(["down", "--purge"])).to.include({ command: "down", purge: true });
    expect(parseArgs(["down", "--forget-objects"])).to.include({
      command: "down",
      purge: false,
      forgetObjects: true,
    });
    expect(parseArgs(["down"])).to.include({ purge: false, forgetObjects: false });
    expect(parseArgs(["status", "--json"])).to.include({ command: "status", json: true });
    expect(parseArgs(["build", "etcd", "kubernetes"]).parts).to.deep.equal(["etcd", "kubernetes"]);
    expect(parseArgs(["kubeconfig"]).command).to.equal("kubeconfig");
    expect(parseArgs(["volumes"]).command).to.equal("volumes");
  });

  it("reads up --nodes (both spellings), leaving it unset when not given", () => {
    expect(parseArgs(["up"]).nodes).to.equal(undefined);
    expect(parseArgs(["up", "--nodes", "2"]).nodes).to.equal(2);
    expect(parseArgs(["up", "--nodes=2", "--restart"])).to.include({ nodes: 2, restart: true });
    for (const bad of [["--nodes"], ["--nodes", "0"], ["--nodes", "two"], ["--nodes", "65"]])
      expect(() => parseArgs(["up", ...bad]), bad.join(" ")).to.throw(UsageError, /--nodes/);
    expect(() => parseArgs(["down", "--nodes", "2"])).to.throw(UsageError, /unknown option/);
  });

  it("restart-service takes exactly one of the shared services", () => {
    expect(parseArgs(["restart-service", "postgresql"])).to.include({
      command: "restart-service",
      service: "postgresql",
    });
    expect(parseArgs(["restart-service", "minio"]).service).to.equal("minio");
    expect(() => parseArgs(["restart-service"])).to.throw(UsageError, /name the service/);
    expect(() => parseArgs(["restart-service", "etcd"])).to.throw(UsageError, /not one of/);
    expect(() => parseArgs(["restart-service", "minio", "minio"])).to.throw(UsageError);
  });

  it("gives general help with no command, and a command's help for --help", () => {
    expect(parseArgs([]).command).to.equal("help");
    expect(parseArgs([]).helpFor).to.equal(undefined);
    expect(parseArgs(["--help"]).helpFor).to.equal(undefined);
    expect(parseArgs(["up", "--help"])).to.include({ command: "help", helpFor: "up" });
    expect(parseArgs(["help", "env"])).to.include({ command: "help", helpFor: "env" });
    for (const c of [
      "up",
      "down",
      "status",
      "kubeconfig",
      "env",
      "build",
      "volumes",
      "restart-service",
    ] as const) {
      expect(HELP[c]).to.match(/^usage: /);
    }
  });

  it("rejects unknown commands, options that belong to another command, and stray arguments", () => {
    expect(() => parseArgs(["start"])).to.throw(UsageError, /unknown command/);
    expect(() => parseArgs(["up", "--purge"])).to.throw(UsageError, /unknown option --purge/);
    expect(() => parseArgs(["down", "now"])).to.throw(UsageError, /unexpected argument/);
  });
});
