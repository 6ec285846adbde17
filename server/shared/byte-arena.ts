/**
 * UTF-8 bytes of many small texts kept a while (a display row's fixed JSON, ~0.5 kB), cut one after
 * the other from shared slabs. `Buffer.from` would cut them from Node's pool, where one long-kept
 * text keeps alive an 8 kB block that other, short-lived buffers filled; a buffer of its own each
 * costs an ArrayBuffer (~4 µs to make, ~0.2 kB of bookkeeping, one more object for the GC to sweep).
 * A slab is freed once every text cut from it is: use it for texts that die together, roughly in the
 * order they were made (rows that expire a minute after they were read).
 */
export function createByteArena(slabBytes = 64 * 1024) {
  let slab = Buffer.allocUnsafeSlow(slabBytes);
  let used = 0;

  return function bytesOf(text: string): Buffer {
    const size = Buffer.byteLength(text);
    if (size > slabBytes / 8) {
      const own = Buffer.allocUnsafeSlow(size);
      own.write(text, 0, 'utf8');
      return own;
    }
    if (used + size > slabBytes) {
      slab = Buffer.allocUnsafeSlow(slabBytes);
      used = 0;
    }
    const bytes = slab.subarray(used, used + size);
    bytes.write(text, 0, 'utf8');
    used += size;
    return bytes;
  };
}
