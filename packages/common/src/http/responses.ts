import type { Response } from 'express';
import { z } from 'zod';

export function sendData(res: Response, data: unknown, status = 200): void {
  res.status(status).json({ status: 'success', data, timestamp: new Date().toISOString() });
}

export interface Page {
  page: number;
  limit: number;
}

export const paginationSchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageOffset(page: Page): number {
  return (page.page - 1) * page.limit;
}

export function sendList(res: Response, items: unknown[], page: Page, total: number): void {
  res.status(200).json({
    status: 'success',
    data: items,
    pagination: {
      page: page.page,
      limit: page.limit,
      total,
      pages: Math.ceil(total / page.limit),
    },
    timestamp: new Date().toISOString(),
  });
}
