// The address plan of the local cluster (docs/local-cluster.md, notes/addresses.md).
export const NET = {
  netns: "spark-node",
  hostIf: "spk-host",
  nodeIf: "spk-node",
  hostIp: "10.201.0.1",
  nodeIp: "10.201.0.2",
  linkCidr: "10.201.0.0/30",
  prefixLen: 30,
  podCidr: "10.244.0.0/24",
  podGateway: "10.244.0.1",
  bridge: "cni0",
  serviceCidr: "10.96.0.0/16",
  kubernetesServiceIp: "10.96.0.1",
  dnsServiceIp: "10.96.0.10",
  clusterDomain: "cluster.local",
  apiPort: 6443,
  nodeName: "spark-node",
  pgPort: 5432,
  minioPort: 9000,
  mirrorPort: 8081,
} as const;

export const API_SERVER_URL = `https://${NET.nodeIp}:${NET.apiPort}`;
