// Writes docs/templates.md from the template variables, limits and renders: `npm run docs:templates` after changing them.
import { writeFileSync } from "node:fs";
import { renderTemplatesDoc } from "./templates-doc.js";

const doc = renderTemplatesDoc();
writeFileSync(new URL("../docs/templates.md", import.meta.url), doc);
process.stdout.write(`docs/templates.md: ${doc.split("\n").length} lines\n`);
