// What the registry routes answer (residents.ts, places.ts, import/jobs.ts), as TypeBox.
import { Type } from 'typebox';
import { ID_TYPES } from '../../platform/ids.js';
import { Day, Instant, lit, Messages, Nullable, Place, PlaceWithCounts } from '../../platform/schemas.js';

const Sex = Nullable(lit(['male', 'female'] as const));

/** A resident record (residents.ts Resident): ID masked; the phone full on a read, masked in lists. */
export const Resident = Type.Object({
  id: Type.Integer(),
  householdId: Nullable(Type.Integer()),
  name: Type.String(),
  idType: lit(ID_TYPES),
  idMasked: Type.String(),
  sex: Sex,
  birthDate: Nullable(Day),
  age: Nullable(Type.Integer()),
  phone: Nullable(Type.String()),
  nationality: Type.String(),
  language: Type.String(),
  tenancy: Type.String(),
  elderlyAlone: Type.Boolean(),
  mobilityImpaired: Type.Boolean(),
  pregnant: Type.Boolean(),
  dueDate: Nullable(Day),
  chronicIllness: Type.Boolean(),
  infant: Type.Boolean(),
  address: Type.String(),
  placeId: Nullable(Type.Integer()),
  placePath: Type.String(),
  gridId: Nullable(Type.Integer()),
  gridName: Nullable(Type.String()),
  createdAt: Instant,
  updatedAt: Instant,
});
/** A page of a resident search; the first page also says how many the search finds. */
export const ResidentPage = Type.Object({
  items: Type.Array(Resident),
  nextCursor: Nullable(Type.String()),
  total: Nullable(Type.Integer({ description: 'how many the search finds (first page only; null on later pages), at most 10,000' })),
  totalCapped: Type.Boolean({ description: 'true: the search finds more than `total`' }),
});


export const Household = Type.Object({
  id: Type.Integer(),
  placeId: Type.Integer(),
  room: Type.String(),
  address: Type.String(),
  residentCount: Type.Integer(),
});

export const PlaceDetail = Type.Object({ place: PlaceWithCounts, ancestors: Type.Array(Place) });

export const HouseholdCard = Type.Object({
  household: Household,
  members: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), idMasked: Type.String(), code: Type.String() })),
});

export const PersonalCode = Type.Object({ residentId: Type.Integer(), name: Type.String(), idMasked: Type.String(), code: Type.String() });

// ---- imports

/** One rejected row of an import (import/scan.ts RowError). */
export const ImportRowError = Type.Object({ row: Type.Integer(), column: Type.String(), code: Type.String(), message: Messages });

/** An import job (import/jobs.ts ImportJob). */
export const ImportJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.Integer(),
  status: lit(['validating', 'validated', 'committing', 'committed', 'failed'] as const),
  fileName: Type.String(),
  progress: Type.Object({
    phase: lit(['reading', 'writing', 'done'] as const),
    rowsRead: Type.Integer(),
    bytesRead: Type.Integer(),
    totalBytes: Type.Integer(),
    rowsWritten: Type.Integer(),
  }),
  summary: Type.Object({
    rows: Type.Integer(),
    valid: Type.Integer(),
    rejected: Type.Integer(),
    toCreate: Type.Integer(),
    toUpdate: Type.Integer(),
    unchanged: Type.Integer(),
    placesToCreate: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    placesCreated: Type.Integer(),
  }),
  placesToCreate: Type.Array(
    Type.Object({
      kind: lit(['street', 'community', 'compound', 'grid', 'building', 'unit'] as const),
      name: Type.String(),
      names: Type.Array(Type.String(), { description: 'from the place imported into down to this one' }),
      rows: Type.Array(Type.Integer(), { description: 'the first rows (as the spreadsheet numbers them) that create it' }),
      rowCount: Type.Integer(),
    }),
    { description: 'the places the commit will create, parents first, with the rows that name them (the first 200)' },
  ),
  errors: Type.Array(ImportRowError),
  errorCount: Type.Integer(),
  failure: Type.Optional(Type.Object({ code: Type.String(), message: Messages })),
  createdAt: Instant,
});

export const ImportPreview = Type.Object({
  headers: Type.Array(Type.String()),
  suggestedMapping: Type.Record(Type.String(), Nullable(Type.String()), { description: 'header → ledger field, or null' }),
  sampleRows: Type.Array(Type.Array(Type.String())),
  fields: Type.Array(Type.Object({ key: Type.String(), label: Messages, required: Type.Boolean() })),
});
