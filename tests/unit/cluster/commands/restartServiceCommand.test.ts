import { expect } from "chai";
import { restartLine, STOP_SIGNAL } from "../../../../cluster/commands/restartServiceCommand";

describe("cluster/commands: restart-service", () => {
  it("stops PostgreSQL with its fast shutdown (SIGTERM would wait for every client)", () => {
    expect(STOP_SIGNAL).to.deep.equal({ postgresql: "SIGINT", minio: "SIGTERM" });
  });

  it("prints the seconds in a line tests can read", () => {
    const line = restartLine("minio", 0.42, 2.345);
    expect(line).to.equal("minio restarted in 2.3 s (stopped in 0.4 s)");
    expect(Number(/restarted in ([\d.]+) s/.exec(line)![1])).to.equal(2.3);
  });
});
