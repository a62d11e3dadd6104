// The synthetic district as a resident ledger CSV, with the Chinese headers an officer's
// spreadsheet has; streamed to disk.
import fs from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import { ID_TYPE_LABELS, LEDGER_COLUMNS, TENANCY_LABELS, type ResidentField } from '../../modules/registry/columns.js';
import { generateDistrict, type GenerateOptions } from './synthetic.js';

export async function writeDistrictCsv(file: string, opts: GenerateOptions): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write('\ufeff'); // BOM: Excel opens UTF-8 correctly
  const csv = stringify({ header: true, columns: LEDGER_COLUMNS.map((c) => ({ key: c.key, header: c.zh })) });
  csv.pipe(out);
  const names = new Map<string, { kind: string; name: string; parentKey: string | null }>();
  let n = 0;
  const yes = (b: unknown) => (b ? '是' : '否');
  for (const item of generateDistrict(opts)) {
    if (item.type === 'place') {
      names.set(item.place.key, { kind: item.place.kind, name: item.place.name, parentKey: item.place.parentKey });
      continue;
    }
    const chain: Record<string, string> = {};
    for (let k: string | null = item.household.unitKey; k; k = names.get(k)!.parentKey) chain[names.get(k)!.kind] = names.get(k)!.name;
    for (const p of item.household.residents) {
      const row: Record<ResidentField, unknown> = {
        name: p.name,
        idType: ID_TYPE_LABELS[p.idType]?.zh ?? p.idType,
        idNumber: p.idNumber,
        sex: p.sex === 'male' ? '男' : p.sex === 'female' ? '女' : '',
        birthDate: p.birthDate ?? '',
        phone: p.phone ?? '',
        street: chain.street,
        community: chain.community,
        compound: chain.compound,
        grid: chain.grid,
        building: chain.building,
        unit: chain.unit,
        room: item.household.room,
        tenancy: TENANCY_LABELS[(p.tenancy ?? 'owner') as keyof typeof TENANCY_LABELS].zh,
        nationality: p.nationality ?? 'CN',
        language: p.language ?? 'zh-CN',
        elderlyAlone: yes(p.elderlyAlone),
        mobilityImpaired: yes(p.mobilityImpaired),
        pregnant: yes(p.pregnant),
        dueDate: p.dueDate ?? '',
        chronicIllness: yes(p.chronicIllness),
        infant: yes(p.infant),
      };
      if (!csv.write(row)) await once(csv, 'drain');
      n++;
    }
  }
  csv.end();
  await once(out, 'finish');
  return n;
}
