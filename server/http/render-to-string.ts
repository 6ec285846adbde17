import type { Response } from 'express';

/** A template rendered to a string with the response's locals, not sent: for pages kept in memory. */
export function renderToString(res: Response, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) =>
    res.render(view, locals, (error: Error | null, html: string) => (error ? reject(error) : resolve(html))),
  );
}
