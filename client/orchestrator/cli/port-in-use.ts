/** A port `cluster start` was told to listen on and could not: said in words, with what to do. */
export class PortUnavailableError extends Error {
  override name = 'PortUnavailableError';
}

/**
 * Runs `listen` and turns a taken or forbidden port into a PortUnavailableError
 * naming the port, the option that chose it and what to do; other errors pass.
 */
export async function listenOn<T>(what: string, flag: string, port: number, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new PortUnavailableError(
        `the ${what} cannot listen on 127.0.0.1:${port}: another program is using that port. ` +
          `Stop that program, or choose another port with ${flag} N (${flag} 0 picks a free one).`,
      );
    if (code === 'EACCES')
      throw new PortUnavailableError(
        `the ${what} cannot listen on 127.0.0.1:${port}: this user may not use that port. ` +
          `Choose a port above 1023 with ${flag} N (${flag} 0 picks a free one).`,
      );
    throw error;
  }
}
