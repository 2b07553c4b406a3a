// Sizes parse and round-trip: JVM sizes, Kubernetes memory quantities and CPU quantities
// mean the same amount whichever way the platform writes or reads them.
import { expect } from "chai";
import fc from "fast-check";
import {
  cpuToMillicores,
  daemonContainerMiB,
  jvmContainerMiB,
  jvmOverheadMiB,
  mebibytes,
  memoryToMiB,
  sizeToMiB,
  SIZE_PATTERN,
} from "../../../../lib/units/sizes";

const RUNS = { numRuns: 300 };
const amount = fc.integer({ min: 1, max: 1_000_000 });
const MIB_PER_UNIT = { m: 1, g: 1024, t: 1024 * 1024 } as const;

describe("size properties", () => {
  it("a JVM size reads as its amount times its unit, in either case", () => {
    fc.assert(
      fc.property(amount, fc.constantFrom("m", "g", "t", "M", "G", "T"), (n, unit) => {
        const size = `${n}${unit}`;
        expect(SIZE_PATTERN.test(size)).to.equal(true);
        const factor = MIB_PER_UNIT[unit.toLowerCase() as keyof typeof MIB_PER_UNIT];
        expect(sizeToMiB(size)).to.equal(n * factor);
      }),
      RUNS,
    );
  });

  it("a MiB amount written as a Kubernetes quantity reads back unchanged", () => {
    fc.assert(
      fc.property(amount, (miB) => {
        expect(memoryToMiB(mebibytes(miB))).to.equal(miB);
      }),
      RUNS,
    );
  });

  it("the same memory in Ki, Mi and Gi reads as the same MiB", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), (gi) => {
        expect(memoryToMiB(`${gi}Gi`)).to.equal(memoryToMiB(`${gi * 1024}Mi`));
        expect(memoryToMiB(`${gi * 1024 * 1024}Ki`)).to.equal(gi * 1024);
      }),
      RUNS,
    );
  });

  it("CPU in millicores and in cores agree", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64_000 }), (milli) => {
        expect(cpuToMillicores(`${milli}m`)).to.equal(milli);
        expect(cpuToMillicores(String(milli / 1000))).to.equal(milli);
        expect(cpuToMillicores(milli / 1000)).to.equal(milli);
      }),
      RUNS,
    );
  });

  it("container memory always covers the heap, with Spark's 384 MiB floor", () => {
    fc.assert(
      fc.property(amount, (heap) => {
        expect(jvmOverheadMiB(heap)).to.be.at.least(384);
        expect(jvmContainerMiB(heap)).to.be.at.least(heap + 384);
        expect(jvmContainerMiB(heap)).to.be.at.least(heap + heap / 10);
        expect(daemonContainerMiB(heap)).to.be.at.least(heap + 256);
      }),
      RUNS,
    );
  });

  it("anything that is not a JVM size is refused", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!SIZE_PATTERN.test(text));
        expect(() => sizeToMiB(text)).to.throw(/not a JVM size/);
      }),
      RUNS,
    );
  });
});
