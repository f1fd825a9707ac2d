-- Opaque refresh tokens, stored as sha256 hashes. Every rotation stays in one family, so a reused
-- (already rotated) token can revoke the whole family. access_jti names the access token issued
-- with each refresh token, which lets logout and reuse detection revoke it too.
CREATE TABLE refresh_tokens (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id UUID NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  access_jti TEXT NOT NULL,
  access_expires_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_access_jti_idx ON refresh_tokens (access_jti);
CREATE INDEX refresh_tokens_created_at_idx ON refresh_tokens (created_at);
