// The notices API (server/src/modules/notices/routes.ts); shapes are pieces of the generated
// schema.d.ts (`npm run api`). Sends carry a key made once per submission, so a retry or a
// double click sends the notice once.
import { api, call } from './client';
import { every, type Answer, type BodyOf } from './types';

export type NoticeDraft = BodyOf<'/api/notices/preview', 'post'>;
export type NoticePreview = Answer<'/api/notices/preview', 'post'>;
export type Notice = Answer<'/api/notices'>['items'][number];
export type NoticeReport = Answer<'/api/notices/{id}'>;
export type NoticeChannel = NoticeDraft['channels'][number];
export type NoticeList = NonNullable<NoticeDraft['list']>;
export type NoticeTexts = NoticeDraft['texts'];
export type NoticeLanguage = keyof NoticeTexts;
export type SlotNotices = Answer<'/api/rounds/{id}/slot-notices', 'post'>;

export const NOTICE_CHANNELS = every<NoticeChannel>()(['inapp', 'sms']);
export const NOTICE_LISTS = every<NoticeList>()(['missing', 'recall']);
export const NOTICE_LANGUAGES = every<NoticeLanguage>()(['zh-CN', 'en-US', 'ko-KR']);
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'read'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const id = (n: number) => ({ path: { id: n } });

export const notices = {
  list: (cursor?: string | null, limit = 50, roundId?: number) => call(api.GET('/api/notices', { params: { query: { cursor: cursor ?? undefined, limit, roundId } } })),
  get: (n: number) => call(api.GET('/api/notices/{id}', { params: id(n) })),
  preview: (body: NoticeDraft) => call(api.POST('/api/notices/preview', { body })),
  send: (body: BodyOf<'/api/notices', 'post'>) => call(api.POST('/api/notices', { body })),
  resend: (n: number, body: BodyOf<'/api/notices/{id}/resend', 'post'>) => call(api.POST('/api/notices/{id}/resend', { params: id(n), body })),
  slotNotices: (roundId: number, body: BodyOf<'/api/rounds/{id}/slot-notices', 'post'>) => call(api.POST('/api/rounds/{id}/slot-notices', { params: id(roundId), body })),
};
