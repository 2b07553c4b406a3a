import { expect } from "chai";
import type { KubeManifest } from "../../../lib/kube/objects";
import {
  STACK_RULES,
  clientPeersNameNamespaces,
  clientPodsAdmittedWhereGranted,
  disruptionBudgetsAllowDrains,
  metricsFromMonitoringOnly,
  historyOwnPrefix,
  metastoreOwnDatabase,
  noCredentialsInConfig,
  podSecurity,
  releaseOwnServiceAccount,
  releaseOwnClaims,
  releasePrefixAndLabel,
  releaseWritesConfined,
  servicesIsolated,
  standaloneNoPodCreate,
  standaloneRpcAuthenticated,
  connectTokenOverTls,
  notebookIsAGrantedClient,
  type StackResource,
} from "../../../policy/rules";
import { renderStack, renderWithMonitoring } from "../../support/stacks";

/** A stack's resources as the policy pack sees them, deep-copied so a test may edit them. */
async function stackResources(stack: "dev" | "prod" | "local"): Promise<StackResource[]> {
  const rendered = await renderStack(stack);
  return structuredClone(
    rendered.resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs })),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** The props of one Kubernetes object (kinds share names, so both are needed). */
function object(resources: StackResource[], kind: string, name: string): Loose {
  const found = resources.find(
    (r) =>
      r.type.startsWith("kubernetes:") &&
      (r.props as Loose).kind === kind &&
      (r.props as Loose).metadata?.name === name,
  );
  if (!found) throw new Error(`no ${kind} ${name} in the stack`);
  return found.props;
}

function byName(resources: StackResource[], type: string, name: string): Loose {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name} in the stack`);
  return found.props;
}

const addObject = (resources: StackResource[], type: string, manifest: KubeManifest) =>
  resources.push({
    type,
    name: manifest.metadata!.name!,
    props: manifest as unknown as Record<string, unknown>,
  });

const container = (resources: StackResource[], kind: string, name: string): Loose =>
  object(resources, kind, name).spec.template.spec.containers[0];

describe("policy rules", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`finds no violation in the rendered ${stack} stack`, async () => {
      const resources = await stackResources(stack);
      for (const rule of STACK_RULES) {
        expect(rule.check(resources), `${rule.name} on ${stack}`).to.deep.equal([]);
      }
    });
  }

  it("has seventeen uniquely named rules", () => {
    const names = STACK_RULES.map((r) => r.name);
    expect(names).to.have.length(17);
    expect(new Set(names).size).to.equal(17);
  });

  describe("notebook-is-a-granted-client", () => {
    it("passes the local stack's notebook, every other rule too", async () => {
      const resources = await stackResources("local");
      for (const rule of STACK_RULES) {
        expect(rule.check(resources), `${rule.name} on local`).to.deep.equal([]);
      }
    });

    it("fails a notebook whose login is turned off, naming the Deployment", async () => {
      const resources = await stackResources("local");
      container(resources, "Deployment", "data-science-lab").command.push("--ServerApp.token=");
      expect(notebookIsAGrantedClient.check(resources)).to.deep.equal([
        "Deployment/team-data-science/data-science-lab: container jupyterlab: --ServerApp.token sets the login otherwise",
      ]);
    });
  });

  describe("disruption-budgets-allow-drains", () => {
    const budget = (spec: Record<string, unknown>): KubeManifest =>
      ({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: {
          name: "spark-35-master",
          namespace: "spark-35",
          labels: { "spark-platform.io/release": "spark-35" },
        },
        spec: {
          ...spec,
          selector: {
            matchLabels: {
              "spark-platform.io/release": "spark-35",
              "app.kubernetes.io/component": "master",
            },
          },
        },
      }) as KubeManifest;

    it("fails minAvailable 1 on the single-replica master: it blocks every drain", async () => {
      const resources = await stackResources("prod");
      addObject(resources, "kubernetes:policy/v1:PodDisruptionBudget", budget({ minAvailable: 1 }));
      expect(disruptionBudgetsAllowDrains.check(resources)).to.deep.equal([
        "PodDisruptionBudget/spark-35/spark-35-master: allows 0 disruptions of 1 replica(s) (Deployment/spark-35/spark-35-master): blocks every node drain",
      ]);
    });

    it("accepts the prod workers' budget, and fails it once it allows no eviction", async () => {
      const resources = await stackResources("prod");
      expect(disruptionBudgetsAllowDrains.check(resources)).to.deep.equal([]);
      const workers = object(resources, "PodDisruptionBudget", "spark-35-worker");
      expect(workers.spec.maxUnavailable).to.equal(1);
      delete workers.spec.maxUnavailable;
      workers.spec.minAvailable = "100%";
      expect(disruptionBudgetsAllowDrains.check(resources).join("\n")).to.include(
        "allows 0 disruptions of 4 replica(s)",
      );
    });
  });

  describe("metastore-own-database", () => {
    it("fails when two metastores create the same database", async () => {
      const resources = await stackResources("dev");
      byName(resources, "postgresql:index/database:Database", "spark-41-metastore-db").name =
        "metastore_spark35";
      const problems = metastoreOwnDatabase.check(resources);
      expect(problems.join("\n"))
        .to.include("spark-35-metastore-db")
        .and.include("spark-41-metastore-db")
        .and.include('"metastore_spark35"');
    });

    it("fails when two releases share a login role", async () => {
      const resources = await stackResources("prod");
      byName(resources, "postgresql:index/role:Role", "spark-41-metastore-role").name =
        "metastore_spark35";
      byName(resources, "postgresql:index/database:Database", "spark-41-metastore-db").owner =
        "metastore_spark35";
      const text = metastoreOwnDatabase.check(resources).join("\n");
      expect(text).to.include("Roles spark-35-metastore-role, spark-41-metastore-role");
      expect(text).to.include('share the owner role "metastore_spark35"');
    });
  });

  describe("history-own-prefix", () => {
    it("fails when a history server reads another release's prefix", async () => {
      const resources = await stackResources("dev");
      const conf = object(resources, "ConfigMap", "spark-41-history-conf");
      conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
        "4.1/events",
        "3.5/events",
      );
      const text = historyOwnPrefix.check(resources).join("\n");
      expect(text).to.include(
        "Deployment/spark/spark-41-history: reads s3a://spark-logs/3.5/events but Deployment/spark/spark-41-connect of the same release writes s3a://spark-logs/4.1/events",
      );
      expect(text).to.include(
        "overlaps s3a://spark-logs/3.5/events, which Deployment/spark/spark-35-history (release spark-35) reads",
      );
    });

    it("fails when one release's prefix contains another's", async () => {
      const resources = await stackResources("prod");
      const conf = object(resources, "ConfigMap", "spark-41-spark-defaults");
      conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
        "s3a://spark-logs/4.1/events",
        "s3a://spark-logs/3.5",
      );
      expect(historyOwnPrefix.check(resources)).to.include(
        "Deployment/spark-35/spark-35-history: s3a://spark-logs/3.5/events overlaps s3a://spark-logs/3.5, which Deployment/spark-41/spark-41-connect (release spark-41) writes",
      );
    });

    it("reads the prefix a -D flag overrides, as the history server does", async () => {
      const resources = await stackResources("prod");
      container(resources, "Deployment", "spark-41-history").env.push({
        name: "SPARK_HISTORY_OPTS",
        value: "-Dspark.history.fs.logDirectory=s3a://spark-logs/3.5/events",
      });
      expect(historyOwnPrefix.check(resources).join("\n")).to.include(
        "Deployment/spark-41/spark-41-history: reads s3a://spark-logs/3.5/events but Deployment/spark-41/spark-41-connect of the same release writes s3a://spark-logs/4.1/events",
      );
    });

    it("fails a second history server of one release", async () => {
      const resources = await stackResources("dev");
      const copy = structuredClone(object(resources, "Deployment", "spark-41-history"));
      copy.metadata.name = "spark-41-history-2";
      addObject(resources, "kubernetes:apps/v1:Deployment", copy);
      expect(historyOwnPrefix.check(resources)).to.deep.equal([
        "Deployment/spark/spark-41-history, Deployment/spark/spark-41-history-2: 2 history servers for release spark-41",
      ]);
    });
  });

  describe("release-own-service-account", () => {
    it("fails when a pod runs as another release's ServiceAccount", async () => {
      const resources = await stackResources("dev");
      object(resources, "Deployment", "spark-41-history").spec.template.spec.serviceAccountName =
        "spark-35-spark";
      expect(releaseOwnServiceAccount.check(resources)).to.deep.equal([
        "Deployment/spark/spark-41-history: runs as ServiceAccount spark/spark-35-spark of release spark-35",
      ]);
    });

    it("fails when a pod falls back to the namespace's default account", async () => {
      const resources = await stackResources("prod");
      delete object(resources, "Job", "spark-35-metastore-schema-init").spec.template.spec
        .serviceAccountName;
      expect(releaseOwnServiceAccount.check(resources).join("\n")).to.include(
        "Job/spark-35/spark-35-metastore-schema-init: runs as ServiceAccount spark-35/default, which does not exist",
      );
    });
  });

  describe("release-own-claims", () => {
    it("fails a pod that mounts another release's claim, or a claim the stack lacks", async () => {
      const resources = await stackResources("dev");
      expect(releaseOwnClaims.check(resources)).to.deep.equal([]);
      const volumes = object(resources, "Deployment", "spark-41-history").spec.template.spec
        .volumes as Loose[];
      volumes.push(
        { name: "stolen", persistentVolumeClaim: { claimName: "spark-35-master-recovery" } },
        { name: "missing", persistentVolumeClaim: { claimName: "spark-41-scratch" } },
      );
      expect(releaseOwnClaims.check(resources)).to.deep.equal([
        "Deployment/spark/spark-41-history: mounts PersistentVolumeClaim spark/spark-35-master-recovery of release spark-35; mounts PersistentVolumeClaim spark/spark-41-scratch, which does not exist",
      ]);
    });
  });

  describe("release-prefix-and-label", () => {
    it("names objects without the release label or the release prefix", async () => {
      const resources = await stackResources("dev");
      object(resources, "ConfigMap", "spark-35-history-conf").metadata.name = "history-conf";
      delete object(resources, "Secret", "spark-41-object-store").metadata.labels[
        "spark-platform.io/release"
      ];
      expect(releasePrefixAndLabel.check(resources)).to.have.members([
        'ConfigMap/spark/history-conf: name lacks the release prefix "spark-35-"',
        "Secret/spark/spark-41-object-store: no spark-platform.io/release label",
      ]);
    });
  });

  describe("services-isolated", () => {
    it("fails a Service that selects by app label only", async () => {
      const resources = await stackResources("dev");
      object(resources, "Service", "spark-35-master").spec.selector = {
        "app.kubernetes.io/name": "spark",
      };
      const text = servicesIsolated.check(resources).join("\n");
      expect(text).to.include("Service/spark/spark-35-master");
      expect(text).to.include("does not pin spark-platform.io/release=spark-35");
      expect(text).to.include("Deployment/spark/spark-41-connect (spark-41)");
    });

    it("fails two Services with the same namespace and name", async () => {
      const resources = await stackResources("dev");
      const copy = structuredClone(object(resources, "Service", "spark-41-history"));
      copy.metadata.name = "spark-35-history";
      addObject(resources, "kubernetes:core/v1:Service", copy);
      const text = servicesIsolated.check(resources).join("\n");
      expect(text).to.include("Service/spark/spark-35-history: 2 Services share");
    });
  });

  describe("no-credentials-in-config", () => {
    it("tells a token in a URL or a token variable from code and file pointers (the notebook's)", async () => {
      const resources = await stackResources("local");
      expect(noCredentialsInConfig.check(resources)).to.deep.equal([]);
      const session = object(resources, "ConfigMap", "data-science-lab-session");
      session.data["spark_session.py"] += 'URL = "sc://h:15002/;use_ssl=true;token=abc123"\n';
      const jupyter = container(resources, "Deployment", "data-science-lab");
      jupyter.env.push({ name: "JUPYTER_TOKEN", value: "abc123" });
      jupyter.env.push({ name: "SOME_TOKEN_FILE", value: "abc123" });
      expect(noCredentialsInConfig.check(resources)).to.have.members([
        "ConfigMap/team-data-science/data-science-lab-session: spark_session.py embeds a credential (matches [?&;](password|secret|token)=(?![\"'{$])[^&;\\s]+)",
        "Deployment/team-data-science/data-science-lab: container jupyterlab sets JUPYTER_TOKEN as a literal value",
        "Deployment/team-data-science/data-science-lab: container jupyterlab sets SOME_TOKEN_FILE as a literal value",
      ]);
    });

    it("fails a credential in a ConfigMap and a literal secret env var", async () => {
      const resources = await stackResources("dev");
      object(resources, "ConfigMap", "spark-35-spark-defaults").data["spark-defaults.conf"] +=
        "spark.hadoop.fs.s3a.secret.key hunter2\n";
      container(resources, "Deployment", "spark-35-worker").env.push({
        name: "AWS_SECRET_ACCESS_KEY",
        value: "hunter2",
      });
      expect(noCredentialsInConfig.check(resources)).to.have.members([
        "ConfigMap/spark/spark-35-spark-defaults: spark-defaults.conf sets spark.hadoop.fs.s3a.secret.key to a literal credential",
        "Deployment/spark/spark-35-worker: container worker sets AWS_SECRET_ACCESS_KEY as a literal value",
      ]);
    });

    it("fails a password inside a JDBC URL and a secret output that leaked into a ConfigMap", async () => {
      const resources = await stackResources("prod");
      const site = object(resources, "ConfigMap", "spark-41-metastore-conf");
      site.data["hive-site.xml"] = site.data["hive-site.xml"].replace(
        "sslmode=require",
        "sslmode=require&amp;password=hunter2",
      );
      object(resources, "ConfigMap", "spark-35-history-conf").data["token"] = "[secret]";
      const text = noCredentialsInConfig.check(resources).join("\n");
      expect(text).to.include("ConfigMap/spark-41/spark-41-metastore-conf: hive-site.xml embeds");
      expect(text).to.include("ConfigMap/spark-35/spark-35-history-conf: data key token");
    });
  });

  describe("standalone-rpc-authenticated", () => {
    it("fails a standalone release without spark.authenticate, with plain-text RPC, or a daemon without the secret", async () => {
      const resources = await stackResources("dev");
      const configMap = object(resources, "ConfigMap", "spark-35-spark-defaults");
      configMap.data["spark-defaults.conf"] = configMap.data["spark-defaults.conf"]
        .replace("spark.authenticate true\n", "")
        .replace("spark.network.crypto.enabled true", "spark.network.crypto.enabled false");
      const worker = container(resources, "Deployment", "spark-35-worker");
      worker.env = worker.env.filter((e: Loose) => e.name !== "_SPARK_AUTH_SECRET");
      expect(standaloneRpcAuthenticated.check(resources)).to.deep.equal([
        "release spark-35: spark.authenticate is unset, not true: any pod the NetworkPolicies admit registers with the master unasked; spark.network.crypto.enabled is false, not true: RPC and block transfers travel in plain text; Deployment/spark/spark-35-worker has no _SPARK_AUTH_SECRET: it cannot authenticate",
      ]);
    });
  });

  describe("connect-token-over-tls", () => {
    it("fails a Connect server without its Secret-held token or its TLS terminator, naming the release and the Deployment", async () => {
      const resources = await stackResources("dev");
      const deployment = object(resources, "Deployment", "spark-41-connect");
      const spec = deployment.spec.template.spec;
      spec.containers = spec.containers.filter((c: Loose) => c.name === "connect");
      spec.containers[0].env = spec.containers[0].env.filter(
        (e: Loose) => e.name !== "SPARK_CONF_DIR",
      );
      expect(connectTokenOverTls.check(resources)).to.deep.equal([
        "release spark-41: Deployment/spark/spark-41-connect: the Connect server has no token: its SPARK_CONF_DIR (unset) is not a Secret volume holding spark-defaults.conf with spark.connect.authenticate.token; Deployment/spark/spark-41-connect: no TLS terminator in front of the Connect server (no other container serves port 15002 with a certificate from a Secret): clients would send their token in plain text",
      ]);
    });
  });

  describe("standalone-no-pod-create", () => {
    it("fails when a standalone release's account may create pods", async () => {
      const resources = await stackResources("dev");
      const binding = object(resources, "RoleBinding", "spark-41-executor-manager");
      binding.subjects.push({ kind: "ServiceAccount", name: "spark-35-spark", namespace: "spark" });
      expect(standaloneNoPodCreate.check(resources)).to.deep.equal([
        "standalone release spark-35: RoleBinding/spark/spark-41-executor-manager grants Role/spark/spark-41-executor-manager (create pods) to spark-35-spark",
      ]);
    });
  });

  describe("release-writes-confined", () => {
    const withoutAdmissionPolicies = (resources: StackResource[]) =>
      resources.filter(
        (r) => !String((r.props as Loose).kind ?? "").startsWith("ValidatingAdmissionPolicy"),
      );

    it("fails the shared namespace of dev as it was before the admission policies", async () => {
      const problems = releaseWritesConfined.check(
        withoutAdmissionPolicies(await stackResources("dev")),
      );
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^writes of spark\/spark-41-spark: release spark-41: /);
      expect(problems[0]).to.include("Role/spark/spark-41-executor-manager");
      expect(problems[0]).to.include("ConfigMap/spark/spark-35-spark-defaults");
      expect(problems[0]).to.include("pods of Deployment/spark/spark-35-master");
    });

    it("passes prod without them: no other release's objects are in reach", async () => {
      const resources = withoutAdmissionPolicies(await stackResources("prod"));
      expect(releaseWritesConfined.check(resources)).to.deep.equal([]);
    });

    it("fails when the binding only audits", async () => {
      const resources = await stackResources("dev");
      object(
        resources,
        "ValidatingAdmissionPolicyBinding",
        "spark-41-own-objects.spark",
      ).spec.validationActions = ["Audit"];
      const [problem, ...rest] = releaseWritesConfined.check(resources);
      expect(rest).to.deep.equal([]);
      expect(problem).to.include("no binding of it denies every such write in spark");
    });
  });

  describe("client-peers-name-namespaces", () => {
    it("fails an allow-clients peer in every namespace, naming the policy and release", async () => {
      const resources = await stackResources("dev");
      const policy = object(resources, "NetworkPolicy", "spark-35-allow-clients");
      policy.spec.egress[0].to[1].namespaceSelector = {};
      expect(clientPeersNameNamespaces.check(resources)).to.deep.equal([
        "release spark-35: network: NetworkPolicy/spark/spark-35-allow-clients admits pods spark-platform.io/client-of=spark-35 of every namespace (namespaceSelector: {}); grant client namespaces by name (spark-platform:releases[].clients)",
      ]);
    });

    it("fails a namespace-less client peer", async () => {
      const resources = await stackResources("prod");
      const policy = object(resources, "NetworkPolicy", "spark-41-allow-clients");
      policy.spec.ingress[0].from = [
        { podSelector: { matchLabels: { "spark-platform.io/client-of": "spark-41" } } },
      ];
      const [problem, ...rest] = clientPeersNameNamespaces.check(resources);
      expect(rest).to.deep.equal([]);
      expect(problem).to.include("of its namespace spark-41 without naming it");
    });
  });

  describe("client-pods-admitted-where-granted", () => {
    it("fails a release with clients but without its client admission policy", async () => {
      const resources = (await stackResources("dev")).filter(
        (r) => (r.props as Loose).metadata?.name !== "spark-35-clients.spark",
      );
      const [problem, ...rest] = clientPodsAdmittedWhereGranted.check(resources);
      expect(rest).to.deep.equal([]);
      expect(problem).to.match(
        /^release spark-35: admission: release spark-35 admits client pods from team-pipelines, airflow .*CREATE of a pod labelled spark-platform.io\/client-of=spark-35 in ungranted namespace verify-ungranted is admitted/,
      );
    });

    it("fails when the client policy's binding only audits", async () => {
      const resources = await stackResources("prod");
      object(
        resources,
        "ValidatingAdmissionPolicyBinding",
        "spark-41-clients.spark-41",
      ).spec.validationActions = ["Audit"];
      const [problem, ...rest] = clientPodsAdmittedWhereGranted.check(resources);
      expect(rest).to.deep.equal([]);
      expect(problem).to.match(/^release spark-41: admission: /);
    });
  });

  describe("metrics-from-monitoring-only", () => {
    const monitored = async () =>
      structuredClone(
        (await renderWithMonitoring("dev")).resources.map((r) => ({
          type: r.type,
          name: r.name,
          props: r.inputs,
        })),
      );

    it("passes dev with monitoring on, every rule with it", async () => {
      const resources = await monitored();
      for (const rule of STACK_RULES) expect(rule.check(resources), rule.name).to.deep.equal([]);
    });

    it("flags a metrics policy admitting a client namespace instead of the monitoring namespace", async () => {
      const resources = await monitored();
      object(resources, "NetworkPolicy", "spark-41-allow-metrics").spec.ingress[0].from = [
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "airflow" } } },
      ];
      const found = metricsFromMonitoringOnly.check(resources).join("\n");
      expect(found).to.match(/admit airflow, monitoring: one monitoring namespace/);
      expect(found).to.match(/admits namespace airflow, a client namespace of spark-35, spark-41/);
    });
  });

  describe("pod-security-restricted", () => {
    it("names every container that breaks restricted or the platform's read-only root", async () => {
      const resources = await stackResources("prod");
      const master = container(resources, "Deployment", "spark-35-master");
      master.securityContext.readOnlyRootFilesystem = false;
      master.securityContext.capabilities = { drop: ["NET_RAW"] };
      const job = object(resources, "Job", "spark-41-metastore-schema-init").spec.template.spec;
      job.initContainers = [{ name: "fetch-driver", image: "busybox" }];
      delete job.securityContext.seccompProfile;
      const problems = podSecurity.check(resources);
      expect(problems).to.include.members([
        "Deployment/spark-35/spark-35-master: capabilities: container master does not drop ALL",
        "Deployment/spark-35/spark-35-master: readOnlyRootFilesystem != true: container master",
        "Job/spark-41/spark-41-metastore-schema-init: allowPrivilegeEscalation != false: initContainer fetch-driver",
        "Job/spark-41/spark-41-metastore-schema-init: seccompProfile: initContainer fetch-driver unset",
      ]);
      // The schema-init container sets its own seccomp profile; only the bare init container fails.
      expect(problems.join("\n")).not.to.include("seccompProfile: container schema-init");
    });

    it("refuses what restricted refuses beyond the container settings: host namespaces, hostPath", async () => {
      const resources = await stackResources("dev");
      const worker = object(resources, "Deployment", "spark-35-worker").spec.template.spec;
      worker.hostNetwork = true;
      worker.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
      expect(podSecurity.check(resources)).to.deep.equal([
        "Deployment/spark/spark-35-worker: host namespaces: hostNetwork=true",
        "Deployment/spark/spark-35-worker: hostPath volumes: docker",
        "Deployment/spark/spark-35-worker: restricted volume types: docker is hostPath",
      ]);
    });

    it("holds seccomp to RuntimeDefault, stricter than restricted (which allows Localhost)", async () => {
      const resources = await stackResources("prod");
      container(resources, "Deployment", "spark-41-connect").securityContext.seccompProfile = {
        type: "Localhost",
        localhostProfile: "profiles/anything.json",
      };
      expect(podSecurity.check(resources)).to.deep.equal([
        "Deployment/spark-41/spark-41-connect: seccompProfile: container connect Localhost, not RuntimeDefault",
      ]);
    });

    it("checks Spark executor pod templates shipped in ConfigMaps", async () => {
      const resources = await stackResources("dev");
      const template = object(resources, "ConfigMap", "spark-41-executor-template");
      template.data["executor.yaml"] = template.data["executor.yaml"].replace(
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
      );
      // The first occurrence is the template's jar init container (Spark keeps the template's
      // init containers), so the rule must look at those too.
      expect(podSecurity.check(resources)).to.deep.equal([
        "ConfigMap/spark/spark-41-executor-template#executor.yaml: allowPrivilegeEscalation != false: initContainer fetch-jars",
      ]);
    });
  });
});

describe("policy: metastore-own-database with the dynamic PostgreSQL provider", () => {
  it("also sees databases and roles created through lib/backends/postgres/dynamic.ts", () => {
    const shared = (name: string, type: string, props: Record<string, unknown>) => ({
      name,
      type,
      props,
    });
    const resources = [
      shared("spark-35-metastore-db", "pulumi-nodejs:dynamic/spark-platform:PostgresDatabase", {
        name: "metastore_shared",
        owner: "metastore_spark35",
      }),
      shared("spark-41-metastore-db", "pulumi-nodejs:dynamic/spark-platform:PostgresDatabase", {
        name: "metastore_shared",
        owner: "metastore_spark41",
      }),
    ];
    const problems = metastoreOwnDatabase.check(resources);
    expect(problems.join("\n")).to.contain("spark-35-metastore-db, spark-41-metastore-db");
  });
});
