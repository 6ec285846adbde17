import type { Agent } from 'supertest';

/** Reads the hidden CSRF field of the first form on a page, as a browser would submit it. */
export async function csrfFrom(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path);
  const match = /name="_csrf" value="([^"]*)"/.exec(page.text);
  return match ? match[1] : '';
}
