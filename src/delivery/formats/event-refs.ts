// What the vendor formats read from an event: its references (door, user, credential…) and its times, however
// the data was shaped. Stored data passed its schema at ingest, but old rows and open objects may differ.

export type Fields = Record<string, unknown>;

/** A plain object, or null for anything else (null, arrays, scalars). */
export function objectOr(value: unknown): Fields | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Fields) : null;
}

export const stringOr = (value: unknown): string | null => (typeof value === "string" ? value : null);
export const integerOr = (value: unknown): number | null =>
  Number.isInteger(value) ? (value as number) : null;

/** A reference in the data by key: `{id, name}` of a door, a user… (each null when absent). */
export function refOf(data: Fields, key: string): { id: number | null; name: string | null } | null {
  const ref = objectOr(data[key]);
  return ref && { id: integerOr(ref.id), name: stringOr(ref.name) };
}

/** The presented credential: its stored id (null when nothing matched), kind and masked hint. */
export function credentialOf(
  data: Fields,
): { id: number | null; kind: string | null; masked: string | null } | null {
  const ref = objectOr(data.credential);
  return ref && { id: integerOr(ref.id), kind: stringOr(ref.kind), masked: stringOr(ref.masked) };
}

/** An ISO 8601 time in UTC with milliseconds: `2025-03-04T08:15:30.250Z`. */
export const isoMillis = (time: string | number): string => new Date(time).toISOString();

/** An ISO 8601 time in UTC to the second, as Kisi writes it: `2025-03-04T08:15:30Z`. */
export const isoSeconds = (time: string | number): string => `${isoMillis(time).slice(0, 19)}Z`;

/** Seconds since the Unix epoch, rounded down. */
export const unixSeconds = (time: string | number): number => Math.floor(new Date(time).getTime() / 1000);

/** `remote_api` → `RemoteApi`: a catalog code as a .NET-style enum member. */
export const pascalCase = (code: string): string =>
  code.replace(/(^|[_.])([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());

/** `door_name` → `doorName`. */
export const camelCase = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
