// Command-line parsing for `npm run cluster -- <command> [options]` (pure).
import { KUBERNETES_VERSION } from "../clusterVersions";
import { MAX_NODES } from "../node/clusterNode";

export type Command =
  | "up"
  | "down"
  | "status"
  | "kubeconfig"
  | "env"
  | "build"
  | "volumes"
  | "restart-service";

/** Shared services `restart-service` may restart. */
export const RESTARTABLE_SERVICES = ["postgresql", "minio"] as const;
export type RestartableService = (typeof RESTARTABLE_SERVICES)[number];

export interface Parsed {
  command: Command | "help";
  /** Command whose help was asked for (`up --help`); undefined = general help. */
  helpFor?: Command;
  /** `build <part>...` */
  parts: string[];
  /** `down --purge`: also delete etcd, PKI, PostgreSQL/MinIO data, images and volumes. */
  purge: boolean;
  /** `down --forget-objects`: also delete etcd and volumes, keeping images and the rest. */
  forgetObjects: boolean;
  /** `status --json` */
  json: boolean;
  /** `up --restart`: stop a healthy running cluster and start it again (state kept). */
  restart: boolean;
  /** `up --no-stand-ins`: skip building/importing the platform's stand-in images. */
  noStandIns: boolean;
  /** `up --nodes <n>`; undefined: as many as the last `up`. */
  nodes?: number;
  /** `restart-service <name>` */
  service?: RestartableService;
}

export const HELP: Record<Command | "general", string> = {
  general: `usage: npm run cluster -- <command> [options]

A local Kubernetes ${KUBERNETES_VERSION} cluster of one node (network namespace spark-node) or
more (spark-node-2, ...), with PostgreSQL, MinIO and a Maven mirror on 10.201.0.1 (see
docs/local-cluster.md).

commands:
  up               build what is missing, clear leftovers, start everything, wait for Ready + DNS
  down             stop everything up started, keep the cluster's state (--purge: wipe it too;
                   --forget-objects: only its objects and volumes)
  status           state of each part, per node
  kubeconfig       print the admin kubeconfig path (use with npm run --silent)
  env              print shell exports for the engine (eval "$(npm run --silent cluster -- env)")
  build            build the binaries into the cache (all parts, or the named ones)
  volumes          StorageClass spark-platform-local and its volumes; Released ones made Available
  restart-service  restart PostgreSQL or MinIO (data kept) and print how long it took

Run "npm run cluster -- <command> --help" for a command's options.`,
  up: `usage: npm run cluster -- up [--nodes <n>] [--restart] [--no-stand-ins]

Builds missing binaries, clears leftovers of an earlier run (processes recorded by PID,
kubelet mounts, netns, veths, CNI bridges, iptables chains, containerd's runtime state),
creates each node's netns and veths, certificates, starts etcd, the control plane, per node
containerd, kubelet, kube-proxy, kube-router (NetworkPolicy), then CoreDNS, PostgreSQL,
MinIO and the Maven mirror, and waits until every node is Ready and DNS answers from a pod
on each. The cluster's state (etcd, certificates, images, volumes) is kept by down, so up
brings the same cluster back. Then the storage (StorageClass spark-platform-local, volumes
on every node), the stand-in images on every node and the jar mirror. Prints phase timings.
If everything is already up and healthy it says so and changes nothing; with a different
--nodes on a healthy cluster it joins or removes only the nodes that differ.

  --nodes <n>     nodes (1-${MAX_NODES}; default: as many as the last up, 1 on a fresh state)
  --restart       stop a healthy cluster first and start it again (state kept)
  --no-stand-ins  skip the platform's stand-in images of cluster/images (Spark, Hive, ...);
                  pause, coredns and the probe image are always imported`,
  down: `usage: npm run cluster -- down [--purge | --forget-objects]

Stops every process up started (by recorded PID), removes kubelet mounts, the netns, veths,
CNI bridges, iptables chains, kubelet cgroups and containerd's runtime state of every node.
Keeps the cluster's state: etcd (every object), certificates, images, volume directories,
PostgreSQL and MinIO data.

  --purge           also delete etcd, certificates, PostgreSQL and MinIO data, imported
                    images and volume directories
  --forget-objects  also delete etcd (every object) and volume directories, keeping
                    certificates, images and PostgreSQL and MinIO data: the next up starts
                    an empty cluster without importing images again (what CI does)`,
  status: `usage: npm run cluster -- status [--json]

Prints the state of each part (process alive, answering), a later node's parts prefixed
with its name. Exit code 0 when all are up, 3 when some are not.`,
  kubeconfig: `usage: npm run --silent cluster -- kubeconfig

Prints only the path of the admin kubeconfig (server https://10.201.0.2:6443).`,
  env: `usage: eval "$(npm run --silent cluster -- env)"

Prints shell exports: KUBECONFIG, PATH (with the built kubectl first), PGHOST, PGPORT,
PGUSER, PGPASSWORD, SPARK_PLATFORM_PG_*, SPARK_PLATFORM_MINIO_ENDPOINT, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, SPARK_PLATFORM_MAVEN_MIRROR_DIR and _URL.`,
  build: `usage: npm run cluster -- build [part...]

Builds into \${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/cluster/bin/<part>-<version>/
whatever is missing. Parts: pause, probe, etcd, kubernetes, coredns, kube-router. Go output goes to
<cache>/cluster/build-logs/; progress lines (part, start, ok/failed, seconds) to stderr.`,
  volumes: `usage: npm run cluster -- volumes

On the running cluster: applies StorageClass spark-platform-local and every node's pool of
local PersistentVolumes (created when missing); a volume left Released by a deleted claim
has its directory emptied and its claim reference removed, so it is Available again.
Bound volumes are not touched. Idempotent; call it before a stack whose claims were
deleted goes up again.`,
  "restart-service": `usage: npm run cluster -- restart-service postgresql|minio

Stops the shared service by its recorded PID (PostgreSQL: fast shutdown, clients
disconnected; MinIO: SIGTERM), starts it again on the same data, waits until it answers
and prints the seconds it took. The cluster keeps running.`,
};

const COMMANDS: Command[] = [
  "up",
  "down",
  "status",
  "kubeconfig",
  "env",
  "build",
  "volumes",
  "restart-service",
];

export class UsageError extends Error {}

function nodeCount(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < 1 || n > MAX_NODES)
    throw new UsageError(
      `up: --nodes wants a number from 1 to ${MAX_NODES}, got ${value ?? "nothing"}`,
    );
  return n;
}

export function parseArgs(argv: string[]): Parsed {
  const p: Parsed = {
    command: "help",
    parts: [],
    purge: false,
    forgetObjects: false,
    json: false,
    restart: false,
    noStandIns: false,
  };
  const [first, ...rest] = argv;
  if (first === undefined || first === "help" || first === "--help" || first === "-h") {
    const topic = rest[0];
    if (topic !== undefined && (COMMANDS as string[]).includes(topic)) p.helpFor = topic as Command;
    return p;
  }
  if (!(COMMANDS as string[]).includes(first)) throw new UsageError(`unknown command: ${first}`);
  const command = first as Command;
  for (const a of rest) {
    if (a === "--help" || a === "-h") return { ...p, command: "help", helpFor: command };
  }
  p.command = command;
  const allowed: Record<Command, string[]> = {
    up: ["--restart", "--no-stand-ins", "--nodes"],
    down: ["--purge", "--forget-objects"],
    status: ["--json"],
    kubeconfig: [],
    env: [],
    build: [],
    volumes: [],
    "restart-service": [],
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a.startsWith("-")) {
      const [flag, inline] = a.split("=", 2) as [string, string | undefined];
      if (!allowed[command].includes(flag))
        throw new UsageError(`${command}: unknown option ${flag}`);
      if (flag === "--purge") p.purge = true;
      if (flag === "--forget-objects") p.forgetObjects = true;
      if (flag === "--json") p.json = true;
      if (flag === "--restart") p.restart = true;
      if (flag === "--no-stand-ins") p.noStandIns = true;
      if (flag === "--nodes") p.nodes = nodeCount(inline ?? rest[++i]);
    } else if (command === "build") {
      p.parts.push(a);
    } else if (command === "restart-service" && p.service === undefined) {
      if (!(RESTARTABLE_SERVICES as readonly string[]).includes(a))
        throw new UsageError(
          `restart-service: ${a} is not one of ${RESTARTABLE_SERVICES.join(", ")}`,
        );
      p.service = a as RestartableService;
    } else {
      throw new UsageError(`${command}: unexpected argument ${a}`);
    }
  }
  if (command === "restart-service" && p.service === undefined)
    throw new UsageError(
      `restart-service: name the service (${RESTARTABLE_SERVICES.join(" or ")})`,
    );
  return p;
}
