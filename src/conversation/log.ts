/** The part of a pino logger the conversation modules use (Fastify's logger and pino both fit). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
