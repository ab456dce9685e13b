/**
 * Runs a command-line tool: its own messages go to the terminal, and an unexpected failure is a
 * one-line Vietnamese message and exit code 1, never a stack trace (set DEBUG=1 to see it).
 */
export function runCli(main: () => Promise<number | void> | number | void): void {
  Promise.resolve()
    .then(main)
    .then((code) => {
      process.exitCode = code ?? 0;
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`Lỗi: ${message}`);
      if (process.env.DEBUG) console.error(error);
      process.exitCode = 1;
    });
}
