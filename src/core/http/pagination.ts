import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Barong's pagination params; the error codes are unprefixed, as Barong emits them. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'non_integer_page' })
  @Min(1, { message: 'non_positive_page' })
  @Max(1_000_000, { message: 'invalid_page' })
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'non_integer_limit' })
  @Min(1, { message: 'invalid_limit' })
  @Max(100, { message: 'invalid_limit' })
  limit: number = 100;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** Sets Total, Page, Per-Page and an RFC 8288 Link header; the body stays a bare array. */
export function setPageHeaders(req: FastifyRequest, reply: FastifyReply, p: Omit<Page<unknown>, 'items'>): void {
  reply.header('Total', String(p.total));
  reply.header('Page', String(p.page));
  reply.header('Per-Page', String(p.limit));
  const lastPage = Math.max(1, Math.ceil(p.total / p.limit));
  const url = new URL(req.url, 'http://local');
  const link = (page: number, rel: string): string => {
    url.searchParams.set('page', String(page));
    url.searchParams.set('limit', String(p.limit));
    return `<${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (p.page > 1) links.push(link(Math.min(p.page - 1, lastPage), 'prev'));
  if (p.page < lastPage) links.push(link(p.page + 1, 'next'));
  links.push(link(lastPage, 'last'));
  reply.header('Link', links.join(', '));
}
