// The plaintext check of team isolation: while each release runs a job whose rows carry a
// fresh marker (it_job.py `marker`), a packet capture in every node's network namespace
// (capture/sniff.py: every frame on the CNI bridge, the pods' veths and the links between
// nodes) must not find the marker, and must have seen the connections it is about: the
// client pod with the release's front (master and workers, or the Connect server) and,
// for Connect, the server with its executors. The control turns RPC encryption off on the
// live release (spark-defaults of the 3.5 daemons, the Connect server's Secret-held
// spark-defaults; the 3.5 driver with `--conf`), restarts the pods reading them, runs the
// same jobs with new markers, and the capture must find each marker; then everything is
// put back as it was (rpcEncryptionSwitch.ts). The Connect client's own traffic stays TLS
// in both phases.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { layout } from "../../cluster/clusterLayout";
import { recordedNodeCount } from "../../cluster/nodeCount";
import { clusterNodes } from "../../cluster/node/clusterNode";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import { CLIENT_PLACEMENT, getObject, type NamespaceOf } from "./clients";
import {
  connectJobPod,
  prepareClientSide,
  releaseView,
  runJobPod,
  standaloneJobPod,
  withJobRun,
  type ClientSide,
  type JobRun,
} from "./jobs";
import { PLAIN_DRIVER_CONF, withRpcEncryptionOff } from "./rpcEncryptionSwitch";
import { getItems, waitUntil } from "./support";

const SNIFFER = join(__dirname, "capture", "sniff.py");
const JOB_MS = 10 * 60_000;

/** What the capture of one node, or of all of them summed, saw. */
export interface CaptureResult {
  readonly frames: number;
  readonly bytes: number;
  /** Frames the kernel dropped before the sniffer read them: a hit could be among them. */
  readonly drops: number;
  /** Frames containing each marker. */
  readonly markers: Readonly<Record<string, number>>;
  /** Per marker, the frames containing it per `src:port>dst:port` (or `other`). */
  readonly markerFlows: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** TCP payload bytes per `src:port>dst:port`. */
  readonly flows: Readonly<Record<string, number>>;
}

/** The `CAPTURE {json}` line sniff.py prints when it stops. */
export function parseCapture(stdout: string): CaptureResult {
  const line = stdout.split("\n").find((l) => l.startsWith("CAPTURE {"));
  if (!line) throw new Error(`the capture printed no result: ${stdout.slice(-300)}`);
  const parsed = JSON.parse(line.slice("CAPTURE ".length)) as CaptureResult;
  return {
    frames: parsed.frames,
    bytes: parsed.bytes,
    drops: parsed.drops,
    markers: parsed.markers,
    markerFlows: parsed.markerFlows,
    flows: parsed.flows,
  };
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Several nodes' captures as one. */
export function sumCaptures(captures: readonly CaptureResult[]): CaptureResult {
  const markers: Record<string, number> = {};
  const markerFlows: Record<string, Record<string, number>> = {};
  const flows: Record<string, number> = {};
  for (const c of captures) {
    addInto(markers, c.markers);
    addInto(flows, c.flows);
    for (const [marker, perFlow] of Object.entries(c.markerFlows)) {
      addInto((markerFlows[marker] ??= {}), perFlow);
    }
  }
  return {
    frames: captures.reduce((n, c) => n + c.frames, 0),
    bytes: captures.reduce((n, c) => n + c.bytes, 0),
    drops: captures.reduce((n, c) => n + c.drops, 0),
    markers,
    markerFlows,
    flows,
  };
}

const FLOW = /^([\d.]+):\d+>([\d.]+):\d+$/;

/** Whether a `src:port>dst:port` flow runs between an address of `a` and one of `b`. */
export function flowBetween(flow: string, a: readonly string[], b: readonly string[]): boolean {
  const m = FLOW.exec(flow);
  if (!m) return false;
  const [src, dst] = [m[1]!, m[2]!];
  return (a.includes(src) && b.includes(dst)) || (b.includes(src) && a.includes(dst));
}

/** The sum of `counts` over the flows between `a` and `b`, both ways. */
export function countBetween(
  counts: Readonly<Record<string, number>>,
  a: readonly string[],
  b: readonly string[],
): number {
  return Object.entries(counts)
    .filter(([flow]) => flowBetween(flow, a, b))
    .reduce((n, [, count]) => n + count, 0);
}

/** A connection the check is about: what the capture saw on it, and the marker in it. */
export interface CapturedPath {
  readonly name: string;
  /** TCP payload bytes: none means the capture proves nothing about this path. */
  readonly bytes: number;
  /** Frames on it that carried the marker. */
  readonly markerFrames: number;
  readonly a: readonly string[];
  readonly b: readonly string[];
}

/** The path between two sets of pod addresses, as the capture saw it. */
export function capturedPath(
  capture: CaptureResult,
  marker: string,
  name: string,
  a: readonly string[],
  b: readonly string[],
): CapturedPath {
  return {
    name,
    bytes: countBetween(capture.flows, a, b),
    markerFrames: countBetween(capture.markerFlows[marker] ?? {}, a, b),
    a,
    b,
  };
}

/** Where else the marker went (flows on none of the paths), most frames first. */
export function markerElsewhere(
  capture: CaptureResult,
  marker: string,
  paths: readonly CapturedPath[],
): string[] {
  return Object.entries(capture.markerFlows[marker] ?? {})
    .filter(([flow]) => !paths.some((p) => flowBetween(flow, p.a, p.b)))
    .sort((x, y) => y[1] - x[1])
    .map(([flow, frames]) => `${flow} (${frames})`);
}

/** Why a phase's capture does not show what it should; empty when it does. */
export function plaintextComplaints(
  release: string,
  phase: "encrypted" | "plain",
  capture: CaptureResult,
  paths: readonly CapturedPath[],
): string[] {
  const complaints: string[] = [];
  for (const path of paths) {
    if (path.bytes === 0) {
      complaints.push(`${release} (${phase}): the capture saw no bytes ${path.name}`);
    }
  }
  if (phase === "encrypted") {
    for (const path of paths.filter((p) => p.markerFrames > 0)) {
      complaints.push(
        `${release}: its job's marker crossed ${path.name} in plain text (${path.markerFrames} frames)`,
      );
    }
    if (capture.drops > 0) {
      complaints.push(
        `${release}: the capture dropped ${capture.drops} frames, so a plain-text one could be among them`,
      );
    }
  } else if (paths.every((p) => p.markerFrames === 0)) {
    complaints.push(
      `${release} with RPC encryption off: its job's marker showed on none of its paths, so the capture would miss plain text`,
    );
  }
  return complaints;
}

/** A fresh marker: random, so no other traffic can carry it. */
export function newMarker(release: string): string {
  return `itmark${release.replace(/\D/g, "")}${randomBytes(12).toString("hex")}`;
}

/** Starts sniff.py in every node's netns; the returned function stops them and sums. */
async function startCapture(markers: readonly string[]): Promise<() => Promise<CaptureResult>> {
  const nodes = clusterNodes(recordedNodeCount(layout()) ?? 1);
  const sniffers = nodes.map((node) => {
    const child = spawn(
      "ip",
      [
        "netns",
        "exec",
        node.netns,
        "python3",
        SNIFFER,
        "--seconds",
        "1800",
        ...markers.flatMap((m) => ["--marker", m]),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
    return { node, child, closed, out: () => stdout, err: () => stderr };
  });
  await waitUntil(
    "packet captures ready",
    30_000,
    async () => {
      const waiting = sniffers.filter((s) => !s.out().includes("CAPTURE-READY"));
      const dead = sniffers.filter((s) => s.child.exitCode !== null);
      if (dead.length) {
        throw new Error(`capture on ${dead[0]!.node.netns} exited: ${dead[0]!.err()}`);
      }
      return waiting.length ? `waiting for ${waiting.map((s) => s.node.netns)}` : undefined;
    },
    200,
  );
  return async () => {
    for (const s of sniffers) s.child.kill("SIGTERM");
    await Promise.all(sniffers.map((s) => s.closed));
    return sumCaptures(sniffers.map((s) => parseCapture(s.out())));
  };
}

/** Pod IPs of a release, by component (master, worker, connect, executor, ...). */
async function releaseIps(namespace: string, release: string): Promise<Record<string, string[]>> {
  const ips: Record<string, string[]> = {};
  for (const pod of await getItems("pods", namespace, `${RELEASE_LABEL}=${release}`)) {
    const component = pod.metadata.labels?.["app.kubernetes.io/component"] ?? "";
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
    if (ip) (ips[component] ??= []).push(ip);
  }
  return ips;
}

async function podIp(namespace: string, name: string): Promise<string> {
  const pod = await getObject("pod", namespace, name);
  return String((pod.status as { podIP?: string } | undefined)?.podIP ?? "");
}

/** One phase's outcome for one release. */
export interface PlaintextRun {
  readonly release: "spark-35" | "spark-41";
  readonly phase: "encrypted" | "plain";
  readonly marker: string;
  readonly job: JobRun;
  /** Frames with the marker anywhere (the paths, and what else the job talks to). */
  readonly hits: number;
  readonly paths: readonly CapturedPath[];
  /** Flows off the paths that carried the marker (the event log's way to the object store). */
  readonly elsewhere: readonly string[];
  readonly complaints: readonly string[];
}

/** What a phase's jobs need: the run, its scripts, and the 3.5 driver's client side. */
interface PhaseContext {
  readonly namespaceOf: NamespaceOf;
  readonly runId: string;
  readonly scripts: string;
  readonly client35: ClientSide;
}

/** Both releases' marker jobs at once under one capture. */
async function capturedPhase(
  phase: "encrypted" | "plain",
  { namespaceOf, runId, scripts, client35 }: PhaseContext,
): Promise<PlaintextRun[]> {
  const markers = { "spark-35": newMarker("spark-35"), "spark-41": newMarker("spark-41") };
  const view35 = await releaseView("spark-35", namespaceOf["spark-35"]);
  const view41 = await releaseView("spark-41", namespaceOf["spark-41"]);
  const stop = await startCapture(Object.values(markers));
  let capture: CaptureResult;
  let jobs: [JobRun, JobRun];
  try {
    jobs = await Promise.all([
      runJobPod(
        standaloneJobPod(view35, client35, runId, scripts, {
          action: "marker",
          marker: markers["spark-35"],
          name: `marker-${phase}-spark-35`,
          ...(phase === "plain" ? { conf: PLAIN_DRIVER_CONF } : {}),
        }).pod,
        "spark-35",
        JOB_MS,
      ),
      runJobPod(
        connectJobPod(view41, CLIENT_PLACEMENT, runId, scripts, {
          action: "marker",
          marker: markers["spark-41"],
          name: `marker-${phase}-spark-41`,
        }),
        "spark-41",
        JOB_MS,
      ),
    ]);
  } finally {
    capture = await stop();
  }
  const [job35, job41] = jobs;
  const ips35 = await releaseIps(namespaceOf["spark-35"], "spark-35");
  const ips41 = await releaseIps(namespaceOf["spark-41"], "spark-41");
  const client35Ip = [await podIp(job35.namespace, job35.pod)];
  const client41Ip = [await podIp(job41.namespace, job41.pod)];
  const ip = (ips: Record<string, string[]>, component: string) => ips[component] ?? [];
  const paths35 = [
    capturedPath(
      capture,
      markers["spark-35"],
      "between the 3.5 client pod and the master",
      client35Ip,
      ip(ips35, "master"),
    ),
    capturedPath(
      capture,
      markers["spark-35"],
      "between the 3.5 client pod and the workers (its executors)",
      client35Ip,
      ip(ips35, "worker"),
    ),
  ];
  const paths41 = [
    capturedPath(
      capture,
      markers["spark-41"],
      "between the 4.1 client pod and the Connect server",
      client41Ip,
      ip(ips41, "connect"),
    ),
    capturedPath(
      capture,
      markers["spark-41"],
      "between the Connect server and its executors",
      ip(ips41, "connect"),
      ip(ips41, "executor"),
    ),
  ];
  const result = (
    release: "spark-35" | "spark-41",
    job: JobRun,
    paths: readonly CapturedPath[],
  ): PlaintextRun => {
    const marker = markers[release];
    const complaints = [
      ...(job.phase === "Succeeded" && (job.result?.markerRows ?? 0) > 0
        ? []
        : [`${release} (${phase}): the marker job ${job.phase}: ${job.errorLine ?? job.logTail}`]),
      ...plaintextComplaints(release, phase, capture, paths),
    ];
    return {
      release,
      phase,
      marker,
      job,
      hits: capture.markers[marker] ?? 0,
      paths,
      elsewhere: markerElsewhere(capture, marker, paths),
      complaints,
    };
  };
  return [result("spark-35", job35, paths35), result("spark-41", job41, paths41)];
}

export interface PlaintextCheck {
  readonly runs: readonly PlaintextRun[];
  readonly complaints: readonly string[];
}

/**
 * The check on the live stack: the encrypted phase, then (with `control`) the plain one
 * and the restore. Creates and deletes only its own `it-*` objects; leaves every
 * spark-defaults as it found it.
 */
export async function plaintextCaptureCheck(
  namespaceOf: NamespaceOf,
  control: boolean,
  log: (line: string) => void = () => {},
): Promise<PlaintextCheck> {
  const runs: PlaintextRun[] = [];
  await withJobRun(async ({ runId, scripts }) => {
    const client35 = await prepareClientSide(
      await releaseView("spark-35", namespaceOf["spark-35"]),
      runId,
    );
    const context = { namespaceOf, runId, scripts, client35 };
    runs.push(...(await capturedPhase("encrypted", context)));
    if (control) {
      await withRpcEncryptionOff(namespaceOf, log, async () => {
        runs.push(...(await capturedPhase("plain", context)));
      });
    }
  });
  return { runs, complaints: runs.flatMap((r) => r.complaints) };
}
