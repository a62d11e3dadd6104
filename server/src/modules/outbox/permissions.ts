// Who may read what the outbox holds: none yet (its routes come with delivery).
export const OUTBOX_PERMISSIONS = {};
