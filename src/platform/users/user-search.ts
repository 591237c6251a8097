import { badRequest } from '../common/errors.js';
import { type IdPrefix, uuidOf } from '../common/ids.js';
import type { Input } from '../common/input.js';

export type SearchOperator = 'eq' | 'in' | 'lt' | 'gt' | 'between';

/**
 * A users/search field: a column of platform_users, or "the user has a row in `table` whose
 * `column` matches" (identifiers other modules own register their own tables).
 */
export interface SearchField {
  table?: string;
  column: string;
  kind: 'string' | 'lower' | 'id' | 'bool' | 'match' | 'time' | 'name_match';
  prefix?: IdPrefix;
}

export const CORE_FIELDS: Record<string, SearchField> = {
  user_id: { column: 'id', kind: 'id', prefix: 'user' },
  status: { column: 'status', kind: 'string' },
  created_at: { column: 'created_at', kind: 'time' },
  updated_at: { column: 'updated_at', kind: 'time' },
  full_name_match: { column: "(u.first_name || ' ' || u.last_name)", kind: 'name_match' },
  email: { table: 'platform_emails', column: 'email', kind: 'lower' },
  email_id: { table: 'platform_emails', column: 'id', kind: 'id', prefix: 'email' },
  email_match: { table: 'platform_emails', column: 'email', kind: 'match' },
  email_verified: { table: 'platform_emails', column: 'verified', kind: 'bool' },
  phone_number: { table: 'platform_phone_numbers', column: 'phone_number', kind: 'string' },
  phone_number_id: { table: 'platform_phone_numbers', column: 'id', kind: 'id', prefix: 'pn' },
  phone_number_match: { table: 'platform_phone_numbers', column: 'phone_number', kind: 'match' },
  phone_number_verified: { table: 'platform_phone_numbers', column: 'verified', kind: 'bool' },
};

export interface SearchQuery {
  where: string;
  params: unknown[];
}

const invalid = (message: string) => badRequest('invalid_search_filter', message);
const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause for `filters` over `platform_users u`, with `$1` the app id. */
export function buildSearch(filters: unknown, fields: Record<string, SearchField>, params: unknown[]): string {
  if (filters === undefined || filters === null) return 'TRUE';
  if (typeof filters !== 'object' || Array.isArray(filters)) throw invalid('filters must be an object');
  const f = filters as Input;
  const operator = typeof f.operator === 'string' ? f.operator.toUpperCase() : undefined;
  if (operator !== 'AND' && operator !== 'OR') throw invalid('filters.operator must be AND or OR');
  if (!Array.isArray(f.fields) || f.fields.length === 0) throw invalid('filters.fields must list at least one field');
  const parts = f.fields.map((raw, i) => condition(raw, i, fields, params, operator === 'OR'));
  return `(${parts.join(` ${operator} `)})`;
}

function condition(raw: unknown, i: number, fields: Record<string, SearchField>, params: unknown[], disjunct: boolean): string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`filters.fields[${i}] must be an object`);
  const item = raw as Input;
  const name = typeof item.field === 'string' ? item.field : '';
  const field = fields[name];
  if (!field) throw invalid(`unknown search field "${name}"`);
  const op = typeof item.operator === 'string' ? (item.operator.toLowerCase() as SearchOperator) : undefined;
  if (!op || !['eq', 'in', 'lt', 'gt', 'between'].includes(op)) throw invalid(`field ${name}: operator must be eq, in, lt, gt or between`);
  if ((field.kind === 'match' || field.kind === 'bool' || field.kind === 'name_match') && op !== 'eq') throw invalid(`field ${name} supports only eq`);
  const bind = (v: unknown): string => {
    params.push(convert(field, name, v));
    return `$${params.length}`;
  };
  const column = field.kind === 'name_match' ? field.column : field.table ? `t.${field.column}` : `u.${field.column}`;
  let test: string;
  switch (op) {
    case 'eq':
      if (item.value === undefined || item.value === null) throw invalid(`field ${name}: eq needs a value`);
      test = field.kind === 'match' || field.kind === 'name_match' ? `${column} ILIKE ${bind(item.value)}` : `${column} = ${bind(item.value)}`;
      break;
    case 'in': {
      if (!Array.isArray(item.values) || item.values.length === 0) throw invalid(`field ${name}: in needs values`);
      if (item.values.length > 1000) throw invalid(`field ${name}: at most 1000 values`);
      params.push(item.values.map((v) => convert(field, name, v)));
      const type = field.kind === 'id' ? 'uuid' : field.kind === 'time' ? 'timestamptz' : 'text';
      test = `${column} = ANY($${params.length}::${type}[])`;
      break;
    }
    case 'lt':
    case 'gt':
      if (item.value === undefined || item.value === null) throw invalid(`field ${name}: ${op} needs a value`);
      test = `${column} ${op === 'lt' ? '<' : '>'} ${bind(item.value)}`;
      break;
    case 'between':
      if (item.value === undefined || item.value === null || item.second_value === undefined || item.second_value === null) {
        throw invalid(`field ${name}: between needs value and second_value`);
      }
      test = `${column} BETWEEN ${bind(item.value)} AND ${bind(item.second_value)}`;
      break;
  }
  if (!field.table) return test;
  const owners = `SELECT t.user_id FROM ${field.table} t WHERE t.app_id = $1 AND ${test}`;
  // Under OR, an id list lets each branch use the primary key (a bitmap OR) instead of a scan of every user.
  return disjunct ? `u.id = ANY(ARRAY(${owners}))` : `u.id IN (${owners})`;
}

function convert(field: SearchField, name: string, v: unknown): unknown {
  switch (field.kind) {
    case 'id': {
      const id = field.prefix ? uuidOf(field.prefix, v) : undefined;
      if (!id) throw invalid(`field ${name}: ${String(v)} is not a valid id`);
      return id;
    }
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw invalid(`field ${name}: value must be a boolean`);
    case 'time': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n) || n < 0 || n > 253402300799) throw invalid(`field ${name}: value must be unix seconds`);
      return new Date(n * 1000).toISOString();
    }
    case 'match':
    case 'name_match':
      if (typeof v !== 'string' || !v.trim()) throw invalid(`field ${name}: value must be a non-empty string`);
      return `%${escapeLike(v.trim())}%`;
    case 'lower':
      if (typeof v !== 'string') throw invalid(`field ${name}: value must be a string`);
      return v.trim().toLowerCase();
    default:
      if (typeof v !== 'string') throw invalid(`field ${name}: value must be a string`);
      return field.column === 'public_address' && /^0x/i.test(v.trim()) ? v.trim().toLowerCase() : v.trim();
  }
}
