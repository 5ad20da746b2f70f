import type fc from 'fast-check';
import type { Cmd } from './command';
import { action, create, edit, remoteDelete, remoteEdit, loseMain, resolve, retype, roleChange, upload } from './user-commands';
import { kill, loseAnswer, loseRequest, offline, online, restartCore, restartServer, sync } from './fault-commands';
import { problem, undoDelete } from './problem-commands';

export const ALL_COMMANDS = {
  edit,
  retype,
  create,
  publish: action(['publish', 'publish', 'unpublish']),
  delete: action(['delete']),
  problem,
  undoDelete,
  upload,
  resolve,
  remoteEdit,
  remoteDelete,
  roleChange,
  loseMain,
  sync,
  offline,
  online,
  loseAnswer,
  loseRequest,
  restartServer,
  restartCore,
  kill,
};
export type CommandName = keyof typeof ALL_COMMANDS;

const WEIGHTS: Record<CommandName, number> = {
  edit: 5,
  retype: 2,
  create: 2,
  publish: 3,
  delete: 1,
  problem: 3,
  undoDelete: 2,
  upload: 1,
  resolve: 3,
  remoteEdit: 3,
  remoteDelete: 1,
  roleChange: 1,
  loseMain: 1,
  sync: 4,
  offline: 1,
  online: 2,
  loseAnswer: 2,
  loseRequest: 2,
  restartServer: 1,
  restartCore: 1,
  kill: 1,
};

/** The command arbitrary list, each repeated by its weight (fc.commands picks uniformly). */
export function commandArbitraries(names: readonly CommandName[]): fc.Arbitrary<Cmd>[] {
  return names.flatMap((n) => Array.from({ length: WEIGHTS[n] }, () => ALL_COMMANDS[n]));
}

