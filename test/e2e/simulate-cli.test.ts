// `gatehouse simulate` as a command: its help lists the options, and options it cannot use are refused
// by name before any request is made.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function gatehouse(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", ...args],
      { cwd: ROOT, env: { ...process.env, GATEHOUSE_API_KEY: "" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("gatehouse simulate (the command)", () => {
  it("lists its options in --help", async () => {
    const { code, stdout } = await gatehouse(["simulate", "--help"]);
    expect(code).toBe(0);
    for (const option of [
      "--url",
      "--key",
      "--site",
      "--time-zone",
      "--people",
      "--doors",
      "--speed",
      "--duration",
      "--seed",
      "--json",
    ]) {
      expect(stdout).toContain(option);
    }
  });

  it("refuses a bad duration and a building too small for the day, naming the option", async () => {
    const common = ["simulate", "--url", "http://127.0.0.1:9", "--key", "k"];
    const duration = await gatehouse([...common, "--duration", "soon"]);
    expect(duration.code).not.toBe(0);
    expect(duration.stderr).toMatch(/--duration.*must be a duration/);
    const doors = await gatehouse([...common, "--doors", "2"]);
    expect(doors.code).toBe(1);
    expect(doors.stderr).toContain("gatehouse: doors: must be 4–500");
  });
});
