import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { storeKind } from "../support/store.js";

describe.runIf(storeKind() === "sqlite")("the SQLite data directory", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(() => gh.stop());

  it("cannot be opened by a second Gatehouse while the first runs", async () => {
    await expect(openStore({ dataDir: gh.dataDir })).rejects.toThrow(/another Gatehouse process is using/);
  });

  it("is free again once the first one stops", async () => {
    const other = await startTestServer();
    const dir = other.dataDir;
    await other.server.stop();
    const store = await openStore({ dataDir: dir });
    await store.close();
  });
});
