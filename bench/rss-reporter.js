// Preloaded by bench/run.ts into each measured process: writes the process's peak resident set
// size (KiB) to $BENCH_RSS_FILE when it exits. A process that starts node again (the plan under
// Pulumi.yaml's nodeargs) preloads it in both: the file keeps the larger of the two.
"use strict";
process.on("exit", () => {
  const file = process.env.BENCH_RSS_FILE;
  if (!file) return;
  const fs = require("node:fs");
  let earlier = 0;
  try {
    earlier = Number(fs.readFileSync(file, "utf8")) || 0;
  } catch {
    // first writer
  }
  fs.writeFileSync(file, String(Math.max(earlier, process.resourceUsage().maxRSS)));
});
