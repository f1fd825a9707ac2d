-- A transcription asked for with study_pack: once transcribed, its transcript becomes a document
-- (titled study_pack_title) whose study pack makes notes and a quiz. study_pack_error says why the
-- document could not be made; the later steps are read from the document service.
ALTER TABLE transcriptions
  ADD COLUMN study_pack BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN study_pack_title TEXT,
  ADD COLUMN study_pack_error TEXT;
