import { defineConfig } from "vitest/config";

// Every test that touches the store runs twice, once per store: one matrix, not two copies of the tests.
const storeTests = ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"];

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end files start real server processes, so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "sqlite", include: storeTests, provide: { storeKind: "sqlite" } } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: storeTests,
          provide: { storeKind: "postgres" },
          globalSetup: ["test/support/pg-global-setup.ts"],
        },
      },
    ],
  },
});
