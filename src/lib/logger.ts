// Structured JSON logs (pino). Anything that could carry a secret is redacted by path.
import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";

export type Logger = PinoLogger;

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "gatehouse" },
      redact: {
        paths: [
          "secret",
          "*.secret",
          "key",
          "*.key",
          "authorization",
          "*.authorization",
          "headers.authorization",
          "*.headers.authorization",
          "req.headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
