import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { parseSparkProperties, RELEASE_LABEL, type KubeManifest } from "../../lib/kube/objects";
import { executorPodNamePattern } from "../../lib/naming/names";
import { cpuToMillicores, memoryToMiB, sizeToMiB } from "../../lib/units/sizes";

/** CPU and memory of one pod or a sum of pods. */
export interface Footprint {
  readonly cpuRequestMilli: number;
  /** Sum of the CPU limits that are set. */
  readonly cpuLimitMilli: number;
  /** True when some container has no CPU limit (it may use any idle CPU of its node). */
  readonly cpuLimitUnbounded: boolean;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
  readonly memoryLimitUnbounded: boolean;
}

/** One line of the report: a Deployment, a release's executors or a Job. */
export interface FootprintLine {
  readonly kind: "Deployment" | "Executors" | "Job";
  readonly name: string;
  /** Replicas (Deployments), executor pods at most (Connect), parallelism (Jobs). */
  readonly pods: number;
  readonly perPod: Footprint;
  readonly total: Footprint;
  /** How the executor count and size were derived, for the reader. */
  readonly note?: string;
}

export interface ReleaseFootprint {
  readonly release: string;
  /** Long-running pods: Deployments and, for Connect, executors at their maximum. */
  readonly steady: readonly FootprintLine[];
  /** Pods that run to completion (schema init, benchmark): listed apart, not summed in. */
  readonly transient: readonly FootprintLine[];
  readonly steadyTotal: Footprint;
  readonly transientTotal: Footprint;
}

export interface StackFootprint {
  readonly releases: readonly ReleaseFootprint[];
  /** Sum of every release's steady footprint: what the cluster must hold at once. */
  readonly steadyTotal: Footprint;
  /** Sum of every transient pod, as if all ran at once (an upper bound). */
  readonly transientTotal: Footprint;
}

export const ZERO: Footprint = {
  cpuRequestMilli: 0,
  cpuLimitMilli: 0,
  cpuLimitUnbounded: false,
  memoryRequestMiB: 0,
  memoryLimitMiB: 0,
  memoryLimitUnbounded: false,
};

export function addFootprints(a: Footprint, b: Footprint): Footprint {
  return {
    cpuRequestMilli: a.cpuRequestMilli + b.cpuRequestMilli,
    cpuLimitMilli: a.cpuLimitMilli + b.cpuLimitMilli,
    cpuLimitUnbounded: a.cpuLimitUnbounded || b.cpuLimitUnbounded,
    memoryRequestMiB: a.memoryRequestMiB + b.memoryRequestMiB,
    memoryLimitMiB: a.memoryLimitMiB + b.memoryLimitMiB,
    memoryLimitUnbounded: a.memoryLimitUnbounded || b.memoryLimitUnbounded,
  };
}

export function scaleFootprint(f: Footprint, times: number): Footprint {
  return {
    ...f,
    cpuRequestMilli: f.cpuRequestMilli * times,
    cpuLimitMilli: f.cpuLimitMilli * times,
    memoryRequestMiB: f.memoryRequestMiB * times,
    memoryLimitMiB: f.memoryLimitMiB * times,
  };
}

const sum = (items: readonly Footprint[]) => items.reduce(addFootprints, ZERO);

/**
 * What the scheduler reserves for one container. Kubernetes defaults a missing request to
 * the limit; a missing limit means unbounded.
 */
export function containerFootprint(container: IContainer): Footprint {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuLimit = limits["cpu"];
  const memoryLimit = limits["memory"];
  const cpuRequest = requests["cpu"] ?? cpuLimit;
  const memoryRequest = requests["memory"] ?? memoryLimit;
  return {
    cpuRequestMilli: cpuRequest === undefined ? 0 : cpuToMillicores(cpuRequest),
    cpuLimitMilli: cpuLimit === undefined ? 0 : cpuToMillicores(cpuLimit),
    cpuLimitUnbounded: cpuLimit === undefined,
    memoryRequestMiB: memoryRequest === undefined ? 0 : memoryToMiB(memoryRequest),
    memoryLimitMiB: memoryLimit === undefined ? 0 : memoryToMiB(memoryLimit),
    memoryLimitUnbounded: memoryLimit === undefined,
  };
}

/** Footprint of a pod: its containers together (init containers run before, never alongside). */
export function podFootprint(spec: IPodSpec): Footprint {
  return sum(spec.containers.map(containerFootprint));
}

/** JVM size ("4g", "512m", "512" = MiB as Spark reads memory settings without a unit). */
function sparkSizeMiB(value: string, key: string): number {
  if (/^[0-9]+$/.test(value)) return Number(value);
  try {
    return sizeToMiB(value);
  } catch {
    throw new Error(`spark-defaults ${key}: not a size Spark reads: ${value}`);
  }
}

/**
 * Executor pods of a Connect release as Spark itself sizes them
 * (`BasicExecutorFeatureStep`): memory request = limit = spark.executor.memory plus
 * spark.executor.memoryOverhead (default max(spark.executor.minMemoryOverhead = 384 MiB,
 * factor × memory), factor 0.1) plus
 * spark.executor.pyspark.memory; CPU request spark.kubernetes.executor.request.cores
 * (else spark.executor.cores), CPU limit only when spark.kubernetes.executor.limit.cores is set.
 */
export function executorFootprint(properties: Readonly<Record<string, string>>): {
  pods: number;
  perPod: Footprint;
  note: string;
} {
  const memory = sparkSizeMiB(properties["spark.executor.memory"] ?? "1g", "spark.executor.memory");
  const factor = Number(
    properties["spark.executor.memoryOverheadFactor"] ??
      properties["spark.kubernetes.memoryOverheadFactor"] ??
      "0.1",
  );
  const overheadSetting = properties["spark.executor.memoryOverhead"];
  const overhead =
    overheadSetting !== undefined
      ? sparkSizeMiB(overheadSetting, "spark.executor.memoryOverhead")
      : Math.max(
          sparkSizeMiB(
            properties["spark.executor.minMemoryOverhead"] ?? "384m",
            "spark.executor.minMemoryOverhead",
          ),
          Math.floor(memory * factor),
        );
  const pyspark = properties["spark.executor.pyspark.memory"];
  const pysparkMiB = pyspark ? sparkSizeMiB(pyspark, "spark.executor.pyspark.memory") : 0;
  const memoryMiB = memory + overhead + pysparkMiB;

  const cpuRequest =
    properties["spark.kubernetes.executor.request.cores"] ??
    properties["spark.executor.cores"] ??
    "1";
  const cpuLimit = properties["spark.kubernetes.executor.limit.cores"];

  const dynamic = properties["spark.dynamicAllocation.enabled"] === "true";
  let pods: number;
  let note: string;
  if (dynamic) {
    const max = properties["spark.dynamicAllocation.maxExecutors"];
    if (max === undefined) {
      throw new Error(
        "spark-defaults: spark.dynamicAllocation.enabled without spark.dynamicAllocation.maxExecutors has no upper bound",
      );
    }
    pods = Number(max);
    note = `dynamic allocation, at most ${pods} executors`;
  } else {
    pods = Number(properties["spark.executor.instances"] ?? "2");
    note = `${pods} executor instances`;
  }
  note += ` × (${memory} MiB heap + ${overhead} MiB overhead${pysparkMiB ? ` + ${pysparkMiB} MiB pyspark` : ""})`;
  return {
    pods,
    perPod: {
      cpuRequestMilli: cpuToMillicores(cpuRequest),
      cpuLimitMilli: cpuLimit === undefined ? 0 : cpuToMillicores(cpuLimit),
      cpuLimitUnbounded: cpuLimit === undefined,
      memoryRequestMiB: memoryMiB,
      memoryLimitMiB: memoryMiB,
      memoryLimitUnbounded: false,
    },
    note,
  };
}

interface Workload extends KubeManifest {
  spec?: {
    replicas?: number;
    parallelism?: number;
    template?: { spec?: IPodSpec };
  };
}

const releaseOf = (m: KubeManifest) => m.metadata?.labels?.[RELEASE_LABEL];

function line(
  kind: FootprintLine["kind"],
  name: string,
  pods: number,
  perPod: Footprint,
  note?: string,
): FootprintLine {
  return {
    kind,
    name,
    pods,
    perPod,
    total: scaleFootprint(perPod, pods),
    ...(note ? { note } : {}),
  };
}

function releaseFootprint(
  release: ReleaseConfig,
  manifests: readonly KubeManifest[],
): ReleaseFootprint {
  const own = manifests.filter((m) => releaseOf(m) === release.name);
  const steady: FootprintLine[] = [];
  const transient: FootprintLine[] = [];
  for (const manifest of own as Workload[]) {
    const spec = manifest.spec?.template?.spec;
    if (!spec) continue;
    const name = manifest.metadata?.name ?? "<unnamed>";
    if (manifest.kind === "Deployment" || manifest.kind === "StatefulSet") {
      steady.push(line("Deployment", name, manifest.spec?.replicas ?? 1, podFootprint(spec)));
    } else if (manifest.kind === "Job") {
      transient.push(line("Job", name, manifest.spec?.parallelism ?? 1, podFootprint(spec)));
    }
  }
  if (release.mode === "connect") {
    const defaults = own.find(
      (m) => m.kind === "ConfigMap" && m.metadata?.name === release.names.sparkDefaults,
    ) as (KubeManifest & { data?: Record<string, string> }) | undefined;
    const text = defaults?.data?.["spark-defaults.conf"];
    if (text !== undefined) {
      const executors = executorFootprint(parseSparkProperties(text));
      steady.push(
        line(
          "Executors",
          executorPodNamePattern(release.name),
          executors.pods,
          executors.perPod,
          executors.note,
        ),
      );
    }
  }
  return {
    release: release.name,
    steady,
    transient,
    steadyTotal: sum(steady.map((l) => l.total)),
    transientTotal: sum(transient.map((l) => l.total)),
  };
}

/**
 * Resources the rendered stack asks for, per release and in total. Executors of Connect
 * releases count at their maximum (instances, or dynamic allocation's maxExecutors), sized
 * from the release's rendered spark-defaults as Spark sizes them. Standalone executors run
 * inside the worker containers and are already in the workers' limits.
 */
export function stackFootprint(
  config: PlatformConfig,
  manifests: readonly KubeManifest[],
): StackFootprint {
  const releases = config.releases
    .filter((r) => !r.decommissioned)
    .map((r) => releaseFootprint(r, manifests));
  return {
    releases,
    steadyTotal: sum(releases.map((r) => r.steadyTotal)),
    transientTotal: sum(releases.map((r) => r.transientTotal)),
  };
}

/** Whether requests fit a cluster of this size (what the scheduler checks). */
export function fitsCapacity(
  footprint: Footprint,
  capacity: { cpuMilli: number; memoryMiB: number },
): boolean {
  return (
    footprint.cpuRequestMilli <= capacity.cpuMilli &&
    footprint.memoryRequestMiB <= capacity.memoryMiB
  );
}

const cpu = (milli: number) => `${(milli / 1000).toFixed(milli % 1000 === 0 ? 0 : 2)}`;
const mem = (miB: number) =>
  miB >= 1024 ? `${(miB / 1024).toFixed(2)}Gi` : `${Math.round(miB)}Mi`;

function columns(f: Footprint): string[] {
  return [
    cpu(f.cpuRequestMilli),
    f.cpuLimitUnbounded
      ? `${f.cpuLimitMilli ? cpu(f.cpuLimitMilli) + "+" : "none"}`
      : cpu(f.cpuLimitMilli),
    mem(f.memoryRequestMiB),
    f.memoryLimitUnbounded ? "none" : mem(f.memoryLimitMiB),
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "),
    )
    .join("\n");
}

/**
 * Plain-text report. A CPU limit shown as `X+` means some containers have none (Spark
 * executors without spark.kubernetes.executor.limit.cores): they may burst above X.
 */
export function formatFootprint(stack: string, footprint: StackFootprint): string {
  const header = ["release / object", "pods", "cpu req", "cpu lim", "mem req", "mem lim"];
  const out: string[] = [
    `Footprint of stack ${stack} (requests and limits; executors at their maximum)`,
    "",
  ];
  const rows: string[][] = [header];
  const notes: string[] = [];
  for (const release of footprint.releases) {
    for (const l of release.steady) {
      rows.push([`${release.release}  ${l.kind} ${l.name}`, String(l.pods), ...columns(l.total)]);
      if (l.note) notes.push(`${release.release} ${l.name}: ${l.note}`);
    }
    rows.push([`${release.release}  total`, "", ...columns(release.steadyTotal)]);
  }
  rows.push(["ALL RELEASES (steady)", "", ...columns(footprint.steadyTotal)]);
  out.push(table(rows), "");
  const jobRows: string[][] = [header];
  for (const release of footprint.releases) {
    for (const l of release.transient) {
      jobRows.push([
        `${release.release}  ${l.kind} ${l.name}`,
        String(l.pods),
        ...columns(l.total),
      ]);
    }
  }
  if (jobRows.length > 1) {
    jobRows.push(["ALL JOBS (if all ran at once)", "", ...columns(footprint.transientTotal)]);
    out.push("Transient Jobs (run to completion; not in the steady total):", table(jobRows), "");
  }
  if (notes.length > 0) out.push("Executors:", ...notes.map((n) => `  ${n}`), "");
  return out.join("\n");
}
