-- Where each passage stands: the heading of its section and its offsets in the page's text.
ALTER TABLE passages ADD COLUMN heading TEXT;
ALTER TABLE passages ADD COLUMN start_offset INTEGER;
ALTER TABLE passages ADD COLUMN end_offset INTEGER;
