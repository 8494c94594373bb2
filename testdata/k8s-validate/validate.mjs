// Validates the objects `ork template -o json` printed against the official Kubernetes OpenAPI schemas
// (the npm package kubernetes-models: one class per apiVersion/kind, `.validate()` runs the schema), and
// checks that the YAML stream `ork template` printed for the same inputs reads back, under both the
// YAML 1.2 core schema and YAML 1.1 (what kubectl's go-yaml reads), as exactly those objects.
//
// Usage: node validate.mjs [--name LABEL] [--yaml STREAM.yaml] LIST.json
//        node validate.mjs --self-check
// Prints one line per failure and a closing "N passed, N failed" line (N = objects); exits 1 on any
// failure. Objects whose apiVersion/kind is not a Kubernetes built-in (custom resources) are checked
// for apiVersion, kind and metadata.name only and counted as passed, with a note.
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";

async function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  if (!/^[a-z0-9.]*\/?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  try {
    const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return mod[kind] ?? null;
  } catch {
    return null;
  }
}

/// The schema errors of one object ("" when valid), and whether a built-in schema was used.
async function schemaErrors(obj) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return { error: "not an object", builtin: false };
  const Model = await modelClass(obj.apiVersion, obj.kind);
  if (!Model) {
    const name = obj.metadata && obj.metadata.name;
    if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string" || typeof name !== "string" || !name)
      return { error: "apiVersion, kind and metadata.name must be non-empty strings", builtin: false };
    return { error: "", builtin: false };
  }
  try {
    new Model(obj).validate();
    return { error: "", builtin: true };
  } catch (e) {
    return { error: String(e && e.message ? e.message : e), builtin: true };
  }
}

function describe(obj, index) {
  const md = (obj && obj.metadata) || {};
  const where = md.namespace ? `${md.namespace}/${md.name}` : md.name;
  return `items[${index}] ${obj && obj.apiVersion} ${obj && obj.kind} ${where}`;
}

/// The documents of a YAML stream read with one schema version; errors are reported as failures.
function readStream(text, version) {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true });
  const out = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`YAML ${version}: ${doc.errors[0].message}`);
    if (doc.contents === null) continue;
    out.push(doc.toJS({ maxAliasCount: -1 }));
  }
  return out;
}

/// Compares the YAML stream with the JSON items under YAML 1.2 and 1.1; returns failure lines.
function compareYaml(yamlText, items, label) {
  const failures = [];
  for (const version of ["1.2", "1.1"]) {
    let docs;
    try {
      docs = readStream(yamlText, version);
    } catch (e) {
      failures.push(`${label}: the YAML stream does not parse: ${e.message}`);
      continue;
    }
    if (docs.length !== items.length) {
      failures.push(`${label}: YAML ${version}: ${docs.length} documents, but -o json has ${items.length} objects`);
      continue;
    }
    docs.forEach((doc, i) => {
      if (!isDeepStrictEqual(doc, items[i]))
        failures.push(`${label}: ${describe(items[i], i)}: YAML ${version} reads back differently from -o json: ` +
                      `${JSON.stringify(doc)} != ${JSON.stringify(items[i])}`);
    });
  }
  return failures;
}

async function validateList(list, label) {
  const failures = [];
  let passed = 0, custom = 0;
  if (!list || list.apiVersion !== "v1" || list.kind !== "List" || !Array.isArray(list.items))
    return { passed, failures: [`${label}: not a v1 List`], custom };
  for (const [i, obj] of list.items.entries()) {
    const { error, builtin } = await schemaErrors(obj);
    if (error) failures.push(`${label}: ${describe(obj, i)}: ${error}`);
    else passed++;
    if (!builtin && !error) custom++;
  }
  return { passed, failures, custom };
}

// Proves the checks can fail: invalid objects must be rejected, a valid one accepted, and a YAML
// stream that reads back as another type must be caught.
async function selfCheck() {
  const valid = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } },
            template: { metadata: { labels: { app: "web" } },
                        spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 8080 }] }] } } },
  };
  const invalid = [
    structuredClone(valid), structuredClone(valid),
    { apiVersion: "v1", kind: "Service", metadata: { name: "svc" }, spec: { ports: [{ port: "eighty" }] } },
  ];
  invalid[0].spec.template.spec.containers[0].ports[0].containerPort = "8080";  // a string
  delete invalid[1].spec.selector;                                              // a required field
  const problems = [];
  if ((await schemaErrors(valid)).error) problems.push(`a valid Deployment was rejected: ${(await schemaErrors(valid)).error}`);
  for (const obj of invalid)
    if (!(await schemaErrors(obj)).error) problems.push(`an invalid ${obj.kind} was accepted: ${JSON.stringify(obj)}`);
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { version: "7.2", debug: "on" } };
  if (compareYaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  debug: 'on'\n  version: '7.2'\n", [cm], "self").length)
    problems.push("a correctly quoted YAML stream was reported as different");
  if (!compareYaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  debug: on\n  version: 7.2\n", [cm], "self").length)
    problems.push("a YAML stream whose strings read back as a number and a boolean was not caught");
  for (const p of problems) console.log(`self-check: ${p}`);
  console.log(`${4 - problems.length} passed, ${problems.length} failed`);
  return problems.length === 0;
}

async function main(argv) {
  if (argv[0] === "--self-check") return (await selfCheck()) ? 0 : 1;
  let yamlFile = null, label = null, jsonFile = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--yaml") yamlFile = argv[++i];
    else if (argv[i] === "--name") label = argv[++i];
    else jsonFile = argv[i];
  }
  if (!jsonFile) {
    console.error("usage: node validate.mjs [--name LABEL] [--yaml STREAM.yaml] LIST.json | --self-check");
    return 2;
  }
  label ??= jsonFile;
  let list;
  try {
    list = JSON.parse(readFileSync(jsonFile, "utf8"));
  } catch (e) {
    console.log(`${label}: cannot read the -o json output: ${e.message}`);
    console.log("0 passed, 1 failed");
    return 1;
  }
  const { passed, failures, custom } = await validateList(list, label);
  if (yamlFile && Array.isArray(list.items)) failures.push(...compareYaml(readFileSync(yamlFile, "utf8"), list.items, label));
  for (const f of failures) console.log(f);
  if (custom) console.log(`${label}: note: ${custom} object(s) of non-built-in kinds checked for apiVersion, kind and metadata.name only`);
  console.log(`${label}: ${passed} passed, ${failures.length} failed`);
  return failures.length === 0 && list.items.length > 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
