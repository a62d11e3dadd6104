-- Antigen kits looked up by household and by resident (their pages, and the running total
-- after each distribution, which otherwise read the whole table), and the open alerts —
-- positives nobody has acknowledged — as a small partial index: the console counts them
-- for its menu badge every minute.
CREATE INDEX antigen_distributions_household_idx ON antigen_distributions (household_id, at DESC);
CREATE INDEX antigen_reports_resident_idx ON antigen_reports (resident_id, tested_at DESC);
CREATE INDEX antigen_reports_open_idx ON antigen_reports (place_path text_pattern_ops) WHERE result = 'positive' AND acknowledged_at IS NULL;
