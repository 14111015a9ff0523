import { request } from './http';
import type { LoginResult, Profile } from './types';

export async function register(username: string, password: string): Promise<void> {
  await request('POST', '/api/auth/register', { body: { username, password } });
}

export async function login(username: string, password: string): Promise<LoginResult> {
  return (await request<LoginResult>('POST', '/api/auth/login', { body: { username, password }, checksCredentials: true })).data;
}

export async function getProfile(token: string, signal?: AbortSignal): Promise<Profile> {
  return (await request<Profile>('GET', '/api/auth/me', { token, ...(signal ? { signal } : {}) })).data;
}

export async function changePassword(token: string, currentPassword: string, newPassword: string): Promise<void> {
  await request('PUT', '/api/auth/me/password', { token, body: { currentPassword, newPassword }, checksCredentials: true });
}

export async function deleteAccount(token: string): Promise<void> {
  await request('DELETE', '/api/auth/me', { token });
}
