// Global setup of the postgres test project: find PostgreSQL (or start one) once, and tell every test file where.
import type { TestProject } from "vitest/node";
import { findOrStartPostgres } from "./postgres-server.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // GATEHOUSE_TEST_PG_EMBEDDED=1 skips the lookup and starts the embedded server, as on a machine without one.
  const pg = await findOrStartPostgres({ forceEmbedded: process.env.GATEHOUSE_TEST_PG_EMBEDDED === "1" });
  process.stdout.write(`PostgreSQL for tests (${pg.source}): ${new URL(pg.url).host}\n`);
  project.provide("pgUrl", pg.url);
  return () => pg.stop();
}
