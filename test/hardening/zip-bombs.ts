import { constants, deflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP writer for hostile workbooks: small on disk, huge once inflated. A part is made
 * of pieces; a piece repeated n times is deflated once (sync-flushed, byte-aligned, referring
 * only to itself) and its compressed bytes written n times — the classic zip-bomb trick.
 */
export type Piece = string | { text: string; times: number };
export type BombEntry = {
  name: string;
  pieces: Piece[];
  /** The uncompressed size the headers declare (default: the true size, when it fits). */
  declaredSize?: number;
  /** Sizes only in a data descriptor after the data (bit 3), as streaming writers do. */
  descriptor?: boolean;
  /** What the central directory alone declares (a directory that disagrees with the local header). */
  centralSize?: number;
};

function deflatePieces(pieces: Piece[]): { data: Buffer; size: number } {
  const parts: Buffer[] = [];
  let size = 0;
  for (const piece of pieces) {
    const { text, times } = typeof piece === 'string' ? { text: piece, times: 1 } : piece;
    const raw = Buffer.from(text, 'utf8');
    const segment = deflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
    for (let i = 0; i < times; i++) parts.push(segment);
    size += raw.length * times;
  }
  parts.push(Buffer.from([0x03, 0x00])); // a final, empty block
  return { data: Buffer.concat(parts), size };
}

export function zipOf(entries: BombEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const { data, size } = deflatePieces(e.pieces);
    const declared = e.declaredSize ?? Math.min(size, 0xfffffffe);
    const flags = e.descriptor ? 0x08 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.descriptor ? 0 : data.length, 18);
    local.writeUInt32LE(e.descriptor ? 0 : declared, 22);
    local.writeUInt16LE(name.length, 26);
    const parts = [local, name, data];
    if (e.descriptor) {
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(data.length, 8);
      d.writeUInt32LE(declared, 12);
      parts.push(d);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(e.centralSize ?? declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    for (const p of parts) offset += p.length;
    locals.push(...parts);
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A one-sheet workbook whose sheet XML and shared strings are given as pieces. */
export function workbookZip(opts: {
  sheetName?: string;
  sheet: Piece[];
  sharedStrings?: Piece[];
  descriptor?: boolean;
  declaredSheetSize?: number;
  extra?: BombEntry[];
}): Buffer {
  const sheetName = opts.sheetName ?? 'Sheet1';
  const entries: BombEntry[] = [
    {
      name: '[Content_Types].xml',
      pieces: [
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ],
    },
    {
      name: '_rels/.rels',
      pieces: [
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ],
    },
    {
      name: 'xl/workbook.xml',
      pieces: [`<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} ${R}><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      pieces: [
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          (opts.sharedStrings
            ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            : '') +
          '</Relationships>',
      ],
    },
  ];
  if (opts.sharedStrings) entries.push({ name: 'xl/sharedStrings.xml', pieces: opts.sharedStrings, descriptor: opts.descriptor });
  entries.push({ name: 'xl/worksheets/sheet1.xml', pieces: opts.sheet, descriptor: opts.descriptor, declaredSize: opts.declaredSheetSize });
  return zipOf([...entries, ...(opts.extra ?? [])]);
}

export const sheetXml = (rows: Piece[]): Piece[] => [`<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>`, ...rows, '</sheetData></worksheet>'];
export const sharedStringsXml = (strings: Piece[]): Piece[] => [`<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>`, ...strings, '</sst>'];
