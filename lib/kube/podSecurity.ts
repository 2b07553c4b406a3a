import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { PodSecurityLevel } from "../config/model";

/**
 * The Kubernetes Pod Security Standards (version "latest") as a pure function over a pod
 * spec: "baseline", and "restricted" (which includes baseline). Mirrors the checks of
 * k8s.io/pod-security-admission/policy (check_*.go): each violation names the check and the
 * field, so a failure says what to fix. The policy pack refuses pod templates that break
 * "restricted"; the verifier holds every pod to the level its namespace enforces.
 */

/** The namespace label whose value is the level the API server enforces there. */
export const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

const LEVELS: readonly string[] = ["privileged", "baseline", "restricted"];

/** Whether a label value names a Pod Security level. */
export const isPodSecurityLevel = (value: string | undefined): value is PodSecurityLevel =>
  value !== undefined && LEVELS.includes(value);

/** Volume types "restricted" allows (check_restrictedVolumes.go). */
const RESTRICTED_VOLUME_TYPES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** Sysctls "baseline" allows (check_sysctls.go). */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

/** Capabilities a container may add: the runtime's defaults (baseline), one (restricted). */
const ADDABLE_CAPABILITIES: Readonly<Record<"baseline" | "restricted", ReadonlySet<string>>> = {
  baseline: new Set([
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
  ]),
  restricted: new Set(["NET_BIND_SERVICE"]),
};

const ALLOWED_SELINUX_TYPES = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

const okSeccomp = (type: string | undefined) => type === "RuntimeDefault" || type === "Localhost";

/** Every container of a pod with how messages name it: init, regular and ephemeral. */
function containersOf(spec: IPodSpec): [string, IContainer][] {
  return [
    ...(spec.initContainers ?? []).map((c): [string, IContainer] => [`initContainer ${c.name}`, c]),
    ...(spec.containers ?? []).map((c): [string, IContainer] => [`container ${c.name}`, c]),
    ...(spec.ephemeralContainers ?? []).map((c): [string, IContainer] => [
      `ephemeralContainer ${c.name}`,
      c as IContainer,
    ]),
  ];
}

/** What a pod breaks of `level`; empty when it meets it ("privileged" allows everything). */
export function podSecurityViolations(spec: IPodSpec, level: PodSecurityLevel): string[] {
  if (level === "privileged") return [];
  const restricted = level === "restricted";
  const violations: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork) violations.push("host namespaces: hostNetwork=true");
  if (spec.hostPID) violations.push("host namespaces: hostPID=true");
  if (spec.hostIPC) violations.push("host namespaces: hostIPC=true");
  if (pod.windowsOptions?.hostProcess) violations.push("hostProcess: pod hostProcess=true");
  if (restricted && pod.runAsUser === 0) violations.push("runAsUser: pod runAsUser=0");
  if (restricted && pod.runAsNonRoot === false) {
    violations.push("runAsNonRoot: pod runAsNonRoot=false");
  }
  const podSeccomp = pod.seccompProfile?.type;
  if (pod.seccompProfile && (restricted ? !okSeccomp(podSeccomp) : podSeccomp === "Unconfined")) {
    violations.push(`seccompProfile: pod type ${podSeccomp}`);
  }
  if (pod.appArmorProfile?.type === "Unconfined")
    violations.push("appArmorProfile: pod Unconfined");
  const seLinux = pod.seLinuxOptions;
  if (seLinux?.user || seLinux?.role) violations.push("seLinuxOptions: pod user/role set");
  if (seLinux?.type !== undefined && !ALLOWED_SELINUX_TYPES.has(seLinux.type)) {
    violations.push(`seLinuxOptions: pod type ${seLinux.type}`);
  }
  for (const sysctl of pod.sysctls ?? []) {
    if (!SAFE_SYSCTLS.has(sysctl.name)) violations.push(`sysctls: ${sysctl.name}`);
  }
  for (const volume of spec.volumes ?? []) {
    const types = Object.keys(volume).filter((key) => key !== "name");
    if (types.includes("hostPath")) violations.push(`hostPath volumes: ${volume.name}`);
    for (const type of restricted ? types : []) {
      if (!RESTRICTED_VOLUME_TYPES.has(type)) {
        violations.push(`restricted volume types: ${volume.name} is ${type}`);
      }
    }
  }

  for (const [where, container] of containersOf(spec)) {
    const sc = container.securityContext ?? {};
    if (sc.privileged) violations.push(`privileged: ${where}`);
    if (sc.windowsOptions?.hostProcess) violations.push(`hostProcess: ${where}`);
    if (sc.procMount !== undefined && sc.procMount !== "Default") {
      violations.push(`procMount: ${where} ${sc.procMount}`);
    }
    for (const port of container.ports ?? []) {
      if (port.hostPort) violations.push(`hostPorts: ${where} hostPort ${port.hostPort}`);
    }
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (restricted) {
      if (sc.allowPrivilegeEscalation !== false) {
        violations.push(`allowPrivilegeEscalation != false: ${where}`);
      }
      const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      if (nonRoot !== true) violations.push(`runAsNonRoot != true: ${where}`);
      if (sc.runAsUser === 0) violations.push(`runAsUser=0: ${where}`);
      if (!okSeccomp(seccomp)) violations.push(`seccompProfile: ${where} ${seccomp ?? "unset"}`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) {
        violations.push(`capabilities: ${where} does not drop ALL`);
      }
    } else if (sc.seccompProfile?.type === "Unconfined") {
      violations.push(`seccompProfile: ${where} Unconfined`);
    }
    for (const cap of sc.capabilities?.add ?? []) {
      if (!ADDABLE_CAPABILITIES[level].has(cap)) {
        violations.push(`capabilities: ${where} adds ${cap}`);
      }
    }
    if (sc.appArmorProfile?.type === "Unconfined") {
      violations.push(`appArmorProfile: ${where} Unconfined`);
    }
    if (sc.seLinuxOptions?.user || sc.seLinuxOptions?.role) {
      violations.push(`seLinuxOptions: ${where} user/role set`);
    }
    const type = sc.seLinuxOptions?.type;
    if (type !== undefined && !ALLOWED_SELINUX_TYPES.has(type)) {
      violations.push(`seLinuxOptions: ${where} type ${type}`);
    }
  }
  return violations;
}

/** What a pod breaks of Pod Security "restricted". */
export const restrictedViolations = (spec: IPodSpec): string[] =>
  podSecurityViolations(spec, "restricted");

/**
 * The platform's hardening beyond "restricted", for every container: a read-only root
 * filesystem (writes go to emptyDir mounts), and seccomp exactly `RuntimeDefault` (the
 * standard also allows a `Localhost` profile, whose content no manifest shows).
 */
export function hardeningViolations(spec: IPodSpec): string[] {
  const podSeccomp = spec.securityContext?.seccompProfile?.type;
  return containersOf(spec).flatMap(([where, container]) => {
    const sc = container.securityContext ?? {};
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    return [
      ...(sc.readOnlyRootFilesystem === true ? [] : [`readOnlyRootFilesystem != true: ${where}`]),
      ...(seccomp === "Localhost"
        ? [`seccompProfile: ${where} Localhost, not RuntimeDefault`]
        : []),
    ];
  });
}
