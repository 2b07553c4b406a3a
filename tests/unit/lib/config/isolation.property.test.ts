// Properties of the isolation rules over generated configurations: whatever the names,
// prefixes and accounts, two releases that would share something they must own alone are
// refused with the key to change, and an accepted configuration shares nothing.
import { expect } from "chai";
import fc from "fast-check";
import type { ConfigIssue, PlatformConfig, ReleaseConfig } from "../../../../lib/config/model";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import {
  MAX_RELEASE_NAME_LENGTH,
  NAME_SUFFIXES,
  releaseNames,
  type NetworkPolicyPurpose,
} from "../../../../lib/naming/names";
import { prefixesOverlap } from "../../../../lib/naming/prefixes";
import { baseValues, rawConfig } from "../../../support/stacks";

const RUNS = { numRuns: 150 };

/**
 * Release names built from the words the platform's own suffixes use, so generated pairs
 * often derive colliding object names (`x-metastore` + `-object-store` against `x` +
 * `-metastore-object-store`), the case a random string would almost never hit.
 */
const WORDS = ["x", "spark", "metastore", "history", "object", "store", "allow", "conf", "db"];
const releaseName = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
  .map((words) => words.join("-"))
  .filter((name) => name.length <= MAX_RELEASE_NAME_LENGTH);

const POLICY_PURPOSES = NAME_SUFFIXES.filter(
  (s) => s.startsWith("-allow-") || s === "-default-deny",
).map((s) => s.slice(1) as NetworkPolicyPurpose);

/** Every name a release's objects can carry in its namespace. */
function allObjectNames(release: ReleaseConfig): string[] {
  const { networkPolicy, release: _release, ...names } = release.names;
  return [...Object.values(names), ...POLICY_PURPOSES.map((p) => networkPolicy(p))];
}

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

function twoReleases(a: string, b: string, edit: (values: Values) => void = () => {}) {
  const values = baseValues() as Values;
  values.releases = [
    { name: a, sparkVersion: "3.5.7", mode: "standalone" },
    { name: b, sparkVersion: "4.1.0", mode: "connect" },
  ];
  edit(values);
  return parsePlatformConfig(rawConfig(values));
}

const issuesOf = (result: ReturnType<typeof parsePlatformConfig>): readonly ConfigIssue[] =>
  result.ok ? [] : result.issues;
const configOf = (result: ReturnType<typeof parsePlatformConfig>): PlatformConfig | undefined =>
  result.ok ? result.config : undefined;

describe("isolation properties (generated configurations)", () => {
  it("two releases in one namespace: accepted exactly when they share no name or database", () => {
    fc.assert(
      fc.property(releaseName, releaseName, (a, b) => {
        fc.pre(a !== b);
        const [alone, other] = [releasesOf(a), releasesOf(b)];
        const namesA = new Set(allObjectNames(alone));
        const clash = allObjectNames(other).filter((n) => namesA.has(n));
        // Default databases drop the dashes (`x-db` and `xdb`): a clash of its own.
        const sameDatabase = alone.metastore.database === other.metastore.database;
        const keys = issuesOf(twoReleases(a, b)).map((i) => i.key);
        if (clash.length === 0 && !sameDatabase) {
          expect(keys, `${a} / ${b}`).to.deep.equal([]);
        } else if (clash.length > 0) {
          expect(keys, `${a} / ${b} share ${clash.join(", ")}`).to.include(
            "spark-platform:releases[1].name",
          );
        } else {
          expect(keys).to.include("spark-platform:releases[1].hiveMetastore.database");
        }
      }),
      RUNS,
    );
  });

  it("an accepted configuration never shares a database, role, prefix, account or namespace", () => {
    const overrides = fc.record({
      database: fc.option(fc.constantFrom("metastore_a", "metastore_b"), { nil: undefined }),
      role: fc.option(fc.constantFrom("role_a", "role_b"), { nil: undefined }),
      prefix: fc.option(fc.constantFrom("logs", "logs/a", "logs/b", "logs/a/deeper"), {
        nil: undefined,
      }),
      warehouse: fc.option(fc.constantFrom("warehouse", "warehouse/a", "logs/a"), {
        nil: undefined,
      }),
      account: fc.option(fc.constantFrom("spark", "jobs"), { nil: undefined }),
      namespace: fc.option(fc.constantFrom("team-a", "team-b"), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.tuple(overrides, overrides), (perRelease, [oa, ob]) => {
        const result = twoReleases("spark-35", "spark-41", (values) => {
          values["namespaceLayout"] = perRelease ? "perRelease" : "shared";
          values.releases.forEach((release, i) => {
            const o = i === 0 ? oa : ob;
            const metastore: Record<string, unknown> = { enabled: true };
            if (o.database) metastore["database"] = o.database;
            if (o.role) metastore["role"] = o.role;
            release["hiveMetastore"] = metastore;
            if (o.prefix) release["historyServer"] = { enabled: true, prefix: o.prefix };
            if (o.warehouse) release["warehousePrefix"] = o.warehouse;
            if (o.account) release["serviceAccountName"] = o.account;
            if (perRelease && o.namespace) release["namespace"] = o.namespace;
          });
        });
        const config = configOf(result);
        if (!config) {
          // Every refusal names a key of the second release or the release it breaks.
          for (const issue of issuesOf(result)) {
            expect(issue.key).to.match(/^spark-platform:releases\[[01]\]\./);
          }
          return;
        }
        const [a, b] = config.releases as [ReleaseConfig, ReleaseConfig];
        expect(a.metastore.database).not.to.equal(b.metastore.database);
        expect(a.metastore.role).not.to.equal(b.metastore.role);
        for (const p of [a.history.prefix, a.warehousePrefix]) {
          for (const q of [b.history.prefix, b.warehousePrefix]) {
            expect(prefixesOverlap(p, q), `${p} / ${q}`).to.equal(false);
          }
        }
        for (const r of [a, b]) {
          expect(prefixesOverlap(r.history.prefix, r.warehousePrefix)).to.equal(false);
        }
        if (perRelease) expect(a.namespace).not.to.equal(b.namespace);
        if (a.namespace === b.namespace) {
          expect(a.names.serviceAccount).not.to.equal(b.names.serviceAccount);
        }
      }),
      RUNS,
    );
  });

  it("sharing any one owned thing is refused, naming the second release's key", () => {
    const owned: Record<string, (v: string) => Record<string, unknown>> = {
      "hiveMetastore.database": (v) => ({ hiveMetastore: { enabled: true, database: `db_${v}` } }),
      "hiveMetastore.role": (v) => ({ hiveMetastore: { enabled: true, role: `role_${v}` } }),
      "historyServer.prefix": (v) => ({ historyServer: { enabled: true, prefix: `logs/${v}` } }),
      warehousePrefix: (v) => ({ warehousePrefix: `warehouse/${v}` }),
      serviceAccountName: (v) => ({ serviceAccountName: `sa-${v}` }),
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(owned)),
        fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
        (path, value) => {
          const result = twoReleases("spark-35", "spark-41", (values) => {
            values.releases.forEach((release) => Object.assign(release, owned[path]!(value)));
          });
          expect(
            issuesOf(result).map((i) => i.key),
            `both releases set ${path}`,
          ).to.include(`spark-platform:releases[1].${path}`);
        },
      ),
      RUNS,
    );
  });
});

/** The release as the parser would derive it alone (its names depend only on its own). */
function releasesOf(name: string): ReleaseConfig {
  const values = baseValues() as Values;
  values.releases = [{ name, sparkVersion: "3.5.7", mode: "standalone" }];
  const result = parsePlatformConfig(rawConfig(values));
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.issues)}`);
  return result.config.releases[0]!;
}

describe("naming properties", () => {
  const anyReleaseName = fc
    .stringMatching(/^[a-z]([a-z0-9-]*[a-z0-9])?$/)
    .filter((s) => s.length <= MAX_RELEASE_NAME_LENGTH && !s.includes("--"));

  it("every derived name is at most 63 characters and distinct within a release", () => {
    fc.assert(
      fc.property(anyReleaseName, (name) => {
        const names = allObjectNames({ names: releaseNames(name) } as ReleaseConfig);
        for (const n of names) expect(n.length, n).to.be.at.most(63);
        expect(new Set(names).size).to.equal(names.length);
      }),
      RUNS,
    );
  });

  it("every release name the parser accepts derives valid, distinct names", () => {
    fc.assert(
      fc.property(anyReleaseName, (name) => {
        const release = releasesOf(name);
        const names = allObjectNames(release);
        for (const n of names) expect(n).to.match(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
        expect(new Set(names).size).to.equal(names.length);
      }),
      RUNS,
    );
  });
});

describe("prefix properties", () => {
  const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,6}$/);
  const prefix = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));

  it("overlap is symmetric, reflexive and blind to trailing slashes", () => {
    fc.assert(
      fc.property(prefix, prefix, (a, b) => {
        expect(prefixesOverlap(a, b)).to.equal(prefixesOverlap(b, a));
        expect(prefixesOverlap(a, a)).to.equal(true);
        expect(prefixesOverlap(`${a}/`, b)).to.equal(prefixesOverlap(a, b));
      }),
      RUNS,
    );
  });

  it("a prefix overlaps everything beneath it and nothing that only shares its characters", () => {
    fc.assert(
      fc.property(prefix, segment, (a, s) => {
        expect(prefixesOverlap(a, `${a}/${s}`)).to.equal(true);
        expect(prefixesOverlap(a, `${a}${s}x`)).to.equal(false);
      }),
      RUNS,
    );
  });
});
