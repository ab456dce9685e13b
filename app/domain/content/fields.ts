/**
 * zod building blocks for front matter, each with the Vietnamese message an organizer needs, and
 * the bridge that turns zod's issues into `file:line` errors.
 */
import { z } from "zod";
import { contentMessages as m } from "~/i18n/content.vi";
import { ID_PATTERN, type ErrorSink } from "./errors";
import type { FrontMatter } from "./front-matter";

export const idField = (key: string, what: string, example: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? m.missingKey(key, example) : m.notText(key)) })
    .regex(ID_PATTERN, { error: (iss) => m.badId(what, String(iss.input)) });

export const textField = (key: string, example: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? m.missingKey(key, example) : m.notText(key)) })
    .trim()
    .min(1, { error: m.emptyText(key) });

export const optionalTextField = (key: string) =>
  z
    .string({ error: m.notText(key) })
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined));

export const intField = (key: string, min: number, max: number, example: string) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? m.missingKey(key, example) : m.notInteger(key, min, max)) })
    .int({ error: m.notInteger(key, min, max) })
    .min(min, { error: m.notInteger(key, min, max) })
    .max(max, { error: m.notInteger(key, min, max) });

export const boolField = (key: string) => z.boolean({ error: m.notBoolean(key) });

export const enumField = <T extends readonly [string, ...string[]]>(key: string, values: T) =>
  z.enum(values, { error: m.notOneOf(key, [...values]) });

/** A strict object: an unknown key is reported with the list of keys that exist. */
export const strictFields = <S extends z.ZodRawShape>(notAMap: string, shape: S) =>
  z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? undefined : notAMap),
  });

/** Runs a schema over front matter; every issue becomes an error on the line it is about. */
export function parseFields<T>(schema: z.ZodType<T>, frontMatter: FrontMatter, sink: ErrorSink): T | null {
  const result = schema.safeParse(frontMatter.data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) sink.add(frontMatter.lineOf([...path, key]), m.unknownKey(key, known));
    } else {
      sink.add(frontMatter.lineOf(path), issue.message);
    }
  }
  return null;
}

/** The keys a strict object at a path accepts, to suggest them. */
function knownKeys(schema: z.ZodType, path: (string | number)[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) current = current.shape[segment as string] as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return [];
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current && (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPipe)) {
    current = current instanceof z.ZodPipe ? (current.in as z.ZodType) : (current.unwrap() as z.ZodType);
  }
  return current;
}
