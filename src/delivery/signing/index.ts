// Signature schemes: each webhook chooses how its deliveries prove they came from Gatehouse.
import { alocityHeaders } from "./alocity.js";
import { basipHeaders } from "./basip.js";
import { geneaHeaders } from "./genea.js";
import { kisiHeaders } from "./kisi.js";
import { standardHeaders } from "./standard.js";

export const SIGNATURE_SCHEMES = ["standard", "kisi", "genea", "alocity", "basip", "none"] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

export interface SignInput {
  /** The event id: the same on every attempt. */
  msgId: string;
  /** When this attempt is sent, in epoch seconds. */
  timestampSec: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** The exact bytes sent. */
  body: string;
  /** The current secret first, then a rotated-out one still inside its overlap window. */
  secrets: readonly string[];
}

type Signer = (input: SignInput) => Record<string, string>;

const signers: Record<SignatureScheme, Signer> = {
  standard: standardHeaders,
  kisi: kisiHeaders,
  genea: geneaHeaders,
  alocity: alocityHeaders,
  basip: basipHeaders,
  none: () => ({}),
};

/** The headers that carry the signature under the scheme. */
export function signatureHeaders(scheme: SignatureScheme, input: SignInput): Record<string, string> {
  return signers[scheme](input);
}
