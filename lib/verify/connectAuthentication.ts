import type { IContainer } from "kubernetes-models/v1/Container";
import type { PodModel } from "../kube/analysis/pods";
import { PORTS } from "../naming/names";
import {
  CONNECT_BINDING_ADDRESS_PROPERTY,
  CONNECT_BINDING_PORT_PROPERTY,
  CONNECT_LOOPBACK_ADDRESS,
  CONNECT_SERVER_KEYS,
  CONNECT_TOKEN_ENV,
  CONNECT_TOKEN_PROPERTY,
} from "../spark/connectAuthentication";
import {
  componentOf,
  releaseMode,
  releaseOf,
  releaseSparkConf,
  releasesIn,
  startupStrings,
  type ClusterObjects,
} from "./objects";
import { row, type CheckResult } from "./result";

/** The Spark container of a Connect server's pod: the one starting SparkConnectServer. */
function serverContainer(pod: PodModel): IContainer | undefined {
  return pod.spec.containers.find((c) =>
    [...(c.command ?? []), ...(c.args ?? [])].some((arg) => arg.includes("SparkConnectServer")),
  );
}

/** The pod's volumes backed by a Secret, by name. */
function secretVolumes(pod: PodModel) {
  return new Map(
    (pod.spec.volumes ?? []).filter((v) => v.secret).map((v) => [v.name, v.secret!] as const),
  );
}

/**
 * Where the server's token can come from: a spark-defaults.conf in a Secret volume mounted
 * at its SPARK_CONF_DIR (the token in a file; lib/spark/connectAuthentication.ts).
 */
function tokenFileProblems(pod: PodModel, server: IContainer): string[] {
  const confDir = server.env?.find((e) => e.name === "SPARK_CONF_DIR")?.value;
  const mount = (server.volumeMounts ?? []).find((m) => m.mountPath === confDir);
  const secret = mount ? secretVolumes(pod).get(mount.name) : undefined;
  const holdsDefaults =
    secret !== undefined &&
    (secret.items === undefined ||
      secret.items.some((item) => item.path === CONNECT_SERVER_KEYS.defaults));
  return holdsDefaults
    ? []
    : [
        `${pod.origin}: the Connect server has no token: its SPARK_CONF_DIR (${confDir ?? "unset"}) is not a Secret volume holding ${CONNECT_SERVER_KEYS.defaults} with ${CONNECT_TOKEN_PROPERTY}`,
      ];
}

/**
 * A TLS terminator in front of the server: another container of the pod owns the Connect
 * port and reads a Secret volume (its certificate and key), and the server does not
 * declare that port.
 */
function terminatorProblems(pod: PodModel, server: IContainer): string[] {
  const port = PORTS.connectGrpc;
  const owns = (c: IContainer) => (c.ports ?? []).some((p) => p.containerPort === port);
  const secrets = secretVolumes(pod);
  const terminator = pod.spec.containers.find(
    (c) => c !== server && owns(c) && (c.volumeMounts ?? []).some((m) => secrets.has(m.name)),
  );
  const problems: string[] = [];
  if (!terminator) {
    problems.push(
      `${pod.origin}: no TLS terminator in front of the Connect server (no other container serves port ${port} with a certificate from a Secret): clients would send their token in plain text`,
    );
  }
  if (owns(server)) {
    problems.push(`${pod.origin}: the Connect server itself serves port ${port}, in plain text`);
  }
  return problems;
}

/**
 * Every Connect release requires its own token over TLS: the server binds its plain-text
 * gRPC port to loopback, reads `spark.connect.authenticate.token` from a spark-defaults
 * file in a Secret volume, and a TLS terminator of its pod serves the Connect port; the
 * token is in no ConfigMap, env value or command line. Standalone releases get no row
 * (rpc-authentication covers them).
 */
export function connectAuthentication(objects: ClusterObjects): CheckResult[] {
  return releasesIn(objects)
    .filter((release) => releaseMode(objects, release) === "connect")
    .map((release) => {
      const conf = releaseSparkConf(objects, release);
      const problems: string[] = [];
      if (conf[CONNECT_BINDING_ADDRESS_PROPERTY] !== CONNECT_LOOPBACK_ADDRESS) {
        problems.push(
          `${CONNECT_BINDING_ADDRESS_PROPERTY} is ${conf[CONNECT_BINDING_ADDRESS_PROPERTY] ?? "unset"}, not ${CONNECT_LOOPBACK_ADDRESS}: the server's plain-text gRPC port is reachable from outside its pod`,
        );
      }
      if (conf[CONNECT_BINDING_PORT_PROPERTY] === String(PORTS.connectGrpc)) {
        problems.push(
          `${CONNECT_BINDING_PORT_PROPERTY} is the Connect port ${PORTS.connectGrpc}, which the TLS terminator owns`,
        );
      }
      if (conf[CONNECT_TOKEN_PROPERTY] !== undefined) {
        problems.push(`${CONNECT_TOKEN_PROPERTY} is in a ConfigMap`);
      }
      const pods = objects.pods.filter((p) => releaseOf(p.labels) === release);
      const servers = pods.filter((p) => componentOf(p) === "connect");
      if (servers.length === 0) problems.push("no Connect server pod found");
      for (const pod of servers) {
        const server = serverContainer(pod);
        if (!server) {
          problems.push(`${pod.origin}: no container starts SparkConnectServer`);
          continue;
        }
        problems.push(...tokenFileProblems(pod, server), ...terminatorProblems(pod, server));
      }
      for (const pod of pods) {
        const env = pod.spec.containers.flatMap((c) => c.env ?? []);
        if (
          startupStrings(pod).some((text) => text.includes(CONNECT_TOKEN_PROPERTY)) ||
          env.some((e) => e.name === CONNECT_TOKEN_ENV && e.value !== undefined)
        ) {
          problems.push(`${pod.origin} names the Connect token on its command line or env`);
        }
      }
      return row(
        "connect-authentication",
        `release ${release}`,
        problems,
        `token from a Secret-held spark-defaults, server on loopback, TLS terminator on ${PORTS.connectGrpc} (${servers.length} server pod(s))`,
      );
    });
}
