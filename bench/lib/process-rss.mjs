// Resident memory of a process, from /proc (Linux), in MiB; 0 where unreadable.
import { readFileSync } from 'node:fs';

export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
