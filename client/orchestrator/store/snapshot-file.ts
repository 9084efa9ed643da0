/** The snapshot file the write-ahead log is compacted into, written so a crash leaves the old one or the new one whole. */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT, type SnapshotState } from './stored-state';

/** Store files hold Secrets: only the owner may read them, whatever the umask or an older run left. */
export const FILE_MODE = 0o600;
/** Snapshot entries serialized per turn of the event loop. */
const SNAPSHOT_SLICE = 500;

/** Writes `snapshot.json` through a temporary file, fsynced, renamed, the directory fsynced; answers its size. */
export async function writeSnapshot(dir: string, state: SnapshotState): Promise<number> {
  const tmp = join(dir, `${SNAPSHOT}.tmp`);
  const out = await fs.open(tmp, 'w', FILE_MODE);
  let bytes = 0;
  try {
    // The same JSON as one JSON.stringify(state), made and written in slices with a turn of the event
    // loop between them: 10,000 pods are tens of MB, and one synchronous string of them would hold
    // off every request for that long. The entries are frozen objects, so the state cannot change meanwhile.
    const write = async (text: string): Promise<void> => {
      bytes += (await out.write(text)).bytesWritten;
    };
    await write(`{"rv":${JSON.stringify(state.rv)},"entries":[`);
    for (let i = 0; i < state.entries.length; i += SNAPSHOT_SLICE) {
      const slice = state.entries.slice(i, i + SNAPSHOT_SLICE).map((e) => JSON.stringify(e));
      await write(`${i === 0 ? '' : ','}${slice.join(',')}`);
      await new Promise<void>((r) => setImmediate(r));
    }
    await write(']}');
    await out.datasync();
  } finally {
    await out.close();
  }
  await fs.rename(tmp, join(dir, SNAPSHOT));
  await syncDir(dir);
  return bytes;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
