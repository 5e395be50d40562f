// SMB 2.0.2/2.1 through node-smb2 (1.3.5), with the fixes moflow needs. As shipped, node-smb2:
// * takes Samba's interim STATUS_PENDING reply as the answer, so an async read returns the wrong bytes
//   (verified: a 100 MB file came back 2.5 MB short with another hash);
// * leaves requests waiting for their timeout when the socket closes, and timers running after an error reply;
// * rejects with raw Response objects, and prints socket errors and "Using NTLMv2 authentication";
// * lists only what fits in one QUERY_DIRECTORY reply (~400 names), and reads 64 KiB at a time, one by one.
// So this module answers requests itself, pages directories, and reads with several requests in flight
// (blockReadStream.ts).
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import smb2 from 'node-smb2';
import DirectoryModule from 'node-smb2/dist/client/Directory.js';
import FileModule from 'node-smb2/dist/client/File.js';
import type TreeModule from 'node-smb2/dist/client/Tree.js';
import { BlockReadStream } from './blockReadStream.js';

const Directory = DirectoryModule.default;
const File = FileModule.default;
type Tree = InstanceType<typeof TreeModule.default>;
type SmbRequest = Parameters<InstanceType<typeof smb2.Client>['send']>[0];
type SmbResponse = Awaited<ReturnType<InstanceType<typeof smb2.Client>['send']>>;

/** NTSTATUS codes moflow tells apart. */
export const NtStatus = {
  Success: 0x00000000,
  Pending: 0x00000103,
  NoMoreFiles: 0x80000006,
  EndOfFile: 0xc0000011,
  MoreProcessingRequired: 0xc0000016,
  AccessDenied: 0xc0000022,
  ObjectNameInvalid: 0xc0000033,
  ObjectNameNotFound: 0xc0000034,
  ObjectPathNotFound: 0xc000003a,
  SharingViolation: 0xc0000043,
  LogonFailure: 0xc000006d,
  AccountRestriction: 0xc000006e,
  PasswordExpired: 0xc0000071,
  AccountDisabled: 0xc0000072,
  InsufficientResources: 0xc000009a,
  FileIsADirectory: 0xc00000ba,
  NotSupported: 0xc00000bb,
  NetworkNameDeleted: 0xc00000c9,
  BadNetworkName: 0xc00000cc,
  NotADirectory: 0xc0000103,
  UserSessionDeleted: 0xc0000203,
  AccountLockedOut: 0xc0000234,
  NetworkSessionExpired: 0xc000035c,
} as const;

const statusNames = new Map<number, string>(
  Object.entries(NtStatus).map(([name, code]) => [code, `STATUS_${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`]),
);
const commands = ['Negotiate', 'SessionSetup', 'LogOff', 'TreeConnect', 'TreeDisconnect', 'Create', 'Close', 'Flush', 'Read', 'Write', 'Lock', 'Ioctl', 'Cancel', 'Echo', 'QueryDirectory'];
const READ = 8;
const QUERY_DIRECTORY = 14;
const NEGOTIATE = 0;
/** SMB 2.0.2 reads at most 64 KiB per request without multi-credit support, which node-smb2 lacks. */
const READ_BLOCK = 0x10000;

/** The server answered a request with an error status. */
export class SmbStatusError extends Error {
  readonly statusName: string;
  constructor(
    readonly status: number,
    readonly command: string,
  ) {
    const name = statusNames.get(status) ?? 'NTSTATUS';
    super(`SMB ${command} failed: ${name} (0x${status.toString(16).padStart(8, '0')})`);
    this.name = 'SmbStatusError';
    this.statusName = name;
  }
}

/** The connection is gone or unresponsive; `code` is a Node network code, so generic retry logic sees it. */
export class SmbConnectionError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SmbConnectionError';
  }
}

// node-smb2 logs the NTLM version on every login with console.log, which would land in moflow's stdout
// (e.g. `--json` output). Silence exactly that synchronous function; nothing else can log meanwhile.
const ntlm = createRequire(import.meta.url)('node-smb2/dist/protocol/ntlm/util.js') as { encodeAuthenticationMessage: (...args: unknown[]) => Buffer };
const encodeAuthenticationMessage = ntlm.encodeAuthenticationMessage;
ntlm.encodeAuthenticationMessage = (...args) => {
  const log = console.log;
  console.log = () => {};
  try {
    return encodeAuthenticationMessage(...args);
  } finally {
    console.log = log;
  }
};

interface Pending {
  command: string;
  resolve: (response: SmbResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** node-smb2's Client with moflow's own request bookkeeping (see the top of this file). */
class Connection extends smb2.Client {
  /** From the NEGOTIATE reply: node-smb2 cannot sign, so such a server refuses the tree connect. */
  signingRequired = false;
  private readonly pending = new Map<bigint, Pending>();
  private lastSocketError: (Error & { code?: string }) | null = null;

  constructor(host: string, options: { port: number; connectTimeout: number; requestTimeout: number }) {
    super(host, options);
    // Keep the library's frame parser, so a reply it cannot parse fails the connection, not the process.
    const parseFrames = this.onData;
    this.onData = (buffer: Buffer) => {
      try {
        parseFrames(buffer);
      } catch (error) {
        this.failAll(new SmbConnectionError(`unreadable reply from SMB server ${this.host}:${this.port}`, 'EPROTO', { cause: error }));
        this.socket?.destroy();
      }
    };
  }

  override async connect(): Promise<void> {
    if (this.connected) return;
    try {
      await super.connect();
    } finally {
      // node-smb2 clears its connect timer only on success; a refused connection would hold the process.
      clearTimeout(this.connectTimeoutId);
    }
    // node-smb2 opens the socket half-open-capable, so a server that hangs up (smbd restarted, idle
    // timeout) would leave it "connected" and the next request waiting for its timeout. Hang up too.
    const socket = this.socket;
    socket.once('end', () => socket.destroy());
  }

  // Socket errors surface through the requests they fail (onClose follows); no console output.
  override onError = (error: Error) => {
    this.lastSocketError = error;
  };

  override onClose = () => {
    this.connected = false;
    const cause = this.lastSocketError;
    this.failAll(
      new SmbConnectionError(`SMB connection to ${this.host}:${this.port} closed${cause ? ` (${cause.message})` : ''}`, cause?.code ?? 'ECONNRESET', { cause }),
    );
  };

  override send(request: SmbRequest): Promise<SmbResponse> {
    const command = commands[request.header.type ?? -1] ?? `command ${request.header.type}`;
    if (!this.connected || !this.socket) {
      return Promise.reject(new SmbConnectionError(`SMB connection to ${this.host}:${this.port} is not open`, 'ENOTCONN'));
    }
    const id = request.header.messageId!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SmbConnectionError(`SMB ${command} got no reply from ${this.host}:${this.port} within ${this.requestTimeout} ms`, 'ETIMEDOUT'));
      }, this.requestTimeout);
      this.pending.set(id, { command, resolve, reject, timer });
      this.socket.write(request.serialize());
    });
  }

  override onResponse(response: SmbResponse): void {
    const { status, messageId, type } = response.header;
    // An interim "working on it" reply; the real one follows with the same message id.
    if (status === NtStatus.Pending) return;
    const pending = this.pending.get(messageId!);
    if (!pending) return;
    this.pending.delete(messageId!);
    clearTimeout(pending.timer);
    if (status === NtStatus.Success || status === NtStatus.MoreProcessingRequired) {
      if (type === NEGOTIATE) this.signingRequired = (((response.body as { securityMode?: number }).securityMode ?? 0) & 2) !== 0;
      pending.resolve(response);
    } else {
      pending.reject(new SmbStatusError(status ?? -1, pending.command));
    }
  }

  /** Drops the socket without a goodbye; pending requests fail at once. */
  destroy(): void {
    this.socket?.destroy();
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}

export interface SmbShareOptions {
  host: string;
  port: number;
  share: string;
  domain: string;
  user: string;
  password: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Read requests kept in flight per file. */
  readAhead: number;
}

export interface SmbEntry {
  name: string;
  size: number;
  isDirectory: boolean;
}

/** One authenticated connection to one share. */
export class SmbShare {
  private constructor(
    private readonly connection: Connection,
    private readonly tree: Tree,
    private readonly readAhead: number,
  ) {}

  /** Connects, logs in with NTLMv2 (auto-detection picks v1, which Samba refuses) and opens the share. */
  static async connect(options: SmbShareOptions): Promise<SmbShare> {
    const connection = new Connection(options.host, {
      port: options.port,
      connectTimeout: options.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
    });
    try {
      await connection.connect().catch((error: unknown) => {
        if (error instanceof Error && error.message === 'connect_timeout') {
          throw new SmbConnectionError(`no answer from SMB server ${options.host}:${options.port} within ${options.connectTimeoutMs} ms`, 'ETIMEDOUT');
        }
        throw error;
      });
      const session = await connection.authenticate({
        domain: options.domain,
        username: options.user,
        password: options.password,
        forceNtlmVersion: 'v2',
      });
      const tree = await session.connectTree(options.share);
      return new SmbShare(connection, tree, options.readAhead);
    } catch (error) {
      connection.destroy();
      if (error instanceof SmbStatusError && connection.signingRequired) Object.assign(error, { signingRequired: true });
      throw error;
    }
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Every entry of a folder (`''` is the share root), paging through as many replies as it takes. */
  async list(path: string): Promise<SmbEntry[]> {
    const directory = new Directory(this.tree);
    await directory.open(path === '' ? '/' : path);
    const entries: SmbEntry[] = [];
    try {
      for (;;) {
        let response: SmbResponse;
        try {
          response = await this.tree.request({ type: QUERY_DIRECTORY }, { fileId: directory._id, buffer: Buffer.from('*', 'ucs2') });
        } catch (error) {
          if (error instanceof SmbStatusError && error.status === NtStatus.NoMoreFiles) break;
          throw error;
        }
        for (const entry of (response.data ?? []) as { filename: string; fileSize: bigint; type: string }[]) {
          // node-smb2 turns "x" into "./x"; "." and ".." are the folder itself and its parent.
          const name = entry.filename.startsWith('./') ? entry.filename.slice(2) : entry.filename;
          if (name === '.' || name === '..') continue;
          entries.push({ name, size: Number(entry.fileSize), isDirectory: entry.type === 'Directory' });
        }
      }
    } finally {
      await directory.close().catch(() => {});
    }
    return entries;
  }

  /** Opens a file for reading; the returned stream reads it block by block, `readAhead` blocks in flight. */
  async openRead(path: string): Promise<{ size: number; stream: Readable }> {
    const file = new File(this.tree);
    await file.open(path);
    const size = Number(file.fileSize);
    const readBlock = async (offset: number, length: number): Promise<Buffer> => {
      const lengthField = Buffer.alloc(4);
      lengthField.writeUInt32LE(length);
      const offsetField = Buffer.alloc(8);
      offsetField.writeBigUInt64LE(BigInt(offset));
      const response = await this.tree.request({ type: READ }, { fileId: file._id, length: lengthField, offset: offsetField });
      return (response.body as { buffer?: Buffer }).buffer ?? Buffer.alloc(0);
    };
    const stream = new BlockReadStream({
      label: `${path} over SMB`,
      size,
      blockSize: READ_BLOCK,
      readAhead: this.readAhead,
      readBlock,
      close: () => file.close(),
    });
    return { size, stream };
  }

  /** Logs off politely if the server answers soon, and closes the socket either way. */
  async close(): Promise<void> {
    if (this.connection.connected) {
      await Promise.race([this.connection.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
    this.connection.destroy();
  }
}
