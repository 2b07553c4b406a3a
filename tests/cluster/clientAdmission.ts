// Live check "only a release's granted clients get in", at admission: server-side dry runs
// (`kubectl create --dry-run=server`: admission runs, nothing is created) of client pods
// against the stack's live client admission policies. Expected, per release: its client
// pod in the granted client namespace under the granted ServiceAccount is admitted; the
// same pod in a namespace granted to the other release only, or under the namespace's
// `default` account, is refused with a message naming the release and the key to change;
// an unlabelled pod anywhere is admitted. Pure parts first (clientAdmission.unit.test.ts
// tries the same probes on the rendered policies with the admission model).
import { expect } from "chai";
import { configKey } from "../../lib/config/keys";
import type { PlatformConfig } from "../../lib/config/model";
import { CLIENT_LABEL } from "../../lib/kube/objects";
import {
  CLIENT_PLACEMENT,
  RELEASES,
  UNGRANTED_NAMESPACE,
  type ClientPlacement,
  type ReleaseName,
} from "./clients";
import { createObjects, outcome, parkedPod } from "./rbacSupport";
import type { CommandResult } from "./support";

export interface AdmissionProbe {
  /** What is tried, in words. */
  readonly what: string;
  readonly release: ReleaseName;
  /** The pod a dry run creates. */
  readonly pod: Record<string, unknown>;
  readonly expected: "admitted" | "refused";
  /** What a refusal must say: the release and the config key that grants access. */
  readonly mentions: readonly string[];
}

/** A parked (never scheduled) pod, optionally labelled as a client and run as an account. */
function probePod(
  name: string,
  namespace: string,
  clientOf: ReleaseName | undefined,
  serviceAccount: string | undefined,
): Record<string, unknown> {
  const pod = parkedPod(namespace, name, clientOf ? { [CLIENT_LABEL]: clientOf } : {}) as {
    spec: Record<string, unknown>;
  };
  return {
    ...pod,
    spec: { ...pod.spec, ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}) },
  };
}

/** The probes of one stack, keys read from its configuration (release and entry indexes). */
export function admissionProbes(
  config: PlatformConfig,
  runId: string,
  placement: ClientPlacement = CLIENT_PLACEMENT,
): AdmissionProbe[] {
  return RELEASES.flatMap((name) => {
    const release = config.releases.find((r) => r.name === name);
    const grant = release?.clients.find((g) => g.namespace === placement.namespace);
    if (!release || !grant) {
      throw new Error(`${name} does not grant ${placement.namespace}: fix releases[].clients`);
    }
    const clientsKey = configKey(["releases", release.index, "clients"]);
    const accountsKey = configKey([
      "releases",
      release.index,
      "clients",
      grant.index,
      "serviceAccounts",
    ]);
    const pod = (suffix: string, namespace: string, clientOf?: ReleaseName, account?: string) =>
      probePod(`it-adm-${suffix}-${name}-${runId}`, namespace, clientOf, account);
    const ungranted = UNGRANTED_NAMESPACE[name];
    return [
      {
        what: `${name} client in ${placement.namespace} as ${placement.serviceAccount}`,
        release: name,
        pod: pod("granted", placement.namespace, name, placement.serviceAccount),
        expected: "admitted" as const,
        mentions: [],
      },
      {
        what: `${name} client in ${ungranted}, granted to the other release only`,
        release: name,
        pod: pod("elsewhere", ungranted, name),
        expected: "refused" as const,
        mentions: [`release ${name}`, clientsKey],
      },
      {
        what: `${name} client in ${placement.namespace} as default`,
        release: name,
        pod: pod("account", placement.namespace, name, "default"),
        expected: "refused" as const,
        mentions: [`release ${name}`, accountsKey],
      },
      {
        what: `unlabelled pod in ${ungranted}`,
        release: name,
        pod: pod("plain", ungranted),
        expected: "admitted" as const,
        mentions: [],
      },
    ];
  });
}

/** What is wrong with a dry run's result for a probe (empty: as expected). */
export function probeComplaints(probe: AdmissionProbe, result: CommandResult): string[] {
  if (probe.expected === "admitted") {
    return result.code === 0 ? [] : [`${probe.what}: expected admitted, got ${outcome(result)}`];
  }
  if (result.code === 0) return [`${probe.what}: expected refused, but admitted`];
  if (
    !/ValidatingAdmissionPolicy '[^']+' with binding '[^']+' denied request/.test(result.stderr)
  ) {
    return [`${probe.what}: refused, but not by an admission policy: ${outcome(result)}`];
  }
  const missing = probe.mentions.filter((text) => !result.stderr.includes(text));
  return missing.length
    ? [`${probe.what}: the refusal does not name ${missing.join(", ")}: ${outcome(result)}`]
    : [];
}

/**
 * For the platform suite: one `it` trying every probe as a server-side dry run (call
 * inside a stack's describe, after the stack is up).
 */
export function clientAdmissionChecks(config: () => PlatformConfig): void {
  it("client admission: a client pod is admitted only in its granted namespace under a granted ServiceAccount; refusals name the release and the key (server dry runs)", async () => {
    const complaints: string[] = [];
    for (const probe of admissionProbes(config(), `${Date.now().toString(36)}`)) {
      const result = await createObjects([probe.pod], { dryRun: true });
      complaints.push(...probeComplaints(probe, result));
    }
    expect(complaints).to.deep.equal([]);
  });
}
