import type { Hono } from 'hono';
import type { RouteKit } from '../app.js';

export function trendRoutes(app: Hono, kit: RouteKit): void {
  void app;
  void kit;
}
