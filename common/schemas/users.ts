import { z } from 'zod';
import { GLOBAL_ROLES } from '../permissions';
import { Email, NonEmpty, Password, Uuid } from './shared';

export const CreateUserBody = z.object({
  email: Email,
  password: Password,
  fullName: NonEmpty(200).optional(),
  globalRole: z.enum(GLOBAL_ROLES).optional(),
});
export const UpdateUserBody = z.object({
  fullName: NonEmpty(200).nullable().optional(),
  globalRole: z.enum(GLOBAL_ROLES).optional(),
  disabled: z.boolean().optional(),
  password: Password.optional(),
});
export const UserParams = z.object({ userId: Uuid });
