import { demoPictures, DEMO_PICTURE_SIZE } from './images';
import { createHash } from 'node:crypto';
import type { Db } from '../store/db';
import { nowIso } from '../store/db';
import { modelSchema, roleSchema, type Model, type Role, type Values } from '../../shared/domain';
import { demoBody } from './bodies';
import { createProject, insertRole, insertUser } from '../admin/bootstrap';
import { forkEnvironment } from '../content/environments';
import type { FileStore } from '../uploads/filestore';

/** Demo only: DESIGN §7. Never use it for a real project. */
export const DEMO_PASSWORD = 'Demo-pass-1';
export const DEMO_PROJECT_ID = 'demo-magazine';

export const DEMO_USERS = {
  admin: 'admin@demo.test',
  editor: 'editor@demo.test',
  translator: 'translator.fr@demo.test',
  media: 'media@demo.test',
  developer: 'developer@demo.test',
} as const;

const field = (apiKey: string, label: string, type: string, localized: boolean, required: boolean, validators: object = {}) => ({
  id: `${apiKey}`,
  apiKey,
  label,
  type,
  localized,
  required,
  validators,
});

export const DEMO_MODELS: Model[] = [
  modelSchema.parse({
    id: 'article',
    apiKey: 'article',
    name: 'Article',
    singleton: false,
    fields: [
      field('title', 'Title', 'string', true, true, { length: { max: 200 } }),
      field('slug', 'Slug', 'slug', false, false),
      field('body', 'Body', 'structured_text', true, true),
      field('cover', 'Cover', 'asset', false, false, { assetTypes: ['image'] }),
      field('author', 'Author', 'link', false, false, { itemTypes: ['author'] }),
      field('published_on', 'Published on', 'date', false, false),
    ],
  }),
  modelSchema.parse({
    id: 'author',
    apiKey: 'author',
    name: 'Author',
    singleton: false,
    fields: [field('name', 'Name', 'string', false, true), field('bio', 'Bio', 'text', true, false)],
  }),
];

const ALL_RECORD_ACTIONS = ['read', 'create', 'update', 'publish', 'unpublish', 'delete'];
const ALL_UPLOAD_ACTIONS = ['read', 'create', 'update', 'delete'];

export const DEMO_ROLES: Role[] = [
  roleSchema.parse({
    id: 'translator-fr',
    name: 'French translator',
    flags: {},
    environmentsAccess: 'primary_only',
    recordRules: [
      { effect: 'allow', models: 'all', actions: ['read'] },
      { effect: 'allow', models: ['article', 'author'], actions: ['update'], localizationScope: 'localized', locales: ['fr'] },
    ],
    uploadRules: [],
  }),
  roleSchema.parse({
    id: 'media-manager',
    name: 'Media manager',
    flags: {},
    environmentsAccess: 'primary_only',
    recordRules: [{ effect: 'allow', models: 'all', actions: ['read'] }],
    uploadRules: [{ effect: 'allow', actions: ALL_UPLOAD_ACTIONS, folders: ['marketing'] }],
  }),
  roleSchema.parse({
    id: 'sandbox-developer',
    name: 'Sandbox developer',
    flags: { canEditSchema: true, canManageEnvironments: true },
    environmentsAccess: 'sandbox_only',
    recordRules: [{ effect: 'allow', models: 'all', actions: ALL_RECORD_ACTIONS }],
    uploadRules: [{ effect: 'allow', actions: ALL_UPLOAD_ACTIONS, folders: 'all' }],
  }),
];

const FOLDERS = [
  { id: 'marketing', name: 'Marketing', parentId: null },
  { id: 'campaigns', name: 'Campaigns', parentId: 'marketing' },
  { id: 'editorial', name: 'Editorial', parentId: null },
  { id: 'legal', name: 'Legal', parentId: null },
];


const TOPICS = ['Spring', 'Harbour', 'Typography', 'Night trains', 'Paper', 'Ink', 'Gardens', 'Bridges', 'Rain', 'Markets'];
const AUTHORS = ['Ada Moreau', 'Bruno Keller', 'Chloé Dubois', 'Dieter Braun', 'Elena Rossi', 'Farid Haddad', 'Greta Lind', 'Hugo Martin'];

function article(i: number, authorId: string, coverId: string | null): Values {
  const topic = TOPICS[i % TOPICS.length]!;
  const n = Math.floor(i / TOPICS.length) + 1;
  return {
    title: { en: `${topic}, part ${n}`, fr: `${topic}, partie ${n}`, de: `${topic}, Teil ${n}` },
    slug: `${topic.toLowerCase().replace(/\s+/g, '-')}-${n}`,
    body: { en: demoBody('en', topic, i), fr: demoBody('fr', topic, i), de: demoBody('de', topic, i) },
    cover: coverId,
    author: authorId,
    published_on: `2026-0${(i % 9) + 1}-1${i % 10}`,
  };
}

/** Seeds the Demo Magazine project of DESIGN §7 into an empty database. */
export async function seedDemo(db: Db, files: FileStore): Promise<void> {
  if (db.prepare('SELECT 1 FROM projects WHERE id = ?').get(DEMO_PROJECT_ID)) return;
  const { projectId } = await createProject(db, {
    id: DEMO_PROJECT_ID,
    name: 'Demo Magazine',
    locales: ['en', 'fr', 'de'],
    adminEmail: DEMO_USERS.admin,
    adminName: 'Demo Admin',
    adminPassword: DEMO_PASSWORD,
  });
  for (const role of DEMO_ROLES) insertRole(db, projectId, role);
  const users = {
    editor: await insertUser(db, projectId, { email: DEMO_USERS.editor, name: 'Demo Editor', password: DEMO_PASSWORD, roleId: 'editor' }),
    translator: await insertUser(db, projectId, { email: DEMO_USERS.translator, name: 'Demo Translator (fr)', password: DEMO_PASSWORD, roleId: 'translator-fr' }),
    media: await insertUser(db, projectId, { email: DEMO_USERS.media, name: 'Demo Media Manager', password: DEMO_PASSWORD, roleId: 'media-manager' }),
    developer: await insertUser(db, projectId, { email: DEMO_USERS.developer, name: 'Demo Developer', password: DEMO_PASSWORD, roleId: 'sandbox-developer' }),
  };

  const pictures = await demoPictures(12);
  const at = nowIso();
  db.transaction(() => {
    DEMO_MODELS.forEach((m, i) =>
      db.prepare("INSERT INTO models (project_id, environment, id, api_key, position, definition) VALUES (?, 'main', ?, ?, ?, ?)").run(projectId, m.id, m.apiKey, i, JSON.stringify(m)),
    );
    for (const f of FOLDERS) db.prepare("INSERT INTO folders (project_id, environment, id, name, parent_id) VALUES (?, 'main', ?, ?, ?)").run(projectId, f.id, f.name, f.parentId);

    // Covers point at pictures only: an article's cover is an image field.
    const assetIds: string[] = [];
    const addAsset = (id: string, folder: string, filename: string, mime: string, bytes: Buffer, meta: object) => {
      const sha = createHash('sha256').update(bytes).digest('hex');
      files.put(sha, bytes);
      const size = mime.startsWith('image/') ? DEMO_PICTURE_SIZE : null;
      db.prepare(
        `INSERT INTO assets (project_id, environment, id, folder_id, filename, size, mime_type, sha256, metadata, created_at, created_by, width, height) VALUES (?, 'main', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      ).run(projectId, id, folder, filename, bytes.length, mime, sha, JSON.stringify(meta), at, size?.width ?? null, size?.height ?? null);
      if (size) assetIds.push(id);
    };
    ['marketing', 'campaigns', 'editorial'].forEach((folder, fi) => {
      for (let k = 1; k <= 4; k++) {
        addAsset(`img-${folder}-${k}`, folder, `${folder}-${k}.png`, 'image/png', pictures[fi * 4 + k - 1]!, { en: { alt: `${folder} picture ${k}` }, fr: { alt: `image ${folder} ${k}` } });
      }
      addAsset(`note-${folder}`, folder, `${folder}-brief.md`, 'text/markdown', Buffer.from(`# ${folder} brief ${fi}\n\nDemo notes.\n`), {});
    });
    addAsset('terms', 'legal', 'terms.txt', 'text/plain', Buffer.from('Demo terms of use.\n'), { en: { title: 'Terms' } });

    let seq = 0;
    const insertRecord = (id: string, model: string, values: Values, published: boolean, createdBy: string) => {
      seq++;
      const data = JSON.stringify(values);
      db.prepare(
        `INSERT INTO records (project_id, environment, id, model_id, version, published_version, status, data, published_data, created_at, updated_at, published_at, created_by, updated_by, seq)
         VALUES (?, 'main', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(projectId, id, model, published ? 1 : null, published ? 'published' : 'draft', data, published ? data : null, at, at, published ? at : null, createdBy, createdBy, seq);
      db.prepare("INSERT INTO record_versions (project_id, environment, record_id, version, data, created_at, created_by) VALUES (?, 'main', ?, 1, ?, ?, ?)").run(
        projectId,
        id,
        data,
        at,
        createdBy,
      );
    };
    AUTHORS.forEach((name, i) =>
      insertRecord(`author-${i + 1}`, 'author', { name, bio: { en: `${name} writes about cities.`, fr: `${name} écrit sur les villes.`, de: null } }, true, users.editor),
    );
    for (let i = 0; i < 30; i++) {
      insertRecord(`article-${String(i + 1).padStart(2, '0')}`, 'article', article(i, `author-${(i % AUTHORS.length) + 1}`, assetIds[i % assetIds.length] ?? null), i % 3 !== 2, users.editor);
    }
    db.prepare("UPDATE environments SET seq = ? WHERE project_id = ? AND id = 'main'").run(seq, projectId);
  })();
  forkEnvironment(db, projectId, 'main', 'staging');
}
