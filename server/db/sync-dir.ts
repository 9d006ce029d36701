import fs from 'node:fs';
import path from 'node:path';

/**
 * Flushes every file and folder under `dir` to the disk (fsync). PGlite writes its files through
 * Emscripten's Node filesystem, which has no fsync: PostgreSQL's own flushes inside it do nothing,
 * and what it wrote sits in the operating system's page cache until the kernel writes it back.
 * That survives the process (a crash, SIGKILL), not the machine (a power loss, a kernel panic).
 * Called once PGlite has checkpointed and closed, so that a clean stop is on the disk.
 */
export function syncDir(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) syncDir(child);
    else if (entry.isFile()) syncFile(child);
  }
  syncFile(dir); // the folder's entries: files created or renamed in it
}

function syncFile(file: string) {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
