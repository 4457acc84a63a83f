// Where the CLI writes: injected so tests run commands in-process.
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** stderr when it is a terminal (progress bars draw there); absent otherwise, and in tests. */
  readonly errTerminal?: NodeJS.WriteStream;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  get errTerminal() {
    return process.stderr.isTTY ? process.stderr : undefined;
  },
};
