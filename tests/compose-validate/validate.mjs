// Validates Compose files against the official Compose Specification JSON schema (compose-spec's
// compose_spec.json, as shipped by the npm package dclint in schemas/compose.schema.json), with the ajv options
// dclint itself uses. Usage: node validate.mjs NODE_MODULES FILE ...
// Like `docker compose config`, variables are interpolated first: ${VAR:-default} and ${VAR-default} take the
// default, ${VAR} and $VAR become empty, $$ is a literal $. Prints one JSON line per file; exits 1 when any fails.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [modulesArgument, ...files] = process.argv.slice(2);
if (!modulesArgument || files.length === 0) {
  console.error("usage: node validate.mjs NODE_MODULES FILE ...");
  process.exit(2);
}

const nodeModules = resolve(modulesArgument);
const requireFromDclint = createRequire(join(nodeModules, "dclint", "package.json"));
const ajvModule = requireFromDclint("ajv");
const Ajv = ajvModule.default ?? ajvModule;
const YAML = requireFromDclint("yaml");
const schema = JSON.parse(readFileSync(join(nodeModules, "dclint", "schemas", "compose.schema.json"), "utf8"));
delete schema.$schema; // draft-07, ajv's default; its https:// spelling is not a meta-schema id ajv knows
const validate = new Ajv({ allErrors: true, strict: false, strictSchema: false, allowUnionTypes: true, logger: false }).compile(schema);

function interpolate(value) {
  if (typeof value === "string") {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (match, name, operator, word) => (match === "$$" ? "$" : operator === "-" || operator === ":-" ? word : ""));
  }
  if (Array.isArray(value)) return value.map(interpolate);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]));
  }
  return value;
}

let failed = 0;
for (const file of files) {
  const document = YAML.parseDocument(readFileSync(file, "utf8"), { merge: true });
  if (document.errors.length > 0) {
    console.log(JSON.stringify({ file, ok: false, errors: ["YAML: " + document.errors[0].message] }));
    failed++;
    continue;
  }
  const ok = validate(interpolate(document.toJS()));
  const errors = ok ? [] : validate.errors.map(e => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ": " + e.params.additionalProperty : ""}`);
  console.log(JSON.stringify({ file, ok, errors }));
  if (!ok) failed++;
}
process.exit(failed > 0 ? 1 : 0);
