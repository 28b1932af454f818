// Preloaded by bench/run.ts into each measured process: writes the process's peak resident set
// size (KiB) to $BENCH_RSS_FILE when it exits.
"use strict";
process.on("exit", () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) require("node:fs").writeFileSync(file, String(process.resourceUsage().maxRSS));
});
