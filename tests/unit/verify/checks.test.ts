import { expect } from "chai";
import type { KubeManifest } from "../../../lib/kube/objects";
import {
  allowedDisruptions,
  failures,
  verifyObjects,
  type CheckName,
  type CheckResult,
  type NamespaceLayout,
} from "../../../lib/verify/checks";
import { clusterObjects } from "../../../lib/verify/objects";
import { renderStack } from "../../support/stacks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

async function manifestsOf(stack: "dev" | "prod"): Promise<Loose[]> {
  return structuredClone((await renderStack(stack)).manifests) as Loose[];
}

function find(manifests: Loose[], kind: string, name: string): Loose {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

const verify = (manifests: readonly KubeManifest[], layout?: NamespaceLayout) =>
  verifyObjects(clusterObjects(manifests), layout ? { layout } : {});

/** The failing rows of one check class, as `subject: detail` lines. */
function failing(results: readonly CheckResult[], check: CheckName): string[] {
  return failures(results)
    .filter((r) => r.check === check)
    .map((r) => `${r.subject}: ${r.detail}`);
}

const CHECKS: CheckName[] = [
  "service-isolation",
  "metastore-isolation",
  "secret-references",
  "history-isolation",
  "rbac-separation",
  "network-isolation",
  "namespace-layout",
];

describe("coexistence verifier", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`passes every check on the rendered ${stack} stack`, async () => {
      const results = verify(await manifestsOf(stack));
      expect(failures(results).map((r) => `${r.check} ${r.subject}: ${r.detail}`)).to.deep.equal(
        [],
      );
      // Every check class produced rows: a check that looks at nothing proves nothing.
      for (const check of CHECKS) {
        expect(results.filter((r) => r.check === check).length, check).to.be.greaterThan(0);
      }
    });
  }

  describe("service isolation", () => {
    it("fails a Service that selects by app label only, naming the foreign pods", async () => {
      const manifests = await manifestsOf("dev");
      find(manifests, "Service", "spark-35-master").spec.selector = {
        "app.kubernetes.io/name": "spark",
      };
      const [problem, ...rest] = failing(verify(manifests), "service-isolation");
      expect(rest).to.deep.equal([]);
      expect(problem).to.match(/^Service\/spark\/spark-35-master: /);
      expect(problem).to.include("does not pin spark-platform.io/release=spark-35");
      expect(problem).to.include("Deployment/spark/spark-41-connect (spark-41)");
      expect(problem).to.include("ConfigMap/spark/spark-41-executor-template#executor.yaml");
    });

    it("fails two releases' Services with one name in a namespace", async () => {
      const manifests = await manifestsOf("dev");
      const copy = structuredClone(find(manifests, "Service", "spark-41-history"));
      copy.metadata.name = "spark-35-history";
      manifests.push(copy);
      const problems = failing(verify(manifests), "service-isolation");
      expect(problems).to.have.length(2);
      for (const p of problems) {
        expect(p).to.include("Service/spark/spark-35-history: 2 Services share");
        expect(p).to.include("(spark-35, spark-41)");
      }
    });
  });

  describe("metastore isolation", () => {
    it("fails a hive-site.xml that points at the other release's database", async () => {
      const manifests = await manifestsOf("prod");
      const conf = find(manifests, "ConfigMap", "spark-35-metastore-conf");
      conf.data["hive-site.xml"] = conf.data["hive-site.xml"].replace(
        "/metastore_spark35?",
        "/metastore_spark41?",
      );
      const problems = failing(verify(manifests), "metastore-isolation");
      // The Job reads hive-site alone; the Deployment's -D flag still names its own database,
      // and the disagreement itself is reported.
      expect(problems.join("\n")).to.include(
        "Job/spark-35/spark-35-metastore-schema-init: database metastore_spark41 is also used by Deployment/spark-41/spark-41-metastore (release spark-41)",
      );
      expect(problems.join("\n")).to.match(
        /Deployment\/spark-35\/spark-35-metastore: hive-site.xml names \S+\/metastore_spark41\?\S* but its start-up flags connect to \S+\/metastore_spark35\?/,
      );
      expect(problems.join("\n")).to.include(
        "Deployment/spark-41/spark-41-metastore: database metastore_spark41 is also used by Job/spark-35/spark-35-metastore-schema-init (release spark-35)",
      );
    });

    it("reads a JDBC URL overridden by a -D flag in the environment", async () => {
      const manifests = await manifestsOf("dev");
      const env = find(manifests, "Deployment", "spark-41-metastore").spec.template.spec
        .containers[0].env;
      const opts = env.find((e: Loose) => e.name === "SERVICE_OPTS");
      opts.value +=
        " -Djavax.jdo.option.ConnectionURL=jdbc:postgresql://postgresql.spark-infra.svc:5432/metastore_spark35";
      const problems = failing(verify(manifests), "metastore-isolation").join("\n");
      expect(problems).to.match(
        /Deployment\/spark\/spark-41-metastore: .*database metastore_spark35 is also used by Deployment\/spark\/spark-35-metastore/,
      );
    });

    it("fails a metastore that takes its password from the other release's Secret", async () => {
      const manifests = await manifestsOf("dev");
      const env = find(manifests, "Deployment", "spark-35-metastore").spec.template.spec
        .containers[0].env;
      env.find((e: Loose) => e.name === "HIVE_METASTORE_DB_PASSWORD").valueFrom.secretKeyRef.name =
        "spark-41-metastore-db";
      expect(failing(verify(manifests), "metastore-isolation")).to.deep.equal([
        "Deployment/spark/spark-35-metastore: references Secret spark/spark-41-metastore-db of release spark-41",
      ]);
    });
  });

  describe("secret references", () => {
    it("fails a Spark pod that reads the other release's object-store Secret", async () => {
      const manifests = await manifestsOf("prod");
      const worker = find(manifests, "Deployment", "spark-35-worker").spec.template.spec;
      worker.containers[0].env.find(
        (e: Loose) => e.name === "AWS_SECRET_ACCESS_KEY",
      ).valueFrom.secretKeyRef.name = "spark-41-object-store";
      expect(failing(verify(manifests), "secret-references")).to.deep.equal([
        "Deployment/spark-35/spark-35-worker: references Secret spark-35/spark-41-object-store, which does not exist",
      ]);
    });
  });

  describe("history-server isolation", () => {
    it("fails a history server reading the other release's prefix", async () => {
      const manifests = await manifestsOf("dev");
      const conf = find(manifests, "ConfigMap", "spark-41-history-conf");
      conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
        "spark.history.fs.logDirectory s3a://spark-logs/4.1/events",
        "spark.history.fs.logDirectory s3a://spark-logs/3.5/events",
      );
      const text = failing(verify(manifests), "history-isolation").join("\n");
      expect(text).to.include(
        "Deployment/spark/spark-41-history: reads s3a://spark-logs/3.5/events but Deployment/spark/spark-41-connect of the same release writes s3a://spark-logs/4.1/events",
      );
      expect(text).to.include(
        "overlaps s3a://spark-logs/3.5/events, which Deployment/spark/spark-35-history (release spark-35) reads",
      );
    });

    it("fails writers whose prefix contains another release's", async () => {
      const manifests = await manifestsOf("prod");
      const conf = find(manifests, "ConfigMap", "spark-35-spark-defaults");
      conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
        "spark.eventLog.dir s3a://spark-logs/3.5/events",
        "spark.eventLog.dir s3a://spark-logs",
      );
      const text = failing(verify(manifests), "history-isolation").join("\n");
      expect(text).to.include(
        "Deployment/spark-35/spark-35-master: s3a://spark-logs overlaps s3a://spark-logs/4.1/events",
      );
      expect(text).to.include(
        "Deployment/spark-35/spark-35-history: reads s3a://spark-logs/3.5/events but",
      );
    });
  });

  describe("RBAC separation", () => {
    it("fails a RoleBinding to another release's account and the pod-create right it gives", async () => {
      const manifests = await manifestsOf("dev");
      find(manifests, "RoleBinding", "spark-41-executor-manager").subjects[0].name =
        "spark-35-spark";
      expect(failing(verify(manifests), "rbac-separation")).to.have.members([
        "RoleBinding/spark/spark-41-executor-manager: binds ServiceAccount spark/spark-35-spark of release spark-35",
        "standalone release spark-35: RoleBinding/spark/spark-41-executor-manager grants Role/spark/spark-41-executor-manager (create pods) to spark-35-spark",
      ]);
    });

    it("fails a pod running as another release's ServiceAccount", async () => {
      const manifests = await manifestsOf("prod");
      find(manifests, "Deployment", "spark-41-history").spec.template.spec.serviceAccountName =
        "spark-35-spark";
      expect(failing(verify(manifests), "rbac-separation")).to.deep.equal([
        "Deployment/spark-41/spark-41-history: runs as ServiceAccount spark-41/spark-35-spark, which does not exist",
      ]);
    });

    it("fails executors whose conf names another account", async () => {
      const manifests = await manifestsOf("dev");
      const conf = find(manifests, "ConfigMap", "spark-41-spark-defaults");
      conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
        "spark.kubernetes.authenticate.executor.serviceAccountName spark-41-spark",
        "spark.kubernetes.authenticate.executor.serviceAccountName spark-35-spark",
      );
      expect(failing(verify(manifests), "rbac-separation")).to.deep.equal([
        "ConfigMap/spark/spark-41-executor-template#executor.yaml: runs as ServiceAccount spark/spark-35-spark of release spark-35",
      ]);
    });
  });

  describe("network isolation", () => {
    it("fails a NetworkPolicy that allows all traffic in the shared namespace", async () => {
      const manifests = await manifestsOf("dev");
      manifests.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: {
          name: "spark-35-allow-all",
          namespace: "spark",
          labels: { "spark-platform.io/release": "spark-35" },
        },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
      });
      const problems = failing(verify(manifests), "network-isolation");
      expect(problems).to.have.length(2);
      expect(problems[0]).to.match(
        /^spark-35 -> spark-41: reachable: Deployment\/spark\/spark-35-/,
      );
      expect(problems[1]).to.match(/^spark-41 -> spark-35: reachable: /);
    });

    it("fails when a flow the release needs is blocked", async () => {
      const manifests = (await manifestsOf("prod")).filter(
        (m) => !(m.kind === "NetworkPolicy" && m.metadata.name === "spark-35-allow-intra-release"),
      );
      const problems = failing(verify(manifests), "network-isolation");
      expect(problems).to.include(
        "spark-35: worker -> master 7077: needed flow blocked: Deployment/spark-35/spark-35-worker -> Deployment/spark-35/spark-35-master:7077",
      );
    });
  });

  describe("namespace layout", () => {
    it("fails a release object placed in the other release's namespace", async () => {
      const manifests = await manifestsOf("prod");
      find(manifests, "ConfigMap", "spark-41-spark-defaults").metadata.namespace = "spark-35";
      expect(failing(verify(manifests), "namespace-layout")).to.have.members([
        "release spark-35: namespace spark-35 also holds spark-41",
        "release spark-41: objects spread over namespaces spark-35, spark-41; namespace spark-35 also holds spark-35",
      ]);
    });

    it("fails a layout other than the expected one and a namespace without pod security", async () => {
      const manifests = await manifestsOf("prod");
      delete find(manifests, "Namespace", "spark-41").metadata.labels[
        "pod-security.kubernetes.io/enforce"
      ];
      expect(failing(verify(manifests, "shared"), "namespace-layout")).to.have.members([
        "release spark-35: layout shared expects one namespace, releases use spark-35, spark-41",
        "release spark-41: layout shared expects one namespace, releases use spark-35, spark-41",
        "Namespace/spark-41: Namespace spark-41 has no pod-security.kubernetes.io/enforce label",
      ]);
    });
  });
});

describe("disruption budgets", () => {
  it("counts the evictions a budget allows as the disruption controller does", () => {
    expect(allowedDisruptions({ minAvailable: 1 }, 1)).to.equal(0);
    expect(allowedDisruptions({ maxUnavailable: 1 }, 1)).to.equal(1);
    expect(allowedDisruptions({ maxUnavailable: 1 }, 4)).to.equal(1);
    expect(allowedDisruptions({ minAvailable: 3 }, 4)).to.equal(1);
    expect(allowedDisruptions({ minAvailable: "50%" }, 3)).to.equal(1); // ceil(1.5) = 2 stay
    expect(allowedDisruptions({ maxUnavailable: "25%" }, 2)).to.equal(1); // rounded up
    expect(allowedDisruptions({}, 2)).to.equal(undefined);
  });

  it("prod: the workers' budget allows one eviction of four; nothing else has a budget", async () => {
    const rows = verify(await manifestsOf("prod")).filter((r) => r.check === "disruption-budgets");
    expect(rows.map((r) => `${r.subject} ${r.pass}`)).to.deep.equal([
      "PodDisruptionBudget/spark-35/spark-35-worker true",
    ]);
    expect(rows[0]!.detail).to.include("allows 1 of 4 replicas");
  });

  it("fails minAvailable 1 on a single replica, naming the Deployment it pins", async () => {
    const manifests = await manifestsOf("dev");
    manifests.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "spark-41-connect", namespace: "spark", labels: {} },
      spec: {
        minAvailable: 1,
        selector: {
          matchLabels: {
            "spark-platform.io/release": "spark-41",
            "app.kubernetes.io/component": "connect",
          },
        },
      },
    });
    expect(failing(verify(manifests), "disruption-budgets")).to.deep.equal([
      "PodDisruptionBudget/spark/spark-41-connect: allows 0 disruptions of 1 replica(s) (Deployment/spark/spark-41-connect): blocks every node drain",
    ]);
  });
});
