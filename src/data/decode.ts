import { Transform } from 'node:stream';
import { FairkitError } from '../errors.js';

/**
 * Turning a file's bytes into text, strictly. A lenient decoder replaces every undecodable byte with U+FFFD, so
 * "Café" in latin-1 and "Cafè" in latin-1 would both read as "Caf\uFFFD" and two groups would silently become one.
 * UTF-8 is the default; other encodings are named by the caller (readTable's `encoding`, the commands' --encoding).
 */

export const DEFAULT_ENCODING = 'utf-8';

/** The WHATWG name of an encoding label ('latin1' → 'windows-1252', 'utf8' → 'utf-8'), or an error naming the label. */
export function encodingName(label: string): string {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new FairkitError(`unknown encoding '${label}'`, { fix: 'Use a WHATWG encoding label such as utf-8, latin1 (windows-1252), iso-8859-2, utf-16le or shift_jis' });
  }
}

/** Where the first undecodable byte is: its offset in the (decompressed) input, its line, its value. */
interface BadByte {
  offset: number;
  line: number;
  byte: number;
}

/**
 * A streaming UTF-8 validator (the WHATWG decoder's rules: no overlongs, no surrogates, nothing above U+10FFFF) that
 * also counts lines, so that an error can say where the bad byte is; TextDecoder's own error does not.
 */
class Utf8Checker {
  private offset = 0;
  private line = 1;
  /** Continuation bytes the current sequence still needs, and the allowed range of the next one. */
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private lead: BadByte = { offset: 0, line: 1, byte: 0 };

  /** The first bad byte in `chunk` (continuing the previous chunks), or null. */
  check(chunk: Uint8Array): BadByte | null {
    for (let i = 0; i < chunk.length; i++, this.offset++) {
      const byte = chunk[i];
      if (this.need > 0) {
        if (byte < this.lower || byte > this.upper) return this.lead;
        this.need--;
        this.lower = 0x80;
        this.upper = 0xbf;
        continue;
      }
      if (byte < 0x80) {
        if (byte === 0x0a) this.line++;
        continue;
      }
      this.lead = { offset: this.offset, line: this.line, byte };
      if (byte >= 0xc2 && byte <= 0xdf) this.need = 1;
      else if (byte >= 0xe0 && byte <= 0xef) {
        this.need = 2;
        if (byte === 0xe0) this.lower = 0xa0;
        if (byte === 0xed) this.upper = 0x9f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        this.need = 3;
        if (byte === 0xf0) this.lower = 0x90;
        if (byte === 0xf4) this.upper = 0x8f;
      } else return this.lead;
    }
    return null;
  }

  /** At the end of input: the lead byte of a character cut short, or null. */
  end(): BadByte | null {
    return this.need > 0 ? this.lead : null;
  }
}

function notUtf8(source: string, bad: BadByte): FairkitError {
  const hex = `0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  // FF FE / FE FF at the very start: a UTF-16 file, which needs its own name rather than latin1.
  const utf16 = bad.offset === 0 && (bad.byte === 0xff || bad.byte === 0xfe);
  return new FairkitError(`byte ${hex} at byte offset ${bad.offset} is not valid UTF-8`, {
    where: `${source}, line ${bad.line}`,
    fix: utf16
      ? `The file starts with a UTF-16 byte-order mark: name its encoding (--encoding ${bad.byte === 0xff ? 'utf-16le' : 'utf-16be'}, or readTable's encoding option)`
      : "Name the file's encoding (e.g. --encoding latin1, or readTable's encoding option), or save the file as UTF-8",
  });
}

function undecodable(source: string, encoding: string, error: unknown): FairkitError {
  return new FairkitError(`the bytes are not valid ${encoding}`, { where: source, fix: "Name the file's actual encoding (--encoding, or readTable's encoding option)", cause: error });
}

/** A transform from bytes to text (pushed as UTF-8 buffers) that fails on the first undecodable byte. */
export function decodingStream(source: string, label: string = DEFAULT_ENCODING): Transform {
  const encoding = encodingName(label);
  // fatal: an error, never U+FFFD. The UTF-8 checker runs first so that the error can name the line and offset.
  const decoder = new TextDecoder(encoding, { fatal: true });
  const checker = encoding === 'utf-8' ? new Utf8Checker() : null;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const bad = checker?.check(chunk);
      if (bad) return done(notUtf8(source, bad));
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch (error) {
        return done(undecodable(source, encoding, error));
      }
      done(null, text.length > 0 ? text : undefined);
    },
    flush(done) {
      const bad = checker?.end();
      if (bad) return done(notUtf8(source, bad));
      let text: string;
      try {
        text = decoder.decode();
      } catch (error) {
        return done(undecodable(source, encoding, error));
      }
      done(null, text.length > 0 ? text : undefined);
    },
  });
}

/** The same decoding for a whole buffer in memory. */
export function decodeBytes(bytes: Uint8Array, source: string, label: string = DEFAULT_ENCODING): string {
  const encoding = encodingName(label);
  if (encoding === 'utf-8') {
    const checker = new Utf8Checker();
    const bad = checker.check(bytes) ?? checker.end();
    if (bad) throw notUtf8(source, bad);
  }
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (error) {
    throw undecodable(source, encoding, error);
  }
}
