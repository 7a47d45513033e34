// Validates Kubernetes manifests against the official schemas, through the npm package kubernetes-models (the
// Kubernetes OpenAPI schemas compiled to validators) and @kubernetes-models/prometheus-operator (the operator's CRD
// schemas, for ServiceMonitor and PrometheusRule). Usage: node validate.mjs NODE_MODULES FILE_OR_- ...
// Every YAML document must name an apiVersion and kind with a schema and pass it. Prints one JSON line per document
// and exits 1 when any fails. The schemas check types, required fields, enums and formats; like the API server's
// OpenAPI schemas they do not forbid unknown fields.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [modulesArgument, ...inputs] = process.argv.slice(2);
const nodeModules = modulesArgument ? resolve(modulesArgument) : modulesArgument;
if (!nodeModules || inputs.length === 0) {
  console.error("usage: node validate.mjs NODE_MODULES FILE_OR_- ...");
  process.exit(2);
}

const YAML = createRequire(join(nodeModules, "noop.js"))("yaml");

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") {
    return join(nodeModules, "@kubernetes-models", "prometheus-operator", group, version, `${kind}.js`);
  }
  return join(nodeModules, "kubernetes-models", ...(group ? [group] : []), version, `${kind}.js`);
}

let failed = 0;
for (const input of inputs) {
  const text = readFileSync(input === "-" ? 0 : input, "utf8");
  for (const document of YAML.parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      console.log(JSON.stringify({ file: input, ok: false, error: "YAML: " + document.errors[0].message }));
      failed++;
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    const { apiVersion, kind } = object;
    const name = object.metadata?.name;
    try {
      if (typeof apiVersion !== "string" || typeof kind !== "string") throw new Error("no apiVersion or kind");
      let module;
      try {
        module = await import(pathToFileURL(modulePath(apiVersion, kind)).href);
      } catch {
        throw new Error(`no schema for ${apiVersion} ${kind}`);
      }
      new module[kind](object).validate();
      console.log(JSON.stringify({ file: input, ok: true, apiVersion, kind, name }));
    } catch (e) {
      failed++;
      console.log(JSON.stringify({ file: input, ok: false, apiVersion, kind, name, error: String(e.message ?? e).slice(0, 2000) }));
    }
  }
}
process.exit(failed > 0 ? 1 : 0);
