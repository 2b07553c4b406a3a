import type { FetchLike } from "./benchReport";
import {
  carriesTag,
  type ApplicationHistory,
  type HistoryApplication,
  type HistoryExecutor,
  type HistoryJob,
  type HistoryStage,
} from "./jobKpis";
import { requestFailure } from "./requestFailure";

/**
 * Reads what job-kpis needs from one History Server's REST API (`/api/v1`). The fetch is
 * injected: tests serve recorded responses, the command passes the global `fetch`.
 */

/** `/applications/<id>` or, for an application with attempts, `/applications/<id>/<attempt>`. */
export function applicationPath(application: HistoryApplication): string {
  const attemptId = application.attempts[0]?.attemptId;
  const id = encodeURIComponent(application.id);
  return attemptId === undefined
    ? `/applications/${id}`
    : `/applications/${id}/${encodeURIComponent(attemptId)}`;
}

/**
 * Every application the server lists, with its jobs, stages and executors. Applications named after a job need no job list;
 * others are read whole only when one of their Spark jobs carries a job id as a tag.
 */
export async function fetchApplicationHistories(
  historyUrl: string,
  jobIds: readonly string[],
  fetchFn: FetchLike,
  options: { timeoutMs?: number } = {},
): Promise<ApplicationHistory[]> {
  const api = `${historyUrl.replace(/\/+$/, "")}/api/v1`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const get = async <T>(path: string): Promise<T[]> => {
    const url = `${api}${path}`;
    let response;
    try {
      response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new Error(`GET ${url}: ${requestFailure(error, timeoutMs)}`);
    }
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const body = await response.json();
    if (!Array.isArray(body)) throw new Error(`GET ${url}: not a JSON array`);
    return body as T[];
  };
  // No `minDate`: a Connect server application started long before `since` still holds
  // the tagged runs after it; runs are filtered by their own start (jobKpis.ts). No
  // `status`: the list then holds running applications as well as completed ones, and a
  // running Connect server's application is where its jobs are while it runs.
  const applications = await get<HistoryApplication>("/applications");
  const histories: ApplicationHistory[] = [];
  for (const application of applications) {
    const path = applicationPath(application);
    const byName = jobIds.includes(application.name);
    const jobs = byName ? [] : await get<HistoryJob>(`${path}/jobs`);
    if (!byName && !jobs.some((j) => jobIds.some((id) => carriesTag(j, id)))) continue;
    const [stages, executors] = await Promise.all([
      get<HistoryStage>(`${path}/stages`),
      get<HistoryExecutor>(`${path}/allexecutors`),
    ]);
    histories.push({ application, jobs, stages, executors });
  }
  return histories;
}
