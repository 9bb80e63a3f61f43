// A static Authorization header for receivers that expect Basic or Bearer auth (KentixONE targets), kept as a
// secret: shown only where the signing secret is, masked in audit events and in stored attempts.

export type WebhookAuthorization =
  | { type: "basic"; username: string; password: string }
  | { type: "bearer"; token: string };

export function authorizationHeader(auth: WebhookAuthorization): string {
  if (auth.type === "bearer") return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, "utf8").toString("base64")}`;
}

/** What lists, audit events and attempt records show: the kind, never the credential. */
export function maskedAuthorizationHeader(auth: WebhookAuthorization): string {
  return auth.type === "bearer" ? "Bearer ****" : "Basic ****";
}
