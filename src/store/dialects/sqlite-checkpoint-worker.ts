// The checkpoint thread: its own connection to the database, copying committed WAL frames into the database
// file when the main thread asks, so that the copy and its fsyncs never hold up the event loop.
import { parentPort, workerData } from "node:worker_threads";
import SQLite from "better-sqlite3";

export interface CheckpointResult {
  /** Frames in the WAL when the checkpoint ran. */
  walFrames: number;
  /** Of those, frames now in the database file. */
  checkpointed: number;
}

export type CheckpointReply = { ok: true; result: CheckpointResult } | { ok: false; error: string };

if (!parentPort) throw new Error("sqlite-checkpoint-worker runs as a worker thread");
const port = parentPort;
const db = new SQLite((workerData as { path: string }).path);
// Syncs the WAL before copying it and the database file after, as the main connection's checkpoints would.
db.pragma("synchronous = NORMAL");

port.on("message", (message: "checkpoint" | "close") => {
  if (message === "close") {
    db.close();
    port.close();
    return;
  }
  let reply: CheckpointReply;
  try {
    // PASSIVE never waits for the writer: it copies what is committed now. The writer restarts the WAL from
    // its start when it next begins a transaction with everything in the WAL copied.
    const [row] = db.pragma("wal_checkpoint(PASSIVE)") as Array<{ log: number; checkpointed: number }>;
    reply = { ok: true, result: { walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 } };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
