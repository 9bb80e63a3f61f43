// Writes openapi.json from the running code's route declarations: `npm run openapi` after an API change.
import { writeFileSync } from "node:fs";
import { startTestServer } from "../test/support/server.js";
import { createTestStore } from "../test/support/store.js";

// Outside vitest no project says which store to use; the document is the same on either, so SQLite.
const store = await createTestStore("sqlite");
const gh = await startTestServer({ store });
try {
  const res = await fetch(`${gh.url}/openapi.json`);
  const doc = (await res.json()) as { paths: Record<string, unknown> };
  writeFileSync(new URL("../openapi.json", import.meta.url), `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`openapi.json: ${Object.keys(doc.paths).length} paths\n`);
} finally {
  await gh.stop();
  await store.drop();
}
