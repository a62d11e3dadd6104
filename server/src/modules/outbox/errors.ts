// The outbox's error codes: none yet of its own (its routes answer the platform's field errors).
export const OUTBOX_ERRORS = {};
