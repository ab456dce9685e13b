/**
 * React 18's streaming renderer encodes HTML into a reused 2,048-byte buffer and, when a
 * multi-byte UTF-8 character (every Vietnamese letter with a diacritic) does not fit at its end,
 * flushes the whole buffer anyway: the 1–3 bytes never written go out as U+0000. Fixed upstream in
 * React 19 (facebook/react#26228); with React 18 the only place to fix it is the stream.
 *
 * React hands each flushed buffer to one `write`, so the bytes to drop are always at the end of a
 * chunk, and a NUL never belongs to the page itself (names and content reject control characters).
 */
import { Transform } from "node:stream";

export function withoutTrailingNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, withoutTrailingNul(chunk));
    },
  });
}

/** One chunk React wrote, without the NUL bytes at its end. */
export function withoutTrailingNul(chunk: Buffer): Buffer {
  let end = chunk.length;
  while (end > 0 && chunk[end - 1] === 0) end--;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}
