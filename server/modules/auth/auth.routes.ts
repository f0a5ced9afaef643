import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZChangePasswordRequestSchema,
  ZLoginRequestSchema,
  ZMeResponseSchema,
} from '../../../core/contracts/auth.js';
import { ZErrorResponseSchema, ZNoContentSchema } from '../../../core/contracts/common.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { actor, session } from '../../platform/http.js';
import * as service from './auth.service.js';

export const SESSION_COOKIE = 'cc_session';

export const authRoutes: FastifyPluginAsyncZod<{ database: Database; config: Config }> = async (
  app,
  { database, config },
) => {
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
    path: '/',
  };

  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a username (or phone) and password',
        body: ZLoginRequestSchema,
        response: {
          200: ZMeResponseSchema,
          401: ZErrorResponseSchema,
          423: ZErrorResponseSchema,
          429: ZErrorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      const { token, me } = await service.login(database, config, req.body, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires: new Date(me.expiresAt) });
      return me;
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out', response: { 204: ZNoContentSchema } } },
    async (req, reply) => {
      await service.logout(database, actor(req), session(req).sessionId);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token',
        response: { 200: ZMeResponseSchema },
      },
    },
    async (req) => service.me(session(req)),
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my password',
        body: ZChangePasswordRequestSchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.changePassword(database, actor(req), session(req), req.body);
      return reply.status(204).send(null);
    },
  );
};
