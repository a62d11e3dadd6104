// A board as Server-Sent Events: the board now, then again after every testing event it cares
// about (at most one recomputation per half second), `: ping` comments to keep proxies from
// closing an idle stream. The campaign board and the area board both stream this way.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { requireActor } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { TOPIC, type TestingEvent } from './events.js';

export async function streamBoard<B>(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  o: {
    compute: () => Promise<B>;
    /** does this event change the board last sent? */
    concerns: (e: TestingEvent, last: B) => boolean;
    /** recompute this often even without an event (e.g. to pick up a campaign that just started) */
    everyMs?: number;
  },
) {
  // One account holds at most maxStreamsPerUser streams (platform/events.ts says why refusing beats closing the oldest).
  const actor = requireActor(req);
  const max = ctx.config.maxStreamsPerUser;
  const release = ctx.events.holdStream(actor.id, max);
  if (!release) throw new AppError('STREAMS_TOO_MANY', { params: { max, retryAfter: 20 } });
  // the first board before the stream opens: an error (not found, no right) is a plain answer
  let last: B;
  try {
    last = await o.compute();
  } catch (err) {
    release();
    throw err;
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const send = (data: unknown) => res.write(`event: board\ndata: ${JSON.stringify(data)}\n\n`);
  send(last);
  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    if (timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      try {
        last = await o.compute();
        send(last);
      } catch {
        /* the next change tries again */
      }
    }, 500);
  };
  const off = ctx.events.subscribe(TOPIC, (data) => {
    if (o.concerns(data as unknown as TestingEvent, last)) refresh();
  });
  const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
  const every = o.everyMs ? setInterval(refresh, o.everyMs) : undefined;
  req.raw.on('close', () => {
    release();
    off();
    clearInterval(ping);
    if (every) clearInterval(every);
    if (timer) clearTimeout(timer);
  });
}
