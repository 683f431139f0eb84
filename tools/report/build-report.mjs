// Builds the single-file HTML report from Allure results, then makes it safe to open anywhere:
// - removes the analytics snippet Allure 3 embeds (the report must make no outside request);
// - fails when the generator read fewer results than the folder holds (Allure 3 skips unreadable files silently);
// - prints a drill-run summary for humans (drill, status, RTO) read from the results and their timings.json;
// - builds the run-level trend dashboard (Allure's dashboard plugin) into <report-dir>/dashboard/index.html.
// Usage: node build-report.mjs <results-dir> <report-dir> <history-file>
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [resultsDir, reportDir, historyFile] = process.argv.slice(2).map((p) => resolve(p));
if (!resultsDir || !reportDir || !historyFile) {
  console.error("usage: node build-report.mjs <results-dir> <report-dir> <history-file>");
  process.exit(2);
}
const resultFiles = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith("-result.json")) : [];
if (resultFiles.length === 0) {
  console.error(`no Allure results in ${resultsDir}: did the drills run?`);
  process.exit(1);
}

mkdirSync(dirname(historyFile), { recursive: true });
// The dashboard is a second generate over the same results: it must read the history as it was before this run (the
// report's generate appends this run to it), from a copy it may append to in turn.
const historyBefore = existsSync(historyFile) ? readFileSync(historyFile) : null;
const config = join(reportDir, "..", ".allurerc.json");
// A fresh directory: Allure 3 embeds every data file it finds there, so a previous run's results (a drill not run this
// time) would show in this run's report as if they were this run's.
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
// Allure 3's awesome report reads categories only from its config: take them from the results' categories.json.
const categoriesFile = join(resultsDir, "categories.json");
const categories = existsSync(categoriesFile)
  ? JSON.parse(readFileSync(categoriesFile, "utf8")).map(({ name, matchedStatuses, messageRegex }) =>
      ({ name, matchedStatuses, ...(messageRegex ? { messageRegex } : {}) }))
  : undefined;
writeFileSync(config, JSON.stringify({
  name: "RestoreDrills",
  ...(categories ? { categories } : {}),
  output: reportDir,
  historyPath: historyFile,
  plugins: { awesome: { options: { singleFile: true, reportName: "RestoreDrills: restore drills" } } },
}, null, 2));
execFileSync(process.execPath, [join(here, "node_modules", "allure", "cli.js"), "generate", "--config", config, resultsDir],
  { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NO_COLOR: "1" } });

// Allure 3 embeds an analytics snippet: removed, and nothing else may point outside the file.
function keepInside(path) {
  let page = readFileSync(path, "utf8")
    .replace(/<script[^>]*src="https:\/\/www\.googletagmanager\.com[^"]*"[^>]*><\/script>/g, "")
    .replace(/<script>\s*window\.dataLayer[\s\S]*?<\/script>/g, "");
  const outside = page.match(/(?:src|href)="(?:https?:)?\/\/[^"]+"/g) ?? [];
  if (outside.length > 0) {
    console.error(`${path} still refers to outside addresses: ${outside.slice(0, 3).join(", ")}`);
    process.exit(1);
  }
  writeFileSync(path, page);
  return page;
}
const indexPath = join(reportDir, "index.html");
const html = keepInside(indexPath);

const dashboardHistory = join(reportDir, "..", ".dashboard-history.jsonl");
rmSync(dashboardHistory, { force: true });
if (historyBefore) writeFileSync(dashboardHistory, historyBefore);
const dashboardConfig = join(reportDir, "..", ".allurerc-dashboard.json");
writeFileSync(dashboardConfig, JSON.stringify({
  name: "RestoreDrills",
  output: join(reportDir, "dashboard"),
  historyPath: dashboardHistory,
  plugins: { dashboard: { options: { singleFile: true, reportName: "RestoreDrills: trends across runs" } } },
}, null, 2));
execFileSync(process.execPath, [join(here, "node_modules", "allure", "cli.js"), "generate", "--config", dashboardConfig, resultsDir],
  { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NO_COLOR: "1" } });
rmSync(dashboardHistory, { force: true });
keepInside(join(reportDir, "dashboard", "index.html"));

// Every result file (retries included) becomes one embedded data/test-results entry; fewer means some were unreadable.
const shown = new Set(html.match(/data\/test-results\/[0-9a-f]+\.json/g) ?? []).size;
if (shown !== resultFiles.length) {
  console.error(`the report holds ${shown} results but ${resultFiles.length} were written: some could not be read`);
  process.exit(1);
}

// A drill's cause in one line a person reads: NUnit's "OneTimeSetUp: SetUp : Some.Namespace.XException : " prefix off,
// and a long line cut between words, marked, never inside a word or a setting's name.
function causeOf(message, limit = 140) {
  const line = (message ?? "").split("\n")[0].replace(/^(OneTimeSetUp: )?(SetUp : )?([\w.]+(Exception|Failure) : )?/, "").trim();
  if (line.length <= limit) return line;
  const cut = line.slice(0, limit);
  return cut.slice(0, cut.lastIndexOf(" ") > limit / 2 ? cut.lastIndexOf(" ") : limit) + " …";
}

const rows = resultFiles.map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8"))).map((r) => {
  const timings = (r.attachments ?? []).find((a) => a.name === "timings.json");
  const t = timings ? JSON.parse(readFileSync(join(resultsDir, timings.source), "utf8")) : null;
  return { name: r.name, status: r.status, rto: t ? `${t.restoreSeconds.toFixed(1)} s` : "-", rpo: typeof t?.rpoSeconds === "number" ? `${t.rpoSeconds.toFixed(1)} s` : "-",
           cause: r.status === "passed" ? "" : causeOf(r.statusDetails?.message) };
}).sort((a, b) => a.name.localeCompare(b.name));
const width = Math.max(...rows.map((r) => r.name.length));
console.log(`\nDrill run: ${rows.filter((r) => r.status === "passed").length} of ${rows.length} passed`);
for (const r of rows)
  console.log(`  ${r.status.toUpperCase().padEnd(7)} ${r.name.padEnd(width)}  RTO ${r.rto.padStart(7)}  RPO ${r.rpo.padStart(7)}  ${r.cause}`);
console.log(`Report: ${indexPath}`);
console.log(`Trends across runs: ${join(reportDir, "dashboard", "index.html")}`);
