// Streaming reader of OPUS dumps: bytes in, typed records out, never the whole file in memory.
// saxes was measured faster than sax on this machine (see bench/parse.ts and the README).
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { createDecoder, detectEncoding, findUtf8Letter, SINGLE_BYTE, UnsupportedEncodingError, utf8InSingleByteMessage } from './encoding.js';
import { HARD_CAP } from './bounds.js';
import { buildRecord, fieldSlot, newDraftValues, type ElementDraft } from './elements.js';
import { cut, type Diagnostic, type DiagnosticCode, type DumpEntry, type ElementName, type OrgUnit } from './records.js';

/** A dump that cannot be read at all (malformed XML, wrong root, unknown encoding). */
export class DumpReadError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.file}:${diagnostic.line}: ${diagnostic.message}`);
    this.name = 'DumpReadError';
  }
}

export interface ReadDumpOptions {
  /** The dump's file name, used in every diagnostic. */
  file: string;
}

/** Bytes (or characters, for string input) given to the SAX parser at a time. */
const PARSE_SLICE = 64 * 1024;

/** Bytes enough to hold a BOM and the XML declaration. */
const ENCODING_PROBE_BYTES = 256;

type Input = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Reads a dump as a stream of entries: `OrgUnit`, `Employment`, `LeaveStub`, or `RejectedElement` for
 * an element that could not become a record (its diagnostics say why). Malformed XML throws a
 * `DumpReadError` naming file and line. Entries are yielded chunk by chunk, so memory stays flat.
 */
export async function* readDump(input: Input, options: ReadDumpOptions): AsyncGenerator<DumpEntry, void, undefined> {
  const state = new DumpState(options.file);
  let decode: ((chunk: Uint8Array | null) => string) | null = null;
  // The encoding is declared in the first bytes; hold chunks back until enough of them have arrived.
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let singleByte: string | null = null;
  const parse = (text: string) => {
    if (!state.decodedBadBytes && text.includes('\uFFFD')) state.decodedBadBytes = true;
    state.parser.write(text);
  };
  const write = (bytes: Uint8Array) => {
    const at = singleByte ? findUtf8Letter(bytes) : -1;
    if (at < 0) return parse(decode!(bytes));
    // Parse up to the UTF-8 bytes first, so the error names their line and the record they are in.
    state.parser.write(decode!(bytes.subarray(0, at)));
    throw wrongEncoding(singleByte!, bytes.subarray(at, at + 2));
  };
  const feed = (chunk: Uint8Array | string, final: boolean) => {
    if (typeof chunk === 'string') return parse(chunk);
    if (!decode) {
      head.push(chunk);
      headBytes += chunk.byteLength;
      if (headBytes < ENCODING_PROBE_BYTES && !final) return;
      const bytes = Buffer.concat(head);
      head = [];
      const { encoding, bomLength } = detectEncoding(bytes);
      decode = createDecoder(encoding);
      singleByte = SINGLE_BYTE.has(encoding) ? encoding : null;
      write(bytes.subarray(bomLength));
    } else {
      write(chunk);
    }
  };
  try {
    for await (const chunk of input) {
      // Sources read in big chunks for I/O; the parser is fed small slices, which keeps the strings it
      // scans in cache and short-lived (measured: peak RSS on a 200 MB dump 230 MB → 125 MB).
      for (let at = 0; at < chunk.length; at += PARSE_SLICE) {
        feed(chunk.length <= PARSE_SLICE ? chunk : sliceOf(chunk, at, at + PARSE_SLICE), false);
        if (state.ready.length > 0) {
          const out = state.ready;
          state.ready = [];
          yield* out;
        }
      }
    }
    if (!decode && headBytes > 0) feed(new Uint8Array(0), true);
    if (decode) parse((decode as (c: Uint8Array | null) => string)(null));
    state.parser.close();
  } catch (err) {
    throw state.fatal(err);
  }
  state.settleParents();
  yield* state.ready;
}

function wrongEncoding(encoding: string, pair: Uint8Array): FatalDumpError {
  return new FatalDumpError('WRONG_ENCODING', utf8InSingleByteMessage(encoding, pair));
}

/** Convenience for small dumps and tests: every entry in memory, split by kind. */
export async function readWholeDump(input: Input, options: ReadDumpOptions) {
  const result = {
    orgUnits: [] as Extract<DumpEntry, { kind: 'orgUnit' }>[],
    employments: [] as Extract<DumpEntry, { kind: 'employment' }>[],
    leaves: [] as Extract<DumpEntry, { kind: 'leave' }>[],
    rejected: [] as Extract<DumpEntry, { kind: 'rejected' }>[],
    diagnostics: [] as Diagnostic[],
  };
  for await (const entry of readDump(input, options)) {
    if (entry.kind === 'orgUnit') result.orgUnits.push(entry);
    else if (entry.kind === 'employment') result.employments.push(entry);
    else if (entry.kind === 'leave') result.leaves.push(entry);
    else {
      result.rejected.push(entry);
      result.diagnostics.push(...entry.diagnostics);
    }
  }
  return result;
}

/** Parser state: where we are in the tree, and the element being built. */
class DumpState {
  readonly parser: SaxesParser<{ xmlns: false; position: true }>;
  ready: DumpEntry[] = [];
  sawRoot = false;
  /** The decoder has met bytes it could not decode (U+FFFD): from then on texts are searched for them. */
  decodedBadBytes = false;
  private depth = 0;
  private draft: ElementDraft | null = null;
  /** Depth-2 field being read, or null when text is to be ignored. */
  private field: string | null = null;
  private slot = -1;
  private fieldHasChildren = false;
  private fieldText = '';
  /** The field's real length: its text is kept only up to HARD_CAP characters. */
  private fieldLength = 0;
  /** The tag the last close tag closed, and in which record: a mismatched close tag is reported with them. */
  private closing: { tag: string; element: ElementName | null; id: string | null } | null = null;
  /** Units whose parent has not been seen yet: settled when the dump ends (settleParents). */
  private pendingUnits: OrgUnit[] = [];
  private fn: { artText: string | null; roleText: string | null; startDate: string | null; endDate: string | null } | null =
    null;
  private fnField: string | null = null;
  /** The last element opened, to point at the spot of a syntax error. */
  private lastTag: string | null = null;
  private readonly seen: Record<ElementName, Map<string, number>> = { orgUnit: new Map(), employee: new Map() };

  constructor(private readonly file: string) {
    this.parser = new SaxesParser({ xmlns: false, position: true, fileName: file });
    this.parser.on('opentag', this.open.bind(this));
    this.parser.on('closetag', this.close.bind(this));
    this.parser.on('text', this.text.bind(this));
    this.parser.on('cdata', this.text.bind(this));
  }

  private open(tag: SaxesTagPlain): void {
    const depth = ++this.depth;
    this.lastTag = tag.name;
    if (depth === 1) {
      if (tag.name !== 'kmd') {
        throw new FatalDumpError('UNEXPECTED_ROOT', `the root element is <${tag.name}>, expected <kmd>`);
      }
      this.sawRoot = true;
    } else if (depth === 2) {
      if (tag.name === 'orgUnit' || tag.name === 'employee') {
        this.slot = -1;
        this.draft = {
          element: tag.name,
          attributes: tag.attributes as Record<string, string>,
          line: this.parser.line,
          values: newDraftValues(tag.name),
          extra: null,
          functions: [],
          protectedAddress: false,
          cprSuppId: null,
          lengths: null,
        };
      }
    } else if (this.draft && depth === 3) {
      if (tag.name === 'function') {
        const a = tag.attributes as Record<string, string>;
        this.fn = { artText: null, roleText: null, startDate: a.startDate ?? null, endDate: a.endDate ?? null };
        this.field = null;
      } else {
        this.field = tag.name;
        this.slot = fieldSlot(this.draft.element, tag.name, this.slot);
        this.fieldText = '';
        this.fieldLength = 0;
        this.fieldHasChildren = false;
        if (tag.name === 'address' && Object.keys(tag.attributes).length > 0) this.draft.protectedAddress = true;
        else if (tag.name === 'cpr') this.draft.cprSuppId = (tag.attributes as Record<string, string>).suppId ?? null;
      }
    } else if (this.draft && depth === 4) {
      if (this.fn) {
        this.fnField = tag.name;
        this.fieldText = '';
        this.fieldLength = 0;
      } else if (this.field) {
        this.fieldHasChildren = true;
      }
    } else if (this.field) {
      this.fieldHasChildren = true;
    }
  }

  private close(tag: SaxesTagPlain): void {
    const depth = this.depth--;
    const draft = this.draft;
    this.closing = { tag: tag.name, element: draft?.element ?? null, id: draft?.attributes.id ?? null };
    if (!draft) return;
    if (depth === 2) {
      this.draft = null;
      this.finish(draft);
    } else if (depth === 3) {
      if (this.fn && tag.name === 'function') {
        draft.functions.push(this.fn);
        this.fn = null;
      } else if (this.field) {
        if (this.field === 'address' && this.fieldHasChildren) draft.protectedAddress = true;
        const value = this.fieldHasChildren ? null : trimmedOrNull(this.fieldText);
        if (this.fieldLength > HARD_CAP) (draft.lengths ??= {})[this.field] = this.fieldLength;
        if (this.slot >= 0) draft.values[this.slot] = value;
        else (draft.extra ??= {})[this.field] = value;
        this.field = null;
      }
    } else if (depth === 4 && this.fn && this.fnField) {
      if (this.fnField === 'artText' || this.fnField === 'roleText') {
        this.fn[this.fnField] = trimmedOrNull(this.fieldText);
        if (this.fieldLength > HARD_CAP) (draft.lengths ??= {})[this.fnField] = this.fieldLength;
      }
      this.fnField = null;
    }
  }

  private text(text: string): void {
    if ((this.field !== null && !this.fieldHasChildren) || this.fnField !== null) {
      // A 25 MB field is measured, not kept: the record is rejected as too long (elements.ts).
      if (this.fieldText.length < HARD_CAP) this.fieldText += text;
      this.fieldLength += text.length;
    }
  }

  private finish(draft: ElementDraft): void {
    const entry = buildRecord(draft, this.file, this.decodedBadBytes);
    if (entry.kind === 'rejected') for (const d of entry.diagnostics) d.file = this.file;
    if (entry.kind !== 'rejected' || entry.id !== null) {
      const id = entry.id!;
      const seen = this.seen[draft.element];
      const firstLine = seen.get(id);
      if (firstLine === undefined) {
        seen.set(id, draft.line);
      } else {
        const dup: Diagnostic = {
          severity: 'error',
          code: 'DUPLICATE_ID',
          file: this.file,
          line: draft.line,
          element: draft.element,
          opusId: id,
          message: `${draft.element} id ${id} appears again (first at line ${firstLine}); neither occurrence is trusted until OPUS fixes it`,
        };
        if (entry.kind === 'rejected') entry.diagnostics.push(dup);
        this.ready.push(
          entry.kind === 'rejected'
            ? entry
            : { kind: 'rejected', element: draft.element, id, source: entry.source, diagnostics: [dup] },
        );
        return;
      }
    }
    if (entry.kind === 'orgUnit' && entry.parentOrgUnit !== null && !this.seen.orgUnit.has(entry.parentOrgUnit)) {
      this.pendingUnits.push(entry);
      return;
    }
    this.ready.push(entry);
  }

  /** At the end of the dump: a unit whose parent is in no <orgUnit> of it is rejected; the others are read. */
  settleParents(): void {
    for (const unit of this.pendingUnits) {
      if (this.seen.orgUnit.has(unit.parentOrgUnit!)) {
        this.ready.push(unit);
        continue;
      }
      this.ready.push({
        kind: 'rejected',
        element: 'orgUnit',
        id: unit.id,
        source: unit.source,
        diagnostics: [
          {
            severity: 'error',
            code: 'BAD_PARENT',
            file: this.file,
            line: unit.source.line,
            element: 'orgUnit',
            opusId: unit.id,
            message: `the parent unit ${unit.parentOrgUnit} is in no <orgUnit> of the dump; the unit and its subtree are not imported`,
          },
        ],
      });
    }
    this.pendingUnits = [];
  }

  fatal(err: unknown): DumpReadError {
    if (err instanceof DumpReadError) return err;
    const line = this.parser.line;
    const raw = err instanceof Error ? err.message : String(err);
    // saxes prefixes "file:line:column: "; the diagnostic carries file and line itself.
    let message = raw.replace(/^.*?:\d+:\d+: /, '');
    let code: DiagnosticCode =
      err instanceof FatalDumpError ? err.code : err instanceof UnsupportedEncodingError ? 'UNSUPPORTED_ENCODING' : 'MALFORMED_XML';
    let element = this.draft?.element ?? null;
    let id = this.draft?.attributes.id ?? null;
    let near = this.lastTag;
    if (message.startsWith('unexpected close tag') && this.closing) {
      // saxes has dropped the wrong tag's name by now; the open tag it should have closed is what helps.
      message = `a close tag does not match the open <${this.closing.tag}> (expected </${this.closing.tag}>)`;
      element = this.closing.element;
      id = this.closing.id;
      near = null;
    } else if (message.startsWith('undefined entity')) {
      code = 'DTD_NOT_SUPPORTED';
      message = `an undefined entity: DTD entities are not supported (only &amp; &lt; &gt; &quot; &apos; and character references such as &#248;). Fix: write the character itself`;
    }
    const where = element ? ` inside ${element}${id ? ` id=${cut(id)}` : ''}${near ? ` (near <${cut(near)}>)` : ''}` : '';
    return new DumpReadError({
      severity: 'error',
      code,
      file: this.file,
      line,
      element,
      opusId: id === null ? null : cut(id),
      message: `${code === 'MALFORMED_XML' ? 'malformed XML: ' : ''}${code === 'MALFORMED_XML' && message.length > 300 ? `${message.slice(0, 300)}… (${message.length} characters)` : message}${where}`,
    });
  }
}

class FatalDumpError extends Error {
  constructor(
    readonly code: 'UNEXPECTED_ROOT' | 'WRONG_ENCODING',
    message: string,
  ) {
    super(message);
  }
}

function sliceOf(chunk: Uint8Array | string, from: number, to: number): Uint8Array | string {
  return typeof chunk === 'string' ? chunk.slice(from, to) : chunk.subarray(from, to);
}

function trimmedOrNull(text: string): string | null {
  const t = text.trim();
  return t === '' ? null : t;
}
