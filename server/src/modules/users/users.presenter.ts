// Builds API user objects field by field: new columns never leak by default.
import { LOCALES, type Locale } from '@common/locales';
import type { User } from '@common/schemas/auth';
import type { UserRow } from './users.repo';

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    avatarUrl: row.avatar_url,
    globalRole: row.global_role === 'admin' ? 'admin' : 'user',
    disabled: row.disabled_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
    locale: isLocale(row.locale) ? row.locale : null,
  };
}

const isLocale = (value: string | null | undefined): value is Locale =>
  (LOCALES as readonly (string | null | undefined)[]).includes(value);
