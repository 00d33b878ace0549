-- The recording's schema as execsim released it: what
-- tests/recording_schema_test.cpp compares a fresh recording with.
-- Version 6 (applied after version 5): the CHECKs of attempts.outcome,
-- attempts.late_answer, duplicate_checks.outcome and
-- reconciliations.outcome become OR chains that accept the same values
-- (SQLite builds a temporary index per inserted row for an IN list of
-- more than two constants). The text is rewritten in place; execsim then
-- sets PRAGMA schema_version to its value + 1 (left out here: this file is
-- read by a single connection). The texts replaced are those of the
-- released files above; execsim's own files have them on one line.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql,
  'CHECK (outcome IN (''ack'', ''timeout'', ''network_error'',
                                    ''rejected''))',
  'CHECK (outcome = ''ack'' OR outcome = ''timeout'' OR outcome = ''network_error'' OR outcome = ''rejected'')')
  WHERE type = 'table' AND name = 'attempts';
UPDATE sqlite_master SET sql = replace(sql,
  'CHECK (late_answer IN (''ack'', ''rejected'', ''network_error''))',
  'CHECK (late_answer = ''ack'' OR late_answer = ''rejected'' OR late_answer = ''network_error'')')
  WHERE type = 'table' AND name = 'attempts';
UPDATE sqlite_master SET sql = replace(sql,
  'CHECK (outcome IN (''found'', ''not_found'', ''failed'',
                                       ''timeout''))',
  'CHECK (outcome = ''found'' OR outcome = ''not_found'' OR outcome = ''failed'' OR outcome = ''timeout'')')
  WHERE type = 'table' AND name = 'duplicate_checks';
UPDATE sqlite_master SET sql = replace(sql,
  'CHECK (outcome IN (''found'', ''not_found'', ''gave_up''))',
  'CHECK (outcome = ''found'' OR outcome = ''not_found'' OR outcome = ''gave_up'')')
  WHERE type = 'table' AND name = 'reconciliations';
PRAGMA writable_schema = OFF;
