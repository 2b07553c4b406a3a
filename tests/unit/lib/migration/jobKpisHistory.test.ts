import { expect } from "chai";
import {
  applicationPath,
  fetchApplicationHistories,
} from "../../../../lib/migration/jobKpisHistory";
import { apps35, jobIds, recordedHistory } from "../../../support/jobKpisHistory";

describe("job KPIs: History Server requests", () => {
  it("reads an application with attempts under its attempt id", () => {
    expect(applicationPath(apps35[1]!)).to.equal("/applications/app-20261123201502-0002/1");
    expect(applicationPath(apps35[0]!)).to.equal("/applications/app-20261123204129-0004");
  });

  it("lists jobs only for applications not named after a job, and skips untagged ones", async () => {
    const asked: string[] = [];
    const histories = await fetchApplicationHistories(
      "http://spark-35-history:18080",
      jobIds,
      recordedHistory(asked),
    );
    expect(histories.map((h) => h.application.id)).to.deep.equal(["app-20261123204129-0004"]);
    const api = "http://spark-35-history:18080/api/v1/applications";
    expect(asked).to.have.members([
      api,
      `${api}/app-20261123204129-0004/stages`,
      `${api}/app-20261123204129-0004/allexecutors`,
      `${api}/app-20261123201502-0002/1/jobs`,
    ]);
  });

  it("reads a running Connect server: the applications list holds running ones unless ?status= says otherwise", async () => {
    const asked: string[] = [];
    const histories = await fetchApplicationHistories(
      "http://spark-41-history:18080",
      jobIds,
      recordedHistory(asked, { connectServerRunning: true }),
    );
    expect(histories.map((h) => h.application.attempts[0]!.completed)).to.deep.equal([false]);
    expect(histories[0]!.jobs.some((j) => j.status === "RUNNING")).to.equal(true);
    expect(asked[0]).to.equal("http://spark-41-history:18080/api/v1/applications");
  });

  it("names the URL and status when the server refuses", async () => {
    const asked: string[] = [];
    let error: Error | undefined;
    await fetchApplicationHistories(
      "http://other-history:18080",
      jobIds,
      recordedHistory(asked),
    ).catch((e: Error) => (error = e));
    expect(error?.message).to.equal("GET http://other-history:18080/api/v1/applications: HTTP 404");
  });
});
