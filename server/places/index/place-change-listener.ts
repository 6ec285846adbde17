import pg from 'pg';

const PLACES_CHANGED_CHANNEL = 'places_changed';
const RECONNECT_DELAY_MS = 1000;

export interface PlaceChangeListenerDeps {
  connectionString: string;
  /** A notification's payload: the range of the change log written by one statement ("first-last"). */
  onChange: (range: { first: number; last: number }) => void;
  /** Called after a reconnection: notifications sent while away are lost, the index reloads. */
  onReconnect: () => void;
  log: (message: string, error?: unknown) => void;
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other queries and lose the
 * subscription); on an error or a closed connection, a new one is opened a second later.
 */
export function createPlaceChangeListener(deps: PlaceChangeListenerDeps) {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let connectedOnce = false;

  function scheduleReconnect() {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, RECONNECT_DELAY_MS);
    retry.unref();
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: deps.connectionString });
    let failed = false;
    const drop = (error?: unknown) => {
      if (failed) return;
      failed = true;
      if (!stopped) deps.log('Écoute des changements de lieux interrompue : reconnexion.', error);
      next.removeAllListeners('notification');
      void next.end().catch(() => {});
      if (client === next) client = undefined;
      scheduleReconnect();
    };
    next.on('error', drop);
    next.on('end', () => drop());
    next.on('notification', (message) => {
      const [first, last] = (message.payload ?? '').split('-').map(Number);
      if (Number.isFinite(first) && Number.isFinite(last)) deps.onChange({ first, last });
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${PLACES_CHANGED_CHANNEL}`);
    } catch (error) {
      drop(error);
      if (connectedOnce) return;
      // The first connection fails the start: the caller decides, no retries behind its back.
      clearTimeout(retry);
      retry = undefined;
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    if (connectedOnce) deps.onReconnect();
    connectedOnce = true;
  }

  return {
    /** Resolves once listening: changes committed after this are notified. */
    start: () => connect(),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
