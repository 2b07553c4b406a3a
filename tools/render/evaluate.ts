import * as pulumi from "@pulumi/pulumi";
import type { RawConfig } from "../../lib/config/model";
import { SECRET_PLACEHOLDER } from "../../lib/config/sources";
import type { PlatformSecrets } from "../../platform/platform";
import { platformProgram, type StackExports } from "../../platform/program";
import { skipUnreadPromiseStacks } from "../launcher/pulumiPromiseStacks";
import {
  RENDER_DIGEST_KEY,
  RENDER_SPARK_AUTH_KEY,
  renderMocks,
  waitForRegistrations,
} from "./mocks";

/** A resource as the program registered it, with its options. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  /** Inputs with every secret value replaced by "[secret]". */
  readonly inputs: Record<string, unknown>;
  readonly custom: boolean;
  readonly parent: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly dependencies: readonly string[];
  /** Outputs the engine stores as secrets whatever the provider returns. */
  readonly additionalSecretOutputs: readonly string[];
}

export interface Evaluation {
  readonly resources: readonly RegisteredResource[];
  readonly exports: StackExports;
}

const SIG = pulumi.runtime.specialSigKey;
const SECRET = pulumi.runtime.specialSecretSig;

/** Replaces every leaf of a secret value, keeping its shape (a Secret's keys stay visible). */
function placeholderLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(placeholderLeaves);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SIG] === SECRET) return placeholderLeaves(record["value"]);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, placeholderLeaves(v)]));
  }
  return value === undefined || value === null ? value : SECRET_PLACEHOLDER;
}

/** Walks serialized inputs; anything Pulumi marked secret becomes the placeholder. */
function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SIG] === SECRET) return placeholderLeaves(record["value"]);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, scrubSecrets(v)]));
  }
  return value;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getObject(): { toJavaScript(): unknown } | undefined;
}

let evaluations: Promise<unknown> = Promise.resolve();

/**
 * Runs the platform program in-process against Pulumi's mock monitor: no engine, no
 * cloud, no cluster. Records what the real engine would receive for every resource:
 * type, name, inputs (secrets replaced as Pulumi marked them) and options. The stack's
 * credential-digest key is `digestKey` (RENDER_DIGEST_KEY unless a test picks another), its
 * Spark authentication key `sparkAuthKey` (RENDER_SPARK_AUTH_KEY likewise).
 */
export function evaluateProgram(
  raw: RawConfig,
  secrets: PlatformSecrets,
  stack = "render",
  digestKey = RENDER_DIGEST_KEY,
  sparkAuthKey = RENDER_SPARK_AUTH_KEY,
): Promise<Evaluation> {
  // Mocks are process-global: evaluations run one after another.
  const next = evaluations.then(() => evaluateOnce(raw, secrets, stack, digestKey, sparkAuthKey));
  evaluations = next.catch(() => undefined);
  return next;
}

async function evaluateOnce(
  raw: RawConfig,
  secrets: PlatformSecrets,
  stack: string,
  digestKey: string,
  sparkAuthKey: string,
): Promise<Evaluation> {
  const resources: RegisteredResource[] = [];
  // As index.cjs does for `pulumi up` (a no-op under SPARK_PLATFORM_PULUMI_AS_SHIPPED).
  skipUnreadPromiseStacks();
  const mocks = renderMocks(digestKey, sparkAuthKey);
  let received: Record<string, unknown> | undefined;
  await pulumi.runtime.setMocks(
    {
      ...mocks,
      newResource: (args) => {
        received = args.inputs;
        return mocks.newResource(args);
      },
    },
    "spark-platform",
    stack,
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    received = undefined;
    register(req, callback);
    // The mock monitor decodes the request's inputs for newResource as it starts (before
    // its first await): use those instead of decoding the request a second time.
    const object = received ?? req.getObject()?.toJavaScript() ?? {};
    received = undefined;
    resources.push({
      type: req.getType(),
      name: req.getName(),
      inputs: scrubSecrets(object) as Record<string, unknown>,
      custom: req.getCustom(),
      parent: req.getParent(),
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      dependencies: req.getDependenciesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
  };
  // Not `exports`: that name is the module's own in the emitted CommonJS.
  const stackExports = platformProgram(raw, secrets);
  await waitForRegistrations();
  return { resources, exports: stackExports };
}

/** Resolves an Output (mocks resolve them in-process). */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}
