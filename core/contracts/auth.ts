import { z } from './zod-setup.js';
import { ROLES } from '../permissions.js';
import { ZPasswordSchema } from './org.js';

export const ZLoginRequestSchema = z.object({
  /** A username or a mobile phone number. */
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});
export type TLoginRequest = z.infer<typeof ZLoginRequestSchema>;

export const ZSessionUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  permissions: z.array(z.string()),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  /**
   * The level the office and leader roles are held at: 'city' covers the whole campaign, a
   * district or street its subtree (null: no place, i.e. the city for those roles).
   */
  regionLevel: z.enum(['city', 'district', 'street', 'community']).nullable(),
  mustChangePassword: z.boolean(),
});
export type TSessionUser = z.infer<typeof ZSessionUserSchema>;

export const ZMeResponseSchema = z.object({
  user: ZSessionUserSchema,
  /** Send back as the `x-csrf-token` header on every cookie-authenticated write. */
  csrfToken: z.string(),
  expiresAt: z.string(),
});
export type TMeResponse = z.infer<typeof ZMeResponseSchema>;

export const ZChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(128),
  newPassword: ZPasswordSchema,
});
export type TChangePasswordRequest = z.infer<typeof ZChangePasswordRequestSchema>;
