import { createLogger, type Logger } from '../../server/logging/logger.js';

/** A real logger (redaction included) writing into memory: `lines()` parses what it wrote. */
export function captureLogs(level: Parameters<typeof createLogger>[0] = 'info'): {
  logger: Logger;
  text: () => string;
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const logger = createLogger(level, { write: (chunk: string) => void chunks.push(chunk) });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
