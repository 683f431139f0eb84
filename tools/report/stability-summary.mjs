// Summarises N drill runs (one Allure results folder each): per drill, how many runs were green and the
// spread (min / median / max) of its wall time and RTO. Usage: node stability-summary.mjs <runs-dir>
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const runsDir = process.argv[2];
const runs = readdirSync(runsDir).filter((d) => existsSync(join(runsDir, d, "allure-results"))).sort();
const drills = new Map();
for (const run of runs) {
  const dir = join(runsDir, run, "allure-results");
  for (const file of readdirSync(dir).filter((f) => f.endsWith("-result.json"))) {
    const r = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const timings = (r.attachments ?? []).find((a) => a.name === "timings.json");
    const t = timings ? JSON.parse(readFileSync(join(dir, timings.source), "utf8")) : null;
    const d = drills.get(r.name) ?? { green: 0, runs: 0, seconds: [], rto: [] };
    d.runs++;
    if (r.status === "passed") d.green++;
    d.seconds.push((r.stop - r.start) / 1000);
    if (t) d.rto.push(t.restoreSeconds);
    drills.set(r.name, d);
  }
}
const spread = (xs) => {
  if (xs.length === 0) return "-";
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(1)} / ${s[Math.floor(s.length / 2)].toFixed(1)} / ${s[s.length - 1].toFixed(1)} s`;
};
let green = 0, total = 0;
console.log(`\nStability: ${runs.length} runs`);
console.log(`  ${"drill".padEnd(56)} green   wall time min/median/max      RTO min/median/max`);
for (const [name, d] of [...drills].sort()) {
  green += d.green; total += d.runs;
  console.log(`  ${name.padEnd(56)} ${`${d.green}/${d.runs}`.padEnd(7)} ${spread(d.seconds).padEnd(29)} ${spread(d.rto)}`);
}
console.log(`stability_green=${green}/${total}`);
process.exit(green === total && total > 0 ? 0 : 1);
