import { expect } from "chai";
import { Action, ActionFailed, Creator } from "../../../cluster/creator";

interface FakeContext {
  ran: string[];
}

/** A creator over a fake context, with a clock the actions move and the lines it logged. */
function harness() {
  const ctx: FakeContext = { ran: [] };
  const lines: string[] = [];
  let clock = 0;
  const creator = new Creator(ctx, { log: (l) => lines.push(l), now: () => clock });
  const action = (name: string, ms = 0, extra: Partial<Action<FakeContext>> = {}) => ({
    name,
    async run(c: FakeContext) {
      c.ran.push(name);
      clock += ms;
    },
    ...extra,
  });
  return { ctx, lines, creator, action };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.fail("expected a rejection"),
    (e: unknown) => e,
  );
}

describe("cluster: the creator", () => {
  it("runs the actions in order on the shared context", async () => {
    const { ctx, creator, action } = harness();
    await creator.run([action("prerequisites"), action("build"), action("etcd")]);
    await creator.run([action("jar mirror")]);
    expect(ctx.ran).to.deep.equal(["prerequisites", "build", "etcd", "jar mirror"]);
  });

  it("prints start and ok with seconds per action, and a summary of every time", async () => {
    const { lines, creator, action } = harness();
    await creator.run([action("node network", 1500), action("kube-apiserver", 250)]);
    expect(lines).to.deep.equal([
      "node network: start",
      "node network: ok (1.5s)",
      "kube-apiserver: start",
      "kube-apiserver: ok (0.3s)",
    ]);
    expect(creator.summary()).to.equal("timings: node network 1.5s, kube-apiserver 0.3s");
    expect([...creator.seconds.values()]).to.deep.equal([1.5, 0.25]);
  });

  it("stops at a failing action, naming it, and runs nothing after it", async () => {
    const { ctx, lines, creator, action } = harness();
    const failing = {
      name: "etcd",
      run: async () => {
        throw new Error("etcd not ready in 60 s");
      },
    };
    const e = await rejection(creator.run([action("certificates"), failing, action("kubelet")]));
    expect(e).to.be.instanceOf(ActionFailed);
    expect((e as ActionFailed).action).to.equal("etcd");
    expect((e as Error).message).to.equal("etcd failed: etcd not ready in 60 s");
    expect(lines).to.include("etcd: FAILED (0.0s)");
    expect(ctx.ran).to.deep.equal(["certificates"]);
    expect(creator.summary()).to.equal("timings: certificates 0.0s");
  });

  it("runs a background action beside the next ones; an action that awaits it starts after it", async () => {
    const { ctx, lines, creator, action } = harness();
    const events: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const services = {
      name: "shared services",
      background: true,
      run: async () => {
        events.push("services started");
        await gate; // released by a later action: only possible if it runs meanwhile
        events.push("services ready");
      },
    };
    const etcd = {
      name: "etcd",
      run: async () => {
        events.push("etcd");
        release();
      },
    };
    const infra = {
      name: "spark-infra services",
      awaits: ["shared services"],
      run: async () => void events.push("infra"),
    };
    await creator.run([services, etcd, infra, action("probe")]);
    expect(events).to.deep.equal(["services started", "etcd", "services ready", "infra"]);
    expect(ctx.ran).to.deep.equal(["probe"]);
    expect(lines.indexOf("shared services: ok (0.0s)")).to.be.below(
      lines.indexOf("spark-infra services: start"),
    );
  });

  it("does not return while background work still runs, even when nothing awaits it", async () => {
    const { creator, action } = harness();
    let done = false;
    const slow = {
      name: "shared services",
      background: true,
      run: async () => {
        await new Promise((r) => setTimeout(r, 30));
        done = true;
      },
    };
    await creator.run([slow, action("etcd")]);
    expect(done).to.equal(true);
    expect([...creator.seconds.keys()]).to.deep.equal(["etcd", "shared services"]);
  });

  it("a failed background action fails the action that awaits it, by its own name", async () => {
    const { ctx, creator, action } = harness();
    const services = {
      name: "shared services",
      background: true,
      run: async () => {
        throw new Error("PostgreSQL did not start");
      },
    };
    const e = await rejection(
      creator.run([
        services,
        action("etcd"),
        action("spark-infra services", 0, { awaits: ["shared services"] }),
      ]),
    );
    expect((e as ActionFailed).action).to.equal("shared services");
    expect((e as Error).message).to.equal("shared services failed: PostgreSQL did not start");
    expect(ctx.ran).to.deep.equal(["etcd"]);
  });

  it("refuses to await what no earlier action started", async () => {
    const { creator, action } = harness();
    const e = await rejection(creator.run([action("infra", 0, { awaits: ["shared services"] })]));
    expect((e as Error).message).to.match(/infra awaits shared services/);
  });
});
