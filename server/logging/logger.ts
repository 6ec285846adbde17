import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.js';

export type { Logger };

/**
 * Keys whose values never reach a log line, wherever they sit in a logged object (one level down
 * included: `{ body: { password } }`). Request lines carry only method, path, status and duration,
 * so headers and bodies are not logged in the first place; this is the second belt, except for the
 * lines of answered requests, which skip it (request-logger.ts): never add a field to those.
 */
const REDACTED_KEYS = [
  'cookie',
  'cookies',
  'set-cookie',
  'authorization',
  'x-csrf-token',
  '_csrf',
  'csrf',
  'csrfToken',
  'password',
  'motDePasse',
  'mot_de_passe',
  'newPassword',
  'token',
  'jeton',
  'resetToken',
  'email',
];
const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.headers["${key}"]`]);

/** An e-mail address, also percent-encoded (`%40`) as it appears in logged URLs. */
const EMAIL_ADDRESS = /[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+/gi;
const MASKED = '[masqué]';

/** E-mail addresses also hide in messages and errors (a unique-key violation names the value). */
export function maskEmailAddresses(line: string): string {
  return line.replace(EMAIL_ADDRESS, MASKED);
}

/** Writes each finished JSON line to `target` with every e-mail address masked. */
function maskingStream(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(maskEmailAddresses(line)) };
}

/**
 * Lines written during one turn of the event loop go out in one write, at the end of that turn:
 * at LOG_LEVEL=info every answered request writes a line, and one synchronous write per line on
 * stdout took 7 % of a cheap request's CPU under load. Order is kept, and what is pending is
 * written on exit too (`process.exit` included), so that the lines explaining an exit are not lost.
 */
export function writtenByTurn(target: DestinationStream): DestinationStream {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    target.write(text);
  };
  process.on('exit', flush);
  return {
    write(line: string) {
      if (pending.push(line) === 1) setImmediate(flush);
    },
  };
}

/**
 * The process's one logger: JSON lines on stdout (pino), written synchronously (by turn of the
 * event loop, see writtenByTurn) so that the lines explaining an exit are not lost by
 * `process.exit`. `npm run dev` pipes them through pino-pretty.
 */
export function createLogger(
  level: Config['LOG_LEVEL'],
  destination: DestinationStream = writtenByTurn(pino.destination({ dest: 1, sync: true })),
): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: MASKED },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    maskingStream(destination),
  );
}

/** What createApp uses when it is given no logger: tests stay quiet. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
