// What the testing routes answer (campaigns, scans, schedule, handover, results, coverage,
// board, antigen), as TypeBox. Figures computed in JS (waits, shares) are Number, never
// Integer: the serializer would round them.
import { Type } from 'typebox';
import { GridWorker, Instant, Day, Items, lit, MaskedResident, Messages, Nullable, Page } from '../../platform/schemas.js';
import { MODES } from './campaigns.js';
import { EXEMPTION_REASONS } from './coverage.js';
import { RESULTS } from './results.js';

const Int = Type.Integer();
const Mode = lit(MODES);
const Result = lit(RESULTS);
const TubeResult = Nullable(Type.String({ description: 'negative, positive, invalid; null before a result' }));

// ---- campaigns, rounds, sites

export const CampaignSummary = Type.Object({
  id: Int,
  name: Type.String(),
  placeId: Int,
  placeName: Type.String(),
  startsAt: Nullable(Instant),
  endsAt: Nullable(Instant),
  rounds: Int,
  sites: Int,
  lanes: Int,
});

export const Round = Type.Object({ id: Int, number: Int, startsAt: Instant, endsAt: Instant, closedAt: Nullable(Instant) });

export const Site = Type.Object({
  id: Int,
  placeId: Int,
  placeName: Type.String(),
  name: Type.String(),
  opensAt: Type.String({ description: 'HH:MM' }),
  closesAt: Type.String({ description: 'HH:MM' }),
  doorToDoor: Type.Boolean(),
  mode: Mode,
  lanes: Type.Array(Type.Object({ id: Int, number: Int })),
});

export const Campaign = Type.Object({
  id: Int,
  name: Type.String(),
  placeId: Int,
  placeName: Type.String(),
  startsAt: Nullable(Instant),
  endsAt: Nullable(Instant),
  exemptUnderMonths: Int,
  secondsPerSwab: Int,
  places: Type.Array(Type.Object({ placeId: Int, name: Type.String(), kind: Type.String(), mode: Mode })),
  rounds: Type.Array(Round),
  sites: Type.Array(Site),
});

// ---- scans and tubes

export const ScanResult = Type.Object({
  key: Type.String(),
  outcome: lit(['recorded', 'replay', 'already_in_tube'] as const),
  sampleId: Int,
  resident: Type.Object({
    id: Int,
    name: Type.String({ description: 'the stored name with the reveal right; masked (张*芊) without it' }),
    idMasked: Type.String(),
    sex: Nullable(Type.String({ description: 'male, female' })),
    age: Nullable(Int),
  }),
  tube: Type.Object({ barcode: Type.String(), people: Int, poolSize: Int, sealed: Type.Boolean() }),
  round: Type.Object({ id: Int, number: Int }),
  flags: Type.Object({
    repeatInRound: Type.Boolean(),
    outsideCampaign: Type.Boolean(),
    registeredOnSpot: Type.Boolean(),
    alreadyRegistered: Type.Boolean({ description: 'asked to register on the spot, the ID number was already registered: sampled under that record' }),
  }),
});

/** The error member of a refused scan in a batch: the shape of every error body's `error`. */
const ErrorInner = Type.Object(
  { code: Type.String(), status: Int, field: Type.Optional(Type.String()), message: Type.String(), messages: Messages },
  { additionalProperties: true },
);

export const ScanBatch = Type.Object({
  recorded: Int,
  rejected: Int,
  items: Type.Array(
    Type.Object({
      key: Type.String(),
      ok: Type.Boolean(),
      result: Type.Optional(ScanResult),
      error: Type.Optional(ErrorInner),
    }, { description: 'ok: the result; not ok: the error, as an error body carries it' }),
  ),
});

export const Tube = Type.Object({
  barcode: Type.String(),
  roundId: Int,
  poolSize: Int,
  householdOnly: Type.Boolean(),
  people: Int,
  siteId: Int,
  siteName: Type.String(),
  laneNumber: Nullable(Int),
  openedAt: Instant,
  sealedAt: Nullable(Instant),
  box: Nullable(Type.String()),
  result: TubeResult,
  resultAt: Nullable(Instant),
  samples: Type.Array(
    Type.Object({
      residentId: Int,
      name: Type.String({ description: 'the stored name with the reveal right; masked (张*芊) without it' }),
      idMasked: Type.String(),
      sex: Nullable(Type.String()),
      age: Nullable(Int),
      sampledAt: Instant,
      repeatInRound: Type.Boolean(),
      outsideCampaign: Type.Boolean(),
    }),
  ),
});

// ---- the time-slot plan

const SiteTimeline = Type.Object({
  siteId: Int,
  points: Type.Array(Type.Object({ at: Instant, waiting: Type.Number(), waitingPerLane: Type.Number(), served: Type.Number() })),
  maxWaitingPerLane: Type.Number(),
  lastServedAt: Nullable(Instant),
  meanWaitSeconds: Type.Number(),
  p95WaitSeconds: Type.Number(),
});

export const Plan = Type.Object({
  parameters: Type.Object({ secondsPerSwab: Type.Number(), maxQueuePerLane: Type.Number(), slotMinutes: Type.Number(), turnout: Type.Number() }),
  buildings: Int,
  people: Int,
  slots: Int,
  finishesAt: Nullable(Instant),
  unplaced: Int,
  sites: Type.Array(
    Type.Object({
      siteId: Int,
      firstSlotAt: Nullable(Instant),
      finishesAt: Nullable(Instant),
      people: Int,
      capacityPerHour: Type.Number(),
      overflow: Type.Number(),
      name: Type.String(),
      lanes: Int,
      opensAt: Type.Optional(Instant),
      closesAt: Type.Optional(Instant),
    }),
  ),
  simulation: Type.Object({ sites: Type.Array(SiteTimeline), finishesAt: Nullable(Instant), maxWaitingPerLane: Type.Number() }),
  plannedAt: Nullable(Type.String({ format: 'date-time', description: 'when the plan was made (null for a plan made before this was kept)' })),
  stale: Nullable(
    Type.Object({
      added: Int,
      removed: Int,
      buildings: Int,
    }, { description: 'null while the registry matches the plan; else residents added to and gone from buildings since it was made, and how many buildings changed (re-plan)' }),
  ),
});

export const Slot = Type.Object({
  id: Int,
  placeId: Int,
  building: Type.String(),
  within: Type.String({ description: 'the compound and grid above the building' }),
  siteId: Int,
  site: Type.String(),
  startsAt: Instant,
  endsAt: Instant,
  people: Int,
});

export const SlotEdit = Type.Object({ id: Int, startsAt: Instant, endsAt: Instant, siteId: Nullable(Int) });

// ---- boxes and handover

const BoxFields = {
  barcode: Type.String(),
  roundId: Int,
  state: lit(['packed', 'in_transit', 'received'] as const),
  packedAt: Instant,
  packedBy: Nullable(Type.String()),
  handedOverAt: Nullable(Instant),
  handedOverBy: Nullable(Type.String()),
  carrier: Nullable(Type.String()),
  receivedAt: Nullable(Instant),
  receivedBy: Nullable(Type.String()),
  labName: Nullable(Type.String()),
  receipt: Nullable(Type.Object({ missing: Type.Array(Type.String()), extra: Type.Array(Type.String()) })),
};

export const Box = Type.Object({
  ...BoxFields,
  tubes: Type.Array(Type.Object({ barcode: Type.String(), people: Int, poolSize: Int, result: TubeResult })),
});

export const BoxList = Items(Type.Object({ ...BoxFields, tubeCount: Int, people: Int }));

// ---- results and recalls

export const ResultSummary = Type.Object({
  rows: Int,
  negative: Int,
  positive: Int,
  invalid: Int,
  corrected: Int,
  unchanged: Int,
  recalled: Int,
  retested: Int,
  errors: Type.Array(Type.Object({ row: Int, field: lit(['tube', 'result'] as const), code: Type.String(), messages: Messages })),
  committed: Type.Boolean(),
});

export const Recall = Type.Object({
  id: Int,
  roundId: Int,
  roundNumber: Int,
  campaignId: Int,
  tube: Type.String(),
  reason: Type.String(),
  createdAt: Instant,
  outcome: Nullable(Type.String()),
  closedAt: Nullable(Instant),
  retestTube: Nullable(Type.String()),
  resident: Type.Object({ ...MaskedResident.properties, householdId: Nullable(Int) }),
  address: Type.String(),
  gridWorkers: Type.Array(GridWorker),
});

export const ResidentTests = Items(
  Type.Object({
    sampledAt: Instant,
    campaign: Type.String(),
    round: Int,
    site: Type.String(),
    tube: Type.String(),
    poolSize: Int,
    result: TubeResult,
    resultAt: Nullable(Instant),
  }),
);

// ---- coverage

const Counts = { expected: Int, sampled: Int, exempt: Int, missing: Int };

export const Coverage = Type.Object({
  round: Type.Object({ id: Int, number: Int, campaignId: Int }),
  place: Type.Object({ id: Int, name: Type.String(), kind: Type.String(), path: Type.String() }),
  totals: Type.Object(Counts),
  rows: Type.Array(
    Type.Object({
      placeId: Int,
      name: Type.String(),
      kind: Type.String(),
      within: Type.String({ description: 'the places between the one asked about and this one (building lists)' }),
      compound: Nullable(Type.String({ description: 'the compound this place is in; null for a place above compounds (building names repeat across compounds)' })),
      ...Counts,
    }),
  ),
  sampledOutside: Int,
});

export const MissingPage = Page(
  Type.Object({
    ...MaskedResident.properties,
    address: Type.String(),
    elderlyAlone: Type.Boolean(),
    mobilityImpaired: Type.Boolean(),
    /** null for a caller without registry.reveal (an age only: with the date, the mask gives back the number) */
    birthDate: Nullable(Day),
    age: Nullable(Int),
  }),
);

export const Exemption = Type.Object({ roundId: Int, residentId: Int, reason: lit(EXEMPTION_REASONS), note: Nullable(Type.String()) });

// ---- the live board

const Tubes = Type.Object({
  open: Int,
  sealed: Int,
  packed: Int,
  inTransit: Int,
  atLab: Type.Integer({ description: 'in a box the lab received, found there, no result yet' }),
  missing: Type.Integer({ description: 'in a box the lab received but reported missing at receipt, no result' }),
  negative: Int,
  positive: Int,
  invalid: Int,
});

export const Board = Nullable(
  Type.Object({
    campaign: Type.Object({ id: Int, name: Type.String() }),
    round: Type.Object({ id: Int, number: Int, startsAt: Instant, endsAt: Instant }),
    rounds: Type.Array(Type.Object({ id: Int, number: Int })),
    expected: Int,
    samples: Int,
    sites: Type.Array(Type.Object({ siteId: Int, name: Type.String(), hours: Type.Array(Type.Object({ hour: Instant, samples: Int })), samples: Int })),
    tubes: Tubes,
    recalls: Type.Object({ open: Int, closed: Int }),
    at: Instant,
  }, { description: 'null when the campaign has no round yet' }),
);

export const AreaBoard = Type.Object({
  place: Nullable(Type.Object({ id: Int, name: Type.String(), kind: Type.String() }, { description: 'the place asked about, else my own (null for an installation-wide account)' })),
  campaigns: Type.Array(
    Type.Object({
      campaign: Type.Object({ id: Int, name: Type.String(), placeName: Type.String({ description: 'the place that runs it' }) }),
      round: Type.Object({ id: Int, number: Int, startsAt: Instant, endsAt: Instant }),
      expected: Int,
      samples: Int,
      sites: Type.Integer({ description: 'sites that sampled in the round' }),
      tubes: Tubes,
      recalls: Type.Object({ open: Int, closed: Int }),
    }),
    { description: 'running campaigns (inside their window or a round under way), newest first, at most 50; each counted within the area' },
  ),
  totals: Type.Object({ campaigns: Int, expected: Int, samples: Int, tubes: Tubes, recalls: Type.Object({ open: Int, closed: Int }) }),
  rounds: Type.Array(Int, { description: 'the rounds counted' }),
  at: Instant,
});

// ---- antigen

const ReportCounts = Type.Object({ negative: Int, positive: Int, invalid: Int });

export const Distribution = Type.Object({ householdId: Int, kits: Int, householdTotal: Int, replay: Type.Boolean() });
export const ReportAnswer = Type.Object({ reportId: Nullable(Int), replay: Type.Boolean(), alert: Type.Boolean() });
export const SelfReportAnswer = Type.Object({ received: Type.Boolean(), replay: Type.Boolean(), name: Type.String({ description: 'the first character of the name, then *' }) });

export const AlertPage = Page(
  Type.Object({
    id: Int,
    resident: MaskedResident,
    address: Type.String(),
    testedAt: Instant,
    reportedAt: Instant,
    reportedBy: Nullable(Type.String()),
    acknowledgedAt: Nullable(Instant),
    acknowledgedBy: Nullable(Type.String()),
    gridWorkers: Type.Array(GridWorker),
  }),
);

export const AntigenSummary = Type.Object({
  households: Int,
  reached: Int,
  kits: Int,
  reports: ReportCounts,
  openAlerts: Int,
  rows: Type.Optional(
    Type.Array(Type.Object({ placeId: Int, name: Type.String(), kind: Type.String(), households: Int, reached: Int, kits: Int, reports: ReportCounts, openAlerts: Int })),
  ),
});

const AntigenReport = Type.Object({
  id: Int,
  residentId: Int,
  name: Type.String(),
  result: Result,
  testedAt: Instant,
  reportedAt: Instant,
  by: Nullable(Type.String({ description: 'null: the resident reported it with their code' })),
  acknowledgedAt: Nullable(Instant),
});

export const HouseholdAntigen = Type.Object({
  distributions: Type.Array(Type.Object({ id: Int, at: Instant, kits: Int, by: Nullable(Type.String()) })),
  kitsTotal: Int,
  reports: Type.Array(AntigenReport),
});

export const ResidentAntigen = Items(AntigenReport);
