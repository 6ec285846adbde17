import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder: the nearest one above this file holding package.json. The same answer from
 * the sources (server/) and from the compiled code (dist/server/), which a relative '../public'
 * would not give.
 */
function findProjectRoot(start: string): string {
  let directory = start;
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`package.json introuvable au-dessus de ${start}`);
    directory = parent;
  }
  return directory;
}

const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Static files (public/, with the client's build in public/build/), served under /static. */
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
