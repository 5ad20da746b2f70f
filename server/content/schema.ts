import type { ZodError } from 'zod';
import type { RequestContext } from '../context';
import { formatIssues, modelSchema, newFieldSchema, type Field, type Model } from '../../shared/domain';
import { fail, invalid, notFound } from '../errors';
import { newId } from '../auth/secrets';
import { audit } from '../audit';

export function models(ctx: RequestContext, args: { environment: string }): Model[] {
  const env = ctx.environment(args.environment);
  const readable = ctx.effective().environments[env.id]?.models ?? {};
  return ctx.modelsOf(env.id).filter((m) => readable[m.id]);
}

function saveModel(ctx: RequestContext, env: string, model: Model, position: number): void {
  ctx.db
    .prepare(
      `INSERT INTO models (project_id, environment, id, api_key, position, definition) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, environment, id) DO UPDATE SET api_key = excluded.api_key, definition = excluded.definition`,
    )
    .run(ctx.project().id, env, model.id, model.apiKey, position, JSON.stringify(model));
  ctx.invalidate();
}

function parsed<T>(r: { success: true; data: T } | { success: false; error: ZodError }, what: string): T {
  if (r.success) return r.data;
  const problems = formatIssues(r.error, what);
  return invalid(`invalid ${what}: ${problems.join('; ')}`, Object.fromEntries(problems.map((p) => [p.split(':')[0] ?? what, p])));
}

export function createModel(ctx: RequestContext, args: { environment: string; apiKey: string; name: string; singleton?: boolean | null }) {
  const env = ctx.environment(args.environment);
  ctx.require('schema.edit', { environment: env });
  const model = parsed(modelSchema.safeParse({ id: newId(), apiKey: args.apiKey, name: args.name, singleton: args.singleton ?? false, fields: [] }), 'model');
  if (ctx.modelsOf(env.id).some((m) => m.apiKey === model.apiKey)) fail('CONFLICT', `a model with api key "${model.apiKey}" exists`);
  saveModel(ctx, env.id, model, ctx.modelsOf(env.id).length);
  audit(ctx, { environment: env.id, action: 'model.create', targetType: 'model', targetId: model.id, details: { apiKey: model.apiKey } });
  return model;
}

/** The model a schema edit targets (by id or api key), with its position, after the schema.edit check. */
function schemaTarget(ctx: RequestContext, environment: string, modelRef: string) {
  const env = ctx.environment(environment);
  ctx.require('schema.edit', { environment: env });
  const all = ctx.modelsOf(env.id);
  const index = all.findIndex((m) => m.id === modelRef || m.apiKey === modelRef);
  return { env, index, model: all[index] };
}

export function createField(ctx: RequestContext, args: { environment: string; model: string; field: unknown }) {
  const { env, index, model } = schemaTarget(ctx, args.environment, args.model);
  if (!model) return notFound(`model "${args.model}"`);
  const field: Field = parsed(newFieldSchema.safeParse({ id: newId(), validators: {}, ...(args.field as object) }), 'field');
  if (model.fields.some((f) => f.apiKey === field.apiKey)) fail('CONFLICT', `model "${model.apiKey}" already has a field "${field.apiKey}"`);
  if (model.retiredKeys?.includes(field.apiKey)) {
    fail('CONFLICT', `"${field.apiKey}" was the api key of a deleted field of "${model.apiKey}", whose values may still be in its records: choose another api key`);
  }
  saveModel(ctx, env.id, { ...model, fields: [...model.fields, field] }, index);
  audit(ctx, { environment: env.id, action: 'field.create', targetType: 'model', targetId: model.id, details: { field: field.apiKey } });
  return ctx.modelsOf(env.id).find((m) => m.id === model.id)!;
}

export function deleteField(ctx: RequestContext, args: { environment: string; model: string; field: string }) {
  const { env, index, model } = schemaTarget(ctx, args.environment, args.model);
  const field = model?.fields.find((f) => f.apiKey === args.field || f.id === args.field);
  if (!model || !field) return notFound(`field "${args.field}"`);
  // Its values are not rewritten out of every record now (seconds of a blocked server at 200k):
  // each record drops them when it is next written or published (records.ts), and the key is
  // retired so that no new field inherits them.
  const retiredKeys = [...new Set([...(model.retiredKeys ?? []), field.apiKey])];
  saveModel(ctx, env.id, { ...model, fields: model.fields.filter((f) => f.id !== field.id), retiredKeys }, index);
  audit(ctx, { environment: env.id, action: 'field.delete', targetType: 'model', targetId: model.id, details: { field: field.apiKey } });
  return ctx.modelsOf(env.id).find((m) => m.id === model.id)!;
}

export function deleteModel(ctx: RequestContext, args: { environment: string; model: string }): boolean {
  const { env, model } = schemaTarget(ctx, args.environment, args.model);
  if (!model) return notFound(`model "${args.model}"`);
  const used = ctx.db
    .prepare('SELECT COUNT(*) AS n FROM records WHERE project_id = ? AND environment = ? AND model_id = ? AND deleted = 0')
    .get(ctx.project().id, env.id, model.id) as { n: number };
  if (used.n > 0) fail('CONFLICT', `model "${model.apiKey}" still has ${used.n} record(s)`);
  ctx.db.prepare('DELETE FROM models WHERE project_id = ? AND environment = ? AND id = ?').run(ctx.project().id, env.id, model.id);
  ctx.invalidate();
  audit(ctx, { environment: env.id, action: 'model.delete', targetType: 'model', targetId: model.id });
  return true;
}
