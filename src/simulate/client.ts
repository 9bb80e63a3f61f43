// A small typed client for the public API, as a simulator (or any script) uses it: retries on 503 and
// network errors, bounded concurrency, and errors that carry the server's own `{"error"}` message.

export interface ClientOptions {
  url: string;
  key: string;
  /** Requests in flight at once; the rest wait their turn. */
  concurrency?: number;
  /** Retries after a 503 or a network error (the server says it cannot commit now, or is restarting). */
  retries?: number;
  /** Delay before the first retry, doubled for each next one. */
  retryDelayMs?: number;
}

/** A request the server refused, or that never got an answer. */
export class ApiCallError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    /** The HTTP status, or null when no answer came (network error). */
    readonly status: number | null,
    /** The server's `error` message, or the network error's. */
    readonly detail: string,
  ) {
    super(`${method} ${path}: ${status === null ? "no answer" : status} ${detail}`);
  }
}

export interface ClientStats {
  requests: number;
  retries: number;
  failures: number;
}

export interface Page<T> {
  items: T[];
  next_after: number | null;
}

export interface EventOut {
  id: string;
  type: string;
  timestamp: string;
  site_id: number | null;
  sequence: number;
  data: Record<string, unknown>;
}

export interface EventPage {
  events: EventOut[];
  next_cursor: string;
  has_more: boolean;
}

export interface AccessAnswer {
  granted: boolean;
  method?: string;
  reason?: string;
  detail?: string;
  event_id: string;
}

export interface DoorStateOut {
  door_id: number;
  mode: string;
  contact: "open" | "closed";
  lock: "locked" | "unlocked";
  alarm: "forced" | "held" | null;
}

export type CardIn = { facility_code: number; card_number: string };
export type PresentedCredential = { kind: "card"; card: CardIn };
export type DeviceInput = { input: "door_contact"; state: "open" | "closed" } | { input: "exit_button" };

export class ApiClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, failures: 0 };
  private readonly base: string;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: ClientOptions) {
    this.base = options.url.replace(/\/+$/, "");
  }

  /** One call; resolves to the parsed JSON body of a 2xx answer, throws ApiCallError otherwise. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    await this.slot();
    try {
      return await this.withRetries<T>(method, path, body);
    } finally {
      this.release();
    }
  }

  private async withRetries<T>(method: string, path: string, body?: unknown): Promise<T> {
    const retries = this.options.retries ?? 4;
    let delay = this.options.retryDelayMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(method, path, body);
      if (!(answer instanceof ApiCallError)) return answer as T;
      // Only a 503 (the server cannot commit now) or no answer at all is worth asking again.
      const retryable = answer.status === null || answer.status === 503;
      if (!retryable || attempt >= retries) {
        this.stats.failures++;
        throw answer;
      }
      this.stats.retries++;
      await sleep(delay);
      delay *= 2;
    }
  }

  /** One HTTP exchange: the parsed body of a 2xx answer, or the error (not thrown). */
  private async once(method: string, path: string, body?: unknown): Promise<unknown> {
    this.stats.requests++;
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.ok) return text ? JSON.parse(text) : null;
      return new ApiCallError(method, path, res.status, serverMessage(text));
    } catch (cause) {
      return new ApiCallError(method, path, null, cause instanceof Error ? messageOf(cause) : String(cause));
    }
  }

  private async slot(): Promise<void> {
    const limit = this.options.concurrency ?? 16;
    while (this.inFlight >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  create<T>(plural: string, body: unknown): Promise<T> {
    return this.request<T>("POST", `/v1/${plural}`, body);
  }

  patch<T>(plural: string, id: number, body: unknown): Promise<T> {
    return this.request<T>("PATCH", `/v1/${plural}/${id}`, body);
  }

  /** Every item of a resource list, page by page. */
  async list<T>(plural: string): Promise<T[]> {
    const all: T[] = [];
    let after = 0;
    for (;;) {
      const page = await this.request<Record<string, unknown>>(
        "GET",
        `/v1/${plural}?after=${after}&limit=1000`,
      );
      all.push(...(page[plural] as T[]));
      const next = page.next_after as number | null;
      if (next === null) return all;
      after = next;
    }
  }

  accessRequest(doorId: number, credential: PresentedCredential, pin?: string): Promise<AccessAnswer> {
    return this.request("POST", `/v1/doors/${doorId}/access-requests`, {
      credential,
      ...(pin === undefined ? {} : { pin }),
    });
  }

  doorState(doorId: number): Promise<DoorStateOut> {
    return this.request("GET", `/v1/doors/${doorId}/state`);
  }

  deviceInput(serial: string, input: DeviceInput): Promise<{ event_ids: string[] }> {
    return this.request("POST", `/v1/devices/${encodeURIComponent(serial)}/inputs`, input);
  }

  heartbeat(serial: string, body: { firmware_version?: string; ip_address?: string }) {
    return this.request<{ event_ids: string[] }>(
      "POST",
      `/v1/devices/${encodeURIComponent(serial)}/heartbeat`,
      body,
    );
  }

  deviceEvent(serial: string, type: string, data: Record<string, unknown>) {
    return this.request<{ event_ids: string[] }>("POST", `/v1/devices/${encodeURIComponent(serial)}/events`, {
      type,
      data,
    });
  }

  events(after: string, limit = 1000): Promise<EventPage> {
    return this.request("GET", `/v1/events?after=${after}&limit=${limit}`);
  }

  /**
   * The cursor after the newest stored event. The API has no "latest" query, so this pages through the
   * whole log once; on a large server that is slow but it is read once per run.
   */
  async latestCursor(): Promise<string> {
    let cursor = "0";
    for (;;) {
      const page = await this.events(cursor);
      cursor = page.next_cursor;
      if (!page.has_more) return cursor;
    }
  }
}

function serverMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
  } catch {
    // not JSON: show the text itself
  }
  return text.slice(0, 200);
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, …) in `cause`. */
function messageOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
