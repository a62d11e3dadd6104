// SQL built as tagged templates: values become parameters ($1, $2 … in order), fragments nest.
// sql-template-tag does the numbering; this file names what the project uses of it.
export { default as sql, join, raw, empty, type Sql } from 'sql-template-tag';
