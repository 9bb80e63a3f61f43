// Progress on stderr: a bar redrawn in place on a terminal, a plain line every few seconds otherwise.
import { wallTime } from "./day.js";
import type { RunObserver, RunProgress } from "./run.js";

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR = 30;

function line(p: RunProgress): string {
  const share = p.total === 0 ? 1 : p.done / p.total;
  return `${wallTime(p.at)}  ${String(Math.floor(share * 100)).padStart(3)}%  ${p.done}/${p.total} actions  ${p.requests} requests  ${p.failures} failed`;
}

/** A bar on a terminal, periodic lines elsewhere; notes (incidents) on their own lines either way. */
export function progressTo(out: ProgressOutput, plainEveryMs = 5_000): RunObserver & { end(): void } {
  let lastPlain = 0;
  let finished = false;
  let drawn = false;
  const clear = () => {
    if (drawn) out.write("\r\x1b[2K");
    drawn = false;
  };
  return {
    progress(p) {
      if (out.isTTY) {
        const filled = Math.round((p.total === 0 ? 1 : p.done / p.total) * BAR);
        out.write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(BAR - filled)}] ${line(p)}`);
        drawn = true;
      } else if (Date.now() - lastPlain >= plainEveryMs || (p.done === p.total && !finished)) {
        lastPlain = Date.now();
        finished = p.done === p.total;
        out.write(`${line(p)}\n`);
      }
    },
    note(message) {
      clear();
      out.write(`  ${message}\n`);
    },
    end() {
      clear();
    },
  };
}

/** Reports nothing (tests, --quiet). */
export const noProgress: RunObserver & { end(): void } = { progress() {}, note() {}, end() {} };
