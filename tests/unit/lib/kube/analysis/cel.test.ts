import { expect } from "chai";
import {
  CelError,
  CelUnsupported,
  evaluateCel,
  type CelValue,
} from "../../../../../lib/kube/analysis/cel";

const pod: CelValue = {
  metadata: { name: "p", labels: { app: "x", "spark-platform.io/client-of": "spark-35" } },
  spec: { containers: [{ name: "c" }] },
};
const env = {
  object: pod,
  oldObject: null,
  request: { namespace: "airflow", operation: "CREATE" },
};
const run = (expression: string) => evaluateCel(expression, env);

describe("CEL subset interpreter", () => {
  it("reads fields, map keys and list items", () => {
    expect(run("object.metadata.name")).to.equal("p");
    expect(run("object.metadata.labels['spark-platform.io/client-of']")).to.equal("spark-35");
    expect(run("object.spec.containers[0].name")).to.equal("c");
    expect(run("request.namespace")).to.equal("airflow");
  });

  it("has() tests presence without failing; selecting an absent field fails", () => {
    expect(run("has(object.spec.serviceAccountName)")).to.equal(false);
    expect(run("has(object.metadata.labels)")).to.equal(true);
    expect(() => run("object.spec.serviceAccountName")).to.throw(CelError, /no such key/);
    expect(() => run("object.metadata.labels['missing']")).to.throw(CelError, /no such key/);
    expect(() => run("has(oldObject.metadata)")).to.throw(CelError);
  });

  it("in reads lists and map keys", () => {
    expect(run("request.namespace in ['team-a', 'airflow']")).to.equal(true);
    expect(run("request.namespace in []")).to.equal(false);
    expect(run("'app' in object.metadata.labels")).to.equal(true);
    expect(run("'nope' in object.metadata.labels")).to.equal(false);
  });

  it("precedence: ! binds tighter than ==, == than &&, && than ||, all of them than ?:", () => {
    expect(run("!false == true")).to.equal(true);
    expect(run("true || false && false")).to.equal(true);
    expect(run("(true || false) && false")).to.equal(false);
    expect(run("false ? 'a' : true ? 'b' : 'c'")).to.equal("b");
    expect(run("1 + 2 * 3 == 7")).to.equal(true);
    expect(run("'a' + 'b' + 'c'")).to.equal("abc");
  });

  it("&& and || absorb an error when the other side decides, and only then", () => {
    expect(run("false && oldObject.metadata.name == 'x'")).to.equal(false);
    expect(run("oldObject.metadata.name == 'x' && false")).to.equal(false);
    expect(run("true || oldObject.metadata.name == 'x'")).to.equal(true);
    expect(run("oldObject.metadata.name == 'x' || true")).to.equal(true);
    expect(() => run("true && oldObject.metadata.name == 'x'")).to.throw(CelError);
    expect(() => run("false || oldObject.metadata.name == 'x'")).to.throw(CelError);
  });

  it("a non-bool in a condition is an error, not JavaScript truthiness", () => {
    expect(() => run("'yes' ? 1 : 2")).to.throw(CelError, /needs a bool/);
    expect(() => run("!'x'")).to.throw(CelError);
    expect(() => run("1 + 'x'")).to.throw(CelError, /no matching overload/);
  });

  it("string functions, size, macros and map literals", () => {
    expect(run("object.metadata.name.startsWith('p')")).to.equal(true);
    expect(run("'airflow'.endsWith('flow') && 'airflow'.contains('rfl')")).to.equal(true);
    expect(run("size(object.metadata.labels) == 2 && object.spec.containers.size() == 1")).to.equal(
      true,
    );
    expect(run("object.spec.containers.exists(c, c.name == 'c')")).to.equal(true);
    expect(run("object.spec.containers.all(c, c.name == 'd')")).to.equal(false);
    expect(run("['a', 'b'].join(', ')")).to.equal("a, b");
    expect(run("{'airflow': ['w']}[request.namespace]")).to.deep.equal(["w"]);
  });

  it("escapes in string literals", () => {
    expect(evaluateCel('\'it\\\'s\' + "\\"q\\""', {})).to.equal('it\'s"q"');
  });

  it("anything outside the subset is refused loudly, never guessed", () => {
    expect(() => run("object.metadata.name.matches('^p$')")).to.throw(CelUnsupported);
    expect(() => run("requests.namespace")).to.throw(CelUnsupported, /undeclared/);
    expect(() => run("has(object)")).to.throw(CelUnsupported);
    expect(() => run("object.metadata.name ==")).to.throw(CelUnsupported);
    expect(() => run("'unterminated")).to.throw(CelUnsupported);
    expect(() => run("a @ b")).to.throw(CelUnsupported);
    expect(() => run("'it''s'")).to.throw(CelUnsupported, /unparsed/);
  });
});
