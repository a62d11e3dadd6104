// The generated district as a resident ledger (台账) CSV, with the Chinese headers and the
// values a community officer types (身份证, 男/女, 户籍/租户/流动人口, 是/否), streamed to disk.
// The registry import reads it back unchanged.
import fs from 'node:fs';
import { once } from 'node:events';
import { ID_TYPE_LABELS, LEDGER_COLUMNS, TENANCY_LABELS, type ResidentField, type ResidentValues } from '../../modules/registry/index.js';
import { generateDistrict, type GenerateOptions, type PlaceKind } from './generator.js';

type Location = Partial<Record<PlaceKind, string>> & { room: string };

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const yes = (b: boolean) => (b ? '是' : '否');

function fieldValue(key: ResidentField, p: ResidentValues, at: Location): string {
  switch (key) {
    case 'idType': return ID_TYPE_LABELS[p.idType]['zh-CN'];
    case 'sex': return p.sex === 'male' ? '男' : p.sex === 'female' ? '女' : '';
    case 'tenancy': return TENANCY_LABELS[p.tenancy]['zh-CN'];
    case 'street': case 'community': case 'compound': case 'grid': case 'building': case 'unit': return at[key] ?? '';
    case 'room': return at.room;
    case 'elderlyAlone': case 'mobilityImpaired': case 'pregnant': case 'chronicIllness': case 'infant': return yes(p[key]);
    default: return p[key] ?? '';
  }
}

/** Writes the district's residents to `file`; returns the number of rows (residents). */
export async function writeDistrictCsv(file: string, opts: GenerateOptions, onProgress?: (rows: number) => void): Promise<number> {
  const out = fs.createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  // BOM: Excel opens UTF-8 correctly; CRLF as Excel writes it.
  let chunk = '\ufeff' + LEDGER_COLUMNS.map((c) => cell(c.label['zh-CN'])).join(',') + '\r\n';
  const write = async () => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    chunk = '';
  };
  const names = new Map<string, { kind: PlaceKind; name: string; parentKey: string | null }>();
  let rows = 0;
  for (const item of generateDistrict(opts)) {
    if (item.type === 'place') {
      const { key, kind, name, parentKey } = item.place;
      // Entrances are not part of an address; households only ever sit in units.
      if (kind !== 'entrance') names.set(key, { kind, name, parentKey });
      continue;
    }
    const at: Location = { room: item.household.room };
    for (let k: string | null = item.household.unitKey; k; ) {
      const p: { kind: PlaceKind; name: string; parentKey: string | null } = names.get(k)!;
      at[p.kind] = p.name;
      k = p.parentKey;
    }
    for (const person of item.household.residents) {
      chunk += LEDGER_COLUMNS.map((c) => cell(fieldValue(c.key, person, at))).join(',') + '\r\n';
      if (++rows % 10_000 === 0) onProgress?.(rows);
    }
    if (chunk.length > 1 << 16) await write();
  }
  await write();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return rows;
}
