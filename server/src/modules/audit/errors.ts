// The audit module adds no error codes of its own (it answers FORBIDDEN and field errors).
export const AUDIT_ERRORS = {};
