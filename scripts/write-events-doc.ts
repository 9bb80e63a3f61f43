// Writes docs/events.md from the catalog and the data schemas: `npm run docs:events` after changing either.
import { writeFileSync } from "node:fs";
import { renderEventsDoc } from "./events-doc.js";

const doc = renderEventsDoc();
writeFileSync(new URL("../docs/events.md", import.meta.url), doc);
process.stdout.write(`docs/events.md: ${doc.split("\n").length} lines\n`);
