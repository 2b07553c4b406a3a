// Objects the harness applies after the API server is up (pure): kube-router's RBAC,
// CoreDNS with the kube-dns Service, the spark-infra Services of the host's shared
// services, and the DNS probe pod.
import { CLUSTER_NET, SERVICES_IP } from "./addressPlan";
import type { ClusterNode } from "./node/clusterNode";

type Obj = Record<string, unknown>;

const restricted = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export const KUBE_ROUTER_USER = "spark-platform:kube-router";

export function kubeRouterRbac(): Obj[] {
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "spark-platform:kube-router" },
      rules: [
        {
          apiGroups: [""],
          resources: ["namespaces", "pods", "services", "nodes", "endpoints"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["networking.k8s.io"],
          resources: ["networkpolicies"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["discovery.k8s.io"],
          resources: ["endpointslices"],
          verbs: ["get", "list", "watch"],
        },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        {
          apiGroups: ["coordination.k8s.io"],
          resources: ["leases"],
          verbs: ["get", "create", "update"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "spark-platform:kube-router" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "spark-platform:kube-router",
      },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: KUBE_ROUTER_USER }],
    },
  ];
}

/** CoreDNS answers only for the cluster domain: there is no upstream (nothing leaves). */
export const COREFILE = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes ${CLUSTER_NET.clusterDomain} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

export function coreDns(image: string): Obj[] {
  const labels = { "k8s-app": "kube-dns" };
  const meta = (name: string) => ({ name, namespace: "kube-system", labels });
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("coredns") },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "system:coredns" },
      rules: [
        {
          apiGroups: [""],
          resources: ["endpoints", "services", "pods", "namespaces"],
          verbs: ["list", "watch"],
        },
        {
          apiGroups: ["discovery.k8s.io"],
          resources: ["endpointslices"],
          verbs: ["list", "watch"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "system:coredns" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "system:coredns",
      },
      subjects: [{ kind: "ServiceAccount", name: "coredns", namespace: "kube-system" }],
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta("coredns"),
      data: { Corefile: COREFILE },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("coredns"),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: "coredns",
            priorityClassName: "system-cluster-critical",
            dnsPolicy: "Default",
            // Port 53 as a non-root user without capabilities (a "safe" sysctl).
            securityContext: {
              sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "53" }],
            },
            containers: [
              {
                name: "coredns",
                image,
                imagePullPolicy: "Never",
                args: ["-conf", "/etc/coredns/Corefile"],
                ports: [
                  { name: "dns", containerPort: 53, protocol: "UDP" },
                  { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
                ],
                resources: {
                  requests: { cpu: "50m", memory: "64Mi" },
                  limits: { memory: "128Mi" },
                },
                securityContext: restricted,
                volumeMounts: [{ name: "config", mountPath: "/etc/coredns", readOnly: true }],
                readinessProbe: { httpGet: { path: "/ready", port: 8181 }, periodSeconds: 2 },
                livenessProbe: {
                  httpGet: { path: "/health", port: 8080 },
                  initialDelaySeconds: 10,
                  periodSeconds: 10,
                },
              },
            ],
            volumes: [{ name: "config", configMap: { name: "coredns" } }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { ...meta("kube-dns"), labels: { ...labels, "kubernetes.io/name": "CoreDNS" } },
      spec: {
        selector: labels,
        clusterIP: CLUSTER_NET.dnsServiceIp,
        ports: [
          { name: "dns", port: 53, targetPort: 53, protocol: "UDP" },
          { name: "dns-tcp", port: 53, targetPort: 53, protocol: "TCP" },
        ],
      },
    },
  ];
}

export const INFRA_NAMESPACE = "spark-infra";

export const INFRA_SERVICES = [
  { name: "postgresql", port: CLUSTER_NET.pgPort },
  { name: "minio", port: CLUSTER_NET.minioPort },
  { name: "maven-mirror", port: CLUSTER_NET.mirrorPort },
] as const;

/** Selector-less Services whose EndpointSlices point at the host's veth address. */
export function infraServices(): Obj[] {
  const objs: Obj[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: INFRA_NAMESPACE } },
  ];
  for (const s of INFRA_SERVICES) {
    objs.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: s.name, namespace: INFRA_NAMESPACE },
      spec: { ports: [{ name: "tcp", port: s.port, targetPort: s.port, protocol: "TCP" }] },
    });
    objs.push({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        name: `${s.name}-host`,
        namespace: INFRA_NAMESPACE,
        labels: {
          "kubernetes.io/service-name": s.name,
          "endpointslice.kubernetes.io/managed-by": "spark-platform-cluster",
        },
      },
      addressType: "IPv4",
      ports: [{ name: "tcp", port: s.port, protocol: "TCP" }],
      endpoints: [{ addresses: [SERVICES_IP], conditions: { ready: true } }],
    });
  }
  return objs;
}

export const PROBE_POD = "spark-cluster-probe";

/** The probe pod of a node: `spark-cluster-probe` on node 1, `...-spark-node-2` on node 2. */
export function probePodName(node: Pick<ClusterNode, "index" | "name">): string {
  return node.index === 1 ? PROBE_POD : `${PROBE_POD}-${node.name}`;
}

/** A pod on the given node that resolves cluster names and connects to the shared
 * services, then exits. */
export function probePod(
  image: string,
  args: string[],
  node: Pick<ClusterNode, "index" | "name">,
): Obj {
  const name = probePodName(node);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: { app: PROBE_POD } },
    spec: {
      restartPolicy: "Never",
      nodeSelector: { "kubernetes.io/hostname": node.name },
      automountServiceAccountToken: false,
      containers: [
        {
          name: "probe",
          image,
          imagePullPolicy: "Never",
          args,
          resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
          securityContext: restricted,
        },
      ],
    },
  };
}

/**
 * The Prometheus Operator's PodMonitor CRD, as a stand-in: the group, kind and version the
 * operator defines, without its schema (any object is accepted). The local cluster runs no
 * operator; it has the CRD so a stack with `monitoring.podMonitors` applies, and the live
 * suite's Prometheus is configured from those PodMonitors as the operator would be.
 */
export function podMonitorCrd(): Obj {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "podmonitors.monitoring.coreos.com" },
    spec: {
      group: "monitoring.coreos.com",
      scope: "Namespaced",
      names: {
        kind: "PodMonitor",
        listKind: "PodMonitorList",
        plural: "podmonitors",
        singular: "podmonitor",
        categories: ["prometheus-operator"],
      },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
        },
      ],
    },
  };
}

export function asList(items: Obj[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}
