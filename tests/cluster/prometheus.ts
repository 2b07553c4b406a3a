// A real Prometheus in the local cluster's monitoring namespace, scraping both releases
// the way the Prometheus Operator would from the stack's PodMonitors: each PodMonitor
// endpoint becomes a scrape job whose targets are the pods its selector matches at the
// port it names, with its path and relabelings, so the PodMonitors' selectors, ports, paths
// and release label are what is tested. Live checks: every target is up, series of each
// release carry its release label; a pod outside the monitoring namespace cannot fetch a
// metrics path the monitoring namespace can; with `<release>-allow-metrics` deleted, the
// monitoring namespace cannot either (restored afterwards).
import { PROMETHEUS_DATA_DIR, PROMETHEUS_REF } from "../../cluster/images/prometheus";
import { selectorMatches } from "../../lib/kube/analysis/networkPolicy";
import { containerSecurityContext, podSecurityContext } from "../../lib/kube/objects";
import { restrictedNamespace } from "../../tools/engine/clientNamespaces";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import type { IPodMonitor } from "../../lib/kube/podMonitor";
import { kubectlWithInput } from "../../tools/kubectl/client";
import { serviceHost } from "../../lib/naming/names";
import { metricsEndpoints } from "../../lib/spark/metrics";
import {
  create,
  deleteRun,
  exec,
  newRunId,
  PYSPARK_CLIENT_IMAGE,
  sleeperPod,
  waitForPod,
  withNetworkPolicyDeleted,
} from "./clients";
import { getItems, kubectl, portForward, type KubeObject } from "./support";

type Obj = Record<string, unknown>;

export const PROMETHEUS_NAME = "prometheus";
const PROMETHEUS_PORT = 9090;
const CONFIG_FILE = "prometheus.yml";
/** The image's user, `nobody`. */
const NOBODY = 65534;

/** A pod as discovery sees it: namespace, name, labels, IP and named container ports. */
export interface DiscoveredPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ip: string;
  readonly ports: Readonly<Record<string, number>>;
}

/** The operator's name for the scrape job of a PodMonitor's `index`th endpoint. */
export function scrapeJobName(monitor: IPodMonitor, index: number): string {
  return `podMonitor/${monitor.metadata.namespace}/${monitor.metadata.name}/${index}`;
}

/**
 * Prometheus scrape jobs from PodMonitors, as the operator generates them (the subset the
 * platform's PodMonitors use), with the pod discovery done here: Debian's Prometheus is
 * built without Kubernetes service discovery, so each job lists its targets statically,
 * the running pods of the PodMonitor's namespace whose labels match every selector label,
 * at the container port the endpoint names, labelled with namespace and pod; then the
 * endpoint's path, scheme and relabelings, which Prometheus applies itself.
 */
export function scrapeConfigs(
  podMonitors: readonly IPodMonitor[],
  pods: readonly DiscoveredPod[],
  intervalSeconds = 5,
): Obj[] {
  return podMonitors.flatMap((monitor) =>
    monitor.spec.podMetricsEndpoints.map((endpoint, index) => {
      const selected = pods.filter(
        (pod) =>
          pod.namespace === monitor.metadata.namespace &&
          selectorMatches(monitor.spec.selector, pod.labels) &&
          pod.ports[endpoint.port] !== undefined,
      );
      return {
        job_name: scrapeJobName(monitor, index),
        scrape_interval: `${intervalSeconds}s`,
        metrics_path: endpoint.path,
        scheme: endpoint.scheme ?? "http",
        static_configs: selected.map((pod) => ({
          targets: [`${pod.ip}:${pod.ports[endpoint.port]}`],
          labels: { namespace: pod.namespace, pod: pod.name },
        })),
        relabel_configs: (endpoint.relabelings ?? []).map((r) => ({
          ...(r.sourceLabels ? { source_labels: r.sourceLabels } : {}),
          ...(r.targetLabel ? { target_label: r.targetLabel } : {}),
          ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
          action: r.action ?? "replace",
        })),
      };
    }),
  );
}

/**
 * The monitoring namespace's objects: Pod Security restricted, Prometheus's account (no
 * API access), its config and Deployment.
 */
export function prometheusObjects(
  config: PlatformConfig,
  podMonitors: readonly IPodMonitor[],
  pods: readonly DiscoveredPod[],
): Obj[] {
  const namespace = config.monitoring!.namespace;
  const labels = { "app.kubernetes.io/name": PROMETHEUS_NAME };
  return [
    restrictedNamespace(namespace),
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: PROMETHEUS_NAME, namespace, labels },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: PROMETHEUS_NAME, namespace, labels },
      // JSON is YAML: Prometheus reads it as its prometheus.yml.
      data: {
        [CONFIG_FILE]: JSON.stringify(
          { global: { scrape_interval: "5s" }, scrape_configs: scrapeConfigs(podMonitors, pods) },
          null,
          1,
        ),
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: PROMETHEUS_NAME, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: PROMETHEUS_NAME,
            // Targets are listed in its config: it needs no API access.
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(NOBODY),
            containers: [
              {
                name: PROMETHEUS_NAME,
                image: PROMETHEUS_REF,
                imagePullPolicy: "IfNotPresent",
                args: [
                  `--config.file=/etc/prometheus/${CONFIG_FILE}`,
                  `--storage.tsdb.path=${PROMETHEUS_DATA_DIR}`,
                  "--storage.tsdb.retention.time=2h",
                  `--web.listen-address=:${PROMETHEUS_PORT}`,
                ],
                ports: [{ name: "http", containerPort: PROMETHEUS_PORT }],
                readinessProbe: {
                  httpGet: { path: "/-/ready", port: PROMETHEUS_PORT },
                  periodSeconds: 5,
                },
                resources: {
                  requests: { cpu: "100m", memory: "256Mi" },
                  limits: { memory: "256Mi" },
                },
                securityContext: containerSecurityContext(),
                volumeMounts: [
                  { name: "config", mountPath: "/etc/prometheus", readOnly: true },
                  { name: "data", mountPath: PROMETHEUS_DATA_DIR },
                ],
              },
            ],
            volumes: [
              { name: "config", configMap: { name: PROMETHEUS_NAME } },
              { name: "data", emptyDir: { sizeLimit: "512Mi" } },
            ],
          },
        },
      },
    },
  ];
}

interface Target {
  readonly health: string;
  readonly labels: Record<string, string>;
  readonly scrapePool: string;
  readonly lastError?: string;
}

/** A live pod as discovery sees it. */
function discoveredPod(pod: KubeObject): DiscoveredPod {
  const spec = pod.spec as {
    containers?: { ports?: { name?: string; containerPort: number }[] }[];
  };
  const ports: Record<string, number> = {};
  for (const c of spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name) ports[p.name] = p.containerPort;
  }
  return {
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    labels: (pod.metadata?.labels ?? {}) as Record<string, string>,
    ip: String(pod.status?.["podIP"] ?? ""),
    ports,
  };
}

/**
 * Applies the monitoring namespace and Prometheus, configured from the live PodMonitors
 * and the pods they select now (pods started later are not scraped: run it after the
 * stack is Ready).
 */
export async function startPrometheus(config: PlatformConfig): Promise<IPodMonitor[]> {
  const namespaces = [...new Set(config.releases.map((r) => r.namespace))];
  const podMonitors = (
    await Promise.all(namespaces.map((ns) => getItems("podmonitors", ns)))
  ).flat() as unknown as IPodMonitor[];
  const pods = (await Promise.all(namespaces.map((ns) => getItems("pods", ns))))
    .flat()
    .filter((p) => p.status?.["phase"] === "Running")
    .map(discoveredPod);
  const objects = prometheusObjects(config, podMonitors, pods);
  const applied = await kubectlWithInput(
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
  );
  if (applied.code !== 0) throw new Error(`kubectl apply of Prometheus: ${applied.stderr}`);
  const namespace = config.monitoring!.namespace;
  await kubectl(["rollout", "restart", `deployment/${PROMETHEUS_NAME}`, "-n", namespace]);
  await kubectl([
    "rollout",
    "status",
    `deployment/${PROMETHEUS_NAME}`,
    "-n",
    namespace,
    "--timeout=180s",
  ]);
  return podMonitors;
}

/** GET a Prometheus API path at `baseUrl` (a port-forward); the parsed `data`. */
async function prometheusApi<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== "success") throw new Error(`${path}: ${body.error ?? response.status}`);
  return body.data;
}

export interface ScrapeOutcome {
  readonly targets: readonly Target[];
  /** Series per `release` label value (`count by (release) ({release!=""})`). */
  readonly seriesByRelease: Readonly<Record<string, number>>;
  /** Per release, the value of `releaseFactQuery`. */
  readonly facts: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly complaints: string[];
}

/**
 * Waits (up to `timeoutMs`) until Prometheus has every PodMonitor endpoint's pods as
 * targets and all are up, then counts series per release label.
 */
export async function scrapedSeries(
  config: PlatformConfig,
  podMonitors: readonly IPodMonitor[],
  timeoutMs = 150_000,
): Promise<ScrapeOutcome> {
  const namespace = config.monitoring!.namespace;
  const started = Date.now();
  const pools = podMonitors.flatMap((m) =>
    m.spec.podMetricsEndpoints.map((_, index) => scrapeJobName(m, index)),
  );
  // One port-forward for every request of the check.
  const forward = await portForward(namespace, `deploy/${PROMETHEUS_NAME}`, PROMETHEUS_PORT);
  const query = <T>(promql: string) =>
    prometheusApi<T>(forward.url, `/api/v1/query?query=${encodeURIComponent(promql)}`);
  let targets: Target[] = [];
  const facts: Record<string, number> = {};
  let series: { result: { metric: { release?: string }; value: [number, string] }[] };
  try {
    while (Date.now() - started < timeoutMs) {
      targets = (
        await prometheusApi<{ activeTargets: Target[] }>(
          forward.url,
          "/api/v1/targets?state=active",
        )
      ).activeTargets;
      const everyPool = pools.every((p) => targets.some((t) => t.scrapePool === p));
      if (everyPool && targets.every((t) => t.health === "up")) break;
      await new Promise((r) => setTimeout(r, 5000));
    }
    series = await query('count by (release) ({release!=""})');
    // What each release's own metrics say, read back through its release label.
    for (const release of config.releases.filter((r) => !r.decommissioned)) {
      const result = await query<{ result: { value: [number, string] }[] }>(
        releaseFactQuery(release),
      );
      facts[release.name] = Number(result.result[0]?.value[1] ?? NaN);
    }
  } finally {
    forward.stop();
  }
  const seriesByRelease = Object.fromEntries(
    series.result.map((r) => [r.metric.release ?? "", Number(r.value[1])]),
  );
  return {
    targets,
    seriesByRelease,
    facts,
    seconds: (Date.now() - started) / 1000,
    complaints: [
      ...scrapeComplaints(config, pools, targets, seriesByRelease),
      ...factComplaints(config, facts),
    ],
  };
}

/**
 * A query whose answer the release's configuration predicts: a standalone master's alive
 * workers (`standalone.workers`), a Connect server's executor metrics (at least the
 * driver's own: `count` of its JVM heap series).
 */
export function releaseFactQuery(release: ReleaseConfig): string {
  return release.mode === "standalone"
    ? `sum(metrics_master_aliveWorkers_Value{release="${release.name}"})`
    : `count(metrics_executor_JVMHeapMemory_bytes{release="${release.name}"})`;
}

/** Facts that differ from what the configuration predicts. */
export function factComplaints(
  config: PlatformConfig,
  facts: Readonly<Record<string, number>>,
): string[] {
  return config.releases
    .filter((r) => !r.decommissioned)
    .flatMap((release) => {
      const value = facts[release.name];
      if (release.mode === "standalone") {
        const workers = release.standalone!.workers;
        return value === workers
          ? []
          : [`${release.name}: its master's metrics report ${value} alive workers, not ${workers}`];
      }
      return value !== undefined && value >= 1
        ? []
        : [`${release.name}: no executor metrics through its Connect server (${value})`];
    });
}

/** What is wrong with a scrape: a pool without targets, a target down, a release without series. */
export function scrapeComplaints(
  config: PlatformConfig,
  pools: readonly string[],
  targets: readonly Target[],
  seriesByRelease: Readonly<Record<string, number>>,
): string[] {
  const out: string[] = [];
  for (const pool of pools) {
    if (!targets.some((t) => t.scrapePool === pool)) out.push(`${pool}: no target discovered`);
  }
  for (const t of targets.filter((t) => t.health !== "up")) {
    out.push(`${t.scrapePool} ${t.labels["pod"] ?? ""}: ${t.health} (${t.lastError ?? ""})`);
  }
  for (const release of config.releases.filter((r) => !r.decommissioned)) {
    if (!(seriesByRelease[release.name]! > 0)) out.push(`no series with release="${release.name}"`);
  }
  return out;
}

/** The metrics URL of each release's front workload (master or Connect server), at its Service. */
export function frontMetricsUrls(config: PlatformConfig): Record<string, string> {
  return Object.fromEntries(
    config.releases
      .filter((r) => !r.decommissioned)
      .map((release) => {
        const front = metricsEndpoints(release)[0]!;
        const service = release.names[front.component as "master" | "connect"];
        return [
          release.name,
          `http://${serviceHost(service, release.namespace)}:${front.port}${front.paths[0]}`,
        ];
      }),
  );
}

const FETCH = [
  "import json, sys, urllib.request",
  "out = {}",
  "for url in sys.argv[1:]:",
  "    try:",
  "        with urllib.request.urlopen(url, timeout=8) as r:",
  "            out[url] = r.status",
  "    except Exception as e:",
  "        out[url] = type(e).__name__",
  "print('IT-FETCH ' + json.dumps(out))",
].join("\n");

/** HTTP status, or the error's type, of a GET of each URL from inside a pod. */
async function fetchFrom(
  namespace: string,
  pod: string,
  urls: readonly string[],
): Promise<Record<string, number | string>> {
  const out = await exec(namespace, pod, "client", ["python3", "-c", FETCH, ...urls]);
  const line = out.split("\n").find((l) => l.startsWith("IT-FETCH "));
  if (!line) throw new Error(`no IT-FETCH line from ${namespace}/${pod}: ${out.slice(-300)}`);
  return JSON.parse(line.slice("IT-FETCH ".length)) as Record<string, number | string>;
}

export interface MetricsAccessOutcome {
  readonly fromMonitoring: Record<string, number | string>;
  readonly fromOutside: Record<string, number | string>;
  /** From the monitoring namespace with `<release>-allow-metrics` deleted (the control). */
  readonly withoutPolicy: Record<string, number | string>;
  readonly controlRelease: string;
  readonly complaints: string[];
}

/**
 * The same GET of each release's metrics path from an unlabelled pod in the monitoring
 * namespace (must answer 200) and from one in `outsideNamespace` (must fail); then, with the
 * first release's `allow-metrics` policy deleted, from the monitoring namespace again (must
 * fail for that release: the policy is what admits). The policy is re-created as it was.
 */
export async function metricsAccessControl(
  config: PlatformConfig,
  outsideNamespace = "default",
): Promise<MetricsAccessOutcome> {
  const monitoring = config.monitoring!.namespace;
  const runId = newRunId();
  const urls = frontMetricsUrls(config);
  const inside = sleeperPod(
    `it-scraper-${runId}`,
    monitoring,
    runId,
    PYSPARK_CLIENT_IMAGE,
    undefined,
  );
  const outside = sleeperPod(
    `it-outsider-${runId}`,
    outsideNamespace,
    runId,
    PYSPARK_CLIENT_IMAGE,
    undefined,
  );
  const control = config.releases.find((r) => !r.decommissioned)!;
  const policyName = control.names.networkPolicy("allow-metrics");
  try {
    await create(inside);
    await create(outside);
    await waitForPod(monitoring, inside.metadata.name, "ready", 120_000);
    await waitForPod(outsideNamespace, outside.metadata.name, "ready", 120_000);
    const fromMonitoring = await fetchFrom(monitoring, inside.metadata.name, Object.values(urls));
    const fromOutside = await fetchFrom(
      outsideNamespace,
      outside.metadata.name,
      Object.values(urls),
    );
    let withoutPolicy: Record<string, number | string> = {};
    await withNetworkPolicyDeleted(control.namespace, policyName, async () => {
      // kube-router applies a policy change within seconds; give it a few tries.
      for (let attempt = 0; attempt < 5; attempt++) {
        withoutPolicy = await fetchFrom(monitoring, inside.metadata.name, [urls[control.name]!]);
        if (withoutPolicy[urls[control.name]!] !== 200) break;
        await new Promise((r) => setTimeout(r, 3000));
      }
    });
    const complaints: string[] = [];
    for (const [release, url] of Object.entries(urls)) {
      if (fromMonitoring[url] !== 200)
        complaints.push(`${release}: ${url} from ${monitoring}: ${fromMonitoring[url]}, not 200`);
      if (fromOutside[url] === 200)
        complaints.push(
          `${release}: ${url} from ${outsideNamespace}: 200, the metrics port is open beyond ${monitoring}`,
        );
    }
    const controlUrl = urls[control.name]!;
    if (withoutPolicy[controlUrl] === 200) {
      complaints.push(
        `${control.name}: ${controlUrl} still answers 200 from ${monitoring} without ${policyName}: something else admits it`,
      );
    }
    return { fromMonitoring, fromOutside, withoutPolicy, controlRelease: control.name, complaints };
  } finally {
    await deleteRun(runId, [monitoring, outsideNamespace]);
  }
}

/** Removes Prometheus (its namespace stays, like the teams' client namespaces). */
export async function stopPrometheus(config: PlatformConfig): Promise<void> {
  await kubectl(
    [
      "delete",
      "deployment,configmap,serviceaccount",
      "-n",
      config.monitoring!.namespace,
      "-l",
      `app.kubernetes.io/name=${PROMETHEUS_NAME}`,
      "--ignore-not-found",
      "--wait=false",
    ],
    true,
  );
}
