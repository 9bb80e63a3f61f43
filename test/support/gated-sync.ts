// A WAL fsync held back until the test lets it finish: shows what happens between COMMIT and durability.
import { FileSync } from "../../src/store/dialects/sqlite-durable.js";

/** An fsync that finishes only when the test opens the gate. */
export class GatedSync extends FileSync {
  started = 0;
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.opened = resolve;
  });
  override async sync(): Promise<void> {
    this.started++;
    await this.gate;
    return super.sync();
  }
  open(): void {
    this.opened();
  }
}
