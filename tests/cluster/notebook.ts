// Live check of a notebook (components/notebook): inside its pod, a notebook whose cell
// queries the preconfigured `spark` session with a marker is executed the way a scheduled
// notebook runs (`nbconvert --execute`, a real kernel), and JupyterLab is asked for /lab
// and its API without the login token, with a wrong one, and with the mounted one
// (jobs/notebook_probe.py). The login token and the release's token never leave the pod,
// and must appear in neither the pod's log nor its spec.
import { randomUUID } from "node:crypto";
import type { NotebookConfig, PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { NOTEBOOK_LABEL } from "../../lib/kube/objects";
import { exec, readScript, withNetworkPolicyDeleted } from "./clients";
import { PORTS, serviceHost } from "../../lib/naming/names";
import { getItems, kubectl, portForward, waitUntil } from "./support";

/** The probe run in the notebook pod (tests/cluster/jobs/). */
const PROBE_SCRIPT = "notebook_probe.py";

interface HttpOutcome {
  readonly status: number;
  readonly location?: string;
}

/** The `IT-NOTEBOOK` line of notebook_probe.py. */
export interface NotebookProbe {
  readonly marker: string;
  /** tcp_probe.py's outcome (`open`, `refused`, `timeout`, ...) by `host:port`. */
  readonly tcp: Readonly<Record<string, string>>;
  readonly http: Readonly<
    Record<
      "labWithoutToken" | "apiWithoutToken" | "apiWithWrongToken" | "apiWithToken" | "labWithToken",
      HttpOutcome
    >
  >;
  readonly notebook: {
    readonly exitCode: number;
    readonly stderrTail: string;
    readonly cellOutput?: readonly string[];
    readonly sparkVersion?: string;
    readonly answer?: number;
    readonly marker?: string;
  };
}

/** JupyterLab's refusal of a page without a login: a redirect to its login page. */
export function redirectsToLogin(outcome: HttpOutcome): boolean {
  return outcome.status === 302 && (outcome.location ?? "").startsWith("/login");
}

/** tcp_probe.py (the network check's probe) run in the pod: each target's outcome. */
async function tcpOutcomes(
  namespace: string,
  pod: string,
  targets: readonly string[],
): Promise<Record<string, string>> {
  const pairs = targets.map((t) => {
    const at = t.lastIndexOf(":");
    return [t.slice(0, at), Number(t.slice(at + 1))];
  });
  const out = await exec(namespace, pod, "jupyterlab", [
    "python3",
    "-c",
    readScript("tcp_probe.py"),
    JSON.stringify(pairs),
    "5",
  ]);
  const results = JSON.parse(out) as [string, number, string][];
  return Object.fromEntries(results.map(([host, port, outcome]) => [`${host}:${port}`, outcome]));
}

export function parseNotebookProbe(output: string): NotebookProbe | undefined {
  const line = output.split("\n").find((l) => l.startsWith("IT-NOTEBOOK "));
  return line ? (JSON.parse(line.slice("IT-NOTEBOOK ".length)) as NotebookProbe) : undefined;
}

/**
 * What is wrong with a probe: the executed cell must have answered on the release's Spark
 * version with the marker, and the login must be required (no token or a wrong one:
 * /lab redirects to the login page, the API answers 403) and work (the mounted token: 200,
 * the control that shows the refusals are the token's doing).
 */
export function notebookComplaints(
  probe: NotebookProbe,
  expected: {
    readonly sparkVersion: string;
    readonly marker: string;
    readonly reachable: readonly string[];
    readonly unreachable: readonly string[];
  },
): string[] {
  const out: string[] = [];
  for (const target of expected.reachable) {
    if (probe.tcp[target] !== "open")
      out.push(
        `${target} is not reachable (${probe.tcp[target]}), though the release's client ports are`,
      );
  }
  for (const target of expected.unreachable) {
    // Refused or timed out alike: kube-router rejects what no policy admits.
    if (probe.tcp[target] === undefined || probe.tcp[target] === "open") {
      out.push(`${target}: ${probe.tcp[target] ?? "not tried"}: the notebook reaches it`);
    }
  }
  const run = probe.notebook;
  if (run.exitCode !== 0) out.push(`nbconvert --execute exited ${run.exitCode}: ${run.stderrTail}`);
  if (run.sparkVersion !== expected.sparkVersion) {
    out.push(
      `the cell ran on Spark ${run.sparkVersion ?? "nothing"}, not ${expected.sparkVersion}: ${(run.cellOutput ?? []).join(" | ")}`,
    );
  }
  if (run.answer !== 41 || run.marker !== expected.marker) {
    out.push(`the cell's query answered ${run.answer} ${run.marker}, not 41 ${expected.marker}`);
  }
  const { http } = probe;
  const lab = http.labWithoutToken;
  if (!redirectsToLogin(lab)) {
    out.push(
      `/lab without the token answered ${lab.status} ${lab.location ?? ""}, not a redirect to /login`,
    );
  }
  for (const name of ["apiWithoutToken", "apiWithWrongToken"] as const) {
    if (http[name].status !== 403) out.push(`${name}: ${http[name].status}, not 403`);
  }
  for (const name of ["apiWithToken", "labWithToken"] as const) {
    if (http[name].status !== 200) out.push(`${name}: ${http[name].status}, not 200 (the control)`);
  }
  return out;
}

/** Secret values (base64-decoded) a pod's log and spec must not contain. */
async function secretValues(namespace: string, name: string): Promise<string[]> {
  const secret = JSON.parse(
    (await kubectl(["get", "secret", name, "-n", namespace, "-o", "json"])).stdout,
  ) as {
    data?: Record<string, string>;
  };
  return Object.values(secret.data ?? {}).map((v) => Buffer.from(v, "base64").toString().trim());
}

export interface NotebookOutcome {
  readonly pod: string;
  /** `/lab` through `kubectl port-forward deploy/<name>` (the stack output's line), as a user opens it. */
  readonly forwarded?: { readonly withoutToken: HttpOutcome; readonly withToken: HttpOutcome };
  readonly seconds: number;
  readonly probe?: NotebookProbe;
  readonly complaints: string[];
}

/**
 * TCP targets of a notebook: its release's Connect port (reachable), and its release's
 * metastore, every other release's front door and the object store (not: its policy
 * allows the Connect server and UIs of its own release only). The object store admits
 * anyone (the releases' pods write their event logs there), so only the notebook's own
 * egress policy keeps it out: that target proves the policy, not the releases'.
 */
export function notebookTcpTargets(
  config: PlatformConfig,
  release: ReleaseConfig,
): { reachable: string[]; unreachable: string[] } {
  const at = (r: ReleaseConfig, service: string, port: number) =>
    `${serviceHost(service, r.namespace)}:${port}`;
  const fronts = config.releases
    .filter((r) => r.name !== release.name && !r.decommissioned)
    .map((r) =>
      r.mode === "standalone"
        ? at(r, r.names.master, PORTS.masterRpc)
        : at(r, r.names.connect, PORTS.connectGrpc),
    );
  return {
    reachable: [at(release, release.names.connect, PORTS.connectGrpc)],
    unreachable: [
      ...(release.metastore.enabled
        ? [at(release, release.names.metastore, PORTS.metastoreThrift)]
        : []),
      ...fronts,
      `${config.objectStore.host}:${config.objectStore.port}`,
    ],
  };
}

/** Runs the probe in the notebook's pod and checks it, its log and its spec. */
export async function checkNotebook(
  config: PlatformConfig,
  notebook: NotebookConfig,
): Promise<NotebookOutcome> {
  const started = Date.now();
  const release = config.releases.find((r) => r.name === notebook.release)!;
  const sparkVersion = release.sparkVersion;
  const connectClientSecret = release.names.connectClientSecret;
  const targets = notebookTcpTargets(config, release);
  const pods = (
    await getItems("pods", notebook.namespace, `${NOTEBOOK_LABEL}=${notebook.name}`)
  ).filter((p) => p.status?.["phase"] === "Running");
  const pod = pods[0]?.metadata?.name;
  if (!pod)
    return { pod: "none", seconds: 0, complaints: [`no running pod of notebook ${notebook.name}`] };
  const marker = `it-notebook-${randomUUID().slice(0, 8)}`;
  const output = await exec(notebook.namespace, pod, "jupyterlab", [
    "env",
    `IT_MARKER=${marker}`,
    "python3",
    "-c",
    readScript(PROBE_SCRIPT),
  ]);
  const tcp = await tcpOutcomes(notebook.namespace, pod, [
    ...targets.reachable,
    ...targets.unreachable,
  ]);
  const parsed = parseNotebookProbe(output);
  const probe = parsed ? { ...parsed, tcp } : undefined;
  const complaints = probe
    ? notebookComplaints(probe, { sparkVersion, marker, ...targets })
    : [`no IT-NOTEBOOK line: ${output.slice(-500)}`];
  const loginToken = await secretValues(notebook.namespace, notebook.names.tokenSecret);
  const secrets = [
    ...loginToken,
    ...(await secretValues(notebook.namespace, connectClientSecret)).filter(
      (v) => !v.startsWith("-----"),
    ),
  ];
  const log = (await kubectl(["logs", "-n", notebook.namespace, pod, "-c", "jupyterlab"], true))
    .stdout;
  const spec = (await kubectl(["get", "pod", pod, "-n", notebook.namespace, "-o", "json"])).stdout;
  for (const value of secrets.filter((v) => v.length >= 16)) {
    if (log.includes(value)) complaints.push(`the pod's log holds a token value`);
    if (spec.includes(value)) complaints.push(`the pod's spec holds a token value`);
    if (output.includes(value)) complaints.push(`the probe's output holds a token value`);
  }
  const forwarded = await labThroughPortForward(notebook, loginToken[0] ?? "");
  if (!redirectsToLogin(forwarded.withoutToken)) {
    complaints.push(
      `/lab through port-forward without the token answered ${JSON.stringify(forwarded.withoutToken)}`,
    );
  }
  if (forwarded.withToken.status !== 200) {
    complaints.push(
      `/lab through port-forward with the token answered ${forwarded.withToken.status}, not 200`,
    );
  }
  return {
    pod,
    forwarded,
    seconds: (Date.now() - started) / 1000,
    ...(probe ? { probe } : {}),
    complaints,
  };
}

/** GET /lab through a port-forward to the notebook's Deployment, without and with the token. */
async function labThroughPortForward(
  notebook: NotebookConfig,
  token: string,
): Promise<{ withoutToken: HttpOutcome; withToken: HttpOutcome }> {
  const forward = await portForward(
    notebook.namespace,
    `deploy/${notebook.names.notebook}`,
    PORTS.jupyter,
  );
  try {
    const get = async (headers: Record<string, string>): Promise<HttpOutcome> => {
      const response = await fetch(`${forward.url}/lab`, { redirect: "manual", headers });
      const location = response.headers.get("location");
      return { status: response.status, ...(location ? { location } : {}) };
    };
    return {
      withoutToken: await get({}),
      withToken: await get({ Authorization: `token ${token}` }),
    };
  } finally {
    forward.stop();
  }
}

/** What the negative control broke and what the check then said. */
export interface NotebookControl {
  readonly broken: string;
  readonly complaints: string[];
  readonly seconds: number;
}

/**
 * Negative control: the notebook's login turned off (`--IdentityProvider.token=` added to
 * its command) and its NetworkPolicy deleted, on the live objects; the same check must
 * then complain about /lab and about the object store. Both are restored (the argument
 * removed, the policy re-created as it was) and the notebook is Ready again afterwards.
 */
export async function notebookNegativeControl(
  config: PlatformConfig,
  notebook: NotebookConfig,
): Promise<NotebookControl> {
  const started = Date.now();
  const { namespace } = notebook;
  const name = notebook.names.notebook;
  const deployment = JSON.parse(
    (await kubectl(["get", "deployment", name, "-n", namespace, "-o", "json"])).stdout,
  ) as { spec: { template: { spec: { containers: { command: string[] }[] } } } };
  const argIndex = deployment.spec.template.spec.containers[0]!.command.length;
  const rollout = () =>
    kubectl(["rollout", "status", `deployment/${name}`, "-n", namespace, "--timeout=180s"]);
  const patchCommand = (operation: Record<string, unknown>, allowFailure = false) =>
    kubectl(
      [
        "patch",
        "deployment",
        name,
        "-n",
        namespace,
        "--type=json",
        "-p",
        JSON.stringify([operation]),
      ],
      allowFailure,
    );
  try {
    return await withNetworkPolicyDeleted(namespace, name, async () => {
      await patchCommand({
        op: "add",
        path: "/spec/template/spec/containers/0/command/-",
        value: "--IdentityProvider.token=",
      });
      await rollout();
      // The old pod may still be terminating: the check picks a Running one, so wait for one.
      await waitForSinglePod(notebook);
      const outcome = await checkNotebook(config, notebook);
      return {
        broken: `Deployment ${namespace}/${name} started with --IdentityProvider.token= and NetworkPolicy ${namespace}/${name} deleted`,
        complaints: outcome.complaints,
        seconds: (Date.now() - started) / 1000,
      };
    });
  } finally {
    await patchCommand(
      { op: "remove", path: `/spec/template/spec/containers/0/command/${argIndex}` },
      true,
    );
    await rollout();
    await waitForSinglePod(notebook);
  }
}

/** Waits until the notebook has exactly one pod, Running (a Recreate rollout has ended). */
function waitForSinglePod(notebook: NotebookConfig): Promise<void> {
  return waitUntil(
    `notebook ${notebook.namespace}/${notebook.name}: one running pod`,
    120_000,
    async () => {
      const pods = await getItems("pods", notebook.namespace, `${NOTEBOOK_LABEL}=${notebook.name}`);
      return pods.length === 1 && pods[0]!.status?.["phase"] === "Running"
        ? undefined
        : `${pods.length} pods`;
    },
    2000,
  );
}
