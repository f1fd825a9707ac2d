import type { Queryable } from '@learner/common/db';

export interface User {
  id: string;
  email: string;
  name: string | null;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
}

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name });

export function createUserRepository(db: Queryable) {
  return {
    /** Undefined when the email is already taken. */
    async create(input: { email: string; name: string | null; passwordHash: string }): Promise<User | undefined> {
      const { rows } = await db.query<UserRow>(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO NOTHING
         RETURNING id, email, name, password_hash`,
        [input.email, input.name, input.passwordHash],
      );
      return rows[0] ? toUser(rows[0]) : undefined;
    },

    async findByEmail(email: string): Promise<UserWithPassword | undefined> {
      const { rows } = await db.query<UserRow>(
        'SELECT id, email, name, password_hash FROM users WHERE email = $1',
        [email],
      );
      const row = rows[0];
      return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
    },

    async findById(id: string): Promise<User | undefined> {
      const { rows } = await db.query<UserRow>('SELECT id, email, name, password_hash FROM users WHERE id = $1', [id]);
      return rows[0] ? toUser(rows[0]) : undefined;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
