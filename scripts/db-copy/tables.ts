/**
 * The tables `npm run db:copy` copies, read from the two drizzle schemas
 * rather than listed by hand: a table added to both schemas is copied
 * without anyone remembering this script, and one added to only one of them
 * stops the copy before anything is written.
 */
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as postgresSchema from '../../src/db/postgres/schema.js';
import * as sqliteSchema from '../../src/db/schema.js';

/** One table in both dialects. Rows are read and written as drizzle shows them: the same property names on both sides. */
export interface TablePair {
  /** The SQL name, the same in both. */
  readonly name: string;
  readonly sqlite: SQLiteTable;
  readonly postgres: PgTable;
  /** Property names of the columns that order the rows and page through them: the primary key, else a full unique index. */
  readonly key: readonly string[];
  /** How many columns a row has: a batch's statement stays under each dialect's limit on bound parameters. */
  readonly columns: number;
}

/** Property name → SQL name, for comparing the two sides. */
function columnNames(table: SQLiteTable | PgTable): Map<string, string> {
  return new Map(Object.entries(getTableColumns(table)).map(([property, column]) => [property, column.name]));
}

/**
 * A key that orders every row exactly once: the primary key, or else a
 * unique index over non-null columns that is not partial (three tables have
 * no primary key: digest_parts, slo_figures, slo_threshold_posts).
 */
function keyOf(table: SQLiteTable): string[] {
  const columns = Object.entries(getTableColumns(table));
  const primary = columns.filter(([, column]) => column.primary).map(([property]) => property);
  if (primary.length > 0) return primary;
  const propertyOf = new Map(columns.map(([property, column]) => [column.name, property]));
  for (const index of sqliteTableConfig(table).indexes) {
    const { unique, where, columns: indexed } = index.config;
    if (!unique || where) continue;
    const names = indexed.map((column) => ('name' in column ? String(column.name) : ''));
    const properties = names.map((name) => propertyOf.get(name));
    if (properties.every((property): property is string => property !== undefined && getTableColumns(table)[property]!.notNull)) return properties;
  }
  throw new Error(`${getTableName(table)} has no primary key or full unique index to read it in order by`);
}

/** Each table after the tables its foreign keys name, so inserts in this order never point at a row not yet there. */
function inForeignKeyOrder(pairs: readonly TablePair[]): TablePair[] {
  const byName = new Map(pairs.map((pair) => [pair.name, pair]));
  const ordered: TablePair[] = [];
  const visiting = new Set<string>();
  const visit = (pair: TablePair) => {
    if (ordered.includes(pair)) return;
    if (visiting.has(pair.name)) throw new Error(`the foreign keys of ${pair.name} form a cycle`);
    visiting.add(pair.name);
    const parents = sqliteTableConfig(pair.sqlite).foreignKeys.map((key) => getTableName(key.reference().foreignTable));
    for (const parent of parents) if (parent !== pair.name) visit(byName.get(parent)!);
    visiting.delete(pair.name);
    ordered.push(pair);
  };
  for (const pair of [...pairs].sort((a, b) => a.name.localeCompare(b.name))) visit(pair);
  return ordered;
}

/**
 * Every table of the schemas, parents first. Throws when the two schemas
 * differ in their tables or columns, or in the foreign keys PostgreSQL
 * checks: a copy between them would lose or misplace something.
 */
export function tablePairs(): TablePair[] {
  const sqliteTables = (Object.values(sqliteSchema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));
  const postgresTables = new Map(
    (Object.values(postgresSchema) as unknown[])
      .filter((value): value is PgTable => is(value, PgTable))
      .map((table) => [getTableName(table), table]),
  );
  const pairs = sqliteTables.map((sqlite): TablePair => {
    const name = getTableName(sqlite);
    const postgres = postgresTables.get(name);
    if (!postgres) throw new Error(`the table ${name} is in the SQLite schema but not in the PostgreSQL one`);
    postgresTables.delete(name);
    const [a, b] = [columnNames(sqlite), columnNames(postgres)];
    const differ = [...new Set([...a.keys(), ...b.keys()])].filter((property) => a.get(property) !== b.get(property));
    if (differ.length > 0) throw new Error(`the columns of ${name} differ between the two schemas: ${differ.join(', ')}`);
    const foreign = (refs: string[]) => refs.sort().join(',');
    const sqliteRefs = sqliteTableConfig(sqlite).foreignKeys.map((key) => getTableName(key.reference().foreignTable));
    const postgresRefs = pgTableConfig(postgres).foreignKeys.map((key) => getTableName(key.reference().foreignTable));
    if (foreign(sqliteRefs) !== foreign(postgresRefs)) throw new Error(`the foreign keys of ${name} differ between the two schemas`);
    return { name, sqlite, postgres, key: keyOf(sqlite), columns: a.size };
  });
  if (postgresTables.size > 0) throw new Error(`the PostgreSQL schema has tables SQLite's has not: ${[...postgresTables.keys()].join(', ')}`);
  return inForeignKeyOrder(pairs);
}
