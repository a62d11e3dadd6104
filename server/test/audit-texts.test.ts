// Every audit action and entity kind the server writes has a name in the console's audit log,
// in both languages: the log never shows a raw code such as `box.hand_over`. The actions are read
// from the source (each audit(…) call), so a new one without its texts fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../src');
const i18n = path.resolve(import.meta.dirname, '../../web/src/i18n');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** The action and entity of each audit(q, actor, { … }) call in the server's source. */
function auditCalls() {
  const calls: { file: string; action: string; entity?: string }[] = [];
  for (const file of files(src)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baudit\(\s*[^,]+,\s*[^,]+,\s*\{/g)) {
      // the object literal: up to the brace that closes it
      let depth = 0;
      let end = m.index + m[0].length - 1;
      for (; end < text.length; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}' && --depth === 0) break;
      }
      const body = text.slice(m.index, end);
      const action = /\baction: '([^']+)'/.exec(body)?.[1];
      const entity = /\bentity: '([^']+)'/.exec(body)?.[1];
      if (!action) throw new Error(`${path.relative(src, file)}: an audit call whose action is not a literal — name it in this test`);
      calls.push({ file: path.relative(src, file), action, entity });
    }
  }
  return calls;
}

const texts = (l: string) => JSON.parse(fs.readFileSync(path.join(i18n, `${l}.json`), 'utf8')).audit;

describe('audit log texts', () => {
  const calls = auditCalls();

  it('finds the audit calls (the scan is not empty)', () => {
    expect(calls.length).toBeGreaterThan(30);
    expect(calls.map((c) => c.action)).toContain('box.hand_over');
    expect(calls.map((c) => c.action)).toContain('result.record');
  });

  for (const locale of ['zh-CN', 'en-US']) {
    it(`every action, its group and its entity kind have a ${locale} name`, () => {
      const t = texts(locale);
      const missing: string[] = [];
      for (const c of calls) {
        const key = c.action.replace('.', '_');
        if (typeof t.action[key] !== 'string' || !t.action[key]) missing.push(`action ${c.action} (${c.file})`);
        const group = c.action.slice(0, c.action.indexOf('.'));
        if (!t.group[group]) missing.push(`group ${group} (${c.file})`);
        if (c.entity && !t.entityKind[c.entity]) missing.push(`entity ${c.entity} (${c.file})`);
      }
      expect([...new Set(missing)]).toEqual([]);
    });
  }

  it('the two languages name the same actions', () => {
    expect(Object.keys(texts('en-US').action).sort()).toEqual(Object.keys(texts('zh-CN').action).sort());
  });
});
