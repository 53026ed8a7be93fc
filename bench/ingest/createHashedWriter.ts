import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";

const CHUNK_CHARS = 1 << 16;

export interface HashedWriter {
  /** Buffers one line (a newline is added); true when the buffer is full and wants `flush()`. */
  add(line: string): boolean;
  /** Writes what is buffered; waits for 'drain' when the stream says so, so memory stays flat however many lines. */
  flush(): Promise<void>;
  /** Flushes, closes the file and says how many bytes were written and their sha256. */
  close(): Promise<{ bytes: number; sha256: string }>;
}

/** Writes lines to `file` in 64 K chunks, counting and hashing the bytes as they go. */
export function createHashedWriter(file: string): HashedWriter {
  const out = createWriteStream(file);
  let failure: Error | undefined;
  out.on("error", (error) => (failure ??= error));
  const hash = createHash("sha256");
  let bytes = 0;
  let chunk = "";

  const add = (line: string) => {
    chunk += line + "\n";
    return chunk.length >= CHUNK_CHARS;
  };
  const flush = async () => {
    const buf = Buffer.from(chunk, "utf8");
    chunk = "";
    hash.update(buf);
    bytes += buf.length;
    if (!out.write(buf)) {
      if (failure) throw failure;
      await once(out, "drain");
    }
  };
  const close = async () => {
    if (chunk) await flush();
    out.end();
    await finished(out);
    return { bytes, sha256: hash.digest("hex") };
  };
  return { add, flush, close };
}
