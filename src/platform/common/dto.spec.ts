import 'reflect-metadata';
import { passThroughFields } from '../../core/http/pass-through-dto.js';
import { SessionVerifyDto } from '../sessions/sessions.controller.js';
import { SessionArgsDto } from './dto.js';

describe('/v1 DTOs', () => {
  it('only declare their fields, so validating them copies those and drops the rest without running class-validator', () => {
    expect(passThroughFields(SessionVerifyDto)).toEqual(['session_token', 'session_jwt', 'session_expires_in']);
    expect([...passThroughFields(SessionArgsDto)!].sort()).toEqual(['device_fingerprint', 'session_expires_in', 'session_jwt', 'session_token']);
  });
});
