// Shared pieces of the zone pages: a policy's name in the console's language, its level as a
// coloured tag (sealed and high red, controlled and medium orange, prevention and low blue) and
// what it means in plain words (movement, supplies, testing, the step-down rule).
import type { TFunction } from 'i18next';
import { ZONE_LEVELS, type PolicyNames, type ZoneLevel, type ZonePolicy } from '../../api/zones';
import './zones.css';

/** red, orange or blue: how strict a level is */
export type LevelTone = 'red' | 'orange' | 'blue';
export const LEVEL_TONE: Record<ZoneLevel, LevelTone> = { sealed: 'red', high: 'red', controlled: 'orange', medium: 'orange', prevention: 'blue', low: 'blue' };

export function toneOf(level: string): LevelTone {
  return LEVEL_TONE[level as ZoneLevel] ?? 'blue';
}

/** The three zones first (sealed, controlled, prevention), then the risk areas (high, medium, low): the server's order is by strictness alone. */
export function byLevel<P extends Pick<ZonePolicy, 'level' | 'key'>>(policies: P[]): P[] {
  return [...policies].sort((a, b) => ZONE_LEVELS.indexOf(a.level) - ZONE_LEVELS.indexOf(b.level) || a.key.localeCompare(b.key));
}

/** The policy's name in the console's language, else the Chinese one (always there). */
export function policyName(names: PolicyNames, lang: string): string {
  const l = lang.startsWith('en') ? 'en-US' : lang.startsWith('ko') ? 'ko-KR' : 'zh-CN';
  return names[l] || names['zh-CN'];
}

export function LevelTag({ level, names, lang, version, testId }: { level: string; names: PolicyNames; lang: string; version?: number; testId?: string }) {
  return (
    <span className={`fk-zone-tag is-${toneOf(level)}`} data-testid={testId} data-level={level}>
      {policyName(names, lang)}
      {version !== undefined && <span className="fk-zone-tag-version">v{version}</span>}
    </span>
  );
}

type Rules = Pick<ZonePolicy, 'movement' | 'supply' | 'testEveryDays' | 'testPerHousehold'>;

export function testingText(t: TFunction, p: Pick<Rules, 'testEveryDays' | 'testPerHousehold'>): string {
  const every = p.testEveryDays === null ? t('zones.test.none') : p.testEveryDays === 1 ? t('zones.test.daily') : t('zones.test.every', { count: p.testEveryDays });
  return p.testPerHousehold ? t('zones.test.withHousehold', { every }) : every;
}

/** "居家不出 · 送货上门 · 每天核酸（每户一人）" */
export function meaning(t: TFunction, p: Rules): string[] {
  return [t(`zones.movement.${p.movement}`), t(`zones.supply.${p.supply}`), testingText(t, p)];
}

export function stepDownRule(t: TFunction, p: Pick<ZonePolicy, 'stepDownDays' | 'stepDownTo'>, nameOf: (key: string) => string): string {
  if (p.stepDownDays === null) return t('zones.stepDownRule.manual');
  return p.stepDownTo ? t('zones.stepDownRule.to', { days: p.stepDownDays, to: nameOf(p.stepDownTo) }) : t('zones.stepDownRule.lift', { days: p.stepDownDays });
}
