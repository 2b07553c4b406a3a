import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";

/**
 * The Kubernetes Pod Security Standards "restricted" profile (which includes "baseline"),
 * version "latest", as a pure function over a pod spec. Mirrors the checks of
 * k8s.io/pod-security-admission/policy (check_*.go): each violation names the check and the
 * field, so a failing test says what to fix.
 */

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

const ALLOWED_SELINUX_TYPES = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

const okSeccomp = (type: string | undefined) => type === "RuntimeDefault" || type === "Localhost";

export function restrictedViolations(spec: IPodSpec): string[] {
  const violations: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork) violations.push("host namespaces: hostNetwork=true");
  if (spec.hostPID) violations.push("host namespaces: hostPID=true");
  if (spec.hostIPC) violations.push("host namespaces: hostIPC=true");
  if (pod.windowsOptions?.hostProcess) violations.push("hostProcess: pod hostProcess=true");
  if (pod.runAsUser === 0) violations.push("runAsUser: pod runAsUser=0");
  if (pod.runAsNonRoot === false) violations.push("runAsNonRoot: pod runAsNonRoot=false");
  if (pod.seccompProfile && !okSeccomp(pod.seccompProfile.type)) {
    violations.push(`seccompProfile: pod type ${pod.seccompProfile.type}`);
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
    for (const type of types) {
      if (!RESTRICTED_VOLUME_TYPES.has(type)) {
        violations.push(`restricted volume types: ${volume.name} is ${type}`);
      }
    }
  }

  const containers: [string, IContainer][] = [
    ...(spec.initContainers ?? []).map((c): [string, IContainer] => [`initContainer ${c.name}`, c]),
    ...spec.containers.map((c): [string, IContainer] => [`container ${c.name}`, c]),
    ...(spec.ephemeralContainers ?? []).map((c): [string, IContainer] => [
      `ephemeralContainer ${c.name}`,
      c as IContainer,
    ]),
  ];
  for (const [where, container] of containers) {
    const sc = container.securityContext ?? {};
    if (sc.privileged) violations.push(`privileged: ${where}`);
    if (sc.windowsOptions?.hostProcess) violations.push(`hostProcess: ${where}`);
    if (sc.procMount !== undefined && sc.procMount !== "Default") {
      violations.push(`procMount: ${where} ${sc.procMount}`);
    }
    for (const port of container.ports ?? []) {
      if (port.hostPort) violations.push(`hostPorts: ${where} hostPort ${port.hostPort}`);
    }
    if (sc.allowPrivilegeEscalation !== false) {
      violations.push(`allowPrivilegeEscalation != false: ${where}`);
    }
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (nonRoot !== true) violations.push(`runAsNonRoot != true: ${where}`);
    if (sc.runAsUser === 0) violations.push(`runAsUser=0: ${where}`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (!okSeccomp(seccomp)) violations.push(`seccompProfile: ${where} ${seccomp ?? "unset"}`);
    const drop = sc.capabilities?.drop ?? [];
    if (!drop.includes("ALL")) violations.push(`capabilities: ${where} does not drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap !== "NET_BIND_SERVICE") violations.push(`capabilities: ${where} adds ${cap}`);
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
