import { expect } from "chai";
import {
  aliveWorkers,
  parseMasterState,
  recoveryComplaints,
  recoveryLines,
  recoveryLog,
} from "./masterState";

/** A master's /json page as Spark 3.5 writes it (fields it has that the parser ignores too). */
const page = (
  status: string,
  workers: [string, string][],
  active: [string, string][],
  done: string[] = [],
) =>
  JSON.stringify({
    url: "spark://10.244.1.5:7077",
    aliveworkers: workers.filter(([, s]) => s === "ALIVE").length,
    workers: workers.map(([id, state]) => ({ id, host: "10.244.1.6", cores: 1, state })),
    activeapps: active.map(([id, state]) => ({ id, name: "it-job", state })),
    completedapps: done.map((id) => ({ id, state: "FINISHED" })),
    status,
  });

const W = "worker-20261207062700-10.244.1.6-7078";
const APP = "app-20261207063000-0001";

describe("standalone master recovery (tests/faults/masterState.ts)", () => {
  const before = parseMasterState(page("ALIVE", [[W, "ALIVE"]], [[APP, "RUNNING"]]));

  it("reads status, workers and applications from /json", () => {
    expect(before.status).to.equal("ALIVE");
    expect(aliveWorkers(before)).to.deep.equal([W]);
    expect(before.activeApps).to.deep.equal([{ id: APP, state: "RUNNING" }]);
    expect(parseMasterState("{}").status).to.equal("unknown");
  });

  it("a recovered master knows the running application and the same workers", () => {
    const after = parseMasterState(page("ALIVE", [[W, "ALIVE"]], [[APP, "RUNNING"]]));
    expect(recoveryComplaints(before, after, APP)).to.deep.equal([]);
    const finished = parseMasterState(page("ALIVE", [[W, "ALIVE"]], [], [APP]));
    expect(recoveryComplaints(before, finished, APP)).to.deep.equal([]);
  });

  it("a master that forgot (no recovery state) or is still recovering is named", () => {
    const fresh = parseMasterState(page("ALIVE", [["worker-new", "ALIVE"]], []));
    const complaints = recoveryComplaints(before, fresh, APP);
    expect(complaints).to.have.length(2);
    expect(complaints[0]).to.contain(`does not know application ${APP}`);
    expect(complaints[1]).to.contain(W);
    const recovering = parseMasterState(page("RECOVERING", [[W, "UNKNOWN"]], [[APP, "UNKNOWN"]]));
    expect(recoveryComplaints(before, recovering, APP).join(" ")).to.match(
      /RECOVERING, not ALIVE.*workers not ALIVE/,
    );
  });

  it("reads the recovery from the master's log", () => {
    const log = [
      "26/12/07 06:31:02 INFO Master: Starting Spark master at spark://10.244.1.9:7077",
      "26/12/07 06:31:04 INFO Master: I have been elected leader! New state: RECOVERING",
      `26/12/07 06:31:05 INFO Master: Application has been re-registered: ${APP}`,
      `26/12/07 06:31:05 INFO Master: Worker has been re-registered: ${W}`,
      "26/12/07 06:31:05 INFO Master: Recovery complete - resuming operations!",
    ].join("\n");
    expect(recoveryLog(log)).to.deep.equal({
      recovering: true,
      appsReRegistered: [APP],
      workersReRegistered: [W],
      complete: true,
    });
    expect(recoveryLines(log)).to.have.length(4);
    const plain = recoveryLog("INFO Master: I have been elected leader! New state: ALIVE");
    expect(plain).to.deep.equal({
      recovering: false,
      appsReRegistered: [],
      workersReRegistered: [],
      complete: false,
    });
  });
});
