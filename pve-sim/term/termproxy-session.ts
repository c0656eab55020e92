// One termproxy connection after the vncwebsocket upgrade, as proxmox-termproxy runs it: read
// the `<authid>:<ticket>` line within the auth window (10 s), check it against the ticket the
// API call pinned and with the vncticket endpoint (ticket bound to authid, path and port; the
// privilege on the path), answer `OK`, start the command on a pty, and relay. Failures before
// `OK` close the connection without a word, as termproxy exits.
import type { Duplex } from 'node:stream';
import type { TermRecorder } from './term-recorder';
import type { TerminalIo, TerminalProgram } from './terminal-program';
import { TERMPROXY_BUFFER, TermproxyInput } from './termproxy-input';

export interface TermSessionOptions {
  /** The websocket's byte stream (client frames in, binary frames out). */
  stream: Duplex;
  recorder: TermRecorder;
  authWindowMs: number;
  /** The vncticket check: true when `authid` may use `ticket` here. */
  authenticate(authid: string, ticket: string): boolean;
  /** The command on the pty, started after `OK`. */
  program(io: TerminalIo): TerminalProgram;
  /** How termproxy ended: null for a normal end, else its last words (task log and exit). */
  onEnd(failure: string | null): void;
}

export interface TermSessionHandle {
  /** Ends the session as when the command's pty goes away (the guest stopped). */
  close(): void;
  readonly closed: Promise<void>;
}

const NEWLINE = 0x0a;

export function serveTermproxy(opts: TermSessionOptions): TermSessionHandle {
  const { stream, recorder } = opts;
  let buffered = Buffer.alloc(0);
  let phase: 'auth' | 'running' | 'done' = 'auth';
  let detach = () => {};
  let program: TerminalProgram | undefined;
  const input = new TermproxyInput();
  let resolveClosed = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const finish = (failure: string | null) => {
    if (phase === 'done') return;
    phase = 'done';
    clearTimeout(authTimer);
    detach();
    if (!stream.destroyed) stream.destroy();
    opts.onEnd(failure);
    resolveClosed();
  };

  const refuse = (authid: string, failure: string, message: string) => {
    recorder.recordAuth({ ok: false, authid, failure });
    finish(message);
  };

  const authTimer = setTimeout(() => refuse('', 'timeout', 'failed reading ticket: timed out'), opts.authWindowMs);

  /** Settles when the last output has been handed to the connection. */
  let written: Promise<void> = Promise.resolve();
  const io: TerminalIo = {
    output(data) {
      if (phase !== 'running') return;
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      recorder.recordOutput(bytes);
      written = new Promise((resolve) => stream.write(bytes, () => resolve()));
    },
    exit() {
      // The pty reads EOF: termproxy sends what it still has, leaves its loop and exits 0;
      // pveproxy then drops the client (no close frame).
      void written.then(() => finish(null));
    },
  };

  const feed = (chunk: Buffer) => {
    for (const action of input.push(chunk)) {
      if (phase !== 'running') return;
      switch (action.kind) {
        case 'data':
          recorder.record({ kind: 'input', data: action.data });
          program?.input(action.data);
          break;
        case 'resize':
          recorder.record(action);
          program?.resize(action.cols, action.rows);
          break;
        case 'ping':
          recorder.record(action);
          break;
        case 'ignored':
          recorder.record(action);
          break;
      }
    }
  };

  const readTicketLine = (chunk: Buffer) => {
    // ByteBuffer::read_from reads at most the free space of its 4096 bytes.
    buffered = Buffer.concat([buffered, chunk]);
    const newline = buffered.subarray(0, TERMPROXY_BUFFER).indexOf(NEWLINE);
    if (newline < 0) {
      if (buffered.length >= TERMPROXY_BUFFER) {
        refuse('', 'format', 'failed reading ticket: authentication data is incomplete');
      }
      return;
    }
    const line = buffered.subarray(0, newline).toString('utf8');
    const rest = buffered.subarray(newline + 1);
    buffered = Buffer.alloc(0);
    clearTimeout(authTimer);
    const colon = line.indexOf(':');
    if (colon < 0) return refuse('', 'format', 'failed reading ticket: authentication data is invalid');
    const authid = line.slice(0, colon);
    if (!opts.authenticate(authid, line.slice(colon + 1))) {
      return refuse(authid, 'ticket', 'authentication request failed');
    }
    recorder.recordAuth({ ok: true, authid });
    phase = 'running';
    detach = recorder.attach();
    stream.write('OK');
    program = opts.program(io);
    program.start();
    if (rest.length > 0) feed(Buffer.from(rest));
  };

  stream.on('data', (chunk: Buffer) => {
    if (phase === 'auth') readTicketLine(chunk);
    else if (phase === 'running') feed(chunk);
  });
  stream.on('error', () => {});
  const hangUp = () => {
    if (phase === 'auth') refuse('', 'closed', 'failed reading ticket: connection closed before authentication');
    else finish(null);
  };
  // The client closed (a close frame makes pveproxy shut the connection to termproxy down).
  stream.on('end', hangUp);
  stream.on('close', hangUp);

  return {
    close: () => finish(null),
    closed,
  };
}
